// The datastore at scale: a generated CSV loaded end to end (upload, validation, load, switch to live)
// against raw COPY of the same file, and queries at 10 million rows (filtered, sorted pages by cursor and by
// offset, a streamed CSV dump, an aggregate) against the statements the service sends, run directly.
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type Actor,
  ANONYMOUS,
  systemActor,
  type UserActor,
} from '../packages/server/src/kernel/auth/index.ts';
import type { Db } from '../packages/server/src/kernel/db/index.ts';
import { demoCatalogEntries } from '../packages/server/src/platform/demo-catalog.ts';
import { type Platform, seedDemo } from '../packages/server/src/platform/index.ts';
import type { BenchContext } from './support/context.ts';
import {
  atDispose,
  benchPlatform,
  ENGINE_LABEL,
  type Engine,
  type ThrowawayDb,
  throwawayDatabase,
} from './support/database.ts';
import {
  COLUMNS,
  type GeneratedFile,
  LARGEST_DISTRICT,
  LARGEST_SHARE,
  SQL_TYPES,
  writeCsv,
} from './support/datastore-data.ts';
import type { IngestFigures, IngestJob } from './support/datastore-ingest-child.ts';
import { bytes, int, ms, rate, ratio, seconds, verdict } from './support/format.ts';
import { type IngestPhases, ingestPhases } from './support/ingest-phases.ts';
import { type Latencies, latencies, log, rssSampler } from './support/measure.ts';
import type { ResultRow, ResultTable, Section } from './support/report.ts';
import { type CapturedQuery, captureStatements, rawQuery } from './support/sql-capture.ts';

/** The project's targets: ingest at 0.7 × raw COPY or better on PostgreSQL, under 300 MB RSS for a 1 GB file. */
const TARGET_INGEST_RATIO = 0.7;
const TARGET_RSS = 300 * 1024 * 1024;
const BENCH_PASSWORD = 'bench-Passw0rd!';
const PAGE = 100;
/** The largest page the records API serves: the cursor walk takes it in steps this long. */
const MAX_LIMIT = 32_000;
/** The records index the benchmark declares, as a publisher would with `indexes: [["district", "amount"]]`. */
const INDEX_FIELDS = ['district', 'amount'];

interface Sizes {
  ingestRows: number;
  rounds: Record<Engine, number>;
  /** PostgreSQL only: the file of about 1 GB, whose table the queries then run on. */
  bigRows: number;
  samples: number;
  warmup: number;
  /** Time for the samples of a shape (both sides together); fewer samples when it runs out. */
  budgetMs: number;
  /** The same for shapes that take a second or more per call (offset paging, exact totals, aggregates). */
  slowBudgetMs: number;
  minSamples: number;
  /** Rows of the streamed dump on PostgreSQL (PGlite streams its whole table). */
  streamRows: number;
  streamRounds: number;
}

function sizesFor(ctx: BenchContext): Sizes {
  if (ctx.quick)
    return {
      ingestRows: 20_000,
      rounds: { postgres: 1, pglite: 1 },
      bigRows: 100_000,
      samples: 30,
      warmup: 2,
      budgetMs: 2_000,
      slowBudgetMs: 3_000,
      minSamples: 3,
      streamRows: 50_000,
      streamRounds: 1,
    };
  return {
    ingestRows: 1_000_000,
    rounds: { postgres: 3, pglite: 2 },
    bigRows: 10_000_000,
    samples: 200,
    warmup: 5,
    budgetMs: 10_000,
    slowBudgetMs: 25_000,
    minSamples: 5,
    streamRows: 2_000_000,
    streamRounds: 2,
  };
}

/** The page the deep-paging shapes fetch: about halfway through the rows of the filter at either size. */
function deepPage(rows: number): number {
  return Math.max(2, Math.round(rows / 1000));
}

// ---- Helpers ----------------------------------------------------------------------------------------

async function exec(db: Db, text: string): Promise<void> {
  if (db.pool !== undefined) await db.pool.query(text);
  else await db.pglite!.exec(text);
}

async function runAll(db: Db, queries: readonly CapturedQuery[]): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const q of queries) out.push(await rawQuery(db, q));
  return out;
}

/**
 * Alternates ours and the baseline, one call at a time (which goes first alternates too), after a warm-up,
 * until `samples` each or the budget is spent (at least `minSamples`).
 */
async function latencyPair(
  sizes: Sizes,
  budgetMs: number,
  ours: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
): Promise<{ ours: Latencies; baseline: Latencies }> {
  const warmStart = performance.now();
  for (let i = 0; i < sizes.warmup && performance.now() - warmStart < 2_000; i++) {
    await ours();
    await baseline();
  }
  const oursSamples: number[] = [];
  const baselineSamples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < sizes.samples; i++) {
    if (i >= sizes.minSamples && performance.now() - start > budgetMs) break;
    const order = i % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
    for (const side of order) {
      const t = performance.now();
      if (side === 'ours') await ours();
      else await baseline();
      (side === 'ours' ? oursSamples : baselineSamples).push(performance.now() - t);
    }
  }
  return { ours: latencies(oursSamples), baseline: latencies(baselineSamples) };
}

// ---- Platform ---------------------------------------------------------------------------------------

interface Setup {
  database: ThrowawayDb;
  platform: Platform;
  db: Db;
  actor: Actor;
  /** A member of the providing organisation: its reads are not logged. */
  provider: UserActor;
  entryCode: string;
}

