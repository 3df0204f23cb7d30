import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../kernel/db/index.ts';
import type { RouteReason, TransferRoute, TransferRules, TransferState } from './transfers.model.ts';
import type { TransferTables } from './transfers.tables.ts';

export type TransferDb = Database & TransferTables;
type Q = Kysely<TransferDb> | Transaction<TransferDb>;

const COLUMNS = [
  'id',
  'organization_id',
  'entry_codes',
  'graded_important',
  'declared_important',
  'recipient',
  'country',
  'purpose',
  'people_count',
  'sensitive_people_count',
  'state',
  'year',
  'route',
  'route_reasons',
  'cumulative_people',
  'cumulative_sensitive_people',
  'decision_comment',
  'decision_reference',
  'decided_by',
  'decided_at',
  'submitted_at',
  'created_at',
  'updated_at',
] as const;

export type TransferRow = NonNullable<Awaited<ReturnType<typeof transferById>>>;

function transferById(db: Q, id: string, lock = false) {
  let query = db.selectFrom('security_transfers').select(COLUMNS).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface TransferFields {
  entry_codes: string[];
  graded_important: boolean;
  declared_important: boolean;
  recipient: string;
  country: string;
  purpose: string;
  people_count: number;
  sensitive_people_count: number;
}

const ASSESSMENT_COLUMNS = [
  'id',
  'transfer_id',
  'text',
  'attachments',
  'created_by',
  'created_at',
  sql<string>`retain_until::text`.as('retain_until'),
] as const;

/** The only code that reads and writes the transfer tables. */
export const transferRepository = {
  transferById,

  insertTransfer(trx: Q, row: TransferFields & { organization_id: string; created_by: string }) {
    return trx
      .insertInto('security_transfers')
      .values({ ...row, state: 'draft' })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  },

  async updateTransfer(
    trx: Q,
    id: string,
    set: Partial<TransferFields> & {
      state?: TransferState;
      year?: number;
      route?: TransferRoute;
      route_reasons?: RouteReason[];
      cumulative_people?: number;
      cumulative_sensitive_people?: number;
      decision_comment?: string | null;
      decision_reference?: string | null;
      decided_by?: string;
      decided_at?: Date;
      submitted_at?: Date;
      updated_at: Date;
    },
  ): Promise<void> {
    const { route_reasons, ...rest } = set;
    await trx
      .updateTable('security_transfers')
      .set({
        ...rest,
        ...(route_reasons === undefined ? {} : { route_reasons: JSON.stringify(route_reasons) }),
      })
      .where('id', '=', id)
      .execute();
  },

  list(
    db: Q,
    filter: { organizationIds?: readonly string[] | undefined; state?: TransferState | undefined },
  ) {
    let query = db.selectFrom('security_transfers').select(COLUMNS);
    if (filter.organizationIds !== undefined) {
      if (filter.organizationIds.length === 0) return Promise.resolve([]);
      query = query.where('organization_id', 'in', [...filter.organizationIds]);
    }
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    return query.orderBy('created_at', 'desc').orderBy('id').limit(2000).execute();
  },

  /**
   * People counted by the organisation's earlier transfers of the year: submitted or approved ones
   * (a rejected transfer sends nothing abroad, a draft nothing yet).
   */
  async yearTotals(db: Q, organizationId: string, year: number, excludeId: string | undefined) {
    let query = db
      .selectFrom('security_transfers')
      .select([
        sql<number>`coalesce(sum(people_count), 0)::int`.as('people'),
        sql<number>`coalesce(sum(sensitive_people_count), 0)::int`.as('sensitive'),
      ])
      .where('organization_id', '=', organizationId)
      .where('year', '=', year)
      .where('state', 'in', ['submitted', 'approved']);
    if (excludeId !== undefined) query = query.where('id', '!=', excludeId);
    const row = await query.executeTakeFirstOrThrow();
    return { people: Number(row.people), sensitive: Number(row.sensitive) };
  },

  /** Serialises submissions of one organisation, so two at once cannot both miss each other's counts. */
  async lockOrganization(trx: Transaction<TransferDb>, organizationId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`security-transfers:${organizationId}`}))`.execute(trx);
  },

  assessments(db: Q, transferIds: readonly string[]) {
    if (transferIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('security_transfer_assessments')
      .select(ASSESSMENT_COLUMNS)
      .where('transfer_id', 'in', [...transferIds])
      .orderBy('created_at')
      .execute();
  },

  assessmentById(db: Q, id: string) {
    return db
      .selectFrom('security_transfer_assessments')
      .select(ASSESSMENT_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
  },

  insertAssessment(
    trx: Q,
    row: {
      transfer_id: string;
      text: string;
      attachments: { name: string; mediaType: string; size: number; sha256: string }[];
      created_by: string;
      retain_until: string;
    },
  ) {
    return trx
      .insertInto('security_transfer_assessments')
      .values({ ...row, attachments: JSON.stringify(row.attachments) })
      .returning('id')
      .executeTakeFirstOrThrow();
  },

  async deleteAssessment(trx: Q, id: string): Promise<void> {
    await trx.deleteFrom('security_transfer_assessments').where('id', '=', id).execute();
  },

  async rules(db: Q): Promise<TransferRules | undefined> {
    const row = await db
      .selectFrom('security_transfer_rules')
      .select('rules')
      .where('id', '=', 1)
      .executeTakeFirst();
    return row?.rules;
  },

  async saveRules(trx: Q, rules: TransferRules, updatedBy: string, at: Date): Promise<void> {
    await trx
      .insertInto('security_transfer_rules')
      .values({ id: 1, rules: JSON.stringify(rules), updated_by: updatedBy, updated_at: at })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ rules: JSON.stringify(rules), updated_by: updatedBy, updated_at: at }),
      )
      .execute();
  },
};
