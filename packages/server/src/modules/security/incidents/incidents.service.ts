import type { Kysely, Transaction } from 'kysely';
import type { Ledger } from '../../../kernel/audit/index.ts';
import { type Actor, requirePermission, systemActor } from '../../../kernel/auth/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import {
  ConflictError,
  DatapolisError,
  type FieldError,
  NotFoundError,
  ValidationError,
} from '../../../kernel/errors.ts';
import { type JobContext, JobFailedForGoodError, type Jobs } from '../../../kernel/jobs/index.ts';
import { type Mailer, MailRejectedError } from '../../../kernel/mail/index.ts';
import { type CatalogService, type Grade, gradeRank, type LocalizedText } from '../../catalog/index.ts';
import { type ComposedLetter, composeLetter } from './incidents.letter.ts';
import {
  canMove,
  DEFAULT_INCIDENT_RULES,
  deadlineFor,
  emptyNotice,
  type IncidentKind,
  type IncidentRules,
  type IncidentState,
  isOverdue,
  type LetterLanguage,
  type NoticeFields,
  proposeSeverity,
  ruleProblems,
  type Severity,
  type TimelineKind,
} from './incidents.model.ts';
import {
  type IncidentDb,
  type IncidentInsert,
  type IncidentRow,
  incidentRepository as repo,
} from './incidents.repository.ts';

export const INCIDENT_LETTER_JOB = 'security.incident-letter';
const LETTER_ATTEMPTS = 8;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Deliberately plain: one @, no spaces, a dot in the domain. The SMTP server has the last word.
const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
/** A detection time a little ahead of this server's clock is a clock difference, not a mistake. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface IncidentOrganization {
  id: string;
  name: string;
  nameEn: string | null;
}

export interface IncidentDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  jobs: Pick<Jobs, 'enqueue'>;
  mailer: Mailer;
  catalog: Pick<CatalogService, 'openingHistory'>;
  organizations: () => Promise<IncidentOrganization[]>;
  now?: () => Date;
}

/** What a recorder writes; an alert that becomes an incident passes its id as `fromAlertId`. */
export interface OpenIncidentInput {
  organizationId: string;
  kind: IncidentKind;
  title: string;
  description: string;
  entryCodes?: string[] | undefined;
  peopleAffected: number;
  cii: boolean;
  /** Omitted: the severity the rules propose. */
  severity?: Severity | undefined;
  detectedAt: string;
  remediation?: string | undefined;
  notice?: Partial<NoticeFields> | undefined;
  fromAlertId?: string | undefined;
}

export type IncidentChanges = Partial<
  Pick<
    OpenIncidentInput,
    | 'title'
    | 'description'
    | 'entryCodes'
    | 'peopleAffected'
    | 'cii'
    | 'severity'
    | 'detectedAt'
    | 'remediation'
  >
> & { notice?: Partial<NoticeFields> | undefined; kind?: IncidentKind | undefined };

export interface DataConcerned {
  code: string;
  title: LocalizedText;
  grade: string;
}

