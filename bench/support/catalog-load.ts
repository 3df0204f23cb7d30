// Bulk load of generated, published catalog entries: COPY into an unlogged staging table (the project's
// copyRows on PostgreSQL, COPY FROM '/dev/blob' on PGlite), then one INSERT ... SELECT per chunk that builds
// the weighted tsvector with the repository's SQL expression. Secondary indexes are dropped for the load
// and rebuilt from their own definitions afterwards; the triggers that keep the facet counts and the search
// vocabulary are off meanwhile and both recomputed after; then VACUUM (ANALYZE).
import { sql } from 'kysely';
import { type CopyValue, copyRows, type Db } from '../../packages/server/src/kernel/db/index.ts';
import { catalogRepository } from '../../packages/server/src/modules/catalog/catalog.repository.ts';
import { indexColumns } from '../../packages/server/src/modules/catalog/catalog.search-text.ts';
import type { GeneratedEntry } from './catalog-data.ts';
import { int, seconds } from './format.ts';
import { log } from './measure.ts';

const STAGING = 'bench_catalog_staging';

const STAGING_COLUMNS = [
  'code',
  'organization_id',
  'doc',
  'title_sort',
  'open_type',
  'share_type',
  'grade',
  'facet_terms',
  'last_update',
  'update_cycle',
  'a',
  'b',
  'c',
  'd',
  'usage_count',
  'quality_score',
  'published_at',
] as const;

/** Rows per COPY + INSERT ... SELECT (PGlite takes its COPY input as one blob in memory). */
const CHUNK = { postgres: 25_000, pglite: 10_000 } as const;

export interface LoadTimes {
  /** Entries loaded by this call. */
  added: number;
  /** Metadata generated and its index columns computed (indexColumns), then COPY into the staging table. */
  copyMs: number;
  /** INSERT ... SELECT into catalog_entries with the tsvector expression. */
  insertMs: number;
  /** Until every row was in catalog_entries (copy and insert overlap on PostgreSQL). */
  rowsMs: number;
  /** catalog_facet_counts recomputed (its row triggers are off during the load); 0 without that table. */
  countsMs: number;
  facetCountTriggers: number;
  /** catalog_search_lexemes recomputed (its row triggers are off during the load); 0 without that table. */
  lexemesMs: number;
  lexemeTriggers: number;
  /** Rebuilding the secondary indexes. */
  indexMs: number;
  /** VACUUM (ANALYZE). */
  vacuumMs: number;
  totalMs: number;
}

// COPY text format: backslash, tab, newline and carriage return escaped; \N is NULL.
function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (value instanceof Uint8Array) throw new Error('no bytea in the catalog staging table');
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** A text[] literal: every element double-quoted, quotes and backslashes escaped. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

function stagingRow(entry: GeneratedEntry): CopyValue[] {
  const m = entry.metadata;
  const index = indexColumns(m);
  return [
    m.code ?? null,
    m.organizationId,
    JSON.stringify(m),
    index.titleSort,
    index.openType,
    index.shareType,
    index.grade,
    arrayLiteral(index.facetTerms),
    index.lastUpdate,
    index.updateCycle,
    index.text.a,
    index.text.b,
    index.text.c,
    index.text.d,
    entry.usageCount,
    entry.qualityScore,
    entry.publishedAt.toISOString(),
  ];
}

async function createStaging(db: Db, table: string): Promise<void> {
  await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db.kysely);
  await sql`
    CREATE UNLOGGED TABLE ${sql.table(table)} (
      code text NOT NULL, organization_id uuid NOT NULL, doc jsonb NOT NULL, title_sort text, open_type text,
      share_type text, grade text, facet_terms text[] NOT NULL, last_update date, update_cycle text,
      a text NOT NULL, b text NOT NULL, c text NOT NULL, d text NOT NULL,
      usage_count bigint NOT NULL, quality_score integer NOT NULL, published_at timestamptz NOT NULL
    )`.execute(db.kysely);
}

async function copyChunk(db: Db, table: string, rows: Iterable<CopyValue[]>): Promise<void> {
  if (db.pglite === undefined) {
    const copied = await db.kysely
      .transaction()
      .execute((trx) => copyRows(trx, table, STAGING_COLUMNS, rows));
    if (!copied) throw new Error('COPY FROM STDIN is not available on this connection');
    return;
  }
  // copyRows answers false on PGlite (no COPY FROM STDIN); PGlite reads COPY input from a blob instead.
  const parts: string[] = [];
  for (const row of rows) parts.push(`${row.map(copyField).join('\t')}\n`);
  await db.pglite.query(`COPY ${table} (${STAGING_COLUMNS.join(', ')}) FROM '/dev/blob'`, [], {
    blob: new Blob(parts),
  });
}

/** The SQL expression of catalogRepository.publish for the search column (searchVector there), before the sample lexemes. */
const SEARCH_VECTOR = sql`setweight(to_tsvector('simple', s.a), 'A') || setweight(to_tsvector('simple', s.b), 'B') || setweight(to_tsvector('simple', s.c), 'C') || setweight(to_tsvector('simple', s.d), 'D')`;

