import type { Kysely } from 'kysely';
import type { Ledger } from '../../../kernel/audit/index.ts';
import { type Actor, actorRef, can, requirePermission, systemActor } from '../../../kernel/auth/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import {
  ConflictError,
  DatapolisError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../kernel/errors.ts';
import type { CatalogService, ContactPoint, GradingSubject, LocalizedText } from '../../catalog/index.ts';
import type { IdentityService } from '../../identity/index.ts';
import {
  type DatasetGrading,
  DEFAULT_MATRIX,
  deriveLevels,
  type FieldGrading,
  type GradingMatrix,
  type GradingState,
  isReportable,
  matrixProblems,
  type OfficerRole,
  type ScannerProposal,
} from './grading.model.ts';
import { type GradingRow, type GradingWrite, gradingRepository as repo } from './grading.repository.ts';
import type { StoredField } from './grading.tables.ts';

/**
 * What the dashboard takes from the other areas of the security toolkit (monitoring alerts, incidents),
 * keyed by organisation id. `nextDeadline` is the nearest reporting deadline (ISO time) of an open incident.
 */
export interface SecurityCounts {
  alerts(): Promise<Map<string, { open: number }>>;
  incidents(): Promise<Map<string, { open: number; nextDeadline?: string; overdue: number }>>;
}

export const EMPTY_COUNTS: SecurityCounts = {
  alerts: async () => new Map(),
  incidents: async () => new Map(),
};

export interface GradingDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  catalog: Pick<CatalogService, 'gradingSubjects' | 'regrade'>;
  identity: Pick<IdentityService, 'listOrganizations' | 'listMembers'>;
  counts?: SecurityCounts;
  now?: () => Date;
}

interface Organization {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: string;
}

export interface GradingInput {
  fields: FieldGrading[];
  dataset?: DatasetGrading | null | undefined;
  proposals?: ScannerProposal[] | undefined;
}

