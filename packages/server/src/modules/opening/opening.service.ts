import { canonicalJson } from '@datapolis/ledger';
import type { Kysely, Transaction } from 'kysely';
import type { Ledger } from '../../kernel/audit/index.ts';
import { type Actor, actorRef, requirePermission } from '../../kernel/auth/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import {
  ConflictError,
  DatapolisError,
  type FieldError,
  NotFoundError,
  ValidationError,
} from '../../kernel/errors.ts';
import type { CatalogService, LocalizedText, OpeningHistory } from '../catalog/index.ts';
import {
  addToTotals,
  type CityPlan,
  cityDate,
  emptyTotals,
  isCalendarDate,
  openedAt,
  type Plan,
  type PlanItem,
  type PlanItemInput,
  type PlanState,
  type ProgressTotals,
  progressOf,
  type StoredItem,
} from './opening.model.ts';
import { type ItemRow, type PlanRow, openingRepository as repo } from './opening.repository.ts';

/** An organisation as plans name it. */
export interface OpeningOrganization {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
}

export interface OpeningDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  catalog: Pick<CatalogService, 'openingHistory'>;
  /** Every registered organisation (a few hundred at most); cached briefly. */
  organizations: () => Promise<OpeningOrganization[]>;
  now?: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Plans the institution may still change; an approved plan may be amended (it goes back to draft). */
const EDITABLE: PlanState[] = ['draft', 'returned', 'approved'];
const SUBMITTABLE: PlanState[] = ['draft', 'returned'];

function unprocessable(code: string, message: string, errors: FieldError[]): DatapolisError {
  return new DatapolisError(code, 422, message, { errors });
}

function wrongState(state: PlanState, doing: string): ConflictError {
  return new ConflictError('OPENING_WRONG_STATE', `The plan is ${state}: it cannot be ${doing} now.`, {
    state,
  });
}

/** Who may read which organisations' plans: operators and auditors all, members their own. */
function readableOrganizations(actor: Actor): 'all' | string[] {
  if (actor.kind === 'system') return 'all';
  if (actor.kind !== 'user') return [];
  if (actor.platformRoles.some((r) => r === 'operator' || r === 'auditor')) return 'all';
  return [...actor.memberships.keys()];
}

function actorText(actor: Actor): string {
  const ref = actorRef(actor);
  return `${ref.type}:${ref.id}`;
}