/** A platform with the demo organisations and one published, unconditionally open catalog entry. */
async function setUp(ctx: BenchContext, engine: Engine): Promise<Setup> {
  const database = await throwawayDatabase(engine, { adminUrl: ctx.adminUrl });
  try {
    const platform = await benchPlatform(database);
    await seedDemo(platform.identity, BENCH_PASSWORD);
    const orgs = (await platform.identity.listOrganizations(undefined, 0, 1000)).items;
    const metadata = demoCatalogEntries(
      orgs.map((o) => ({ id: o.id, code: o.code, creditCode: o.creditCode })),
    ).find((e) => e.openType === 'unconditional' && e.grade !== 'core');
    if (metadata === undefined) throw new Error('the demo catalog has no open entry');
    const actor = systemActor('bench');
    const entry = await platform.catalog.create(actor, metadata, 'zh');
    const submission = await platform.catalog.submit(
      actor,
      metadata.organizationId,
      [entry.id],
      'bench',
      'zh',
    );
    await platform.catalog.review(actor, submission.id, { approve: true });
    const provider: UserActor = {
      kind: 'user',
      userId: '00000000-0000-4000-8000-00000000b001',
      username: 'bench-provider',
      platformRoles: [],
      memberships: new Map([[metadata.organizationId, 'member' as const]]),
      via: 'session',
      scopes: undefined,
    };
    return { database, platform, db: platform.db, actor, provider, entryCode: entry.code };
  } catch (error) {
    await database.dispose();
    throw error;
  }
}

async function liveTable(
  s: Setup,
  resourceId: string,
): Promise<{ version: number; table: string; rows: number }> {
  const row = await s.db.kysely
    .selectFrom('datastore_versions as v')
    .innerJoin('datastore_resources as r', (j) =>
      j.onRef('r.id', '=', 'v.resource_id').onRef('r.live_version', '=', 'v.version'),
    )
    .select(['v.version', 'v.table_name', 'v.rows'])
    .where('v.resource_id', '=', resourceId)
    .executeTakeFirstOrThrow();
  return { version: row.version, table: row.table_name, rows: row.rows ?? 0 };
}

// ---- Ingest -----------------------------------------------------------------------------------------

interface Run {
  ms: number;
  rssBefore: number;
  rssPeak: number;
}

interface RawRun extends Run {
  /** After the COPY: the primary key and ANALYZE that the loader adds, on the same kind of column. */
  keyMs: number;
}

interface OursRun extends Run, IngestPhases {}

interface IngestResult {
  engine: Engine;
  file: GeneratedFile;
  raw: RawRun[];
  ours: OursRun[];
}

const RAW_TABLE = 'bench_raw_copy';
const CHILD = join(import.meta.dirname, 'support', 'datastore-ingest-child.ts');