const PLATFORM_READERS = ['operator', 'auditor', 'security_officer'] as const;
const EDITABLE: (GradingState | 'none')[] = ['none', 'draft', 'returned', 'confirmed'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actorText(actor: Actor): string {
  const ref = actorRef(actor);
  return `${ref.type}:${ref.id}`;
}

function actorName(actor: Actor): string {
  if (actor.kind === 'user') return actor.username;
  if (actor.kind === 'system') return actor.name;
  return '-';
}

/** Operators, auditors and security officers see every organisation's security work. */
function platformReader(actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  return actor.kind === 'user' && actor.platformRoles.some((r) => PLATFORM_READERS.includes(r as never));
}

function unprocessable(code: string, message: string, errors: FieldError[]): DatapolisError {
  return new DatapolisError(code, 422, message, { errors });
}

function wrongState(state: GradingState | 'none', doing: string): ConflictError {
  return new ConflictError(
    'SECURITY_GRADING_WRONG_STATE',
    state === 'none'
      ? `The entry has no grading yet: it cannot be ${doing}.`
      : `The grading is ${state}: it cannot be ${doing} now.`,
    { state },
  );
}

export function createGradingService(deps: GradingDeps) {
  const { db, ledger } = deps;
  const counts = deps.counts ?? EMPTY_COUNTS;
  const now = deps.now ?? (() => new Date());
  const system = systemActor('security');

  async function organizations(): Promise<Map<string, Organization>> {
    const page = await deps.identity.listOrganizations(undefined, 0, 10_000);
    return new Map(page.items.map((o) => [o.id, o]));
  }

  async function currentOfficers(organizationIds?: readonly string[]) {
    return repo.officers(db, organizationIds);
  }

  /** Organisations whose designated officer (either role) the actor is now. */
  async function designatedIn(actor: Actor, role?: OfficerRole): Promise<Set<string>> {
    if (actor.kind !== 'user') return new Set();
    const rows = await currentOfficers([...actor.memberships.keys()]);
    return new Set(
      rows
        .filter((r) => r.user_id === actor.userId && (role === undefined || r.role === role))
        .map((r) => r.organization_id),
    );
  }

  /** May the actor read an organisation's security overview (dashboard row, important data)? */
  async function overseesOrganization(actor: Actor, organizationId: string): Promise<boolean> {
    if (platformReader(actor)) return true;
    if (actor.kind !== 'user') return false;
    if (actor.memberships.get(organizationId) === 'admin') return true;
    return (await designatedIn(actor)).has(organizationId);
  }

  function memberOf(actor: Actor, organizationId: string): boolean {
    return platformReader(actor) || (actor.kind === 'user' && actor.memberships.has(organizationId));
  }

  /** A platform security officer, or the provider's designated security officer (still a member). */
  async function mayConfirm(actor: Actor, organizationId: string): Promise<boolean> {
    if (actor.kind === 'system') return true;
    if (actor.kind !== 'user') return false;
    if (actor.platformRoles.includes('security_officer')) return true;
    if (!actor.memberships.has(organizationId)) return false;
    return (await designatedIn(actor, 'security-officer')).has(organizationId);
  }

  function entryNotFound(code: string): NotFoundError {
    return new NotFoundError('SECURITY_ENTRY_NOT_FOUND', `No catalog entry ${code} is visible to you.`);
  }

  async function subject(code: string): Promise<GradingSubject | undefined> {
    return (await deps.catalog.gradingSubjects({ codes: [code] }))[0];
  }

  // ---- Matrix ------------------------------------------------------------------------------------

  async function currentMatrix(): Promise<{ version: number; matrix: GradingMatrix }> {
    return (await repo.latestMatrix(db)) ?? { version: 0, matrix: DEFAULT_MATRIX };
  }

  async function matrix(actor: Actor) {
    requirePermission(actor, 'security:read');
    const current = await currentMatrix();
    return { ...current, isDefault: current.version === 0, defaultMatrix: DEFAULT_MATRIX };
  }

  async function replaceMatrix(actor: Actor, input: unknown) {
    requirePermission(actor, 'security:matrix');
    const problems = matrixProblems(input);
    if (problems.length > 0)
      throw unprocessable(
        'SECURITY_MATRIX_INVALID',
        'The grading matrix is not complete and valid.',
        problems,
      );
    const next = input as GradingMatrix;
    await db.transaction().execute(async (trx) => {
      const latest = await repo.latestMatrix(trx);
      const version = (latest?.version ?? 0) + 1;
      await repo.insertMatrix(trx, version, next, actorText(actor));
      await ledger.record(trx, actor, {
        action: 'security.grading.matrix.replaced',
        objects: [{ type: 'security-grading-matrix', id: String(version) }],
        content: next,
        details: { version },
      });
    });
    return matrix(actor);
  }

  // ---- Gradings ----------------------------------------------------------------------------------

  function gradingView(row: GradingRow) {
    return {
      id: row.id,
      state: row.state,
      version: row.version,
      fields: row.fields,
      dataset: row.dataset,
      level: row.level,
      proposals: row.proposals,
      comment: row.comment,
      confirmed:
        row.confirmed_version === null
          ? null
          : {
              version: row.confirmed_version,
              level: row.confirmed_level!,
              by: row.confirmed_by_name ?? row.confirmed_by!,
              at: row.confirmed_at!.toISOString(),
            },
      updatedAt: row.updated_at.toISOString(),
    };
  }

  async function view(actor: Actor, entry: GradingSubject) {
    const row = await repo.gradingByCode(db, entry.code);
    const versions = row === undefined ? [] : await repo.versions(db, row.id);
    const state = row?.state ?? 'none';
    const canGrade =
      EDITABLE.includes(state) && can(actor, 'security:grade', { organizationId: entry.organizationId });
    return {
      entry: {
        code: entry.code,
        title: entry.title,
        organizationId: entry.organizationId,
        state: entry.state,
        version: entry.version,
        grade: entry.grade,
        fields: entry.informationItems.map((i) => ({
          name: i.name,
          ...(i.title === undefined ? {} : { title: i.title }),
          type: i.type,
          grade: i.grade,
          personalInfo: i.personalInfo,
        })),
      },
      grading: row === undefined ? null : gradingView(row),
      versions: versions.map((v) => ({
        version: v.version,
        state: v.state,
        level: v.level,
        fields: v.fields,
        dataset: v.dataset,
        comment: v.comment,
        actor: v.actor,
        ledgerIndex: Number(v.ledger_index),
        at: v.created_at.toISOString(),
      })),
      can: {
        edit: canGrade,
        submit: canGrade && state !== 'confirmed' && state !== 'none',
        confirm: state === 'proposed' && (await mayConfirm(actor, entry.organizationId)),
      },
    };
  }

  async function readableEntry(actor: Actor, code: string): Promise<GradingSubject> {
    requirePermission(actor, 'security:read');
    const entry = await subject(code);
    if (entry === undefined || !memberOf(actor, entry.organizationId)) throw entryNotFound(code);
    return entry;
  }

  async function get(actor: Actor, code: string) {
    return view(actor, await readableEntry(actor, code));
  }

  async function list(
    actor: Actor,
    filter: { organizationId?: string | undefined; state?: GradingState | undefined },
  ) {
    requirePermission(actor, 'security:read');
    let organizationIds: string[] | undefined;
    if (!platformReader(actor)) organizationIds = actor.kind === 'user' ? [...actor.memberships.keys()] : [];
    if (filter.organizationId !== undefined)
      organizationIds =
        organizationIds === undefined || organizationIds.includes(filter.organizationId)
          ? [filter.organizationId]
          : [];
    const rows = await repo.gradings(db, {
      ...(organizationIds === undefined ? {} : { organizationIds }),
      ...(filter.state === undefined ? {} : { states: [filter.state] }),
    });
    const entries = new Map(
      (await deps.catalog.gradingSubjects({ codes: rows.map((r) => r.entry_code) })).map((e) => [e.code, e]),
    );
    return {
      items: rows.map((row) => ({
        entryCode: row.entry_code,
        entryTitle: entries.get(row.entry_code)?.title ?? { zh: row.entry_code },
        organizationId: row.organization_id,
        ...gradingView(row),
      })),
    };
  }

  /** Checks the fields against the entry: each a field of it, once. */
  function checkFields(entry: GradingSubject, input: GradingInput): void {
    const names = new Set(entry.informationItems.map((i) => i.name));
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    input.fields.forEach((f, i) => {
      if (!names.has(f.field))
        errors.push({ path: `/fields/${i}/field`, message: `${entry.code} has no field ${f.field}.` });
      else if (seen.has(f.field))
        errors.push({ path: `/fields/${i}/field`, message: `${f.field} is graded twice.` });
      seen.add(f.field);
    });
    if (errors.length > 0)
      throw unprocessable(
        'SECURITY_GRADING_INVALID',
        'Some graded fields are not fields of the entry.',
        errors,
      );
  }

  /** Before a security officer sees it: every field graded, every assessment explained. */
  function checkComplete(
    entry: GradingSubject,
    fields: readonly StoredField[],
    dataset: DatasetGrading | null,
  ) {
    const graded = new Set(fields.map((f) => f.field));
    const errors: FieldError[] = [];
    for (const item of entry.informationItems)
      if (!graded.has(item.name)) errors.push({ path: '/fields', message: `Grade the field ${item.name}.` });
    fields.forEach((f, i) => {
      if (f.rationale.trim() === '')
        errors.push({ path: `/fields/${i}/rationale`, message: `Say why ${f.field} has this level.` });
    });
    if (dataset !== null && dataset.rationale.trim() === '')
      errors.push({ path: '/dataset/rationale', message: 'Say why the dataset as a whole has this level.' });
    if (errors.length > 0)
      throw unprocessable('SECURITY_GRADING_INCOMPLETE', 'The grading is not complete.', errors);
  }

  function objects(entry: GradingSubject, gradingId: string) {
    return [
      { type: 'security-grading', id: gradingId },
      { type: 'catalog-entry', id: entry.id },
      { type: 'organization', id: entry.organizationId },
    ];
  }

  /** Saves the draft grading of an entry (starting one, or re-grading a confirmed entry). */
  async function saveDraft(actor: Actor, code: string, input: GradingInput) {
    requirePermission(actor, 'security:grade');
    const entry = await subject(code);
    if (entry === undefined || !memberOf(actor, entry.organizationId)) throw entryNotFound(code);
    requirePermission(actor, 'security:grade', { organizationId: entry.organizationId });
    checkFields(entry, input);
    const { matrix: m } = await currentMatrix();
    const dataset = input.dataset ?? null;
    const derived = deriveLevels(m, input.fields, dataset);
    await db.transaction().execute(async (trx) => {
      const current = await repo.gradingByCode(trx, code, true);
      const state = current?.state ?? 'none';
      if (!EDITABLE.includes(state)) throw wrongState(state, 'edited');
      const write: GradingWrite = {
        state: state === 'returned' ? 'returned' : 'draft',
        version: (current?.version ?? 0) + 1,
        fields: derived.fields,
        dataset,
        level: derived.level,
        proposals: input.proposals ?? current?.proposals ?? [],
        comment: state === 'returned' ? (current?.comment ?? null) : null,
        updatedBy: actorText(actor),
      };
      let id: string;
      if (current === undefined) {
        try {
          id = (await repo.insertGrading(trx, code, entry.organizationId, write)).id;
        } catch (error) {
          if ((error as { code?: string }).code === '23505')
            throw new ConflictError(
              'SECURITY_GRADING_EXISTS',
              'Someone started this grading at the same time.',
            );
          throw error;
        }
      } else {
        id = current.id;
        await repo.updateGrading(trx, id, write);
      }
      const index = await ledger.record(trx, actor, {
        action: 'security.grading.drafted',
        objects: objects(entry, id),
        content: { fields: write.fields, dataset, proposals: write.proposals },
        details: { code, version: write.version, level: write.level, regrading: state === 'confirmed' },
      });
      await repo.insertVersion(trx, id, write, index);
    });
    return get(actor, code);
  }

  async function submit(actor: Actor, code: string) {
    requirePermission(actor, 'security:grade');
    const entry = await subject(code);
    if (entry === undefined || !memberOf(actor, entry.organizationId)) throw entryNotFound(code);
    requirePermission(actor, 'security:grade', { organizationId: entry.organizationId });
    const { matrix: m } = await currentMatrix();
    await db.transaction().execute(async (trx) => {
      const current = await repo.gradingByCode(trx, code, true);
      const state = current?.state ?? 'none';
      if (current === undefined || (state !== 'draft' && state !== 'returned'))
        throw wrongState(state, 'proposed');
      // The matrix in force now decides: an operator may have replaced it since the draft.
      const derived = deriveLevels(m, current.fields as FieldGrading[], current.dataset);
      checkComplete(entry, derived.fields, current.dataset);
      const write: GradingWrite = {
        state: 'proposed',
        version: current.version + 1,
        fields: derived.fields,
        dataset: current.dataset,
        level: derived.level,
        proposals: current.proposals,
        comment: null,
        updatedBy: actorText(actor),
      };
      await repo.updateGrading(trx, current.id, write);
      const index = await ledger.record(trx, actor, {
        action: 'security.grading.proposed',
        objects: objects(entry, current.id),
        content: { fields: write.fields, dataset: write.dataset },
        details: { code, version: write.version, level: write.level },
      });
      await repo.insertVersion(trx, current.id, write, index);
    });
    return get(actor, code);
  }

  /** A security officer confirms a proposed grading (it becomes the catalog's) or returns it. */
  async function review(
    actor: Actor,
    code: string,
    decision: { decision: 'confirm' | 'return'; comment?: string | undefined },
  ) {
    requirePermission(actor, 'security:confirm');
    const comment = decision.comment?.trim() || null;
    if (decision.decision === 'return' && comment === null)
      throw new ValidationError('Say what to change when returning a grading.', [
        { path: '/comment', message: 'A comment is required to return a grading.' },
      ]);
    const entry = await subject(code);
    if (entry === undefined || !memberOf(actor, entry.organizationId)) throw entryNotFound(code);
    if (!(await mayConfirm(actor, entry.organizationId)))
      throw new ForbiddenError(
        "Only a security officer (the platform's, or this organisation's designated one) confirms gradings.",
      );
    await db.transaction().execute(async (trx) => {
      const current = await repo.gradingByCode(trx, code, true);
      const state = current?.state ?? 'none';
      if (current === undefined || state !== 'proposed') throw wrongState(state, 'reviewed');
      const base = {
        version: current.version + 1,
        fields: current.fields,
        dataset: current.dataset,
        level: current.level,
        proposals: current.proposals,
        comment,
        updatedBy: actorText(actor),
      };
      if (decision.decision === 'return') {
        const write: GradingWrite = { ...base, state: 'returned' };
        await repo.updateGrading(trx, current.id, write);
        const index = await ledger.record(trx, actor, {
          action: 'security.grading.returned',
          objects: objects(entry, current.id),
          content: { comment },
          details: { code, version: write.version },
        });
        await repo.insertVersion(trx, current.id, write, index);
        return;
      }
      // The entry's fields may have changed since the proposal: a grading that no longer fits is returned.
      const graded = new Set(current.fields.map((f) => f.field));
      const missing = entry.informationItems.filter((i) => !graded.has(i.name)).map((i) => i.name);
      if (missing.length > 0)
        throw new ConflictError(
          'SECURITY_GRADING_STALE',
          `The entry has fields the grading does not cover (${missing.join(', ')}): return it to be completed.`,
          { missing },
        );
      const write: GradingWrite = { ...base, state: 'confirmed' };
      const at = now();
      const catalogVersion = await deps.catalog.regrade(trx, actor, code, {
        fields: Object.fromEntries(current.fields.map((f) => [f.field, f.level])),
        dataset: current.level,
      });
      await repo.updateGrading(trx, current.id, write, {
        level: current.level,
        by: actorText(actor),
        byName: actorName(actor),
        at,
      });
      const index = await ledger.record(trx, actor, {
        action: 'security.grading.confirmed',
        objects: objects(entry, current.id),
        content: { fields: current.fields, dataset: current.dataset, comment },
        details: {
          code,
          version: write.version,
          level: current.level,
          catalogVersion: catalogVersion.version,
          catalogGrade: catalogVersion.grade,
        },
      });
      await repo.insertVersion(trx, current.id, write, index);
    });
    return get(actor, code);
  }

  // ---- Officers (Art. 46, 48) -------------------------------------------------------------------

  function officerView(row: Awaited<ReturnType<typeof repo.officers>>[number]) {
    return {
      role: row.role,
      userId: row.user_id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      appointedBy: row.appointed_by,
      appointedAt: row.appointed_at.toISOString(),
      endedAt: row.ended_at?.toISOString() ?? null,
    };
  }

  function orgNotFound(id: string): NotFoundError {
    return new NotFoundError('SECURITY_ORGANIZATION_NOT_FOUND', `No organisation ${id} is visible to you.`);
  }

  async function officers(actor: Actor, organizationId: string) {
    requirePermission(actor, 'security:read');
    const org = UUID.test(organizationId) ? (await organizations()).get(organizationId) : undefined;
    if (org === undefined || !memberOf(actor, organizationId)) throw orgNotFound(organizationId);
    const rows = await repo.officers(db, [organizationId], true);
    const current = rows.filter((r) => r.ended_at === null);
    const holder = (role: OfficerRole) => {
      const row = current.find((r) => r.role === role);
      return row === undefined ? null : officerView(row);
    };
    return {
      organizationId,
      chiefDataOfficer: holder('chief-data-officer'),
      securityOfficer: holder('security-officer'),
      history: rows.map(officerView),
    };
  }

  async function appoint(
    actor: Actor,
    organizationId: string,
    role: OfficerRole,
    input: { userId: string; name: string; email?: string | undefined; phone?: string | undefined },
  ) {
    requirePermission(actor, 'security:officers');
    const org = UUID.test(organizationId) ? (await organizations()).get(organizationId) : undefined;
    if (org === undefined) throw orgNotFound(organizationId);
    requirePermission(actor, 'security:officers', { organizationId });
    const members = await deps.identity.listMembers(system, organizationId);
    if (!members.items.some((m) => m.userId === input.userId))
      throw unprocessable(
        'SECURITY_OFFICER_NOT_MEMBER',
        'The officer must be a member of the organisation.',
        [{ path: '/userId', message: `User ${input.userId} is not a member of ${org.code}.` }],
      );
    const name = input.name.trim();
    const email = input.email?.trim() || null;
    const phone = input.phone?.trim() || null;
    if (name === '')
      throw new ValidationError('Give the officer’s name.', [{ path: '/name', message: 'Required.' }]);
    if (email === null && phone === null)
      throw new ValidationError('Give a way to reach the officer.', [
        { path: '/email', message: 'An e-mail address or a phone number is required.' },
      ]);
    await db.transaction().execute(async (trx) => {
      const { previous } = await repo.appoint(trx, {
        organizationId,
        role,
        userId: input.userId,
        name,
        email,
        phone,
        appointedBy: actorText(actor),
        at: now(),
      });
      // The log names the people by id only; contact details stay in the table.
      await ledger.record(trx, actor, {
        action: 'security.officer.appointed',
        objects: [
          { type: 'organization', id: organizationId },
          { type: 'user', id: input.userId },
        ],
        details: { role, previous },
      });
    });
    return officers(actor, organizationId);
  }

  // ---- Important data (reported to the authority) ---------------------------------------------

  async function importantData(actor: Actor, organizationId: string) {
    requirePermission(actor, 'security:read');
    const org = UUID.test(organizationId) ? (await organizations()).get(organizationId) : undefined;
    if (org === undefined) throw orgNotFound(organizationId);
    if (!(await overseesOrganization(actor, organizationId)))
      throw new ForbiddenError(
        "The important-data catalog is read by the organisation's admins and officers, security officers, operators and auditors.",
      );
    const rows = await repo.confirmedAt(db, organizationId, ['core', 'important']);
    const entries = new Map(
      (await deps.catalog.gradingSubjects({ codes: rows.map((r) => r.entry_code) })).map((e) => [e.code, e]),
    );
    const current = await repo.officers(db, [organizationId]);
    const contact = (role: OfficerRole) => {
      const row = current.find((r) => r.role === role);
      return row === undefined ? null : { name: row.name, email: row.email, phone: row.phone };
    };
    return {
      organization: { id: org.id, code: org.code, name: org.name, nameEn: org.nameEn },
      generatedAt: now().toISOString(),
      chiefDataOfficer: contact('chief-data-officer'),
      securityOfficer: contact('security-officer'),
      items: rows
        .filter((r) => isReportable(r.confirmed_level!))
        .map((r) => {
          const entry = entries.get(r.entry_code);
          const titles = new Map(entry?.informationItems.map((i) => [i.name, i.title]) ?? []);
          return {
            entryCode: r.entry_code,
            entryTitle: entry?.title ?? ({ zh: r.entry_code } as LocalizedText),
            level: r.confirmed_level!,
            dataset: r.dataset,
            fields: r.fields.map((f) => ({
              ...f,
              ...(titles.get(f.field) ? { title: titles.get(f.field)! } : {}),
            })),
            contact: (entry?.contactPoint ?? null) as ContactPoint | null,
            confirmedBy: r.confirmed_by_name ?? '',
            confirmedAt: r.confirmed_at!.toISOString(),
            gradingVersion: r.version,
          };
        }),
    };
  }

  // ---- Dashboard ---------------------------------------------------------------------------------

  async function dashboard(actor: Actor) {
    requirePermission(actor, 'security:read');
    const orgs = [...(await organizations()).values()].filter((o) => o.kind === 'institution');
    let visible: Organization[];
    if (platformReader(actor)) visible = orgs;
    else {
      const designated = await designatedIn(actor);
      visible = orgs.filter(
        (o) => actor.kind === 'user' && (actor.memberships.get(o.id) === 'admin' || designated.has(o.id)),
      );
      if (visible.length === 0)
        throw new ForbiddenError(
          'The security dashboard is for organisation admins and officers, security officers, operators and auditors.',
        );
    }
    const ids = visible.map((o) => o.id);
    const entries = await deps.catalog.gradingSubjects({ organizationIds: ids });
    const gradings = new Map(
      (await repo.gradings(db, { organizationIds: ids })).map((g) => [g.entry_code, g]),
    );
    const officerRows = await currentOfficers(ids);
    const [alerts, incidents] = await Promise.all([counts.alerts(), counts.incidents()]);
    const at = now().getTime();
    const rows = visible
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((org) => {
        const own = entries.filter((e) => e.organizationId === org.id);
        const tally = { entries: own.length, graded: 0, ungraded: 0, awaiting: 0, important: 0, core: 0 };
        for (const e of own) {
          const g = gradings.get(e.code);
          if (g?.confirmed_version == null) tally.ungraded += 1;
          else tally.graded += 1;
          if (g?.state === 'proposed') tally.awaiting += 1;
          if (g?.confirmed_level === 'important') tally.important += 1;
          if (g?.confirmed_level === 'core') tally.core += 1;
        }
        const incident = incidents.get(org.id);
        const named = (role: OfficerRole) => {
          const row = officerRows.find((r) => r.organization_id === org.id && r.role === role);
          return row === undefined ? null : { name: row.name };
        };
        return {
          organizationId: org.id,
          code: org.code,
          name: org.name,
          nameEn: org.nameEn,
          entries: tally.entries,
          graded: tally.graded,
          ungraded: tally.ungraded,
          awaitingConfirmation: tally.awaiting,
          important: tally.important,
          core: tally.core,
          openAlerts: alerts.get(org.id)?.open ?? 0,
          openIncidents: incident?.open ?? 0,
          nextDeadline: incident?.nextDeadline ?? null,
          overdueIncidents: incident?.overdue ?? 0,
          deadlinePassed: incident?.nextDeadline !== undefined && Date.parse(incident.nextDeadline) < at,
          chiefDataOfficer: named('chief-data-officer'),
          securityOfficer: named('security-officer'),
        };
      });
    return { generatedAt: new Date(at).toISOString(), organizations: rows };
  }

  return {
    matrix,
    replaceMatrix,
    get,
    list,
    saveDraft,
    submit,
    review,
    officers,
    appoint,
    importantData,
    dashboard,
  };
}

export type GradingService = ReturnType<typeof createGradingService>;
