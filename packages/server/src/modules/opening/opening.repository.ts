import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/index.ts';
import { ConflictError } from '../../kernel/errors.ts';
import type { PlanState, StoredItem } from './opening.model.ts';

type Q = Kysely<Database> | Transaction<Database>;

const PLAN_COLUMNS = [
  'id',
  'organization_id',
  'year',
  'state',
  'comment',
  'submitted_at',
  'approved_at',
  'updated_at',
] as const;

export type PlanRow = NonNullable<Awaited<ReturnType<typeof planById>>>;
export type ItemList = 'working' | 'approved';
export type ItemRow = StoredItem & { planId: string; list: ItemList };

function planById(db: Q, id: string, lock = false) {
  let query = db.selectFrom('opening_plans').select(PLAN_COLUMNS).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The only code that reads and writes the opening tables. */
export const openingRepository = {
  planById,

  async insertPlan(trx: Q, row: { organizationId: string; year: number; createdBy: string }) {
    try {
      return await trx
        .insertInto('opening_plans')
        .values({
          organization_id: row.organizationId,
          year: row.year,
          state: 'draft',
          created_by: row.createdBy,
        })
        .returning(PLAN_COLUMNS)
        .executeTakeFirstOrThrow();
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new ConflictError(
          'OPENING_PLAN_EXISTS',
          `This organisation already has an opening plan for ${row.year}: amend it instead.`,
        );
      throw error;
    }
  },

  /** Plans of some organisations (all when `organizationIds` is undefined), newest year first. */
  listPlans(db: Q, filter: { year?: number | undefined; organizationIds?: readonly string[] | undefined }) {
    let query = db.selectFrom('opening_plans').select(PLAN_COLUMNS);
    if (filter.year !== undefined) query = query.where('year', '=', filter.year);
    if (filter.organizationIds !== undefined) {
      if (filter.organizationIds.length === 0) return Promise.resolve([]);
      query = query.where('organization_id', 'in', [...filter.organizationIds]);
    }
    return query.orderBy('year', 'desc').orderBy('organization_id').execute();
  },

  /** The approved plans of a year (those with an approved list, whatever their amendment is doing). */
  approvedPlansOfYear(db: Q, year: number) {
    return db
      .selectFrom('opening_plans')
      .select(PLAN_COLUMNS)
      .where('year', '=', year)
      .where('approved_at', 'is not', null)
      .execute();
  },

  async items(db: Q, planIds: readonly string[], list?: ItemList): Promise<ItemRow[]> {
    if (planIds.length === 0) return [];
    let query = db
      .selectFrom('opening_plan_items')
      .select([
        'plan_id',
        'list',
        'entry_code',
        'open_type',
        'condition',
        sql<string>`planned_date::text`.as('planned_date'),
      ])
      .where('plan_id', 'in', [...planIds]);
    if (list !== undefined) query = query.where('list', '=', list);
    const rows = await query.orderBy('plan_id').orderBy('list').orderBy('position').execute();
    return rows.map((r) => ({
      planId: r.plan_id,
      list: r.list,
      entryCode: r.entry_code,
      openType: r.open_type,
      condition: r.condition,
      plannedDate: r.planned_date,
    }));
  },

  async replaceItems(trx: Q, planId: string, list: ItemList, items: readonly StoredItem[]): Promise<void> {
    await trx
      .deleteFrom('opening_plan_items')
      .where('plan_id', '=', planId)
      .where('list', '=', list)
      .execute();
    if (items.length === 0) return;
    // A few thousand items at most; batches keep each statement under the bind-parameter limit.
    for (let start = 0; start < items.length; start += 1000) {
      await trx
        .insertInto('opening_plan_items')
        .values(
          items.slice(start, start + 1000).map((item, i) => ({
            plan_id: planId,
            list,
            position: start + i,
            entry_code: item.entryCode,
            open_type: item.openType,
            condition: item.condition,
            planned_date: item.plannedDate,
          })),
        )
        .execute();
    }
  },

  async updatePlan(
    trx: Q,
    id: string,
    set: {
      state?: PlanState;
      comment?: string | null;
      reviewed_by?: string;
      submitted_at?: Date;
      approved_at?: Date;
      updated_at: Date;
    },
  ): Promise<void> {
    await trx.updateTable('opening_plans').set(set).where('id', '=', id).execute();
  },
};