async function moveStaged(db: Db, table: string): Promise<void> {
  // The id is drawn first because the sample terms of search and facets come from it, as in publish.
  await sql`
    INSERT INTO catalog_entries (
      id, code, organization_id, state, version, published_version, working, published, source_uri, listed,
      title_sort, open_type, share_type, grade, facet_terms, search, last_update, update_cycle,
      usage_count, quality_score, created_at, updated_at, published_at)
    SELECT s.id, s.code, s.organization_id, 'published', 1, 1, s.doc, s.doc, NULL, true,
      s.title_sort, s.open_type, s.share_type, s.grade, s.facet_terms || catalog_sample_terms(s.id),
      ${SEARCH_VECTOR} || catalog_sample_lexemes(s.id), s.last_update, s.update_cycle,
      s.usage_count, s.quality_score, s.published_at, s.published_at, s.published_at
    FROM (SELECT gen_random_uuid() AS id, t.* FROM ${sql.table(table)} t) s`.execute(db.kysely);
  await sql`TRUNCATE ${sql.table(table)}`.execute(db.kysely);
}

/** Secondary indexes of catalog_entries (not the ones behind the primary key and unique constraints). */
async function secondaryIndexes(db: Db): Promise<{ name: string; definition: string }[]> {
  const result = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = 'catalog_entries'
      AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'catalog_entries'::regclass)
    ORDER BY indexname`.execute(db.kysely);
  return result.rows.map((r) => ({ name: r.indexname, definition: r.indexdef }));
}

/**
 * The row triggers of catalog_entries that run function `track`, when the schema has them and the function
 * `rebuild` that recomputes their table after a bulk load (the documented way: load with the triggers off,
 * then rebuild).
 */
async function derivedTriggers(db: Db, track: string, rebuild: string): Promise<string[]> {
  const found = await sql<{ found: boolean }>`
    SELECT to_regproc(${rebuild}) IS NOT NULL AS found`.execute(db.kysely);
  if (found.rows[0]?.found !== true) return [];
  const result = await sql<{ tgname: string }>`
    SELECT t.tgname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE t.tgrelid = 'catalog_entries'::regclass AND NOT t.tgisinternal AND p.proname = ${track}
    ORDER BY t.tgname`.execute(db.kysely);
  return result.rows.map((r) => r.tgname);
}

/**
 * Adds entries `from` .. `to - 1` of the generator to catalog_entries as published, listed entries, then
 * rebuilds the indexes and runs VACUUM (ANALYZE). Returns where the time went.
 */
export async function loadEntries(
  db: Db,
  entry: (i: number) => GeneratedEntry,
  from: number,
  to: number,
): Promise<LoadTimes> {
  const start = performance.now();
  const chunk = db.pglite === undefined ? CHUNK.postgres : CHUNK.pglite;
  const indexes = await secondaryIndexes(db);
  if (indexes.length < 5)
    throw new Error(`catalog_entries has ${indexes.length} secondary indexes; expected the migration's`);
  for (const index of indexes) await sql`DROP INDEX ${sql.id(index.name)}`.execute(db.kysely);
  const triggers = await derivedTriggers(db, 'catalog_facet_counts_track', 'catalog_facet_counts_rebuild');
  const lexemeTriggers = await derivedTriggers(
    db,
    'catalog_search_lexemes_track',
    'catalog_search_lexemes_rebuild',
  );
  for (const name of [...triggers, ...lexemeTriggers])
    await sql`ALTER TABLE catalog_entries DISABLE TRIGGER ${sql.id(name)}`.execute(db.kysely);
  // Two staging tables on PostgreSQL: chunk k is generated and copied while the server moves chunk k - 1
  // (Node and the server each keep a core busy). PGlite runs in this thread, so there it is one after the other.
  const pipelined = db.pglite === undefined;
  const tables = pipelined ? [STAGING, `${STAGING}_2`] : [STAGING];
  for (const table of tables) await createStaging(db, table);
  let copyMs = 0;
  let insertMs = 0;
  let moving: Promise<void> = Promise.resolve();
  let lastReport = performance.now();
  for (let at = from, k = 0; at < to; at += chunk, k++) {
    const end = Math.min(to, at + chunk);
    const table = tables[k % tables.length]!;
    function* rows(): Generator<CopyValue[]> {
      for (let i = at; i < end; i++) yield stagingRow(entry(i));
    }
    const t = performance.now();
    await copyChunk(db, table, rows());
    copyMs += performance.now() - t;
    await moving;
    const move = async () => {
      const t0 = performance.now();
      await moveStaged(db, table);
      insertMs += performance.now() - t0;
    };
    moving = move();
    if (!pipelined) await moving;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      log(`  loaded ${int(end - from)} of ${int(to - from)} entries (${seconds(performance.now() - start)})`);
    }
  }
  await moving;
  for (const table of tables) await sql`DROP TABLE ${sql.table(table)}`.execute(db.kysely);
  const rowsMs = performance.now() - start;
  let t = performance.now();
  for (const name of [...triggers, ...lexemeTriggers])
    await sql`ALTER TABLE catalog_entries ENABLE TRIGGER ${sql.id(name)}`.execute(db.kysely);
  if (triggers.length > 0) await sql`SELECT catalog_facet_counts_rebuild()`.execute(db.kysely);
  const countsMs = performance.now() - t;
  t = performance.now();
  if (lexemeTriggers.length > 0) await sql`SELECT catalog_search_lexemes_rebuild()`.execute(db.kysely);
  const lexemesMs = performance.now() - t;
  t = performance.now();
  await db.kysely.transaction().execute(async (trx) => {
    // More memory for building the GIN indexes than the server default of 64 MB; queries are unaffected.
    if (db.pglite === undefined) await sql`SET LOCAL maintenance_work_mem = '512MB'`.execute(trx);
    for (const index of indexes) await sql.raw(index.definition).execute(trx);
  });
  const indexMs = performance.now() - t;
  t = performance.now();
  await sql`VACUUM (ANALYZE) catalog_entries`.execute(db.kysely);
  if (triggers.length > 0) await sql`VACUUM (ANALYZE) catalog_facet_counts`.execute(db.kysely);
  // The load's dirty pages written now rather than by a checkpoint in the middle of the measurements.
  if (db.pglite === undefined) await sql`CHECKPOINT`.execute(db.kysely);
  const vacuumMs = performance.now() - t;
  return {
    added: to - from,
    countsMs,
    facetCountTriggers: triggers.length,
    lexemesMs,
    lexemeTriggers: lexemeTriggers.length,
    copyMs,
    insertMs,
    rowsMs,
    indexMs,
    vacuumMs,
    totalMs: performance.now() - start,
  };
}

