import type { Kysely, Transaction } from 'kysely';
import type { Ledger } from '../../../kernel/audit/index.ts';
import { type Actor, requirePermission } from '../../../kernel/auth/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import {
  ConflictError,
  DatapolisError,
  type FieldError,
  NotFoundError,
  ValidationError,
} from '../../../kernel/errors.ts';
import type { CatalogService, LocalizedText } from '../../catalog/index.ts';
import { isCountryCode } from './transfers.countries.ts';
import {
  cityYear,
  DEFAULT_TRANSFER_RULES,
  type RouteReason,
  retainUntil,
  routeFor,
  type TransferRoute,
  type TransferRules,
  type TransferState,
  transferRuleProblems,
} from './transfers.model.ts';
import {
  transferRepository as repo,
  type TransferDb,
  type TransferFields,
  type TransferRow,
} from './transfers.repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IMPORTANT_GRADES = new Set(['core', 'important']);

export interface TransferOrganization {
  id: string;
  name: string;
  nameEn: string | null;
}

export interface TransferDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  catalog: Pick<CatalogService, 'openingHistory'>;
  organizations: () => Promise<TransferOrganization[]>;
  now?: () => Date;
}

export interface TransferInput {
  organizationId: string;
  entryCodes: string[];
  importantDataDeclared?: boolean | undefined;
  recipient: string;
  country: string;
  purpose: string;
  peopleCount: number;
  sensitivePeopleCount: number;
}

export interface RouteAssessment {
  route: TransferRoute;
  reasons: RouteReason[];
  containsImportantData: boolean;
  year: number;
  /** Earlier submitted or approved transfers of the organisation this year. */
  earlier: { people: number; sensitivePeople: number };
  /** Earlier plus this request: what the thresholds are compared with. */
  cumulative: { people: number; sensitivePeople: number };
}

export interface TransferAssessmentView {
  id: string;
  text: string;
  attachments: { name: string; mediaType: string; size: number; sha256: string }[];
  createdBy: string;
  createdAt: string;
  retainUntil: string;
}

export interface Transfer {
  id: string;
  organizationId: string;
  organizationName: LocalizedText;
  entryCodes: string[];
  gradedImportant: boolean;
  importantDataDeclared: boolean;
  recipient: string;
  country: string;
  purpose: string;
  peopleCount: number;
  sensitivePeopleCount: number;
  state: TransferState;
  /** Frozen at submission; for a draft, computed now. */
  assessment: RouteAssessment;
  decision: {
    comment: string | null;
    reference: string | null;
    decidedBy: string | null;
    decidedAt: string | null;
  };
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
  impactAssessments: TransferAssessmentView[];
}

function unprocessable(code: string, message: string, errors: FieldError[]): DatapolisError {
  return new DatapolisError(code, 422, message, { errors });
}

function authorOf(actor: Actor): string {
  if (actor.kind === 'user') return actor.username;
  if (actor.kind === 'system') return `system:${actor.name}`;
  return 'anonymous';
}