/** Runs one PostgreSQL ingest in a child process (the same Node binary) and returns its figures. */
function ingestInChild(job: IngestJob): Promise<IngestFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', CHILD], {
      env: { ...process.env, BENCH_INGEST: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`ingest child (${job.mode}) exited with ${code}: ${stderr.trim().slice(-800)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as IngestFigures);
      } catch {
        reject(new Error(`ingest child printed no result: ${stdout.slice(0, 300)} ${stderr.slice(-300)}`));
      }
    });
  });
}

/** The URL of the throwaway database, for a child process. */
async function databaseUrl(ctx: BenchContext, db: Db): Promise<string> {
  const rows = await rawQuery<{ name: string }>(db, {
    sql: 'SELECT current_database() AS name',
    parameters: [],
  });
  const url = new URL(ctx.adminUrl);
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}

async function rawCopy(ctx: BenchContext, s: Setup, file: GeneratedFile): Promise<RawRun> {
  const columns = COLUMNS.map(([name, type]) => `"${name}" ${SQL_TYPES[type]}`).join(', ');
  await exec(s.db, `DROP TABLE IF EXISTS ${RAW_TABLE}`);
  await exec(s.db, `CREATE TABLE ${RAW_TABLE} (${columns})`);
  await exec(s.db, 'CHECKPOINT');
  let run: Run;
  let copied: number;
  if (s.db.pool !== undefined) {
    const figures = await ingestInChild({
      mode: 'raw',
      url: await databaseUrl(ctx, s.db),
      dataDir: s.database.dataDir,
      path: file.path,
      table: RAW_TABLE,
    });
    run = { ms: figures.ms, rssBefore: figures.rssBefore, rssPeak: figures.rssPeak };
    copied = figures.rows;
  } else {
    const rss = rssSampler();
    const start = performance.now();
    const blob = await openAsBlob(file.path);
    const result = await s.db.pglite!.query(
      `COPY ${RAW_TABLE} FROM '/dev/blob' WITH (FORMAT csv, HEADER)`,
      [],
      {
        blob,
      },
    );
    const elapsed = performance.now() - start;
    run = { ms: elapsed, rssBefore: rss.before, rssPeak: rss.stop() };
    copied = result.affectedRows ?? 0;
  }
  if (copied !== file.rows) throw new Error(`raw COPY wrote ${copied} rows of ${file.rows}`);
  // record_id holds 1..n in file order, as `_id` does in the loader's table.
  const keyStart = performance.now();
  await exec(s.db, `ALTER TABLE ${RAW_TABLE} ADD PRIMARY KEY (record_id)`);
  await exec(s.db, `ANALYZE ${RAW_TABLE}`);
  const keyMs = performance.now() - keyStart;
  // Dropped at once, so that no autovacuum of it runs into the next measurement.
  await exec(s.db, `DROP TABLE ${RAW_TABLE}`);
  return { ...run, keyMs };
}

/** In-process on PGlite (the engine is part of the process), in a child process on PostgreSQL. */
async function loadOnce(
  ctx: BenchContext,
  s: Setup,
  resourceId: string,
  file: GeneratedFile,
): Promise<OursRun> {
  await exec(s.db, 'CHECKPOINT');
  let figures: IngestFigures;
  if (s.db.pool !== undefined) {
    figures = await ingestInChild({
      mode: 'load',
      url: await databaseUrl(ctx, s.db),
      dataDir: s.database.dataDir,
      path: file.path,
      resourceId,
    });
  } else {
    const phases = ingestPhases();
    const rss = rssSampler();
    const start = performance.now();
    const result = await s.platform.datastore.loadNow(
      s.actor,
      resourceId,
      createReadStream(file.path),
      'data.csv',
      {},
      phases.progress,
    );
    const end = performance.now();
    figures = {
      ms: end - start,
      ...phases.finish(start, end),
      rssBefore: rss.before,
      rssPeak: rss.stop(),
      rows: result.rows ?? 0,
      state: result.state,
      types: result.report?.schema.fields.map((f) => `${f.name}:${f.type}`).join(',') ?? '',
      error: result.report?.errors[0]?.message ?? '',
    };
  }
  if (figures.state !== 'live' || figures.rows !== file.rows)
    throw new Error(`loadNow: ${figures.state}, ${figures.rows} rows of ${file.rows}: ${figures.error}`);
  const expected = COLUMNS.map(([name, type]) => `${name}:${type}`).join(',');
  if (figures.types !== expected) throw new Error(`inferred ${figures.types}, expected ${expected}`);
  const live = await liveTable(s, resourceId);
  // Vacuumed now (untimed), as autovacuum would do soon after, so that it does not run into the next measurement.
  await exec(s.db, `VACUUM ${live.table}`);
  if (live.version > 1) await s.platform.datastore.prune(s.actor, resourceId, live.version - 1);
  return {
    ms: figures.ms,
    startMs: figures.startMs,
    rowsMs: figures.rowsMs,
    keysMs: figures.keysMs,
    liveMs: figures.liveMs,
    statsMs: figures.statsMs,
    rssBefore: figures.rssBefore,
    rssPeak: figures.rssPeak,
  };
}

/** Baseline and ours in alternating order (raw, ours; ours, raw; ...), the median round counting. */
async function measureIngest(
  ctx: BenchContext,
  s: Setup,
  resourceId: string,
  file: GeneratedFile,
  rounds: number,
): Promise<IngestResult> {
  const result: IngestResult = { engine: s.database.engine, file, raw: [], ours: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['raw', 'ours'] as const) : (['ours', 'raw'] as const);
    for (const side of order) {
      if (side === 'raw') result.raw.push(await rawCopy(ctx, s, file));
      else result.ours.push(await loadOnce(ctx, s, resourceId, file));
    }
    const r = result.raw.at(-1)!;
    const o = result.ours.at(-1)!;
    log(
      `  ${s.database.engine} ingest ${int(file.rows)} round ${round + 1}: raw COPY ${seconds(r.ms)}, loadNow live at ${seconds(o.liveMs)} ` +
        `(start ${seconds(o.startMs)}, rows ${seconds(o.rowsMs)}, keys + switch ${seconds(o.keysMs)}), ANALYZE ${seconds(o.statsMs)}, peak RSS ${bytes(o.rssPeak)}`,
    );
  }
  return result;
}

function medianBy<T>(runs: readonly T[], key: (run: T) => number): T {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

// ---- Queries ----------------------------------------------------------------------------------------

interface LatencyRow {
  label: string;
  calls: string;
  ours: Latencies;
  baseline: Latencies;
  baselineLabel: string;
}

interface StreamFigures {
  rows: number;
  bytes: number;
  oursMs: number[];
  rawMs: number[];
}

interface QueryResult {
  engine: Engine;
  rows: number;
  matches: number;
  page: number;
  walkMs: number;
  walkCalls: number;
  indexMs: number;
  latency: LatencyRow[];
  stream: StreamFigures;
  plan: string;
}

function planText(node: { 'Node Type': string; 'Index Name'?: string; Plans?: unknown[] }): string {
  const parts: string[] = [];
  let n: typeof node | undefined = node;
  while (n !== undefined) {
    parts.push(n['Index Name'] === undefined ? n['Node Type'] : `${n['Node Type']} using ${n['Index Name']}`);
    n = n.Plans?.[0] as typeof node | undefined;
  }
  return parts.join(' → ');
}

/** Reads the whole dump of the baseline: the batch statements the service sends, run in a loop on the driver. */
async function rawStream(db: Db, first: CapturedQuery, next: CapturedQuery, cursorAt: number, max: number) {
  let sent = 0;
  let rows = await rawQuery<{ _id: string }>(db, first);
  const batch = rows.length;
  for (;;) {
    sent += rows.length;
    if (rows.length < batch || sent >= max) return sent;
    const parameters = [...next.parameters];
    parameters[cursorAt] = String(rows.at(-1)!._id);
    rows = await rawQuery<{ _id: string }>(db, { sql: next.sql, parameters });
  }
}

async function measureQueries(
  ctx: BenchContext,
  s: Setup,
  resourceId: string,
  sizes: Sizes,
): Promise<QueryResult> {
  const { db, platform } = s;
  const engine = s.database.engine;
  const live = await liveTable(s, resourceId);
  const datastore = platform.datastore;

  // The index the loader builds for a declared index (buildIndexes): the fields, then `_id` for keyset paging.
  const short = live.table.split('.').pop()!.replaceAll('"', '');
  const indexStart = performance.now();
  await exec(
    db,
    `CREATE INDEX "${short}_i1" ON ${live.table} (${[...INDEX_FIELDS, '_id'].map((f) => `"${f}"`).join(', ')})`,
  );
  await exec(db, `VACUUM (ANALYZE) ${live.table}`);
  const indexMs = performance.now() - indexStart;

  const filters = { district: LARGEST_DISTRICT };
  const base = { filters, sort: 'amount', total: 'none' as const };
  const counted = await rawQuery<{ n: string | number }>(db, {
    sql: `SELECT count(*) AS n FROM ${live.table} WHERE district = $1`,
    parameters: [LARGEST_DISTRICT],
  });
  const matches = Number(counted[0]!.n);
  const page = deepPage(live.rows);
  if (page * PAGE > matches) throw new Error(`page ${page} is past the ${matches} matches`);

  await ctx.settle(`${engine} queries`);
  const latency: LatencyRow[] = [];
  const pair = async (
    label: string,
    calls: string,
    budgetMs: number,
    ours: () => Promise<unknown>,
    statements: CapturedQuery[],
    baselineLabel = 'raw SQL',
  ) => {
    if (statements.length === 0) throw new Error(`${label}: no statement captured`);
    const figures = await latencyPair(sizes, budgetMs, ours, () => runAll(db, statements));
    latency.push({ label, calls, ...figures, baselineLabel });
    log(
      `  ${engine} ${label}: p50 ${ms(figures.ours.p50)} / p99 ${ms(figures.ours.p99)} ` +
        `(raw ${ms(figures.baseline.p50)} / ${ms(figures.baseline.p99)}), ${figures.ours.samples} samples`,
    );
  };

  // (a) Page 1, filtered and sorted.
  const first = await captureStatements(db, live.table, () => datastore.records(ANONYMOUS, resourceId, base));
  if (first.result.records.length !== PAGE) throw new Error(`page 1 has ${first.result.records.length} rows`);
  const firstRaw = await runAll(db, first.statements);
  if ((firstRaw[0]?.[0] as { _id: string } | undefined)?._id !== String(first.result.records[0]!._id))
    throw new Error('page 1: the raw statement starts at another row');
  const explained = await rawQuery<{ 'QUERY PLAN': unknown }>(db, {
    sql: `EXPLAIN (FORMAT JSON) ${first.statements[0]!.sql}`,
    parameters: first.statements[0]!.parameters,
  });
  const planJson = explained[0]!['QUERY PLAN'];
  const plan = planText(
    (
      (typeof planJson === 'string' ? JSON.parse(planJson) : planJson) as { Plan: { 'Node Type': string } }[]
    )[0]!.Plan,
  );
  await pair(
    'page 1',
    'records(anonymous)',
    sizes.budgetMs,
    () => datastore.records(ANONYMOUS, resourceId, base),
    first.statements,
  );
  await pair(
    'page 1, read by the provider (not logged)',
    'records(provider)',
    sizes.budgetMs,
    () => datastore.records(s.provider, resourceId, base),
    first.statements,
  );
  const url =
    `/api/v1/datastore/${resourceId}/records?filters=${encodeURIComponent(JSON.stringify(filters))}` +
    '&sort=amount&total=none';
  const viaHttp = async () => {
    const response = await platform.app.inject({ method: 'GET', url });
    if (response.statusCode !== 200) throw new Error(`GET records: ${response.statusCode} ${response.body}`);
    return response.body;
  };
  await pair('page 1 over HTTP', 'GET …/records (app.inject)', sizes.budgetMs, viaHttp, first.statements);
  // The service keeps a filter's total for a few seconds: each call here adds a lower bound on amount under
  // every value, a new one each time, so that every call counts its matches (the rows are the same).
  let bound = 0;
  const countedFilters = () => ({ ...filters, amount: { gte: -1 - ++bound } });
  const exact = await captureStatements(db, live.table, () =>
    datastore.records(ANONYMOUS, resourceId, { filters: countedFilters(), sort: 'amount', total: 'exact' }),
  );
  if (exact.result.total !== matches)
    throw new Error(`exact total ${exact.result.total}, counted ${matches}`);
  await pair(
    'page 1 with the exact total',
    'records(anonymous), total: exact',
    sizes.slowBudgetMs,
    () =>
      datastore.records(ANONYMOUS, resourceId, { filters: countedFilters(), sort: 'amount', total: 'exact' }),
    exact.statements,
  );

  // (b) The same query at a deep page by cursor: walked to once in the largest steps the API allows.
  const before = (page - 1) * PAGE;
  const walkStart = performance.now();
  let cursor: string | undefined;
  let walkCalls = 0;
  for (let remaining = before; remaining > 0; ) {
    const step = Math.min(MAX_LIMIT, remaining);
    const result = await datastore.records(ANONYMOUS, resourceId, {
      ...base,
      limit: step,
      ...(cursor === undefined ? {} : { cursor }),
    });
    walkCalls++;
    if (result.nextCursor === null) throw new Error('the cursor walk ended early');
    cursor = result.nextCursor;
    remaining -= step;
  }
  const walkMs = performance.now() - walkStart;
  const byCursor = { ...base, cursor: cursor! };
  const deep = await captureStatements(db, live.table, () =>
    datastore.records(ANONYMOUS, resourceId, byCursor),
  );
  const byOffset = { ...base, offset: before };
  const offset = await captureStatements(db, live.table, () =>
    datastore.records(ANONYMOUS, resourceId, byOffset),
  );
  const a = deep.result.records.map((r) => r._id).join();
  const b = offset.result.records.map((r) => r._id).join();
  if (a !== b || deep.result.records.length !== PAGE)
    throw new Error(`page ${page}: cursor and offset differ`);
  await pair(
    `page ${int(page)} by cursor`,
    'records(anonymous, cursor)',
    sizes.budgetMs,
    () => datastore.records(ANONYMOUS, resourceId, byCursor),
    deep.statements,
  );
  await pair(
    `page ${int(page)} by offset ${int(before)}`,
    'records(anonymous, offset)',
    sizes.slowBudgetMs,
    () => datastore.records(ANONYMOUS, resourceId, byOffset),
    offset.statements,
  );

  // (e) Aggregate over every row: low-cardinality group, count and average.
  const aggregateParams = { groupBy: 'district', metrics: 'count,avg:amount' };
  const agg = await captureStatements(db, live.table, () =>
    datastore.aggregate(ANONYMOUS, resourceId, aggregateParams),
  );
  const summed = agg.result.rows.reduce((n, r) => n + Number(r.count), 0);
  if (summed !== live.rows) throw new Error(`aggregate counts ${summed} of ${live.rows} rows`);
  await pair(
    `aggregate: group by district (${agg.result.rows.length} groups), count + avg(amount), every row`,
    'aggregate(anonymous)',
    sizes.slowBudgetMs,
    () => datastore.aggregate(ANONYMOUS, resourceId, aggregateParams),
    agg.statements,
  );

  // (d) Streamed CSV dump into a null sink, against the same keyset batches read on the driver.
  const streamRows = engine === 'postgres' ? Math.min(sizes.streamRows, live.rows) : live.rows;
  const dump = async (limit: number) => {
    const out = await datastore.stream(ANONYMOUS, resourceId, { format: 'csv', limit }, 'download');
    let produced = 0;
    let lines = 0;
    await pipeline(
      out.body,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          produced += chunk.length;
          for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
          callback();
        },
      }),
    );
    return { produced, lines };
  };
  const probe = await captureStatements(db, live.table, () => dump(10_000));
  const [firstBatch, nextBatch] = probe.statements;
  if (firstBatch === undefined || nextBatch === undefined)
    throw new Error('the dump sent fewer than two batches');
  const firstRows = await rawQuery<{ _id: string }>(db, firstBatch);
  const cursorAt = nextBatch.parameters.indexOf(String(firstRows.at(-1)!._id));
  if (cursorAt < 0) throw new Error('the second batch carries no cursor');
  const stream: StreamFigures = { rows: streamRows, bytes: 0, oursMs: [], rawMs: [] };
  for (let round = 0; round < sizes.streamRounds; round++) {
    const order = round % 2 === 0 ? (['raw', 'ours'] as const) : (['ours', 'raw'] as const);
    for (const side of order) {
      const t = performance.now();
      if (side === 'ours') {
        const { produced, lines } = await dump(streamRows);
        stream.oursMs.push(performance.now() - t);
        stream.bytes = produced;
        if (lines !== streamRows + 1) throw new Error(`the dump has ${lines - 1} rows of ${streamRows}`);
      } else {
        const read = await rawStream(db, firstBatch, nextBatch, cursorAt, streamRows);
        stream.rawMs.push(performance.now() - t);
        if (read !== streamRows) throw new Error(`the raw batches read ${read} rows of ${streamRows}`);
      }
    }
  }
  log(
    `  ${engine} dump of ${int(streamRows)} rows: ${seconds(Math.min(...stream.oursMs))} (raw batches ${seconds(Math.min(...stream.rawMs))})`,
  );
  return {
    engine,
    rows: live.rows,
    matches,
    page,
    walkMs,
    walkCalls,
    indexMs,
    latency,
    stream,
    plan,
  };
}

// ---- One engine -------------------------------------------------------------------------------------

interface EngineResult {
  engine: Engine;
  ingest: IngestResult;
  big: IngestResult | undefined;
  queries: QueryResult;
  ms: { ingest: number; big: number; queries: number };
}

async function measureEngine(
  ctx: BenchContext,
  engine: Engine,
  sizes: Sizes,
  file: GeneratedFile,
  dir: string,
): Promise<EngineResult> {
  const s = await setUp(ctx, engine);
  try {
    const times = { ingest: 0, big: 0, queries: 0 };
    let t = performance.now();
    const small = await s.platform.datastore.createResource(s.actor, {
      entryCode: s.entryCode,
      name: `bench ${int(file.rows)} rows`,
    });
    await ctx.settle(`${engine} ingest`);
    log(
      `datastore ${engine}: ingest of ${int(file.rows)} rows (${bytes(file.bytes)}), ${sizes.rounds[engine]} rounds`,
    );
    const ingest = await measureIngest(ctx, s, small.id, file, sizes.rounds[engine]);
    times.ingest = performance.now() - t;

    let big: IngestResult | undefined;
    let queryResource = small.id;
    if (engine === 'postgres') {
      t = performance.now();
      log(`datastore postgres: writing ${int(sizes.bigRows)} rows`);
      const bigFile = await writeCsv(join(dir, 'big.csv'), sizes.bigRows);
      try {
        const resource = await s.platform.datastore.createResource(s.actor, {
          entryCode: s.entryCode,
          name: `bench ${int(bigFile.rows)} rows`,
        });
        await ctx.settle('postgres ingest of the large file');
        log(`datastore postgres: ingest of ${int(bigFile.rows)} rows (${bytes(bigFile.bytes)})`);
        big = await measureIngest(ctx, s, resource.id, bigFile, 1);
        queryResource = resource.id;
      } finally {
        rmSync(bigFile.path, { force: true });
      }
      times.big = performance.now() - t;
    }

    t = performance.now();
    log(`datastore ${engine}: queries`);
    const queries = await measureQueries(ctx, s, queryResource, sizes);
    times.queries = performance.now() - t;
    await s.platform.stop();
    return { engine, ingest, big, queries, ms: times };
  } finally {
    await s.database.dispose();
  }
}

// ---- Section ----------------------------------------------------------------------------------------

function ingestRows(r: IngestResult): ResultRow[] {
  const rows = r.file.rows;
  const perSecond = (msValue: number) => (rows / msValue) * 1000;
  const raw = medianBy(r.raw, (x) => x.ms);
  const ours = medianBy(r.ours, (x) => x.liveMs);
  const whole = medianBy(r.ours, (x) => x.ms);
  const rowsPhase = medianBy(r.ours, (x) => x.rowsMs);
  const keyed = medianBy(r.raw, (x) => x.ms + x.keyMs);
  const big = rows >= 5_000_000;
  // The target is set for the 1,000,000-row file; the 1 GB file is there for memory.
  const targeted = r.engine === 'postgres' && !big;
  const e2e = raw.ms / ours.liveMs;
  const rounds = r.ours.length > 1 ? `median of ${r.ours.length} rounds` : 'one run';
  return [
    {
      figure: `end to end, upload → validated → live (${rounds}), rows/s`,
      ours: `${rate(perSecond(ours.liveMs))}/s (${seconds(ours.liveMs)})`,
      baseline: `${rate(perSecond(raw.ms))}/s raw COPY (${seconds(raw.ms)})`,
      ratio: ratio(e2e),
      target: targeted ? `≥ ${TARGET_INGEST_RATIO}×: ${verdict(e2e, TARGET_INGEST_RATIO, 'higher')}` : '—',
    },
    {
      figure:
        'until the load returns, planner statistics (ANALYZE) gathered after the switch, against raw COPY followed by a primary key and ANALYZE, rows/s',
      ours: `${rate(perSecond(whole.ms))}/s (${seconds(whole.ms)})`,
      baseline: `${rate(perSecond(keyed.ms + keyed.keyMs))}/s raw COPY + key + ANALYZE (${seconds(keyed.ms + keyed.keyMs)})`,
      ratio: ratio((keyed.ms + keyed.keyMs) / whole.ms),
      target: '—',
    },
    {
      figure:
        'of which reading, validating and writing the rows while the file is stored and hashed (until COPY is done), rows/s',
      ours: `${rate(perSecond(rowsPhase.rowsMs))}/s (${seconds(rowsPhase.rowsMs)})`,
      baseline: `${rate(perSecond(raw.ms))}/s raw COPY`,
      ratio: ratio(raw.ms / rowsPhase.rowsMs),
      target: '—',
    },
    {
      figure: `peak RSS of the ingesting process, ${r.ours.length > 1 ? 'each round' : 'one run'} (its RSS just before, after a full GC)`,
      ours: `${r.ours.map((x) => bytes(x.rssPeak)).join(' / ')} (${bytes(ours.rssBefore)} before)`,
      baseline: `${r.raw.map((x) => bytes(x.rssPeak)).join(' / ')} (${bytes(raw.rssBefore)} before) raw COPY`,
      ratio: '—',
      target: big
        ? `< ${bytes(TARGET_RSS)} for a 1 GB file: ${verdict(Math.max(...r.ours.map((x) => x.rssPeak)), TARGET_RSS, 'lower')}`
        : `${bytes(TARGET_RSS)} is the target for a 1 GB file; this file is ${bytes(r.file.bytes)}`,
    },
  ];
}

function ingestNote(r: IngestResult): string {
  const runs = r.ours.map(
    (o) =>
      `live at ${seconds(o.liveMs)} (checks and version record ${seconds(o.startMs)}, rows ${seconds(o.rowsMs)}, primary key + switch ${seconds(o.keysMs)}), then ANALYZE ${seconds(o.statsMs)}`,
  );
  return (
    `${ENGINE_LABEL[r.engine]} ingest of ${int(r.file.rows)} rows, every round: loadNow ${runs.join('; ')}; ` +
    `raw COPY ${r.raw.map((x) => `${seconds(x.ms)} (then key + ANALYZE ${seconds(x.keyMs)})`).join(', ')}.`
  );
}

function latencyRows(q: QueryResult): ResultRow[] {
  return q.latency.map((l) => ({
    figure: `${l.label}: \`${l.calls}\`, ${l.ours.samples} samples; p50 / p99`,
    ours: `${ms(l.ours.p50)} / ${ms(l.ours.p99)}`,
    baseline: `${ms(l.baseline.p50)} / ${ms(l.baseline.p99)} ${l.baselineLabel}`,
    ratio: `${ratio(l.ours.p50 / l.baseline.p50)} / ${ratio(l.ours.p99 / l.baseline.p99)}`,
    target: '—',
  }));
}