export interface CatalogStorage {
  rows: number;
  /** Heap and TOAST, without indexes. */
  tableBytes: number;
  /** The heap alone (main fork): what a sequential scan reads when it needs no out-of-line value. */
  heapBytes: number;
  /** Average stored (compressed) size of the search vector and of one metadata copy, from a 1 % sample. */
  searchBytes: number;
  metadataBytes: number;
  indexBytes: number;
  searchIndexBytes: number;
  facetIndexBytes: number;
}

export async function catalogStorage(db: Db): Promise<CatalogStorage> {
  const result = await sql<{
    rows: number;
    total: number;
    heap: number;
    indexes: number;
    search: number;
    facets: number;
    search_value: number;
    metadata_value: number;
  }>`
    SELECT (SELECT count(*) FROM catalog_entries)::int AS rows,
           pg_total_relation_size('catalog_entries')::bigint AS total,
           pg_relation_size('catalog_entries')::bigint AS heap,
           (SELECT avg(pg_column_size(search)) FROM catalog_entries TABLESAMPLE SYSTEM (1))::float8 AS search_value,
           (SELECT avg(pg_column_size(published)) FROM catalog_entries TABLESAMPLE SYSTEM (1))::float8 AS metadata_value,
           pg_indexes_size('catalog_entries')::bigint AS indexes,
           pg_relation_size('catalog_entries_search')::bigint AS search,
           pg_relation_size('catalog_entries_facets')::bigint AS facets`.execute(db.kysely);
  const row = result.rows[0]!;
  return {
    rows: Number(row.rows),
    tableBytes: Number(row.total) - Number(row.indexes),
    heapBytes: Number(row.heap),
    searchBytes: Number(row.search_value),
    metadataBytes: Number(row.metadata_value),
    indexBytes: Number(row.indexes),
    searchIndexBytes: Number(row.search),
    facetIndexBytes: Number(row.facets),
  };
}

/**
 * Checks a few loaded rows against what the repository itself writes on publication: republishes each with
 * catalogRepository.publish (same metadata, same index columns) and compares the derived columns.
 */
export async function checkLoadedRows(
  db: Db,
  entry: (i: number) => GeneratedEntry,
  indexes: number[],
): Promise<void> {
  const derived = (code: string) =>
    sql<{ id: string; v: string }>`
      SELECT id, concat_ws('|', title_sort, open_type, share_type, grade, facet_terms::text, search::text,
                           last_update::text, update_cycle, listed::text, state, published::text) AS v
      FROM catalog_entries WHERE code = ${code}`.execute(db.kysely);
  for (const i of indexes) {
    const metadata = entry(i).metadata;
    const code = metadata.code!;
    const before = (await derived(code)).rows[0];
    if (before === undefined) throw new Error(`entry ${code} was not loaded`);
    await catalogRepository.publish(db.kysely, before.id, 1, metadata, indexColumns(metadata));
    const after = (await derived(code)).rows[0]!;
    if (after.v !== before.v)
      throw new Error(`entry ${code}: the loaded columns differ from what the repository writes`);
  }
}
