// Transparency-log appends in the caller's transaction, against the same transactions without the log
// and against raw SHA-256 hashing of the same canonical entries.
import { createHash } from 'node:crypto';
import { canonicalJson, hashEntryJson, MerkleFrontier } from '@datapolis/ledger';
import { sql, type Transaction } from 'kysely';
import { Bench } from 'tinybench';
import type { Database } from '../packages/server/src/kernel/db/index.ts';
import type { Platform } from '../packages/server/src/platform/index.ts';
import type { BenchContext } from './support/context.ts';
import { benchPlatform, ENGINE_LABEL, type Engine, throwawayDatabase } from './support/database.ts';
import { accountEntry, benchActor, randomInt, seededRandom } from './support/entries.ts';
import { int, rate, ratio, us, verdict } from './support/format.ts';
import { type Comparison, compareRates, log } from './support/measure.ts';
import type { ResultRow, ResultTable, Section } from './support/report.ts';

const ACCOUNTS = 100_000;
const BATCH = 1000;
const CONCURRENT_CLIENTS = 8;
const TARGET_BATCHED_PG = 20_000;

interface AccountRow {
  id: number;
  balance: number;
}

async function createAccounts(platform: Platform): Promise<void> {
  const db = platform.db.kysely;
  await sql`CREATE TABLE bench_accounts (
      id integer PRIMARY KEY,
      balance bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`INSERT INTO bench_accounts (id, balance) SELECT g, 0 FROM generate_series(1, ${ACCOUNTS}::int) g`.execute(
    db,
  );
  await sql`ANALYZE bench_accounts`.execute(db);
}

/** The one-row state change: the same statement with and without the log. */
async function updateOne(trx: Transaction<Database>, id: number): Promise<AccountRow> {
  const result = await sql<AccountRow>`
    UPDATE bench_accounts SET balance = balance + 1, updated_at = now()
     WHERE id = ${id} RETURNING id, balance`.execute(trx);
  return result.rows[0]!;
}

/** One statement changing `count` distinct rows, one row per log entry. */
async function updateMany(trx: Transaction<Database>, first: number, count: number): Promise<AccountRow[]> {
  const ids = Array.from({ length: count }, (_, i) => ((first + i) % ACCOUNTS) + 1);
  const result = await sql<AccountRow>`
    UPDATE bench_accounts SET balance = balance + 1, updated_at = now()
     WHERE id IN (${sql.join(ids)}) RETURNING id, balance`.execute(trx);
  return result.rows;
}

interface EngineResult {
  engine: Engine;
  unbatched: Comparison;
  concurrent: Comparison | undefined;
  batched: Comparison;
  entryBytes: number;
  sampleEntries: string[];
}

async function measureEngine(ctx: BenchContext, engine: Engine): Promise<EngineResult> {
  const database = await throwawayDatabase(engine, { adminUrl: ctx.adminUrl, poolSize: 10 });
  try {
    const platform = await benchPlatform(database);
    const { ledger } = platform;
    const db = platform.db.kysely;
    await createAccounts(platform);
    const actor = benchActor();
    const random = seededRandom(42);
    // Unbatched commits wait for a WAL flush each, whose time varies on virtual disks: more, shorter rounds.
    const unbatchedTiming = ctx.quick
      ? { rounds: 1, durationMs: 400, warmupMs: 100 }
      : { rounds: 5, durationMs: 2000, warmupMs: 300 };
    const timing = ctx.quick
      ? { rounds: 1, durationMs: 600, warmupMs: 100 }
      : { rounds: 3, durationMs: 3000, warmupMs: 500 };

    const unbatchedBaseline = async () => {
      await db.transaction().execute(async (trx) => {
        await updateOne(trx, randomInt(random, ACCOUNTS) + 1);
      });
      return 1;
    };
    const unbatchedOurs = async () => {
      await db.transaction().execute(async (trx) => {
        const row = await updateOne(trx, randomInt(random, ACCOUNTS) + 1);
        await ledger.record(trx, actor, accountEntry(row));
      });
      return 1;
    };
    await ctx.settle(`${engine} unbatched`);
    log(`ledger ${engine}: unbatched`);
    const unbatched = await compareRates({
      ...unbatchedTiming,
      baseline: unbatchedBaseline,
      ours: unbatchedOurs,
    });

    let concurrent: Comparison | undefined;
    if (platform.db.capabilities.concurrentConnections) {
      await ctx.settle(`${engine} concurrent`);
      log(`ledger ${engine}: unbatched, ${CONCURRENT_CLIENTS} concurrent clients`);
      concurrent = await compareRates({
        ...timing,
        workers: CONCURRENT_CLIENTS,
        baseline: unbatchedBaseline,
        ours: unbatchedOurs,
      });
    }

    await ctx.settle(`${engine} batched`);
    log(`ledger ${engine}: batched, ${BATCH} per transaction`);
    const batched = await compareRates({
      ...timing,
      baseline: async () =>
        db.transaction().execute(async (trx) => {
          const rows = await updateMany(trx, randomInt(random, ACCOUNTS), BATCH);
          return rows.length;
        }),
      ours: async () =>
        db.transaction().execute(async (trx) => {
          const rows = await updateMany(trx, randomInt(random, ACCOUNTS), BATCH);
          await ledger.recordMany(
            trx,
            rows.map((row) => ({ actor, input: accountEntry(row) })),
          );
          return rows.length;
        }),
    });

    const sample = await sql<{ entry: string }>`
      SELECT entry FROM ledger_entries ORDER BY idx DESC LIMIT 10000`.execute(db);
    const sampleEntries = sample.rows.map((r) => r.entry);
    const entryBytes =
      sampleEntries.reduce((sum, e) => sum + Buffer.byteLength(e), 0) / Math.max(1, sampleEntries.length);
    await platform.stop();
    return { engine, unbatched, concurrent, batched, entryBytes, sampleEntries };
  } finally {
    await database.dispose();
  }
}

/** Raw SHA-256 of the stored canonical entries, and the in-process part of an append without SQL. */
async function measureHashing(ctx: BenchContext, entries: string[]) {
  const actor = benchActor();
  const rows = Array.from({ length: BATCH }, (_, i) => ({ id: i + 1, balance: i }));
  const time = new Date().toISOString();
  const bench = new Bench({ time: ctx.quick ? 300 : 2000, warmupTime: ctx.quick ? 50 : 300 });
  bench.add('raw sha-256', () => {
    for (const entry of entries) createHash('sha256').update(entry).digest();
  });
  bench.add('in-process append', () => {
    // What recordMany does before and between its SQL: entry JSON, content hash, leaf hash, tree nodes.
    const frontier = new MerkleFrontier();
    for (const row of rows) {
      const input = accountEntry(row);
      const entry = canonicalJson({
        v: 1,
        time,
        actor: { type: 'user', id: actor.userId },
        action: input.action,
        objects: input.objects,
        hashes: { content: createHash('sha256').update(canonicalJson(input.content)).digest('hex') },
        details: input.details,
      });
      frontier.append(hashEntryJson(entry));
    }
  });
  await bench.run();
  const perSecond = (name: string, count: number) => {
    const result = bench.getTask(name)!.result;
    if (!('latency' in result)) throw new Error(`tinybench task ${name} did not complete`);
    return (count / result.latency.mean) * 1000;
  };
  return {
    rawHashPerSecond: perSecond('raw sha-256', entries.length),
    inProcessPerSecond: perSecond('in-process append', rows.length),
  };
}

function comparisonRow(figure: string, c: Comparison, baselineUnit: string, target: string): ResultRow {
  return {
    figure,
    ours: `${rate(c.ours)} appends/s`,
    baseline: `${rate(c.baseline)} ${baselineUnit}`,
    ratio: ratio(c.ours / c.baseline),
    target,
  };
}

export async function ledgerAppendBench(ctx: BenchContext): Promise<Section> {
  const results: EngineResult[] = [];
  for (const engine of ctx.engines) results.push(await measureEngine(ctx, engine));
  const entries = results.find((r) => r.sampleEntries.length > 0)?.sampleEntries ?? [];
  await ctx.settle('raw hashing');
  log('ledger: raw hashing');
  const hashing = await measureHashing(ctx, entries);

  const tables: ResultTable[] = [];
  const notes: string[] = [];
  for (const r of results) {
    const label = ENGINE_LABEL[r.engine];
    const rows: ResultRow[] = [
      comparisonRow(
        'unbatched: 1 entry + its 1-row UPDATE per transaction, 1 client',
        r.unbatched,
        'tx/s without the log',
        '—',
      ),
    ];
    if (r.concurrent !== undefined) {
      rows.push(
        comparisonRow(
          `unbatched, ${CONCURRENT_CLIENTS} concurrent clients`,
          r.concurrent,
          'tx/s without the log',
          '—',
        ),
      );
    }
    const batchedTarget =
      r.engine === 'postgres'
        ? `≥ ${int(TARGET_BATCHED_PG)}/s: ${verdict(r.batched.ours, TARGET_BATCHED_PG, 'higher')}`
        : '—';
    rows.push(
      comparisonRow(
        `batched: ${int(BATCH)} entries + ${int(BATCH)} row changes per transaction`,
        r.batched,
        'rows/s without the log',
        batchedTarget,
      ),
      {
        figure: 'batched appends against raw SHA-256 of the same canonical entries',
        ours: `${rate(r.batched.ours)} appends/s`,
        baseline: `${rate(hashing.rawHashPerSecond)} hashes/s`,
        ratio: ratio(r.batched.ours / hashing.rawHashPerSecond),
        target: '—',
      },
    );
    tables.push({ caption: label, rows });
    const addedUnbatched = 1 / r.unbatched.ours - 1 / r.unbatched.baseline;
    const addedBatched = 1 / r.batched.ours - 1 / r.batched.baseline;
    notes.push(
      `${label}: the log adds ${us(addedUnbatched * 1000)} to an unbatched transaction and ${us(addedBatched * 1000)} per entry in a batch ` +
        `(rounds, appends/s: unbatched ${r.unbatched.oursRounds.map(rate).join(' / ')}, batched ${r.batched.oursRounds.map(rate).join(' / ')}).`,
    );
  }
  tables.push({
    caption: 'In process, no database',
    rows: [
      {
        figure: `entry JSON + content hash + leaf hash + tree nodes (the CPU part of recordMany), per entry`,
        ours: `${rate(hashing.inProcessPerSecond)} entries/s`,
        baseline: `${rate(hashing.rawHashPerSecond)} raw SHA-256/s`,
        ratio: ratio(hashing.inProcessPerSecond / hashing.rawHashPerSecond),
        target: '—',
      },
    ],
  });
  const entryBytes = results[0]?.entryBytes ?? 0;
  return {
    id: 'ledger',
    title: 'Transparency log: appends',
    measured: ctx.measured,
    method: [
      `A table of ${int(ACCOUNTS)} accounts; each state change is an \`UPDATE bench_accounts SET balance = balance + 1 ... RETURNING\` of one row, ` +
        'and its log entry (actor, action, object, SHA-256 of the new row, a small detail) is appended with `ledger.record` / ' +
        '`ledger.recordMany` in the same transaction (advisory lock, frontier read, entry and inner-node inserts). ' +
        `The baseline runs the same transactions without the log. Batched transactions change ${int(BATCH)} distinct rows with one ` +
        `statement and append their ${int(BATCH)} entries with one \`recordMany\`. Entries are ${int(entryBytes)} bytes of canonical JSON on average.`,
      `Baseline and ours run in alternating rounds (${ctx.quick ? '1 round of 0.4-0.6 s' : 'unbatched 5 rounds of 2 s, the others 3 rounds of 3 s'}, each after a warm-up); ` +
        'the median round is reported. Raw hashing is node:crypto SHA-256 over the entries stored by this run, measured with tinybench.',
      'PGlite keeps its data in a directory on disk as `npm start` does; it serves one connection, so it has no concurrent figure. ' +
        'On PostgreSQL every commit waits for its WAL flush (`synchronous_commit=on`), with and without the log.',
      ...ctx.engineNotes,
    ],
    tables,
    notes,
  };
}