function streamRow(q: QueryResult): ResultRow {
  const f = q.stream;
  const oursMs = Math.min(...f.oursMs);
  const rawMs = Math.min(...f.rawMs);
  const what = f.rows === q.rows ? 'the whole table' : `the first ${int(f.rows)} rows`;
  return {
    figure: `streamed CSV dump of ${what} (\`stream(format csv)\` into a null sink, ${bytes(f.bytes)}; best of ${f.oursMs.length}), rows/s`,
    ours: `${rate((f.rows / oursMs) * 1000)}/s (${seconds(oursMs)})`,
    baseline: `${rate((f.rows / rawMs) * 1000)}/s the same batches as raw SQL, not serialised (${seconds(rawMs)})`,
    ratio: ratio(rawMs / oursMs),
    target: '—',
  };
}

export async function datastoreBench(ctx: BenchContext): Promise<Section> {
  const sizes = sizesFor(ctx);
  const dir = mkdtempSync(join(tmpdir(), 'datapolis-bench-datastore-'));
  const removeDir = atDispose(async () => rmSync(dir, { recursive: true, force: true }));
  const results: EngineResult[] = [];
  try {
    const t = performance.now();
    const file = await writeCsv(join(dir, 'data.csv'), sizes.ingestRows);
    log(
      `datastore: ${int(file.rows)} rows written (${bytes(file.bytes)}) in ${seconds(performance.now() - t)}`,
    );
    for (const engine of ctx.engines) results.push(await measureEngine(ctx, engine, sizes, file, dir));
  } finally {
    await removeDir();
  }

  const tables: ResultTable[] = [];
  const notes: string[] = [];
  for (const r of results) {
    tables.push({
      caption: `Ingest, ${ENGINE_LABEL[r.engine]}: ${int(r.ingest.file.rows)} rows, ${bytes(r.ingest.file.bytes)} CSV`,
      rows: ingestRows(r.ingest),
    });
    if (r.big !== undefined)
      tables.push({
        caption: `Ingest, ${ENGINE_LABEL[r.engine]}: ${int(r.big.file.rows)} rows, ${bytes(r.big.file.bytes)} CSV`,
        rows: ingestRows(r.big),
      });
  }
  for (const r of results) {
    const q = r.queries;
    tables.push({
      caption:
        `Queries, ${ENGINE_LABEL[r.engine]}, ${int(q.rows)} rows: filter district = ${LARGEST_DISTRICT} ` +
        `(${int(q.matches)} matches), sort by amount, ${PAGE} rows per page`,
      rows: [...latencyRows(q), streamRow(q)],
    });
  }

  for (const r of results) {
    notes.push(ingestNote(r.ingest));
    if (r.big !== undefined) notes.push(ingestNote(r.big));
  }
  for (const r of results) {
    const q = r.queries;
    notes.push(
      `${ENGINE_LABEL[r.engine]} queries: the index on (district, amount, _id) built in ${seconds(q.indexMs)} with VACUUM (ANALYZE); ` +
        `the page-1 statement's plan: ${q.plan}. The cursor walk to page ${int(q.page)} took ${seconds(q.walkMs)} in ${q.walkCalls} calls of up to ${int(MAX_LIMIT)} rows.`,
    );
  }
  const pglite = results.find((r) => r.engine === 'pglite');
  if (pglite !== undefined) {
    const q = pglite.queries;
    const scale = sizes.bigRows / q.rows;
    const loadMs = medianBy(pglite.ingest.ours, (x) => x.ms).ms * (sizes.bigRows / pglite.ingest.file.rows);
    const aggregate = q.latency.find((l) => l.label.startsWith('aggregate'));
    const offset = q.latency.find((l) => l.label.includes('by offset'));
    notes.push(
      `PGlite runs the queries at ${int(q.rows)} rows, the table of its own ingest, not at ${int(sizes.bigRows)}: its figures here, ` +
        `scaled by ${scale}, put the load at about ${seconds(loadMs)}, the index at ${seconds(q.indexMs * scale)}, one dump of the table at ` +
        `${seconds(Math.min(...q.stream.oursMs) * scale)}` +
        (aggregate === undefined ? '' : `, each aggregate call at ${seconds(aggregate.ours.p50 * scale)}`) +
        (offset === undefined
          ? ''
          : ` and each call for page ${int(deepPage(sizes.bigRows))} by offset at ${seconds(offset.ours.p50 * scale)}`) +
        ' (one query at a time on a single-threaded WebAssembly engine), for figures that would only scale with the rows.',
    );
  }
  for (const r of results) {
    const page1 = r.queries.latency.find((l) => l.label === 'page 1');
    const exact = r.queries.latency.find((l) => l.label.includes('exact total'));
    if (page1 !== undefined && exact !== undefined)
      notes.push(
        `${ENGINE_LABEL[r.engine]}: with \`total: "exact"\`, \`records\` counts every match (${int(r.queries.matches)} here) ` +
          'on each call whose filter it has not counted in the last 5 seconds (each call here adds a new lower bound on ' +
          `amount, under every value, to be one), page 1 taking ${ms(exact.ours.p50)} at p50 against ${ms(page1.ours.p50)} with \`total: "none"\`; ` +
          'without a `total` parameter a filtered total is counted up to 1,000,000 rows and estimated by the planner past them.',
      );
  }
  notes.push(
    `Time taken: ${results
      .map(
        (r) =>
          `${ENGINE_LABEL[r.engine]} ingest ${seconds(r.ms.ingest)}` +
          (r.big === undefined ? '' : `, large file (written, loaded twice) ${seconds(r.ms.big)}`) +
          `, queries ${seconds(r.ms.queries)}`,
      )
      .join('; ')}.`,
  );

  const bigNote = ctx.engines.includes('postgres')
    ? ` On PostgreSQL a second file of ${int(sizes.bigRows)} rows of the same shape (about 1 GB) is loaded once each way ` +
      '(raw COPY first); its table, as the loader made it, is the one the PostgreSQL queries run on.'
    : '';
  return {
    id: 'datastore',
    title: 'Datastore: ingest and queries',
    measured: ctx.measured,
    method: [
      `A CSV of ${int(sizes.ingestRows)} rows is generated deterministically (seeded PRNG) and streamed to a temporary file: ` +
        `ten columns, ${COLUMNS.map(([name, type]) => `${name} (${type})`).join(', ')}; districts are the 16 of Beijing weighted ` +
        `by population (${LARGEST_DISTRICT} holds ${Math.round(LARGEST_SHARE * 100)} %), categories and notes are Chinese, ` +
        'about one note in eight is empty and some hold commas or double quotes, so quoting is exercised. ' +
        'Ingest is `platform.datastore.loadNow(systemActor, resource, file stream, "data.csv", {})` on a platform built as the other ' +
        'benchmarks build one, for a resource of a published, unconditionally open catalog entry. It reads the file once: while ' +
        'the upload is stored and hashed, the schema is inferred from the first 1,000 rows (checked to come out ' +
        'as the types above) and every row validated and written with COPY; then the primary key on `_id` and the switch to live, ' +
        'after which ANALYZE gathers the planner statistics before the call returns. "Live" is the moment of the switch, told by ' +
        "the load's progress message; the call's whole time is reported beside it. The baseline is raw COPY of the same file into " +
        'a plain table with the same column types: `COPY … FROM STDIN WITH (FORMAT csv, HEADER)` through pg-copy-streams from a file ' +
        "stream on PostgreSQL, `COPY … FROM '/dev/blob' WITH (FORMAT csv, HEADER)` with the file as one Blob on PGlite. " +
        `Rounds alternate (raw, ours; ours, raw; …: ${sizes.rounds.postgres} on PostgreSQL, ${sizes.rounds.pglite} on PGlite) and the median counts; ` +
        'each measurement starts after a CHECKPOINT, and each table is dropped or vacuumed right after it (untimed), so that no ' +
        `autovacuum or checkpoint of one side runs into the other. On PostgreSQL each ingest, ours and raw COPY alike, runs in a ` +
        'child process (the same Node binary, started with --expose-gc) that holds nothing but the platform (a `pg` client for raw ' +
        'COPY), so that its RSS, sampled every 100 ms and reported with the RSS after a full GC just before, is that of a server doing ' +
        'the load; on PGlite the ingest runs in the benchmark process, whose RSS includes the engine (its WebAssembly heap, which ' +
        `never shrinks) and what ran before.${bigNote}`,
      `Queries go through the service as an anonymous reader of the open entry (whose reads are logged on the transparency log, ` +
        'one entry per call), after the index the loader builds for `indexes: [["district", "amount"]]` (the fields then `_id`) ' +
        'is created on the loaded table and the table is vacuumed and analysed: `records` with `filters: {"district": "' +
        LARGEST_DISTRICT +
        '"}, sort: "amount", total: "none"` for page 1, for page 1 as a member of the providing ' +
        'organisation (not logged), over HTTP (`app.inject`), with the exact total, for a deep page by its cursor ' +
        '(reached once by walking the cursor) and for the same page by offset; `aggregate` grouped by district with count and ' +
        'average amount; `stream` as CSV. The baseline of each is the statements the service sends for it, captured from the ' +
        'driver and run with their parameters directly (`pg` pool, `pglite.query`), so the ratio is the service (access ' +
        'check, metadata reads, read log, JSON) against its own SQL. The two alternate, one call at a time, after up to ' +
        `${sizes.warmup} warm-up calls each; up to ${sizes.samples} samples per shape and side, fewer when a shape's samples exceed ` +
        `${seconds(sizes.budgetMs)} (${seconds(sizes.slowBudgetMs)} for the shapes that read a million rows or more), at least ${sizes.minSamples}. ` +
        'The dump is timed whole, alternating with its baseline (the same keyset batches of 5,000 read on the driver).',
      ...ctx.engineNotes,
    ],
    tables,
    notes,
  };
}