export function createTransferService(deps: TransferDeps) {
  const db = deps.db.withTables<Omit<TransferDb, keyof Database>>() as Kysely<TransferDb>;
  const { ledger } = deps;
  const now = deps.now ?? (() => new Date());
  const asKernel = (trx: Transaction<TransferDb>) => trx as unknown as Transaction<Database>;

  async function organizationMap(): Promise<Map<string, TransferOrganization>> {
    return new Map((await deps.organizations()).map((o) => [o.id, o]));
  }

  function notFound(id: string): NotFoundError {
    return new NotFoundError('SECURITY_TRANSFER_NOT_FOUND', `No transfer request ${id} is visible to you.`);
  }

  function readable(actor: Actor): 'all' | string[] {
    if (actor.kind === 'system') return 'all';
    if (actor.kind !== 'user') return [];
    if (actor.platformRoles.some((r) => r === 'operator' || r === 'auditor' || r === 'security_officer'))
      return 'all';
    return [...actor.memberships].filter(([, role]) => role === 'admin').map(([id]) => id);
  }

  async function currentRules(): Promise<TransferRules> {
    return (await repo.rules(db)) ?? DEFAULT_TRANSFER_RULES;
  }

  // ---- Checks ------------------------------------------------------------------------------------

  /** Operators and security officers may name any organisation's data; everyone else only their own. */
  function anyOrganization(actor: Actor): boolean {
    if (actor.kind === 'system') return true;
    return (
      actor.kind === 'user' && actor.platformRoles.some((r) => r === 'operator' || r === 'security_officer')
    );
  }

  /**
   * Shape beyond the schema: a real country abroad, entries in the catalog (of the transfer's organisation
   * unless the caller holds a platform role); returns the stored fields.
   */
  async function fields(actor: Actor, input: TransferInput): Promise<TransferFields> {
    const errors: FieldError[] = [];
    const country = input.country.trim().toUpperCase();
    if (!isCountryCode(country))
      errors.push({
        path: '/country',
        message: `${input.country} is not an ISO 3166-1 alpha-2 country code.`,
      });
    else if (country === 'CN')
      errors.push({
        path: '/country',
        message: 'CN is not abroad: a transfer names the country of the recipient.',
      });
    if (errors.length > 0)
      throw unprocessable(
        'SECURITY_TRANSFER_UNKNOWN_COUNTRY',
        'The country is not a valid destination.',
        errors,
      );
    const codes = [...new Set(input.entryCodes.map((c) => c.trim()).filter((c) => c !== ''))];
    if (codes.length === 0)
      throw new ValidationError('Name the data to transfer.', [
        { path: '/entryCodes', message: 'At least one entry code.' },
      ]);
    const histories = await deps.catalog.openingHistory(codes);
    const any = anyOrganization(actor);
    // Another organisation's entry is refused exactly like a code that does not exist: the answer must
    // not tell an admin which codes another organisation holds (nor its grades).
    const unknown = codes.flatMap((code, i) =>
      histories.has(code) && (any || histories.get(code)!.organizationId === input.organizationId)
        ? []
        : [{ path: `/entryCodes/${i}`, message: `No catalog entry has the code ${code}.` }],
    );
    if (unknown.length > 0)
      throw unprocessable(
        'SECURITY_TRANSFER_UNKNOWN_ENTRY',
        'Some data named is not in the catalog.',
        unknown,
      );
    return {
      entry_codes: codes,
      graded_important: codes.some((c) => IMPORTANT_GRADES.has(histories.get(c)!.grade)),
      declared_important: input.importantDataDeclared ?? false,
      recipient: input.recipient.trim(),
      country,
      purpose: input.purpose.trim(),
      people_count: input.peopleCount,
      sensitive_people_count: input.sensitivePeopleCount,
    };
  }

  async function assess(
    q: Kysely<TransferDb> | Transaction<TransferDb>,
    organizationId: string,
    f: Pick<
      TransferFields,
      'graded_important' | 'declared_important' | 'people_count' | 'sensitive_people_count'
    >,
    excludeId: string | undefined,
    year: number,
    rules: TransferRules,
  ): Promise<RouteAssessment> {
    const earlier = await repo.yearTotals(q, organizationId, year, excludeId);
    const containsImportantData = f.graded_important || f.declared_important;
    const cumulative = {
      people: earlier.people + f.people_count,
      sensitivePeople: earlier.sensitive + f.sensitive_people_count,
    };
    const { route, reasons } = routeFor(rules, {
      containsImportantData,
      people: cumulative.people,
      sensitivePeople: cumulative.sensitivePeople,
    });
    return {
      route,
      reasons,
      containsImportantData,
      year,
      earlier: { people: earlier.people, sensitivePeople: earlier.sensitive },
      cumulative,
    };
  }

  async function views(rows: readonly TransferRow[]): Promise<Transfer[]> {
    const orgs = await organizationMap();
    const assessments = await repo.assessments(
      db,
      rows.map((r) => r.id),
    );
    const year = cityYear(now());
    const rules = await currentRules();
    return Promise.all(
      rows.map(async (row) => {
        const org = orgs.get(row.organization_id);
        const frozen =
          row.route !== null &&
          row.year !== null &&
          row.cumulative_people !== null &&
          row.cumulative_sensitive_people !== null;
        const assessment: RouteAssessment = frozen
          ? {
              route: row.route!,
              reasons: row.route_reasons ?? [],
              containsImportantData: row.graded_important || row.declared_important,
              year: row.year!,
              earlier: {
                people: row.cumulative_people! - row.people_count,
                sensitivePeople: row.cumulative_sensitive_people! - row.sensitive_people_count,
              },
              cumulative: {
                people: row.cumulative_people!,
                sensitivePeople: row.cumulative_sensitive_people!,
              },
            }
          : await assess(db, row.organization_id, row, row.id, year, rules);
        return {
          id: row.id,
          organizationId: row.organization_id,
          organizationName:
            org === undefined
              ? { zh: row.organization_id }
              : org.nameEn === null
                ? { zh: org.name }
                : { zh: org.name, en: org.nameEn },
          entryCodes: row.entry_codes,
          gradedImportant: row.graded_important,
          importantDataDeclared: row.declared_important,
          recipient: row.recipient,
          country: row.country,
          purpose: row.purpose,
          peopleCount: row.people_count,
          sensitivePeopleCount: row.sensitive_people_count,
          state: row.state,
          assessment,
          decision: {
            comment: row.decision_comment,
            reference: row.decision_reference,
            decidedBy: row.decided_by,
            decidedAt: row.decided_at?.toISOString() ?? null,
          },
          submittedAt: row.submitted_at?.toISOString() ?? null,
          createdAt: row.created_at.toISOString(),
          updatedAt: row.updated_at.toISOString(),
          impactAssessments: assessments
            .filter((a) => a.transfer_id === row.id)
            .map((a) => ({
              id: a.id,
              text: a.text,
              attachments: a.attachments,
              createdBy: a.created_by,
              createdAt: a.created_at.toISOString(),
              retainUntil: a.retain_until,
            })),
        };
      }),
    );
  }

  async function view(id: string): Promise<Transfer> {
    const row = await repo.transferById(db, id);
    if (row === undefined) throw notFound(id);
    return (await views([row]))[0]!;
  }

  async function rowFor(actor: Actor, id: string, permission: string): Promise<TransferRow> {
    const row = UUID.test(id) ? await repo.transferById(db, id) : undefined;
    const can = readable(actor);
    if (row === undefined || (can !== 'all' && !can.includes(row.organization_id))) {
      requirePermission(actor, permission);
      throw notFound(id);
    }
    requirePermission(actor, permission, { organizationId: row.organization_id });
    return row;
  }

  async function lock(trx: Transaction<TransferDb>, id: string): Promise<TransferRow> {
    const row = await repo.transferById(trx, id, true);
    if (row === undefined) throw notFound(id);
    return row;
  }

  function objects(row: Pick<TransferRow, 'id' | 'organization_id'>) {
    return [
      { type: 'security-transfer', id: row.id },
      { type: 'organization', id: row.organization_id },
    ];
  }

  function wrongState(state: TransferState, doing: string): ConflictError {
    return new ConflictError(
      'SECURITY_TRANSFER_WRONG_STATE',
      `The request is ${state}: it cannot be ${doing}.`,
      {
        state,
      },
    );
  }

  async function checkOrganization(organizationId: string): Promise<void> {
    if (!(await organizationMap()).has(organizationId))
      throw new ValidationError('The organisation is not registered.', [
        { path: '/organizationId', message: `No organisation has id ${organizationId}.` },
      ]);
  }

  // ---- Rules -------------------------------------------------------------------------------------

  async function rules(actor: Actor): Promise<{ rules: TransferRules; defaults: TransferRules }> {
    requirePermission(actor, 'security:transfers:read');
    return { rules: await currentRules(), defaults: DEFAULT_TRANSFER_RULES };
  }

  async function setRules(
    actor: Actor,
    next: TransferRules,
  ): Promise<{ rules: TransferRules; defaults: TransferRules }> {
    requirePermission(actor, 'security:transfers:rules');
    const problems = transferRuleProblems(next);
    if (problems.length > 0)
      throw unprocessable(
        'SECURITY_TRANSFER_RULES_INVALID',
        'The transfer thresholds do not make sense.',
        problems,
      );
    await db.transaction().execute(async (trx) => {
      await repo.saveRules(trx, next, authorOf(actor), now());
      await ledger.record(asKernel(trx), actor, {
        action: 'security.transfer-rules.replaced',
        objects: [{ type: 'security-transfer-rules', id: 'current' }],
        content: next,
        details: { ...next },
      });
    });
    return { rules: next, defaults: DEFAULT_TRANSFER_RULES };
  }

  // ---- Reading -----------------------------------------------------------------------------------

  async function list(
    actor: Actor,
    filter: { organizationId?: string | undefined; state?: TransferState | undefined },
  ): Promise<Transfer[]> {
    requirePermission(actor, 'security:transfers:read');
    const can = readable(actor);
    let organizationIds = can === 'all' ? undefined : can;
    if (filter.organizationId !== undefined)
      organizationIds = can === 'all' || can.includes(filter.organizationId) ? [filter.organizationId] : [];
    return views(await repo.list(db, { organizationIds, state: filter.state }));
  }

  async function get(actor: Actor, id: string): Promise<Transfer> {
    return (await views([await rowFor(actor, id, 'security:transfers:read')]))[0]!;
  }

  /** The route a request would take now, without saving it: what the form shows as volumes are typed. */
  async function preview(
    actor: Actor,
    input: TransferInput & { transferId?: string | undefined },
  ): Promise<RouteAssessment> {
    requirePermission(actor, 'security:transfers:request', { organizationId: input.organizationId });
    await checkOrganization(input.organizationId);
    const f = await fields(actor, input);
    return assess(db, input.organizationId, f, input.transferId, cityYear(now()), await currentRules());
  }

  // ---- Writing -----------------------------------------------------------------------------------

  async function create(actor: Actor, input: TransferInput): Promise<Transfer> {
    requirePermission(actor, 'security:transfers:request', { organizationId: input.organizationId });
    await checkOrganization(input.organizationId);
    const f = await fields(actor, input);
    const id = await db.transaction().execute(async (trx) => {
      const row = await repo.insertTransfer(trx, {
        ...f,
        organization_id: input.organizationId,
        created_by: authorOf(actor),
      });
      await ledger.record(asKernel(trx), actor, {
        action: 'security.transfer.drafted',
        objects: objects(row),
        content: f,
        details: { country: f.country },
      });
      return row.id;
    });
    return view(id);
  }

  async function update(
    actor: Actor,
    id: string,
    input: Omit<TransferInput, 'organizationId'>,
  ): Promise<Transfer> {
    const before = await rowFor(actor, id, 'security:transfers:request');
    if (before.state !== 'draft') throw wrongState(before.state, 'changed');
    const f = await fields(actor, { ...input, organizationId: before.organization_id });
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      if (row.state !== 'draft') throw wrongState(row.state, 'changed');
      await repo.updateTransfer(trx, row.id, { ...f, updated_at: now() });
      await ledger.record(asKernel(trx), actor, {
        action: 'security.transfer.changed',
        objects: objects(row),
        content: f,
        details: { country: f.country },
      });
    });
    return view(before.id);
  }

  /**
   * Submits a draft: the route is computed against the organisation's year so far and frozen. Personal
   * information goes abroad only after an impact assessment (PIPL Art. 55), so one must be attached.
   */
  async function submit(actor: Actor, id: string): Promise<Transfer> {
    const before = await rowFor(actor, id, 'security:transfers:request');
    if (before.state !== 'draft') throw wrongState(before.state, 'submitted');
    // Grades may have changed since the draft was written.
    const histories = await deps.catalog.openingHistory(before.entry_codes);
    const gradedImportant = before.entry_codes.some((c) =>
      IMPORTANT_GRADES.has(histories.get(c)?.grade ?? ''),
    );
    // Read before the transaction: on PGlite, its one connection is the transaction's until it ends.
    const rules = await currentRules();
    await db.transaction().execute(async (trx) => {
      await repo.lockOrganization(trx, before.organization_id);
      const row = await lock(trx, before.id);
      if (row.state !== 'draft') throw wrongState(row.state, 'submitted');
      const personal = row.people_count + row.sensitive_people_count > 0;
      if (personal && (await repo.assessments(trx, [row.id])).length === 0)
        throw unprocessable(
          'SECURITY_TRANSFER_ASSESSMENT_REQUIRED',
          'Personal information goes abroad only after a personal information protection impact assessment: add one first.',
          [{ path: '/impactAssessments', message: 'At least one (PIPL Art. 55).' }],
        );
      const at = now();
      const year = cityYear(at);
      const result = await assess(
        trx,
        row.organization_id,
        { ...row, graded_important: gradedImportant },
        row.id,
        year,
        rules,
      );
      await repo.updateTransfer(trx, row.id, {
        state: 'submitted',
        graded_important: gradedImportant,
        year,
        route: result.route,
        route_reasons: result.reasons,
        cumulative_people: result.cumulative.people,
        cumulative_sensitive_people: result.cumulative.sensitivePeople,
        submitted_at: at,
        updated_at: at,
      });
      await ledger.record(asKernel(trx), actor, {
        action: 'security.transfer.submitted',
        objects: objects(row),
        content: result,
        details: { route: result.route, year },
      });
    });
    return view(before.id);
  }

  async function decide(
    actor: Actor,
    id: string,
    input: { decision: 'approve' | 'reject'; comment?: string | undefined; reference?: string | undefined },
  ): Promise<Transfer> {
    requirePermission(actor, 'security:transfers:decide');
    const comment = input.comment?.trim() || null;
    if (input.decision === 'reject' && comment === null)
      throw new ValidationError('Say why the request is rejected.', [
        { path: '/comment', message: 'A comment is required to reject.' },
      ]);
    const before = await rowFor(actor, id, 'security:transfers:decide');
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      if (row.state !== 'submitted') throw wrongState(row.state, 'decided');
      const at = now();
      const state = input.decision === 'approve' ? 'approved' : 'rejected';
      await repo.updateTransfer(trx, row.id, {
        state,
        decision_comment: comment,
        decision_reference: input.reference?.trim() || null,
        decided_by: authorOf(actor),
        decided_at: at,
        updated_at: at,
      });
      await ledger.record(asKernel(trx), actor, {
        action: `security.transfer.${state}`,
        objects: objects(row),
        content: { comment, reference: input.reference ?? null },
        details: { route: row.route },
      });
    });
    return view(before.id);
  }

  // ---- Impact assessments (PIPL Art. 55-56) ------------------------------------------------------

  async function addAssessment(
    actor: Actor,
    id: string,
    input: {
      text: string;
      attachments?: { name: string; mediaType: string; size: number; sha256: string }[] | undefined;
    },
  ): Promise<Transfer> {
    const before = await rowFor(actor, id, 'security:transfers:request');
    const text = input.text.trim();
    if (text === '')
      throw new ValidationError('An impact assessment needs its text.', [
        { path: '/text', message: 'Empty.' },
      ]);
    await db.transaction().execute(async (trx) => {
      const row = await lock(trx, before.id);
      const at = now();
      const stored = await repo.insertAssessment(trx, {
        transfer_id: row.id,
        text,
        attachments: input.attachments ?? [],
        created_by: authorOf(actor),
        retain_until: retainUntil(at),
      });
      await ledger.record(asKernel(trx), actor, {
        action: 'security.transfer-assessment.added',
        objects: [...objects(row), { type: 'security-transfer-assessment', id: stored.id }],
        content: { text, attachments: input.attachments ?? [] },
        details: { retainUntil: retainUntil(at) },
      });
    });
    return view(before.id);
  }

  /** Deletion before the retention day is refused: the assessment is kept at least three years. */
  async function deleteAssessment(actor: Actor, assessmentId: string): Promise<void> {
    const assessment = UUID.test(assessmentId) ? await repo.assessmentById(db, assessmentId) : undefined;
    if (assessment === undefined) {
      requirePermission(actor, 'security:transfers:request');
      throw new NotFoundError(
        'SECURITY_TRANSFER_ASSESSMENT_NOT_FOUND',
        `No impact assessment ${assessmentId}.`,
      );
    }
    const transfer = await rowFor(actor, assessment.transfer_id, 'security:transfers:request');
    const today = new Date(now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    if (today < assessment.retain_until)
      throw new ConflictError(
        'SECURITY_TRANSFER_ASSESSMENT_RETAINED',
        `An impact assessment is kept at least three years (PIPL Art. 56): it may be deleted from ${assessment.retain_until}.`,
        { retainUntil: assessment.retain_until },
      );
    await db.transaction().execute(async (trx) => {
      await repo.deleteAssessment(trx, assessment.id);
      await ledger.record(asKernel(trx), actor, {
        action: 'security.transfer-assessment.deleted',
        objects: [...objects(transfer), { type: 'security-transfer-assessment', id: assessment.id }],
      });
    });
  }

  return {
    rules,
    setRules,
    list,
    get,
    preview,
    create,
    update,
    submit,
    decide,
    addAssessment,
    deleteAssessment,
  };
}

export type TransferService = ReturnType<typeof createTransferService>;
