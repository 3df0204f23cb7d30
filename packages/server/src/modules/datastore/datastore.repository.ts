import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/index.ts';
import type { TableSchema, ValidationReport } from './datastore.model.ts';
import type { ColumnInfo, LoadOptions, VersionState } from './datastore.tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type ResourceRow = Awaited<ReturnType<typeof resourceById>>;
export type VersionRow = NonNullable<Awaited<ReturnType<typeof version>>>;

function resourceById(db: Q, id: string) {
  return db.selectFrom('datastore_resources').selectAll().where('id', '=', id).executeTakeFirst();
}

function version(db: Q, resourceId: string, n: number) {
  return db
    .selectFrom('datastore_versions')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .where('version', '=', n)
    .executeTakeFirst();
}

/** The only code that reads and writes the datastore's bookkeeping tables. */
export const datastoreRepository = {
  resourceById,
  version,

  resourcesOfEntry(db: Q, entryCode: string) {
    return db
      .selectFrom('datastore_resources')
      .selectAll()
      .where('entry_code', '=', entryCode)
      .orderBy('created_at')
      .execute();
  },

  resourcesByIds(db: Q, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('datastore_resources').selectAll().where('id', 'in', ids).execute();
  },

  insertResource(
    db: Q,
    row: {
      id: string;
      entryCode: string;
      organizationId: string;
      name: string;
      description: string | null;
      createdBy: string | null;
      releaseClearance?: string | null;
    },
  ) {
    return db
      .insertInto('datastore_resources')
      .values({
        id: row.id,
        entry_code: row.entryCode,
        organization_id: row.organizationId,
        name: row.name,
        description: row.description,
        created_by: row.createdBy,
        release_clearance: row.releaseClearance ?? null,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /** Takes the next version number of a resource (row lock: two loads never get the same number). */
  async nextVersion(trx: Transaction<Database>, resourceId: string): Promise<number> {
    const row = await trx
      .updateTable('datastore_resources')
      .set((eb) => ({ next_version: eb('next_version', '+', 1), updated_at: new Date() }))
      .where('id', '=', resourceId)
      .returning('next_version')
      .executeTakeFirstOrThrow();
    return row.next_version - 1;
  },

  insertVersion(
    db: Q,
    row: {
      resourceId: string;
      version: number;
      tableName: string;
      uploadId: string | null;
      filename: string | null;
      options: LoadOptions;
      createdBy: string | null;
      state?: VersionState;
    },
  ) {
    return db
      .insertInto('datastore_versions')
      .values({
        resource_id: row.resourceId,
        version: row.version,
        state: row.state ?? 'loading',
        table_name: row.tableName,
        upload_id: row.uploadId,
        filename: row.filename,
        options: JSON.stringify(row.options),
        created_by: row.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /** A version loaded while its file arrived gets its upload once the file is stored. */
  setVersionUpload(db: Q, resourceId: string, n: number, uploadId: string) {
    return db
      .updateTable('datastore_versions')
      .set({ upload_id: uploadId })
      .where('resource_id', '=', resourceId)
      .where('version', '=', n)
      .execute();
  },

  setVersionJob(db: Q, resourceId: string, n: number, jobId: string) {
    return db
      .updateTable('datastore_versions')
      .set({ job_id: jobId })
      .where('resource_id', '=', resourceId)
      .where('version', '=', n)
      .execute();
  },

  finishVersion(
    db: Q,
    resourceId: string,
    n: number,
    values: {
      state: VersionState;
      schema?: TableSchema;
      columns?: ColumnInfo[];
      report?: ValidationReport;
      rows?: number;
      bytes?: number;
      sha256?: string | null;
      format?: string | null;
      encoding?: string | null;
    },
  ) {
    return db
      .updateTable('datastore_versions')
      .set({
        state: values.state,
        finished_at: new Date(),
        ...(values.state === 'live' ? { live_at: new Date() } : {}),
        ...(values.schema === undefined ? {} : { schema: JSON.stringify(values.schema) }),
        ...(values.columns === undefined ? {} : { columns: JSON.stringify(values.columns) }),
        ...(values.report === undefined ? {} : { report: JSON.stringify(values.report) }),
        ...(values.rows === undefined ? {} : { rows: values.rows }),
        ...(values.bytes === undefined ? {} : { bytes: values.bytes }),
        ...(values.sha256 === undefined ? {} : { sha256: values.sha256 }),
        ...(values.format === undefined ? {} : { format: values.format }),
        ...(values.encoding === undefined ? {} : { encoding: values.encoding }),
      })
      .where('resource_id', '=', resourceId)
      .where('version', '=', n)
      .execute();
  },

  setVersionState(db: Q, resourceId: string, n: number, state: VersionState) {
    return db
      .updateTable('datastore_versions')
      .set({ state })
      .where('resource_id', '=', resourceId)
      .where('version', '=', n)
      .execute();
  },

  updateVersionStats(db: Q, resourceId: string, n: number, rows: number, columns: ColumnInfo[]) {
    return db
      .updateTable('datastore_versions')
      .set({ rows, columns: JSON.stringify(columns) })
      .where('resource_id', '=', resourceId)
      .where('version', '=', n)
      .execute();
  },

  setLive(db: Q, resourceId: string, n: number | null) {
    return db
      .updateTable('datastore_resources')
      .set({ live_version: n, updated_at: new Date() })
      .where('id', '=', resourceId)
      .execute();
  },

  versionsOf(db: Q, resourceId: string) {
    return db
      .selectFrom('datastore_versions')
      .select([
        'resource_id',
        'version',
        'state',
        'rows',
        'bytes',
        'sha256',
        'filename',
        'format',
        'encoding',
        'job_id',
        'created_by',
        'created_at',
        'live_at',
        'report',
      ])
      .where('resource_id', '=', resourceId)
      .orderBy('version', 'desc')
      .execute();
  },

  /** Versions a crashed process left half-loaded: their tables are dropped when the load runs again. */
  loadingVersions(db: Q, resourceId?: string) {
    let query = db.selectFrom('datastore_versions').selectAll().where('state', '=', 'loading');
    if (resourceId !== undefined) query = query.where('resource_id', '=', resourceId);
    return query.execute();
  },

  insertUpload(
    db: Q,
    row: {
      id: string;
      filename: string;
      bytes: number;
      sha256: string;
      storageKey: string;
      createdBy: string | null;
    },
  ) {
    return db
      .insertInto('datastore_uploads')
      .values({
        id: row.id,
        filename: row.filename,
        bytes: row.bytes,
        sha256: row.sha256,
        storage_key: row.storageKey,
        created_by: row.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  upload(db: Q, id: string) {
    return db.selectFrom('datastore_uploads').selectAll().where('id', '=', id).executeTakeFirst();
  },

  intake(db: Q, resourceId: string) {
    return db
      .selectFrom('datastore_intakes')
      .selectAll()
      .where('resource_id', '=', resourceId)
      .executeTakeFirst();
  },

  upsertIntake(
    db: Q,
    row: {
      resourceId: string;
      url: string;
      format: string | null;
      intervalMinutes: number;
      enabled: boolean;
      createdBy: string | null;
    },
  ) {
    return db
      .insertInto('datastore_intakes')
      .values({
        resource_id: row.resourceId,
        url: row.url,
        format: row.format,
        interval_minutes: row.intervalMinutes,
        enabled: row.enabled,
        created_by: row.createdBy,
        next_run_at: new Date(),
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc.column('resource_id').doUpdateSet({
          url: row.url,
          format: row.format,
          interval_minutes: row.intervalMinutes,
          enabled: row.enabled,
          next_run_at: new Date(),
          updated_at: new Date(),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /** Moves the intake's next run forward if it is still the one read; true when this caller got it. */
  async claimIntake(db: Q, resourceId: string, seenNextRun: Date | string): Promise<boolean> {
    const result = await db
      .updateTable('datastore_intakes')
      .set({ next_run_at: new Date(Date.now() + 5 * 60_000) })
      .where('resource_id', '=', resourceId)
      .where('next_run_at', '=', new Date(seenNextRun))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Whether a version that is not pruned still reads this upload. */
  async uploadStillUsed(db: Q, uploadId: string): Promise<boolean> {
    const row = await db
      .selectFrom('datastore_versions')
      .select('version')
      .where('upload_id', '=', uploadId)
      .where('state', '<>', 'pruned')
      .executeTakeFirst();
    return row !== undefined;
  },

  dueIntakes(db: Q, now: Date) {
    return db
      .selectFrom('datastore_intakes')
      .selectAll()
      .where('enabled', '=', true)
      .where('next_run_at', '<=', now)
      .execute();
  },

  recordIntakeRun(
    db: Q,
    resourceId: string,
    values: {
      status: 'unchanged' | 'loaded' | 'failed';
      error: string | null;
      sha256?: string;
      nextRunAt: Date;
      failures: number;
    },
  ) {
    return db
      .updateTable('datastore_intakes')
      .set({
        last_run_at: new Date(),
        last_status: values.status,
        last_error: values.error,
        failures: values.failures,
        next_run_at: values.nextRunAt,
        updated_at: new Date(),
        ...(values.sha256 === undefined ? {} : { last_sha256: values.sha256 }),
      })
      .where('resource_id', '=', resourceId)
      .execute();
  },
};