export interface Incident {
  id: string;
  organizationId: string;
  organizationName: LocalizedText;
  kind: IncidentKind;
  title: string;
  description: string;
  entryCodes: string[];
  dataGrade: string | null;
  peopleAffected: number;
  cii: boolean;
  severity: Severity;
  proposedSeverity: Severity;
  detectedAt: string;
  reportRequired: boolean;
  deadlineAt: string | null;
  deadlineRule: string | null;
  reportedAt: string | null;
  reportReference: string | null;
  overdue: boolean;
  state: IncidentState;
  remediation: string;
  notice: NoticeFields;
  fromAlertId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IncidentTask {
  id: string;
  title: string;
  assignee: string | null;
  dueDate: string | null;
  done: boolean;
  doneAt: string | null;
}

export interface IncidentLetter {
  id: string;
  language: LetterLanguage;
  subject: string;
  text: string;
  createdAt: string;
  recipients: number;
  sent: number;
  failed: number;
}

export interface IncidentDetail extends Incident {
  dataConcerned: DataConcerned[];
  timeline: { id: string; at: string; author: string; kind: TimelineKind; text: string }[];
  tasks: IncidentTask[];
  letters: IncidentLetter[];
}

function unprocessable(code: string, message: string, errors: FieldError[]): DatapolisError {
  return new DatapolisError(code, 422, message, { errors });
}

function authorOf(actor: Actor): string {
  if (actor.kind === 'user') return actor.username;
  if (actor.kind === 'system') return `system:${actor.name}`;
  return 'anonymous';
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export function createIncidentService(deps: IncidentDeps) {
  const db = deps.db.withTables<Omit<IncidentDb, keyof Database>>() as Kysely<IncidentDb>;
  const { ledger, jobs, mailer } = deps;
  const now = deps.now ?? (() => new Date());

  // The ledger writes into the same transaction; its signature knows only the kernel's tables.
  const asKernel = (trx: Transaction<IncidentDb>) => trx as unknown as Transaction<Database>;

  async function organizationMap(): Promise<Map<string, IncidentOrganization>> {
    return new Map((await deps.organizations()).map((o) => [o.id, o]));
  }

  function nameOf(org: IncidentOrganization | undefined, id: string): LocalizedText {
    if (org === undefined) return { zh: id };
    return org.nameEn === null ? { zh: org.name } : { zh: org.name, en: org.nameEn };
  }

  function notFound(id: string): NotFoundError {
    return new NotFoundError('SECURITY_INCIDENT_NOT_FOUND', `No incident ${id} is visible to you.`);
  }

  /** Operators, auditors and security officers read all; an organisation's admins its own. */
  function readable(actor: Actor): 'all' | string[] {
    if (actor.kind === 'system') return 'all';
    if (actor.kind !== 'user') return [];
    if (actor.platformRoles.some((r) => r === 'operator' || r === 'auditor' || r === 'security_officer'))
      return 'all';
    return [...actor.memberships].filter(([, role]) => role === 'admin').map(([id]) => id);
  }

  /** Operators and security officers may name any organisation's data in an incident; admins their own. */
  function anyOrganization(actor: Actor): boolean {
    if (actor.kind === 'system') return true;
    return (
      actor.kind === 'user' && actor.platformRoles.some((r) => r === 'operator' || r === 'security_officer')
    );
  }

  async function currentRules(): Promise<IncidentRules> {
    return (await repo.rules(db)) ?? DEFAULT_INCIDENT_RULES;
  }

  // ---- Views -------------------------------------------------------------------------------------

  function view(row: IncidentRow, orgs: Map<string, IncidentOrganization>, at: Date): Incident {
    return {
      id: row.id,
      organizationId: row.organization_id,
      organizationName: nameOf(orgs.get(row.organization_id), row.organization_id),
      kind: row.kind,
      title: row.title,
      description: row.description,
      entryCodes: row.entry_codes,
      dataGrade: row.data_grade,
      peopleAffected: row.people_affected,
      cii: row.cii,
      severity: row.severity,
      proposedSeverity: row.proposed_severity,
      detectedAt: row.detected_at.toISOString(),
      reportRequired: row.deadline_at !== null,
      deadlineAt: row.deadline_at?.toISOString() ?? null,
      deadlineRule: row.deadline_rule,
      reportedAt: row.reported_at?.toISOString() ?? null,
      reportReference: row.report_reference,
      overdue: isOverdue(row.deadline_at, row.reported_at, at),
      state: row.state,
      remediation: row.remediation,
      notice: { ...emptyNotice(), ...row.notice },
      fromAlertId: row.from_alert_id,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /**
   * An incident's details as the actor may read them: an entry of another organisation (which only a
   * platform role can name) shows its code alone to a reader who does not read across organisations.
   */
  async function detail(row: IncidentRow, actor: Actor): Promise<IncidentDetail> {
    const acrossOrganizations = readable(actor) === 'all';
    const [events, tasks, letters, histories, orgs] = await Promise.all([
      repo.events(db, row.id),
      repo.tasks(db, row.id),
      repo.letters(db, row.id),
      deps.catalog.openingHistory(row.entry_codes),
      organizationMap(),
    ]);
    return {
      ...view(row, orgs, now()),
      dataConcerned: row.entry_codes.map((code) => {
        const found = histories.get(code);
        const h = acrossOrganizations || found?.organizationId === row.organization_id ? found : undefined;
        return { code, title: h?.title ?? { zh: code }, grade: h?.grade ?? 'unknown' };
      }),
      timeline: events.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        author: e.author,
        kind: e.kind,
        text: e.text,
      })),
      tasks: tasks.map((t) => ({
        id: t.id,
        title: t.title,
        assignee: t.assignee,
        dueDate: t.due_date,
        done: t.done_at !== null,
        doneAt: t.done_at?.toISOString() ?? null,
      })),
      letters: letters.map((l) => ({
        id: l.id,
        language: l.language,
        subject: l.subject,
        text: l.body,
        createdAt: l.created_at.toISOString(),
        recipients: l.recipients,
        sent: l.sent,
        failed: l.failed,
      })),
    };
  }

  // ---- Checks ------------------------------------------------------------------------------------

  /**
   * The entries must exist and, unless the actor holds a platform role, belong to the incident's
   * organisation; the incident's data grade is the highest of theirs. Another organisation's entry is
   * refused exactly like a code that does not exist, so the answer reveals nothing about it.
   */
  async function gradeOf(
    actor: Actor,
    organizationId: string,
    codes: readonly string[],
    path: string,
  ): Promise<string | null> {
    if (codes.length === 0) return null;
    const histories = await deps.catalog.openingHistory(codes);
    const any = anyOrganization(actor);
    const unknown = codes.flatMap((code, i) =>
      histories.has(code) && (any || histories.get(code)!.organizationId === organizationId)
        ? []
        : [{ path: `${path}/${i}`, message: `No catalog entry has the code ${code}.` }],
    );
    if (unknown.length > 0)
      throw unprocessable(
        'SECURITY_INCIDENT_UNKNOWN_ENTRY',
        'Some data named is not in the catalog.',
        unknown,
      );
    let grade: Grade | null = null;
    for (const code of codes) {
      const g = histories.get(code)!.grade;
      if (grade === null || gradeRank(g) < gradeRank(grade)) grade = g;
    }
    return grade;
  }

  function detectedAt(value: string): Date {
    const at = new Date(value);
    if (Number.isNaN(at.getTime()))
      throw new ValidationError('detectedAt is not a date and time.', [
        { path: '/detectedAt', message: 'An ISO 8601 date and time.' },
      ]);
    if (at.getTime() > now().getTime() + CLOCK_SKEW_MS)
      throw new ValidationError('An incident cannot be detected in the future.', [
        { path: '/detectedAt', message: 'Not after now.' },
      ]);
    return at;
  }

  function normaliseCodes(codes: readonly string[] | undefined): string[] {
    return [...new Set((codes ?? []).map((c) => c.trim()).filter((c) => c !== ''))];
  }

  function normaliseNotice(base: NoticeFields, patch: Partial<NoticeFields> | undefined): NoticeFields {
    const out = { ...base };
    for (const [k, v] of Object.entries(patch ?? {}))
      if (typeof v === 'string' && k in out) out[k as keyof NoticeFields] = v.trim();
    return out;
  }

  async function rowFor(actor: Actor, id: string, permission: string): Promise<IncidentRow> {
    const row = UUID.test(id) ? await repo.incidentById(db, id) : undefined;
    const can = readable(actor);
    if (row === undefined || (can !== 'all' && !can.includes(row.organization_id))) {
      // An admin of another organisation learns nothing about the incident, not even that it exists.
      requirePermission(actor, permission);
      throw notFound(id);
    }
    requirePermission(actor, permission, { organizationId: row.organization_id });
    return row;
  }

  async function lock(trx: Transaction<IncidentDb>, id: string): Promise<IncidentRow> {
    const row = await repo.incidentById(trx, id, true);
    if (row === undefined) throw notFound(id);
    return row;
  }

  function objects(row: Pick<IncidentRow, 'id' | 'organization_id'>) {
    return [
      { type: 'security-incident', id: row.id },
      { type: 'organization', id: row.organization_id },
    ];
  }

  async function loadDetail(id: string, actor: Actor): Promise<IncidentDetail> {
    const row = await repo.incidentById(db, id);
    if (row === undefined) throw notFound(id);
    return detail(row, actor);
  }

  // ---- Rules -------------------------------------------------------------------------------------

  async function rules(actor: Actor): Promise<{ rules: IncidentRules; defaults: IncidentRules }> {
    requirePermission(actor, 'security:incidents:read');
    return { rules: await currentRules(), defaults: DEFAULT_INCIDENT_RULES };
  }

  /** Replaces the rules; they apply to incidents recorded or edited from now on. */
  async function setRules(
    actor: Actor,
    next: IncidentRules,
  ): Promise<{ rules: IncidentRules; defaults: IncidentRules }> {
    requirePermission(actor, 'security:incidents:rules');
    const problems = ruleProblems(next);
    if (problems.length > 0)
      throw unprocessable(
        'SECURITY_INCIDENT_RULES_INVALID',
        'The incident rules do not make sense.',
        problems,
      );
    await db.transaction().execute(async (trx) => {
      await repo.saveRules(trx, next, authorOf(actor), now());
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident-rules.replaced',
        objects: [{ type: 'security-incident-rules', id: 'current' }],
        content: next,
        details: { deadlines: next.deadlines.map((d) => d.hours) },
      });
    });
    return { rules: next, defaults: DEFAULT_INCIDENT_RULES };
  }

  // ---- Reading -----------------------------------------------------------------------------------

  async function list(
    actor: Actor,
    filter: {
      organizationId?: string | undefined;
      state?: IncidentState | undefined;
      overdue?: boolean | undefined;
    },
  ): Promise<Incident[]> {
    requirePermission(actor, 'security:incidents:read');
    const can = readable(actor);
    let organizationIds = can === 'all' ? undefined : can;
    if (filter.organizationId !== undefined)
      organizationIds = can === 'all' || can.includes(filter.organizationId) ? [filter.organizationId] : [];
    const rows = await repo.listIncidents(db, { organizationIds, state: filter.state });
    const orgs = await organizationMap();
    const at = now();
    const views = rows.map((r) => view(r, orgs, at));
    return filter.overdue === undefined ? views : views.filter((v) => v.overdue === filter.overdue);
  }

  async function get(actor: Actor, id: string): Promise<IncidentDetail> {
    return detail(await rowFor(actor, id, 'security:incidents:read'), actor);
  }

  // ---- Writing -----------------------------------------------------------------------------------

  /**
   * The incident already opened from the alert, as the answer to opening it again (one incident per
   * alert). One of another organisation is a conflict, named only to a reader across organisations.
   */
  async function existingFromAlert(
    actor: Actor,
    input: OpenIncidentInput,
    row: IncidentRow | undefined,
  ): Promise<IncidentDetail | undefined> {
    if (row === undefined) return undefined;
    if (row.organization_id !== input.organizationId)
      throw new ConflictError(
        'SECURITY_INCIDENT_ALERT_TAKEN',
        `Alert ${input.fromAlertId} is already recorded as an incident of another organisation.`,
        readable(actor) === 'all' ? { incidentId: row.id } : {},
      );
    return detail(row, actor);
  }

  /** Records an incident (from a form, or from a monitoring alert with `fromAlertId`). */
  async function open(actor: Actor, input: OpenIncidentInput): Promise<IncidentDetail> {
    requirePermission(actor, 'security:incidents:manage', { organizationId: input.organizationId });
    return record(actor, input);
  }

  /** Records an incident; the caller has checked that the actor may. An alert gives one incident only. */
  async function record(actor: Actor, input: OpenIncidentInput): Promise<IncidentDetail> {
    const alertId = input.fromAlertId;
    if (alertId !== undefined) {
      const existing = await existingFromAlert(actor, input, await repo.incidentByAlert(db, alertId));
      if (existing !== undefined) return existing;
    }
    const orgs = await organizationMap();
    if (!orgs.has(input.organizationId))
      throw new ValidationError('The organisation is not registered.', [
        { path: '/organizationId', message: `No organisation has id ${input.organizationId}.` },
      ]);
    const codes = normaliseCodes(input.entryCodes);
    const dataGrade = await gradeOf(actor, input.organizationId, codes, '/entryCodes');
    const at = detectedAt(input.detectedAt);
    const ruleSet = await currentRules();
    const proposal = proposeSeverity(ruleSet, { peopleAffected: input.peopleAffected, dataGrade });
    const severity = input.severity ?? proposal.severity;
    const deadline = deadlineFor(ruleSet, { severity, cii: input.cii, detectedAt: at });
    const id = await db.transaction().execute(async (trx) => {
      const values: IncidentInsert = {
        organization_id: input.organizationId,
        kind: input.kind,
        title: input.title.trim(),
        description: input.description.trim(),
        entry_codes: codes,
        data_grade: dataGrade,
        people_affected: input.peopleAffected,
        cii: input.cii,
        severity,
        proposed_severity: proposal.severity,
        detected_at: at,
        deadline_at: deadline?.at ?? null,
        deadline_rule: deadline?.rule ?? null,
        state: 'open',
        remediation: input.remediation?.trim() ?? '',
        notice: normaliseNotice(emptyNotice(), input.notice),
        from_alert_id: alertId ?? null,
        created_by: authorOf(actor),
      };
      // Two escalations of one alert at once: the unique index lets one in; the other writes nothing.
      const row =
        alertId === undefined
          ? await repo.insertIncident(trx, values)
          : await repo.insertIncidentFromAlert(trx, { ...values, from_alert_id: alertId });
      if (row === undefined) return undefined;
      const deadlineText =
        deadline === null ? 'no report to the authority required' : `report due within ${deadline.hours} h`;
      await repo.addEvent(
        trx,
        row.id,
        authorOf(actor),
        'created',
        `Recorded as ${severity} (${deadlineText})${input.fromAlertId === undefined ? '' : ` from alert ${input.fromAlertId}`}.`,
      );
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident.opened',
        objects: objects(row),
        content: row,
        details: {
          kind: row.kind,
          severity,
          proposedSeverity: proposal.severity,
          reportRequired: deadline !== null,
          ...(input.fromAlertId === undefined ? {} : { fromAlertId: input.fromAlertId }),
        },
      });
      return row.id;
    });
    if (id === undefined) {
      const existing = await existingFromAlert(actor, input, await repo.incidentByAlert(db, alertId!));
      if (existing !== undefined) return existing;
      throw new ConflictError('SECURITY_INCIDENT_ALERT_TAKEN', `Alert ${alertId} is already being recorded.`);
    }
    return loadDetail(id, actor);
  }

  async function update(actor: Actor, id: string, changes: IncidentChanges): Promise<IncidentDetail> {
    const before = await rowFor(actor, id, 'security:incidents:manage');
    if (before.state === 'closed')
      throw new ConflictError('SECURITY_INCIDENT_CLOSED', 'A closed incident is no longer changed.');
    const codes = changes.entryCodes === undefined ? before.entry_codes : normaliseCodes(changes.entryCodes);
    const dataGrade =
      changes.entryCodes === undefined
        ? before.data_grade
        : await gradeOf(actor, before.organization_id, codes, '/entryCodes');
    const at = changes.detectedAt === undefined ? before.detected_at : detectedAt(changes.detectedAt);
    // Read before the transaction: on PGlite, its one connection is the transaction's until it ends.
    const ruleSet = await currentRules();
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      if (row.state === 'closed')
        throw new ConflictError('SECURITY_INCIDENT_CLOSED', 'A closed incident is no longer changed.');
      const peopleAffected = changes.peopleAffected ?? row.people_affected;
      const cii = changes.cii ?? row.cii;
      const proposal = proposeSeverity(ruleSet, { peopleAffected, dataGrade });
      // A severity the recorder chose stays chosen; one that followed the proposal follows it still.
      const followed = row.severity === row.proposed_severity;
      const severity = changes.severity ?? (followed ? proposal.severity : row.severity);
      const deadline = deadlineFor(ruleSet, { severity, cii, detectedAt: at });
      const set = {
        ...(changes.kind === undefined ? {} : { kind: changes.kind }),
        ...(changes.title === undefined ? {} : { title: changes.title.trim() }),
        ...(changes.description === undefined ? {} : { description: changes.description.trim() }),
        ...(changes.remediation === undefined ? {} : { remediation: changes.remediation.trim() }),
        entry_codes: codes,
        data_grade: dataGrade,
        people_affected: peopleAffected,
        cii,
        severity,
        proposed_severity: proposal.severity,
        detected_at: at,
        deadline_at: deadline?.at ?? null,
        deadline_rule: deadline?.rule ?? null,
        notice: normaliseNotice({ ...emptyNotice(), ...row.notice }, changes.notice),
        updated_at: now(),
      };
      await repo.updateIncident(trx, row.id, set);
      const changed = Object.keys(changes).filter((k) => changes[k as keyof IncidentChanges] !== undefined);
      const severityText = severity === row.severity ? '' : ` Severity ${row.severity} → ${severity}.`;
      await repo.addEvent(
        trx,
        row.id,
        authorOf(actor),
        'edited',
        `Changed: ${changed.join(', ')}.${severityText}`,
      );
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident.changed',
        objects: objects(row),
        content: set,
        details: { changed, severity },
      });
    });
    return loadDetail(before.id, actor);
  }

  /** Moves the incident forward; an incident whose report was due is closed only once reported. */
  async function move(
    actor: Actor,
    id: string,
    input: { state: IncidentState; note?: string | undefined },
  ): Promise<IncidentDetail> {
    const before = await rowFor(actor, id, 'security:incidents:manage');
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      if (!canMove(row.state, input.state))
        throw new ConflictError(
          'SECURITY_INCIDENT_WRONG_STATE',
          `The incident is ${row.state}: it cannot become ${input.state}.`,
          { state: row.state },
        );
      if (input.state === 'closed' && row.deadline_at !== null && row.reported_at === null)
        throw new ConflictError(
          'SECURITY_INCIDENT_NOT_REPORTED',
          'The report to the authority is required and not recorded as sent: record it before closing.',
        );
      await repo.updateIncident(trx, row.id, { state: input.state, updated_at: now() });
      const note = input.note?.trim();
      await repo.addEvent(
        trx,
        row.id,
        authorOf(actor),
        'state',
        `State ${row.state} → ${input.state}.${note ? ` ${note}` : ''}`,
      );
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident.moved',
        objects: objects(row),
        details: { from: row.state, to: input.state },
      });
    });
    return loadDetail(before.id, actor);
  }

  /** Records that the report to the authority was sent. */
  async function report(
    actor: Actor,
    id: string,
    input: { reportedAt?: string | undefined; reference?: string | undefined },
  ): Promise<IncidentDetail> {
    const before = await rowFor(actor, id, 'security:incidents:manage');
    const at = input.reportedAt === undefined ? now() : new Date(input.reportedAt);
    if (Number.isNaN(at.getTime()) || at.getTime() > now().getTime() + CLOCK_SKEW_MS)
      throw new ValidationError('reportedAt must be a date and time, not in the future.', [
        { path: '/reportedAt', message: 'An ISO 8601 date and time, not after now.' },
      ]);
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      if (row.reported_at !== null)
        throw new ConflictError(
          'SECURITY_INCIDENT_ALREADY_REPORTED',
          'The report is already recorded as sent.',
        );
      if (at.getTime() < row.detected_at.getTime())
        throw new ValidationError('A report cannot precede the detection.', [
          { path: '/reportedAt', message: 'Not before detectedAt.' },
        ]);
      const late = row.deadline_at !== null && at.getTime() > row.deadline_at.getTime();
      await repo.updateIncident(trx, row.id, {
        reported_at: at,
        report_reference: input.reference?.trim() || null,
        updated_at: now(),
      });
      await repo.addEvent(
        trx,
        row.id,
        authorOf(actor),
        'reported',
        `Report sent to the authority at ${at.toISOString()}${late ? ' (after the deadline)' : ''}${input.reference ? `, reference ${input.reference.trim()}` : ''}.`,
      );
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident.reported',
        objects: objects(row),
        details: { late },
      });
    });
    return loadDetail(before.id, actor);
  }

  async function addNote(actor: Actor, id: string, text: string): Promise<IncidentDetail> {
    const before = await rowFor(actor, id, 'security:incidents:manage');
    const note = text.trim();
    if (note === '')
      throw new ValidationError('A note needs some text.', [{ path: '/text', message: 'Empty.' }]);
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      await repo.addEvent(trx, row.id, authorOf(actor), 'note', note);
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident-note.added',
        objects: objects(row),
        content: note,
      });
    });
    return loadDetail(before.id, actor);
  }

  function checkDue(due: string | null | undefined): void {
    if (due !== undefined && due !== null && !isCalendarDate(due))
      throw new ValidationError('dueDate is not a calendar date.', [
        { path: '/dueDate', message: 'YYYY-MM-DD.' },
      ]);
  }

  async function addTask(
    actor: Actor,
    id: string,
    input: { title: string; assignee?: string | null | undefined; dueDate?: string | null | undefined },
  ): Promise<IncidentDetail> {
    const before = await rowFor(actor, id, 'security:incidents:manage');
    checkDue(input.dueDate);
    const title = input.title.trim();
    if (title === '')
      throw new ValidationError('A task needs a title.', [{ path: '/title', message: 'Empty.' }]);
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      const task = await repo.insertTask(trx, {
        incident_id: row.id,
        title,
        assignee: input.assignee?.trim() || null,
        due_date: input.dueDate ?? null,
      });
      await repo.addEvent(trx, row.id, authorOf(actor), 'task', `Task added: ${title}.`);
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident-task.added',
        objects: [...objects(row), { type: 'security-incident-task', id: task.id }],
        content: { title, assignee: input.assignee ?? null, dueDate: input.dueDate ?? null },
      });
    });
    return loadDetail(before.id, actor);
  }

  async function updateTask(
    actor: Actor,
    taskId: string,
    input: {
      title?: string | undefined;
      assignee?: string | null | undefined;
      dueDate?: string | null | undefined;
      done?: boolean | undefined;
    },
  ): Promise<IncidentDetail> {
    const task = UUID.test(taskId) ? await repo.taskById(db, taskId) : undefined;
    if (task === undefined) {
      requirePermission(actor, 'security:incidents:manage');
      throw new NotFoundError('SECURITY_INCIDENT_TASK_NOT_FOUND', `No task ${taskId} is visible to you.`);
    }
    const incident = await rowFor(actor, task.incident_id, 'security:incidents:manage');
    checkDue(input.dueDate);
    if (input.title !== undefined && input.title.trim() === '')
      throw new ValidationError('A task needs a title.', [{ path: '/title', message: 'Empty.' }]);
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, incident.id);
      const doneAt = input.done === undefined ? undefined : input.done ? (task.done_at ?? now()) : null;
      await repo.updateTask(trx, task.id, {
        ...(input.title === undefined ? {} : { title: input.title.trim() }),
        ...(input.assignee === undefined ? {} : { assignee: input.assignee?.trim() || null }),
        ...(input.dueDate === undefined ? {} : { due_date: input.dueDate }),
        ...(doneAt === undefined ? {} : { done_at: doneAt }),
      });
      const what =
        input.done === true && task.done_at === null
          ? `Task done: ${task.title}.`
          : input.done === false && task.done_at !== null
            ? `Task reopened: ${task.title}.`
            : `Task changed: ${task.title}.`;
      await repo.addEvent(trx, row.id, authorOf(actor), 'task', what);
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident-task.changed',
        objects: [...objects(row), { type: 'security-incident-task', id: task.id }],
        content: input,
        ...(input.done === undefined ? {} : { details: { done: input.done } }),
      });
    });
    return loadDetail(incident.id, actor);
  }

  // ---- Letters (PIPL Art. 57) --------------------------------------------------------------------

  async function composeFor(row: IncidentRow, language: LetterLanguage): Promise<ComposedLetter> {
    const org = (await organizationMap()).get(row.organization_id);
    const organizationName =
      language === 'zh-CN'
        ? (org?.name ?? row.organization_id)
        : (org?.nameEn ?? org?.name ?? row.organization_id);
    return composeLetter(
      {
        title: row.title,
        organizationName,
        detectedAt: row.detected_at,
        notice: { ...emptyNotice(), ...row.notice },
      },
      language,
    );
  }

  async function previewLetter(actor: Actor, id: string, language: LetterLanguage): Promise<ComposedLetter> {
    const row = await rowFor(actor, id, 'security:incidents:read');
    return composeFor(row, language);
  }

  /** Queues one message per address, in the transaction that keeps the letter; jobs deliver them. */
  async function sendLetter(
    actor: Actor,
    id: string,
    input: { language: LetterLanguage; recipients: string[] },
  ): Promise<IncidentLetter> {
    const before = await rowFor(actor, id, 'security:incidents:manage');
    const emails = [...new Set(input.recipients.map((r) => r.trim().toLowerCase()).filter((r) => r !== ''))];
    const bad = input.recipients.flatMap((r, i) =>
      r.trim() !== '' && !EMAIL.test(r.trim())
        ? [{ path: `/recipients/${i}`, message: `${r} is not an e-mail address.` }]
        : [],
    );
    if (bad.length > 0) throw new ValidationError('Some recipients are not e-mail addresses.', bad);
    if (emails.length === 0)
      throw new ValidationError('Name at least one recipient.', [{ path: '/recipients', message: 'Empty.' }]);
    const letter = await composeFor(before, input.language);
    if (letter.missing.length > 0)
      throw unprocessable(
        'SECURITY_INCIDENT_LETTER_INCOMPLETE',
        'The letter lacks items PIPL Art. 57 requires: complete the incident first.',
        letter.missing.map((m) => ({
          path: `/notice/${m}`,
          message: 'Required in a notice to the people affected.',
        })),
      );
    if (!mailer.enabled)
      throw new ConflictError(
        'SECURITY_MAIL_DISABLED',
        'No SMTP server is configured: letters cannot be sent.',
      );
    const letterId = await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      const stored = await repo.insertLetter(trx, {
        incident_id: row.id,
        language: input.language,
        subject: letter.subject,
        body: letter.text,
        created_by: authorOf(actor),
      });
      const recipients = await repo.insertRecipients(trx, stored.id, emails);
      for (const r of recipients)
        await jobs.enqueue(asKernel(trx), {
          kind: INCIDENT_LETTER_JOB,
          payload: { recipientId: r.id },
          maxAttempts: LETTER_ATTEMPTS,
        });
      await repo.addEvent(
        trx,
        row.id,
        authorOf(actor),
        'letter',
        `Notification letter (${input.language}) queued to ${emails.length} address(es).`,
      );
      // The log keeps the letter's hash and the number of addresses, never the addresses themselves.
      await ledger.record(asKernel(trx), actor, {
        action: 'security.incident-letter.queued',
        objects: [...objects(row), { type: 'security-incident-letter', id: stored.id }],
        content: { subject: letter.subject, text: letter.text },
        details: { language: input.language, recipients: emails.length },
      });
      return stored.id;
    });
    const letters = await repo.letters(db, before.id);
    const l = letters.find((x) => x.id === letterId)!;
    return {
      id: l.id,
      language: l.language,
      subject: l.subject,
      text: l.body,
      createdAt: l.created_at.toISOString(),
      recipients: l.recipients,
      sent: l.sent,
      failed: l.failed,
    };
  }

  /** The job that mails one letter to one address; each delivery and each refusal is logged. */
  async function runLetter(ctx: JobContext<{ recipientId?: unknown }>): Promise<unknown> {
    const id = ctx.payload.recipientId;
    const r = typeof id === 'string' && UUID.test(id) ? await repo.recipientForSending(db, id) : undefined;
    if (r === undefined) return { sent: false, reason: 'recipient gone' };
    if (r.status !== 'queued') return { sent: r.status === 'sent', reason: 'already handled' };
    const actor = systemActor('incident-letters');
    const log = async (status: 'sent' | 'failed', extra: { message_id?: string; error?: string }) =>
      db.transaction().execute(async (trx) => {
        await repo.markRecipient(trx, r.id, {
          status,
          message_id: extra.message_id ?? null,
          error: extra.error ?? null,
          sent_at: status === 'sent' ? now() : null,
        });
        await ledger.record(asKernel(trx), actor, {
          action:
            status === 'sent' ? 'security.incident-letter.delivered' : 'security.incident-letter.refused',
          objects: [
            { type: 'security-incident', id: r.incident_id },
            { type: 'security-incident-letter', id: r.letter_id },
            { type: 'security-incident-recipient', id: r.id },
          ],
        });
      });
    try {
      const sent = await mailer.send({ to: r.email, subject: r.subject, text: r.body });
      await log('sent', { message_id: sent.messageId });
      return { sent: true, messageId: sent.messageId };
    } catch (error) {
      if (error instanceof MailRejectedError) {
        await log('failed', { error: error.message });
        throw new JobFailedForGoodError(error.message);
      }
      throw error;
    }
  }

  // ---- Export for the authority ------------------------------------------------------------------

  async function exportReport(actor: Actor, id: string) {
    const row = await rowFor(actor, id, 'security:incidents:read');
    const d = await detail(row, actor);
    return {
      format: 'datapolis-incident-report/1',
      generatedAt: now().toISOString(),
      organization: { id: d.organizationId, name: d.organizationName },
      incident: {
        id: d.id,
        kind: d.kind,
        title: d.title,
        description: d.description,
        state: d.state,
        detectedAt: d.detectedAt,
        severity: d.severity,
        proposedSeverity: d.proposedSeverity,
        criticalInformationInfrastructure: d.cii,
        peopleAffected: d.peopleAffected,
      },
      dataConcerned: d.dataConcerned,
      dataGrade: d.dataGrade,
      reporting: {
        required: d.reportRequired,
        deadlineAt: d.deadlineAt,
        rule: d.deadlineRule,
        reportedAt: d.reportedAt,
        reference: d.reportReference,
        overdue: d.overdue,
      },
      cause: d.notice.cause,
      possibleHarm: d.notice.possibleHarm,
      remediation: d.remediation,
      remediesTaken: d.notice.remedies,
      notification: {
        informationTypes: d.notice.informationTypes,
        advice: d.notice.advice,
        contact: d.notice.contact,
        letters: d.letters.map((l) => ({
          language: l.language,
          createdAt: l.createdAt,
          recipients: l.recipients,
          sent: l.sent,
          failed: l.failed,
        })),
      },
      tasks: d.tasks,
      timeline: d.timeline,
    };
  }

  // ---- For the rest of the security module -------------------------------------------------------

  /** Open (not closed) incidents per organisation with the next reporting deadline and the overdue ones. */
  async function openCounts(): Promise<
    Map<string, { open: number; nextDeadline?: string; overdue: number }>
  > {
    const rows = await repo.openCounts(db, now());
    return new Map(
      rows.map((r) => [
        r.organization_id,
        {
          open: Number(r.open),
          overdue: Number(r.overdue),
          ...(r.next_deadline === null ? {} : { nextDeadline: new Date(r.next_deadline).toISOString() }),
        },
      ]),
    );
  }

  /**
   * Turns a monitoring alert into an incident of the alert's organisation; the recorder completes it.
   * Whoever may handle alerts may escalate one (security officers and operators: monitoring has checked
   * the alert is theirs to handle), so an operator records it for the organisation concerned without
   * otherwise managing its incidents. Escalating an alert again answers with the incident it already has.
   * Failed sign-ins (`signin.*`) concern the platform's accounts, not an organisation's data: no
   * organisation's incident is opened for them.
   */
  async function fromAlert(
    actor: Actor,
    alert: {
      id: string;
      rule: string;
      organizationId: string | null;
      evidence: Record<string, unknown>;
      createdAt: string;
    },
  ): Promise<{ incidentId: string }> {
    requirePermission(actor, 'security-alerts:handle');
    if (alert.rule.startsWith('signin.'))
      throw unprocessable(
        'SECURITY_INCIDENT_NO_ORGANIZATION',
        'Failed sign-ins concern the platform, not an organisation: record an incident by hand if data was reached.',
        [{ path: '/organizationId', message: 'A sign-in alert belongs to the platform.' }],
      );
    if (alert.organizationId === null)
      throw unprocessable(
        'SECURITY_INCIDENT_NO_ORGANIZATION',
        'The alert concerns no organisation: record the incident by hand.',
        [{ path: '/organizationId', message: 'The alert names no organisation.' }],
      );
    const incident = await record(actor, {
      organizationId: alert.organizationId,
      // What is left (volumes, reads outside a grant's terms, sensitive fields) is data leaving its holder.
      kind: 'leak',
      title: `Alert ${alert.rule}`,
      description: `Opened from monitoring alert ${alert.id}. Evidence: ${JSON.stringify(alert.evidence)}`,
      peopleAffected: 0,
      cii: false,
      detectedAt: alert.createdAt,
      fromAlertId: alert.id,
    });
    return { incidentId: incident.id };
  }

  return {
    rules,
    setRules,
    list,
    get,
    open,
    /** The same as `open`: what a monitoring alert calls with `fromAlertId`. */
    openIncident: open,
    fromAlert,
    openCounts,
    update,
    move,
    report,
    addNote,
    addTask,
    updateTask,
    previewLetter,
    sendLetter,
    runLetter,
    exportReport,
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
export type IncidentReport = Awaited<ReturnType<IncidentService['exportReport']>>;
