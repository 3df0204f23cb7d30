import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../kernel/db/index.ts';
import type { Grade } from '../../catalog/index.ts';
import type {
  DatasetGrading,
  GradingMatrix,
  GradingState,
  OfficerRole,
  ScannerProposal,
} from './grading.model.ts';
import type { SecurityGradingTables, StoredField } from './grading.tables.ts';

type Any = Kysely<Database> | Transaction<Database>;
type Q = Kysely<SecurityGradingTables>;

/** The platform's Database type lists the kernel's and older modules' tables; these are this area's own. */
function own(db: Any): Q {
  return db as unknown as Q;
}

const GRADING_COLUMNS = [
  'id',
  'entry_code',
  'organization_id',
  'state',
  'version',
  'fields',
  'dataset',
  'level',
  'proposals',
  'comment',
  'confirmed_version',
  'confirmed_level',
  'confirmed_by',
  'confirmed_by_name',
  'confirmed_at',
  'updated_by',
  'updated_at',
] as const;

export type GradingRow = NonNullable<Awaited<ReturnType<typeof gradingByCode>>>;

function gradingByCode(db: Any, code: string, lock = false) {
  let query = own(db).selectFrom('security_gradings').select(GRADING_COLUMNS).where('entry_code', '=', code);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface GradingWrite {
  state: GradingState;
  version: number;
  fields: StoredField[];
  dataset: DatasetGrading | null;
  level: Grade;
  proposals: ScannerProposal[];
  comment: string | null;
  updatedBy: string;
}

/** The only code that reads and writes the grading tables. */
export const gradingRepository = {
  async latestMatrix(db: Any): Promise<{ version: number; matrix: GradingMatrix } | undefined> {
    return own(db)
      .selectFrom('security_grading_matrices')
      .select(['version', 'matrix'])
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  async insertMatrix(db: Any, version: number, matrix: GradingMatrix, createdBy: string): Promise<void> {
    await own(db)
      .insertInto('security_grading_matrices')
      .values({ version, matrix: JSON.stringify(matrix), created_by: createdBy })
      .execute();
  },

  gradingByCode,

  gradings(db: Any, filter: { organizationIds?: readonly string[]; states?: readonly GradingState[] }) {
    let query = own(db).selectFrom('security_gradings').select(GRADING_COLUMNS);
    if (filter.organizationIds !== undefined) {
      if (filter.organizationIds.length === 0) return Promise.resolve([]);
      query = query.where('organization_id', 'in', [...filter.organizationIds]);
    }
    if (filter.states !== undefined) query = query.where('state', 'in', [...filter.states]);
    return query.orderBy('entry_code').execute();
  },

  /** Gradings with a confirmed version at one of `levels`, with that version's content. */
  confirmedAt(db: Any, organizationId: string, levels: readonly Grade[]) {
    return own(db)
      .selectFrom('security_gradings as g')
      .innerJoin('security_grading_versions as v', (join) =>
        join.onRef('v.grading_id', '=', 'g.id').onRef('v.version', '=', 'g.confirmed_version'),
      )
      .select([
        'g.entry_code',
        'g.confirmed_level',
        'g.confirmed_by_name',
        'g.confirmed_at',
        'v.fields',
        'v.dataset',
        'v.version',
      ])
      .where('g.organization_id', '=', organizationId)
      .where('g.confirmed_level', 'in', [...levels])
      .orderBy('g.entry_code')
      .execute();
  },

  async insertGrading(db: Any, code: string, organizationId: string, row: GradingWrite) {
    return own(db)
      .insertInto('security_gradings')
      .values({
        entry_code: code,
        organization_id: organizationId,
        ...columns(row),
      })
      .returning(GRADING_COLUMNS)
      .executeTakeFirstOrThrow();
  },

  async updateGrading(
    db: Any,
    id: string,
    row: GradingWrite,
    confirmed?: { level: Grade; by: string; byName: string; at: Date },
  ): Promise<void> {
    await own(db)
      .updateTable('security_gradings')
      .set({
        ...columns(row),
        updated_at: new Date(),
        ...(confirmed === undefined
          ? {}
          : {
              confirmed_version: row.version,
              confirmed_level: confirmed.level,
              confirmed_by: confirmed.by,
              confirmed_by_name: confirmed.byName,
              confirmed_at: confirmed.at,
            }),
      })
      .where('id', '=', id)
      .execute();
  },

  async insertVersion(db: Any, gradingId: string, row: GradingWrite, ledgerIndex: number): Promise<void> {
    await own(db)
      .insertInto('security_grading_versions')
      .values({
        grading_id: gradingId,
        version: row.version,
        state: row.state,
        fields: JSON.stringify(row.fields),
        dataset: JSON.stringify(row.dataset),
        level: row.level,
        proposals: JSON.stringify(row.proposals),
        comment: row.comment,
        actor: row.updatedBy,
        ledger_index: ledgerIndex,
      })
      .execute();
  },

  versions(db: Any, gradingId: string) {
    return own(db)
      .selectFrom('security_grading_versions')
      .select([
        'version',
        'state',
        'fields',
        'dataset',
        'level',
        'comment',
        'actor',
        'ledger_index',
        'created_at',
      ])
      .where('grading_id', '=', gradingId)
      .orderBy('version')
      .execute();
  },

  /** Officers of some organisations: current ones, or the whole history. */
  officers(db: Any, organizationIds: readonly string[] | undefined, history = false) {
    let query = own(db)
      .selectFrom('security_officers')
      .select([
        'id',
        'organization_id',
        'role',
        'user_id',
        'name',
        'email',
        'phone',
        'appointed_by',
        'appointed_at',
        'ended_at',
      ]);
    if (organizationIds !== undefined) {
      if (organizationIds.length === 0) return Promise.resolve([]);
      query = query.where('organization_id', 'in', [...organizationIds]);
    }
    if (!history) query = query.where('ended_at', 'is', null);
    return query.orderBy('organization_id').orderBy('role').orderBy('appointed_at', 'desc').execute();
  },

  /** Ends the current holder (locked) and names the next one. */
  async appoint(
    db: Any,
    row: {
      organizationId: string;
      role: OfficerRole;
      userId: string;
      name: string;
      email: string | null;
      phone: string | null;
      appointedBy: string;
      at: Date;
    },
  ): Promise<{ previous: string | null }> {
    const current = await own(db)
      .selectFrom('security_officers')
      .select(['id', 'user_id'])
      .where('organization_id', '=', row.organizationId)
      .where('role', '=', row.role)
      .where('ended_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (current !== undefined)
      await own(db)
        .updateTable('security_officers')
        .set({ ended_at: row.at })
        .where('id', '=', current.id)
        .execute();
    await own(db)
      .insertInto('security_officers')
      .values({
        organization_id: row.organizationId,
        role: row.role,
        user_id: row.userId,
        name: row.name,
        email: row.email,
        phone: row.phone,
        appointed_by: row.appointedBy,
        appointed_at: row.at,
      })
      .execute();
    return { previous: current?.user_id ?? null };
  },
};

function columns(row: GradingWrite) {
  return {
    state: row.state,
    version: row.version,
    fields: JSON.stringify(row.fields),
    dataset: JSON.stringify(row.dataset),
    level: row.level,
    proposals: JSON.stringify(row.proposals),
    comment: row.comment,
    updated_by: row.updatedBy,
  };
}
