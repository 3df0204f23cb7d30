import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../kernel/db/index.ts';
import type { AlertState, MonitoringTables } from './monitoring.tables.ts';

/** The platform's tables and this area's own (the shared Database interface does not list them). */
export type MonitoringDb = Database & MonitoringTables;
export type Executor = Kysely<MonitoringDb> | Transaction<MonitoringDb>;

export type AlertRow = Awaited<ReturnType<typeof monitoringRepository.alert>> & object;

/** Evidence entries kept per count: enough to open the log at the right place, not a copy of it. */
const SAMPLES = 5;

export interface CountInput {
  day: string;
  kind: string;
  subject: string;
  object: string;
  detail: string;
  organizationId: string;
  count: number;
  samples: number[];
}

export interface NewAlert {
  rule: string;
  severity: string;
  organizationId: string | null;
  subjectType: string;
  subjectId: string;
  objectType: string | null;
  objectId: string | null;
  windowStart: Date;
  windowEnd: Date;
  dedupKey: string;
  evidence: Record<string, unknown>;
}

function samples(values: readonly (string | number | null)[] | null): number[] {
  return (values ?? []).filter((v) => v !== null).map(Number);
}

export const monitoringRepository = {
  async cursor(db: Executor, source: string, lock: boolean): Promise<number> {
    let query = db.selectFrom('security_monitoring_cursors').select('position').where('source', '=', source);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.position);
  },

  async setCursor(db: Executor, source: string, position: number): Promise<void> {
    await db
      .updateTable('security_monitoring_cursors')
      .set({ position })
      .where('source', '=', source)
      .execute();
  },

  async ledgerPage(db: Executor, after: number, limit: number) {
    const rows = await db
      .selectFrom('ledger_entries')
      .select(['idx', 'entry'])
      .where('idx', '>', after)
      .orderBy('idx')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ idx: Number(r.idx), entry: r.entry }));
  },

  async addCounts(db: Executor, counts: readonly CountInput[]): Promise<void> {
    if (counts.length === 0) return;
    await db
      .insertInto('security_monitoring_counts')
      .values(
        counts.map((c) => ({
          day: c.day,
          kind: c.kind,
          subject: c.subject,
          object: c.object,
          detail: c.detail,
          organization_id: c.organizationId,
          count: c.count,
          sample_entries: c.samples.slice(0, SAMPLES),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['day', 'kind', 'subject', 'object', 'detail']).doUpdateSet({
          count: sql`security_monitoring_counts.count + excluded.count`,
          sample_entries: sql`(security_monitoring_counts.sample_entries || excluded.sample_entries)[1:${sql.lit(SAMPLES)}]`,
        }),
      )
      .execute();
  },

  /** Counts of `kind` per day, caller and table (optionally only some details), with their evidence. */
  async grouped(db: Executor, kind: string, days: readonly string[], details?: readonly string[]) {
    let query = db
      .selectFrom('security_monitoring_counts')
      .select([
        sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
        'subject',
        'object',
        sql<string>`max(organization_id)`.as('organization_id'),
        sql<string>`sum(count)`.as('n'),
        sql<string[]>`array_agg(DISTINCT detail)`.as('details'),
        sql<(string | null)[]>`(array_agg(sample_entries[1]))[1:5]`.as('samples'),
      ])
      .where('kind', '=', kind)
      .where('day', 'in', [...days]);
    if (details !== undefined) query = query.where('detail', 'in', [...details]);
    const rows = await query.groupBy(['day', 'subject', 'object']).execute();
    return rows.map((r) => ({
      day: r.day,
      subject: r.subject,
      object: r.object,
      organizationId: r.organization_id,
      count: Number(r.n),
      details: (r.details ?? []).filter((d) => d !== ''),
      samples: samples(r.samples),
    }));
  },

  /** Totals of `kind` per day and caller (over all tables) or per day and table (over all callers). */
  async totals(db: Executor, kind: string, days: readonly string[], by: 'subject' | 'object') {
    const rows = await db
      .selectFrom('security_monitoring_counts')
      .select([
        sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
        sql<string>`${sql.ref(by)}`.as('key'),
        sql<string>`sum(count)`.as('n'),
        sql<(string | null)[]>`(array_agg(sample_entries[1] ORDER BY count DESC))[1:5]`.as('samples'),
        sql<
          string[]
        >`(array_agg(${sql.ref(by === 'subject' ? 'object' : 'subject')} ORDER BY count DESC))[1:5]`.as(
          'others',
        ),
        sql<string>`(array_agg(organization_id ORDER BY count DESC))[1]`.as('organization_id'),
      ])
      .where('kind', '=', kind)
      .where('day', 'in', [...days])
      .groupBy(['day', sql.ref(by)])
      .execute();
    return rows.map((r) => ({
      day: r.day,
      key: r.key,
      count: Number(r.n),
      samples: samples(r.samples),
      others: [...new Set(r.others ?? [])],
      organizationId: r.organization_id,
    }));
  },

  /** Daily totals of `kind` per caller or per table between two days (inclusive): the history of each. */
  async dailyTotals(
    db: Executor,
    kind: string,
    by: 'subject' | 'object',
    keys: readonly string[],
    from: string,
    to: string,
  ) {
    if (keys.length === 0) return new Map<string, number[]>();
    const rows = await db
      .selectFrom('security_monitoring_counts')
      .select([sql<string>`${sql.ref(by)}`.as('key'), sql<string>`sum(count)`.as('n')])
      .where('kind', '=', kind)
      .where(sql.ref(by), 'in', [...keys])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .groupBy(['day', sql.ref(by)])
      .execute();
    const out = new Map<string, number[]>();
    for (const r of rows) {
      const list = out.get(r.key) ?? [];
      list.push(Number(r.n));
      out.set(r.key, list);
    }
    return out;
  },

  async copySignIns(
    db: Executor,
    rows: readonly { id: number; username: string; address: string; failed_at: Date }[],
  ) {
    if (rows.length === 0) return;
    await db
      .insertInto('security_monitoring_sign_ins')
      .values(
        rows.map((r) => ({ id: r.id, username: r.username, address: r.address, failed_at: r.failed_at })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  },

  /** Failed sign-ins per aligned window since `since`, by account or by address, at or above `min`. */
  async signInBursts(
    db: Executor,
    by: 'account' | 'address',
    windowMinutes: number,
    since: Date,
    min: number,
  ) {
    const key = by === 'account' ? sql<string>`lower(username)` : sql<string>`address`;
    const bucket = sql<string>`floor(extract(epoch from failed_at) / ${sql.lit(windowMinutes * 60)})::bigint`;
    const rows = await db
      .selectFrom('security_monitoring_sign_ins')
      .select([
        key.as('key'),
        bucket.as('bucket'),
        sql<string>`count(*)`.as('n'),
        sql<string[]>`(array_agg(id ORDER BY id))[1:5]`.as('samples'),
        sql<
          string[]
        >`(array_agg(DISTINCT ${by === 'account' ? sql`address` : sql`lower(username)`}))[1:10]`.as('others'),
      ])
      .where('failed_at', '>=', since)
      .groupBy([key, bucket])
      .having(sql`count(*)`, '>=', min)
      .execute();
    return rows.map((r) => ({
      key: r.key,
      bucket: Number(r.bucket),
      count: Number(r.n),
      samples: (r.samples ?? []).map(Number),
      others: r.others ?? [],
    }));
  },

  async addTokenUses(
    db: Executor,
    rows: readonly { minute: Date; token: string; holder: string; address: string; count: number }[],
  ): Promise<void> {
    // Five parameters a row: chunks stay far below PostgreSQL's 65,535 parameters a statement.
    for (let at = 0; at < rows.length; at += 5_000)
      await db
        .insertInto('security_monitoring_token_uses')
        .values(rows.slice(at, at + 5_000).map((r) => ({ ...r })))
        .onConflict((oc) =>
          oc
            .columns(['minute', 'token', 'address'])
            .doUpdateSet({ count: sql`security_monitoring_token_uses.count + excluded.count` }),
        )
        .execute();
  },

  async tokenSpread(db: Executor, windowMinutes: number, since: Date, min: number) {
    const bucket = sql<string>`floor(extract(epoch from minute) / ${sql.lit(windowMinutes * 60)})::bigint`;
    const rows = await db
      .selectFrom('security_monitoring_token_uses')
      .select([
        'token',
        sql<string>`max(holder)`.as('holder'),
        bucket.as('bucket'),
        sql<string>`count(DISTINCT address)`.as('addresses'),
        sql<string>`sum(count)`.as('uses'),
        sql<string[]>`(array_agg(DISTINCT address))[1:20]`.as('list'),
      ])
      .where('minute', '>=', since)
      .groupBy(['token', bucket])
      .having(sql`count(DISTINCT address)`, '>=', min)
      .execute();
    return rows.map((r) => ({
      token: r.token,
      holder: r.holder,
      bucket: Number(r.bucket),
      addresses: Number(r.addresses),
      uses: Number(r.uses),
      list: r.list ?? [],
    }));
  },

  async settings(db: Executor) {
    return db
      .selectFrom('security_monitoring_settings')
      .selectAll()
      .where('key', '=', 'thresholds')
      .executeTakeFirst();
  },

  async saveSettings(db: Executor, settings: unknown, by: string): Promise<void> {
    await db
      .insertInto('security_monitoring_settings')
      .values({
        key: 'thresholds',
        settings: JSON.stringify(settings),
        updated_by: by,
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          settings: (eb) => eb.ref('excluded.settings'),
          updated_by: (eb) => eb.ref('excluded.updated_by'),
          updated_at: (eb) => eb.ref('excluded.updated_at'),
        }),
      )
      .execute();
  },

  /** Inserts the alert unless the same breach in the same window already has one; the new row or nothing. */
  async insertAlert(db: Executor, alert: NewAlert) {
    return db
      .insertInto('security_monitoring_alerts')
      .values({
        rule: alert.rule,
        severity: alert.severity as 'low',
        organization_id: alert.organizationId,
        subject_type: alert.subjectType,
        subject_id: alert.subjectId,
        object_type: alert.objectType,
        object_id: alert.objectId,
        window_start: alert.windowStart,
        window_end: alert.windowEnd,
        dedup_key: alert.dedupKey,
        evidence: JSON.stringify(alert.evidence),
        state: 'open',
        updated_at: new Date(),
      })
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  async alertKeyExists(db: Executor, dedupKey: string): Promise<boolean> {
    const row = await db
      .selectFrom('security_monitoring_alerts')
      .select('id')
      .where('dedup_key', '=', dedupKey)
      .executeTakeFirst();
    return row !== undefined;
  },

  async alert(db: Executor, id: string, lock = false) {
    let query = db.selectFrom('security_monitoring_alerts').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst();
  },

  async listAlerts(
    db: Executor,
    filter: {
      state?: string | undefined;
      rule?: string | undefined;
      organizationId?: string | undefined;
      /** Only these organisations' alerts (an organisation's admins); undefined: all. */
      within?: readonly string[] | undefined;
      offset: number;
      limit: number;
    },
  ) {
    let query = db.selectFrom('security_monitoring_alerts');
    if (filter.state !== undefined) query = query.where('state', '=', filter.state as AlertState);
    if (filter.rule !== undefined) query = query.where('rule', '=', filter.rule);
    if (filter.organizationId !== undefined)
      query = query.where('organization_id', '=', filter.organizationId);
    if (filter.within !== undefined) {
      const within = [...filter.within];
      query =
        within.length === 0 ? query.where(sql<boolean>`false`) : query.where('organization_id', 'in', within);
    }
    const [rows, total] = await Promise.all([
      query
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute(),
      query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  },

  async setState(
    db: Executor,
    id: string,
    change: { state: AlertState; note: string | null; by: string; incidentId?: string },
  ) {
    return db
      .updateTable('security_monitoring_alerts')
      .set({
        state: change.state,
        note: change.note,
        handled_by: change.by,
        updated_at: new Date(),
        ...(change.incidentId === undefined ? {} : { incident_id: change.incidentId }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async openCounts(db: Executor) {
    return db
      .selectFrom('security_monitoring_alerts')
      .select([sql<string>`coalesce(organization_id, '')`.as('org'), sql<string>`count(*)`.as('n')])
      .where('state', 'in', ['open', 'acknowledged'])
      .groupBy(sql`coalesce(organization_id, '')`)
      .execute();
  },

  async insertNotifications(db: Executor, alertId: string, userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    return db
      .insertInto('security_monitoring_notifications')
      .values(userIds.map((u) => ({ alert_id: alertId, user_id: u, read_at: null })))
      .returning(['id', 'user_id'])
      .execute();
  },

  async notification(db: Executor, id: string) {
    return db
      .selectFrom('security_monitoring_notifications as n')
      .innerJoin('security_monitoring_alerts as a', 'a.id', 'n.alert_id')
      .select([
        'n.id',
        'n.user_id',
        'a.id as alert_id',
        'a.rule',
        'a.severity',
        'a.subject_type',
        'a.subject_id',
      ])
      .select(['a.object_id', 'a.window_start', 'a.window_end', 'a.evidence', 'a.organization_id'])
      .where('n.id', '=', id)
      .executeTakeFirst();
  },

  async notificationsOf(db: Executor, userId: string, limit: number) {
    const [rows, unread] = await Promise.all([
      db
        .selectFrom('security_monitoring_notifications as n')
        .innerJoin('security_monitoring_alerts as a', 'a.id', 'n.alert_id')
        .select(['n.id', 'n.alert_id', 'n.created_at', 'n.read_at', 'a.rule', 'a.severity', 'a.state'])
        .where('n.user_id', '=', userId)
        .orderBy('n.created_at', 'desc')
        .limit(limit)
        .execute(),
      db
        .selectFrom('security_monitoring_notifications')
        .select(sql<string>`count(*)`.as('n'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, unread: Number(unread.n) };
  },

  async markRead(db: Executor, id: string, userId: string): Promise<boolean> {
    const result = await db
      .updateTable('security_monitoring_notifications')
      .set({ read_at: new Date() })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },
};