export function createOpeningService(deps: OpeningDeps) {
  const { db, ledger } = deps;
  const now = deps.now ?? (() => new Date());

  let orgCache: { at: number; byId: Map<string, OpeningOrganization> } | undefined;

  async function organizations(fresh = false): Promise<Map<string, OpeningOrganization>> {
    if (fresh || orgCache === undefined || Date.now() - orgCache.at > 10_000) {
      const list = await deps.organizations();
      orgCache = { at: Date.now(), byId: new Map(list.map((o) => [o.id, o])) };
    }
    return orgCache.byId;
  }

  function organizationName(org: OpeningOrganization | undefined, id: string): LocalizedText {
    if (org === undefined) return { zh: id };
    return org.nameEn === null ? { zh: org.name } : { zh: org.name, en: org.nameEn };
  }

  function notFound(id: string): NotFoundError {
    return new NotFoundError('OPENING_PLAN_NOT_FOUND', `No opening plan ${id} is visible to you.`);
  }

  // ---- Views -------------------------------------------------------------------------------------

  function itemView(item: StoredItem, history: OpeningHistory | undefined, today: string): PlanItem {
    const opened = openedAt(item, history);
    return {
      entryCode: item.entryCode,
      entryTitle: history?.title ?? { zh: item.entryCode },
      openType: item.openType,
      condition: item.condition,
      plannedDate: item.plannedDate,
      progress: progressOf(item.plannedDate, opened, today),
      openedAt: opened === null ? null : opened.toISOString(),
    };
  }

  /** Plans with their items and progress: one query for the items, one for the entries' histories. */
  async function planViews(rows: readonly PlanRow[]): Promise<Plan[]> {
    if (rows.length === 0) return [];
    const items = await repo.items(
      db,
      rows.map((r) => r.id),
    );
    const histories = await deps.catalog.openingHistory(items.map((i) => i.entryCode));
    const orgs = await organizations();
    const today = cityDate(now());
    const byPlan = new Map<string, { working: ItemRow[]; approved: ItemRow[] }>();
    for (const item of items) {
      const lists = byPlan.get(item.planId) ?? { working: [], approved: [] };
      lists[item.list].push(item);
      byPlan.set(item.planId, lists);
    }
    return rows.map((row) => {
      const lists = byPlan.get(row.id) ?? { working: [], approved: [] };
      const view = (list: ItemRow[]) => list.map((i) => itemView(i, histories.get(i.entryCode), today));
      return {
        id: row.id,
        organizationId: row.organization_id,
        organizationName: organizationName(orgs.get(row.organization_id), row.organization_id),
        year: row.year,
        state: row.state,
        comment: row.comment,
        items: view(lists.working),
        approvedItems: row.approved_at === null ? null : view(lists.approved),
        submittedAt: row.submitted_at?.toISOString() ?? null,
        approvedAt: row.approved_at?.toISOString() ?? null,
        updatedAt: row.updated_at.toISOString(),
      };
    });
  }

  async function planView(id: string): Promise<Plan> {
    const row = await repo.planById(db, id);
    if (row === undefined) throw notFound(id);
    return (await planViews([row]))[0]!;
  }

  // ---- Checks ------------------------------------------------------------------------------------

  /** The shape of the items: one per entry, a real day of the plan's year, a condition when conditional. */
  function normaliseItems(year: number, input: readonly PlanItemInput[]): StoredItem[] {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    const items = input.map((item, i) => {
      const entryCode = item.entryCode.trim();
      const condition = item.condition?.trim() || null;
      if (seen.has(entryCode))
        errors.push({ path: `/items/${i}/entryCode`, message: `${entryCode} is already in the plan.` });
      seen.add(entryCode);
      if (!isCalendarDate(item.plannedDate))
        errors.push({ path: `/items/${i}/plannedDate`, message: 'Not a calendar date (YYYY-MM-DD).' });
      else if (!item.plannedDate.startsWith(`${year}-`))
        errors.push({ path: `/items/${i}/plannedDate`, message: `Must be a day of ${year}.` });
      if (item.openType === 'conditional' && condition === null)
        errors.push({ path: `/items/${i}/condition`, message: 'Say on which condition it opens.' });
      if (item.openType === 'unconditional' && condition !== null)
        errors.push({
          path: `/items/${i}/condition`,
          message: 'An unconditional opening has no condition.',
        });
      return { entryCode, openType: item.openType, condition, plannedDate: item.plannedDate };
    });
    if (errors.length > 0)
      throw new ValidationError(`The plan has ${errors.length} invalid item field(s).`, errors);
    return items;
  }

  /**
   * Every item must name a catalog entry of the plan's own organisation that may be opened: core data is
   * never opened. One kind of refusal at a time, each listing every item it concerns.
   */
  async function checkEntries(organizationId: string, items: readonly StoredItem[]): Promise<void> {
    const histories = await deps.catalog.openingHistory(items.map((i) => i.entryCode));
    const failing = (test: (h: OpeningHistory | undefined) => boolean, message: (code: string) => string) =>
      items.flatMap((item, i) =>
        test(histories.get(item.entryCode))
          ? [{ path: `/items/${i}/entryCode`, message: message(item.entryCode) }]
          : [],
      );
    const unknown = failing(
      (h) => h === undefined,
      (code) => `No catalog entry has the code ${code}.`,
    );
    if (unknown.length > 0)
      throw unprocessable('OPENING_UNKNOWN_ENTRY', 'Some items name no catalog entry.', unknown);
    const foreign = failing(
      (h) => h!.organizationId !== organizationId,
      (code) => `${code} is another organisation's entry.`,
    );
    if (foreign.length > 0)
      throw unprocessable(
        'OPENING_NOT_OWN_ENTRY',
        "A plan lists only its own organisation's entries.",
        foreign,
      );
    const core = failing(
      (h) => h!.grade === 'core',
      (code) => `${code} is core data.`,
    );
    if (core.length > 0) throw unprocessable('OPENING_CORE_DATA', 'Core data is never opened.', core);
  }

  async function lockPlan(trx: Transaction<Database>, id: string): Promise<PlanRow> {
    const row = await repo.planById(trx, id, true);
    if (row === undefined) throw notFound(id);
    return row;
  }

  /** Loads a plan for a change, refusing callers without the permission on its organisation. */
  async function planFor(actor: Actor, id: string, permission: string): Promise<PlanRow> {
    const row = UUID.test(id) ? await repo.planById(db, id) : undefined;
    if (row === undefined) throw notFound(id);
    requirePermission(actor, permission, { organizationId: row.organization_id });
    return row;
  }

  function planObjects(row: Pick<PlanRow, 'id' | 'organization_id'>) {
    return [
      { type: 'opening-plan', id: row.id },
      { type: 'organization', id: row.organization_id },
    ];
  }

  // ---- Reading -----------------------------------------------------------------------------------

  async function list(
    actor: Actor,
    filter: { year?: number | undefined; organizationId?: string | undefined },
  ): Promise<Plan[]> {
    requirePermission(actor, 'opening:read');
    const readable = readableOrganizations(actor);
    let organizationIds: string[] | undefined = readable === 'all' ? undefined : readable;
    if (filter.organizationId !== undefined)
      organizationIds =
        readable === 'all' || readable.includes(filter.organizationId) ? [filter.organizationId] : [];
    const rows = await repo.listPlans(db, { year: filter.year, organizationIds });
    const views = await planViews(rows);
    return views.sort(
      (a, b) => b.year - a.year || a.organizationName.zh.localeCompare(b.organizationName.zh, 'zh'),
    );
  }

  async function get(actor: Actor, id: string): Promise<Plan> {
    requirePermission(actor, 'opening:read');
    const row = UUID.test(id) ? await repo.planById(db, id) : undefined;
    const readable = readableOrganizations(actor);
    if (row === undefined || (readable !== 'all' && !readable.includes(row.organization_id)))
      throw notFound(id);
    return (await planViews([row]))[0]!;
  }

  // ---- Writing -----------------------------------------------------------------------------------

  async function create(actor: Actor, input: { organizationId: string; year: number }): Promise<Plan> {
    requirePermission(actor, 'opening:plan', { organizationId: input.organizationId });
    if (!(await organizations(true)).has(input.organizationId))
      throw new ValidationError('The organisation is not registered.', [
        { path: '/organizationId', message: `No organisation has id ${input.organizationId}.` },
      ]);
    const created = await db.transaction().execute(async (trx) => {
      const row = await repo.insertPlan(trx, {
        organizationId: input.organizationId,
        year: input.year,
        createdBy: actorText(actor),
      });
      await ledger.record(trx, actor, {
        action: 'opening.plan.created',
        objects: planObjects(row),
        details: { year: input.year },
      });
      return row;
    });
    return planView(created.id);
  }

  /**
   * Replaces the working items. A draft or returned plan stays as it is; an approved plan is being
   * amended: it goes back to draft, and its approved items keep serving the city-wide plan until the
   * amendment is approved.
   */
  async function setItems(actor: Actor, id: string, input: readonly PlanItemInput[]): Promise<Plan> {
    const plan = await planFor(actor, id, 'opening:plan');
    if (!EDITABLE.includes(plan.state)) throw wrongState(plan.state, 'edited');
    const items = normaliseItems(plan.year, input);
    await checkEntries(plan.organization_id, items);
    await db.transaction().execute(async (trx) => {
      const current = await lockPlan(trx, plan.id);
      if (!EDITABLE.includes(current.state)) throw wrongState(current.state, 'edited');
      const before = (await repo.items(trx, [current.id], 'working')).map(
        ({ entryCode, openType, condition, plannedDate }) => ({
          entryCode,
          openType,
          condition,
          plannedDate,
        }),
      );
      if (canonicalJson(before) === canonicalJson(items)) return;
      const amendment = current.state === 'approved';
      await repo.replaceItems(trx, current.id, 'working', items);
      await repo.updatePlan(trx, current.id, {
        ...(amendment ? { state: 'draft' as const } : {}),
        updated_at: now(),
      });
      // The log keeps the SHA-256 of the whole list, so any published copy can be checked against it.
      await ledger.record(trx, actor, {
        action: 'opening.plan.items.changed',
        objects: planObjects(current),
        content: items,
        details: { year: current.year, items: items.length, amendment },
      });
    });
    return planView(plan.id);
  }

  async function submit(actor: Actor, id: string): Promise<Plan> {
    const plan = await planFor(actor, id, 'opening:submit');
    if (!SUBMITTABLE.includes(plan.state)) throw wrongState(plan.state, 'submitted');
    const items = await repo.items(db, [plan.id], 'working');
    if (items.length === 0)
      throw new ValidationError('An empty plan cannot be submitted: add its items first.', [
        { path: '/items', message: 'At least one item.' },
      ]);
    // Entries may have changed since the items were written (moved, graded core).
    await checkEntries(plan.organization_id, items);
    await db.transaction().execute(async (trx) => {
      const current = await lockPlan(trx, plan.id);
      if (!SUBMITTABLE.includes(current.state)) throw wrongState(current.state, 'submitted');
      const locked = await repo.items(trx, [current.id], 'working');
      const at = now();
      await repo.updatePlan(trx, current.id, { state: 'submitted', submitted_at: at, updated_at: at });
      await ledger.record(trx, actor, {
        action: 'opening.plan.submitted',
        objects: planObjects(current),
        content: locked.map(({ entryCode, openType, condition, plannedDate }) => ({
          entryCode,
          openType,
          condition,
          plannedDate,
        })),
        details: { year: current.year, items: locked.length },
      });
    });
    return planView(plan.id);
  }

  async function review(
    actor: Actor,
    id: string,
    decision: { decision: 'approve' | 'return'; comment?: string | undefined },
  ): Promise<Plan> {
    requirePermission(actor, 'opening:review');
    const comment = decision.comment?.trim() || null;
    if (decision.decision === 'return' && comment === null)
      throw new ValidationError('Say what to change when returning a plan.', [
        { path: '/comment', message: 'A comment is required to return a plan.' },
      ]);
    const plan = UUID.test(id) ? await repo.planById(db, id) : undefined;
    if (plan === undefined) throw notFound(id);
    if (plan.state !== 'submitted') throw wrongState(plan.state, 'reviewed');
    if (decision.decision === 'approve')
      await checkEntries(plan.organization_id, await repo.items(db, [plan.id], 'working'));
    await db.transaction().execute(async (trx) => {
      const current = await lockPlan(trx, plan.id);
      if (current.state !== 'submitted') throw wrongState(current.state, 'reviewed');
      const at = now();
      if (decision.decision === 'approve') {
        const items = (await repo.items(trx, [current.id], 'working')).map(
          ({ entryCode, openType, condition, plannedDate }) => ({
            entryCode,
            openType,
            condition,
            plannedDate,
          }),
        );
        await repo.replaceItems(trx, current.id, 'approved', items);
        await repo.updatePlan(trx, current.id, {
          state: 'approved',
          comment,
          reviewed_by: actorText(actor),
          approved_at: at,
          updated_at: at,
        });
        await ledger.record(trx, actor, {
          action: 'opening.plan.approved',
          objects: planObjects(current),
          content: { items, comment },
          details: { year: current.year, items: items.length },
        });
      } else {
        await repo.updatePlan(trx, current.id, {
          state: 'returned',
          comment,
          reviewed_by: actorText(actor),
          updated_at: at,
        });
        await ledger.record(trx, actor, {
          action: 'opening.plan.returned',
          objects: planObjects(current),
          content: { comment },
          details: { year: current.year },
        });
      }
    });
    return planView(plan.id);
  }

  // ---- The city-wide plan ------------------------------------------------------------------------

  /** Every approved item of the year, with its progress, by organisation: public. */
  async function city(year: number): Promise<CityPlan> {
    const plans = await repo.approvedPlansOfYear(db, year);
    const items = await repo.items(
      db,
      plans.map((p) => p.id),
      'approved',
    );
    const histories = await deps.catalog.openingHistory(items.map((i) => i.entryCode));
    const orgs = await organizations();
    const today = cityDate(now());
    const organizationOf = new Map(plans.map((p) => [p.id, p.organization_id]));
    const totals = emptyTotals();
    const perOrg = new Map<string, ProgressTotals>();
    const views = items.map((item) => {
      const organizationId = organizationOf.get(item.planId)!;
      const view = { ...itemView(item, histories.get(item.entryCode), today), organizationId };
      addToTotals(totals, view.progress);
      const orgTotals = perOrg.get(organizationId) ?? emptyTotals();
      addToTotals(orgTotals, view.progress);
      perOrg.set(organizationId, orgTotals);
      return view;
    });
    const organizationList = plans
      .map((p) => ({
        organizationId: p.organization_id,
        organizationName: organizationName(orgs.get(p.organization_id), p.organization_id),
        code: orgs.get(p.organization_id)?.code ?? p.organization_id,
        totals: perOrg.get(p.organization_id) ?? emptyTotals(),
      }))
      .sort((a, b) => a.code.localeCompare(b.code))
      .map(({ code: _code, ...rest }) => rest);
    const rank = new Map(organizationList.map((o, i) => [o.organizationId, i]));
    views.sort(
      (a, b) =>
        rank.get(a.organizationId)! - rank.get(b.organizationId)! ||
        a.plannedDate.localeCompare(b.plannedDate) ||
        a.entryCode.localeCompare(b.entryCode),
    );
    return { year, totals, organizations: organizationList, items: views };
  }

  return { list, get, create, setItems, submit, review, city };
}

export type OpeningService = ReturnType<typeof createOpeningService>;
