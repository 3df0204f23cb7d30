import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../kernel/db/index.ts';
import type {
  IncidentRules,
  IncidentState,
  NoticeFields,
  Severity,
  TimelineKind,
} from './incidents.model.ts';
import type { IncidentTables } from './incidents.tables.ts';

export type IncidentDb = Database & IncidentTables;
type Q = Kysely<IncidentDb> | Transaction<IncidentDb>;

const INCIDENT_COLUMNS = [
  'id',
  'organization_id',
  'kind',
  'title',
  'description',
  'entry_codes',
  'data_grade',
  'people_affected',
  'cii',
  'severity',
  'proposed_severity',
  'detected_at',
  'deadline_at',
  'deadline_rule',
  'state',
  'reported_at',
  'report_reference',
  'remediation',
  'notice',
  'from_alert_id',
  'created_at',
  'updated_at',
] as const;

export type IncidentRow = NonNullable<Awaited<ReturnType<typeof incidentById>>>;

function incidentById(db: Q, id: string, lock = false) {
  let query = db.selectFrom('security_incidents').select(INCIDENT_COLUMNS).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface IncidentInsert {
  organization_id: string;
  kind: IncidentRow['kind'];
  title: string;
  description: string;
  entry_codes: string[];
  data_grade: string | null;
  people_affected: number;
  cii: boolean;
  severity: Severity;
  proposed_severity: Severity;
  detected_at: Date;
  deadline_at: Date | null;
  deadline_rule: string | null;
  state: IncidentState;
  remediation: string;
  notice: NoticeFields;
  from_alert_id: string | null;
  created_by: string;
}

/** The only code that reads and writes the incident tables. */
export const incidentRepository = {
  incidentById,

  insertIncident(trx: Q, row: IncidentInsert) {
    return trx
      .insertInto('security_incidents')
      .values({ ...row, notice: JSON.stringify(row.notice) })
      .returning(INCIDENT_COLUMNS)
      .executeTakeFirstOrThrow();
  },

  /** The incident opened from an alert; undefined (nothing written) when the alert already has one. */
  insertIncidentFromAlert(trx: Q, row: IncidentInsert & { from_alert_id: string }) {
    return trx
      .insertInto('security_incidents')
      .values({ ...row, notice: JSON.stringify(row.notice) })
      .onConflict((oc) => oc.column('from_alert_id').where('from_alert_id', 'is not', null).doNothing())
      .returning(INCIDENT_COLUMNS)
      .executeTakeFirst();
  },

  incidentByAlert(db: Q, alertId: string) {
    return db
      .selectFrom('security_incidents')
      .select(INCIDENT_COLUMNS)
      .where('from_alert_id', '=', alertId)
      .executeTakeFirst();
  },

  async updateIncident(
    trx: Q,
    id: string,
    set: Partial<Omit<IncidentInsert, 'notice' | 'created_by'>> & {
      notice?: NoticeFields;
      reported_at?: Date;
      report_reference?: string | null;
      updated_at: Date;
    },
  ): Promise<void> {
    const { notice, ...rest } = set;
    await trx
      .updateTable('security_incidents')
      .set({ ...rest, ...(notice === undefined ? {} : { notice: JSON.stringify(notice) }) })
      .where('id', '=', id)
      .execute();
  },

  /** Incidents of some organisations (all when `organizationIds` is undefined), newest first. */
  listIncidents(
    db: Q,
    filter: { organizationIds?: readonly string[] | undefined; state?: IncidentState | undefined },
  ) {
    let query = db.selectFrom('security_incidents').select(INCIDENT_COLUMNS);
    if (filter.organizationIds !== undefined) {
      if (filter.organizationIds.length === 0) return Promise.resolve([]);
      query = query.where('organization_id', 'in', [...filter.organizationIds]);
    }
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    return query.orderBy('detected_at', 'desc').orderBy('id').limit(2000).execute();
  },

  /** Per organisation: incidents not closed, the next unmet deadline, and how many are past theirs. */
  openCounts(db: Q, now: Date) {
    return db
      .selectFrom('security_incidents')
      .select([
        'organization_id',
        sql<number>`count(*)::int`.as('open'),
        sql<Date | null>`min(deadline_at) FILTER (WHERE reported_at IS NULL)`.as('next_deadline'),
        sql<number>`count(*) FILTER (WHERE reported_at IS NULL AND deadline_at < ${now})::int`.as('overdue'),
      ])
      .where('state', '!=', 'closed')
      .groupBy('organization_id')
      .execute();
  },

  async addEvent(
    trx: Q,
    incidentId: string,
    author: string,
    kind: TimelineKind,
    text: string,
  ): Promise<void> {
    await trx
      .insertInto('security_incident_events')
      .values({ incident_id: incidentId, author, kind, text })
      .execute();
  },

  events(db: Q, incidentId: string) {
    return db
      .selectFrom('security_incident_events')
      .select(['id', 'at', 'author', 'kind', 'text'])
      .where('incident_id', '=', incidentId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  },

  tasks(db: Q, incidentId: string) {
    return db
      .selectFrom('security_incident_tasks')
      .select([
        'id',
        'incident_id',
        'title',
        'assignee',
        sql<string | null>`due_date::text`.as('due_date'),
        'done_at',
      ])
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },

  taskById(db: Q, id: string) {
    return db
      .selectFrom('security_incident_tasks')
      .select([
        'id',
        'incident_id',
        'title',
        'assignee',
        sql<string | null>`due_date::text`.as('due_date'),
        'done_at',
      ])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  insertTask(
    trx: Q,
    row: { incident_id: string; title: string; assignee: string | null; due_date: string | null },
  ) {
    return trx.insertInto('security_incident_tasks').values(row).returning('id').executeTakeFirstOrThrow();
  },

  async updateTask(
    trx: Q,
    id: string,
    set: { title?: string; assignee?: string | null; due_date?: string | null; done_at?: Date | null },
  ): Promise<void> {
    await trx.updateTable('security_incident_tasks').set(set).where('id', '=', id).execute();
  },

  insertLetter(
    trx: Q,
    row: {
      incident_id: string;
      language: 'zh-CN' | 'en' | 'fr';
      subject: string;
      body: string;
      created_by: string;
    },
  ) {
    return trx
      .insertInto('security_incident_letters')
      .values(row)
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
  },

  insertRecipients(trx: Q, letterId: string, emails: readonly string[]) {
    return trx
      .insertInto('security_incident_recipients')
      .values(emails.map((email) => ({ letter_id: letterId, email, status: 'queued' as const })))
      .returning(['id', 'email'])
      .execute();
  },

  /** Letters of an incident with how many of their messages were sent, failed, or wait. */
  letters(db: Q, incidentId: string) {
    return db
      .selectFrom('security_incident_letters as l')
      .leftJoin('security_incident_recipients as r', 'r.letter_id', 'l.id')
      .select([
        'l.id',
        'l.language',
        'l.subject',
        'l.body',
        'l.created_by',
        'l.created_at',
        sql<number>`count(r.id)::int`.as('recipients'),
        sql<number>`count(r.id) FILTER (WHERE r.status = 'sent')::int`.as('sent'),
        sql<number>`count(r.id) FILTER (WHERE r.status = 'failed')::int`.as('failed'),
      ])
      .where('l.incident_id', '=', incidentId)
      .groupBy(['l.id', 'l.language', 'l.subject', 'l.body', 'l.created_by', 'l.created_at'])
      .orderBy('l.created_at')
      .execute();
  },

  recipientForSending(db: Q, id: string) {
    return db
      .selectFrom('security_incident_recipients as r')
      .innerJoin('security_incident_letters as l', 'l.id', 'r.letter_id')
      .select(['r.id', 'r.email', 'r.status', 'r.letter_id', 'l.incident_id', 'l.subject', 'l.body'])
      .where('r.id', '=', id)
      .executeTakeFirst();
  },

  async markRecipient(
    trx: Q,
    id: string,
    set: {
      status: 'sent' | 'failed';
      message_id?: string | null;
      error?: string | null;
      sent_at?: Date | null;
    },
  ): Promise<void> {
    await trx.updateTable('security_incident_recipients').set(set).where('id', '=', id).execute();
  },

  async rules(db: Q): Promise<IncidentRules | undefined> {
    const row = await db
      .selectFrom('security_incident_rules')
      .select('rules')
      .where('id', '=', 1)
      .executeTakeFirst();
    return row?.rules;
  },

  async saveRules(trx: Q, rules: IncidentRules, updatedBy: string, at: Date): Promise<void> {
    await trx
      .insertInto('security_incident_rules')
      .values({ id: 1, rules: JSON.stringify(rules), updated_by: updatedBy, updated_at: at })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ rules: JSON.stringify(rules), updated_by: updatedBy, updated_at: at }),
      )
      .execute();
  },
};
