// Inclusion and consistency proofs at a million entries: generation through the server's ledger service
// (SQL node reads included) and verification with the pure library, against one-row reads and raw hashing.
import { hash as oneShotHash } from 'node:crypto';
import {
  fromBase64,
  type GetNode,
  rootAt,
  rootCoordinates,
  verifyConsistency,
  verifyInclusion,
} from '@datapolis/ledger';
import { sql } from 'kysely';
import { Bench } from 'tinybench';
import { consistencySteps, inclusionSteps, runSteps } from '../packages/ledger/src/verify-core.ts';
import type { Ledger } from '../packages/server/src/kernel/audit/index.ts';
import type { Db } from '../packages/server/src/kernel/db/index.ts';
import type { BenchContext } from './support/context.ts';
import { benchPlatform, ENGINE_LABEL, type Engine, throwawayDatabase } from './support/database.ts';
import { accountEntry, benchActor, randomInt, seededRandom } from './support/entries.ts';
import { bytes, int, mean, ms, percentile, rate, ratio, seconds, verdict } from './support/format.ts';
import { log, timeEach } from './support/measure.ts';
import type { ResultRow, ResultTable, Section } from './support/report.ts';

const TARGET_MS = 1;
const FILL_BATCH = 10_000;

function sizesFor(ctx: BenchContext, engine: Engine): { entries: number; samples: number; warmup: number } {
  if (ctx.quick) return { entries: engine === 'postgres' ? 20_000 : 10_000, samples: 200, warmup: 30 };
  return { entries: engine === 'postgres' ? 1_000_000 : 100_000, samples: 3000, warmup: 300 };
}

/** Fills the log through the service, in large recordMany batches, one transaction each. */
async function fill(ledger: Ledger, db: Db, count: number): Promise<number> {
  const actor = benchActor();
  const start = performance.now();
  let lastReport = start;
  for (let done = 0; done < count; done += FILL_BATCH) {
    const n = Math.min(FILL_BATCH, count - done);
    const items = Array.from({ length: n }, (_, i) => ({
      actor,
      input: accountEntry({ id: ((done + i) % 100_000) + 1, balance: done + i }),
    }));
    await db.kysely.transaction().execute((trx) => ledger.recordMany(trx, items));
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`  filled ${int(done + n)} of ${int(count)}`);
    }
  }
  return performance.now() - start;
}

/** Root of an older tree size, from the stored perfect nodes (the tables of the ledger migration). */
async function rootOf(db: Db, size: number): Promise<Uint8Array> {
  const coordinates = rootCoordinates(size);
  const found = new Map<string, Uint8Array>();
  const inner = coordinates.filter((c) => c.level > 0);
  if (inner.length > 0) {
    const rows = await db.kysely
      .selectFrom('ledger_nodes')
      .select(['level', 'idx', 'hash'])
      .where((eb) => eb.or(inner.map((c) => eb.and([eb('level', '=', c.level), eb('idx', '=', c.index)]))))
      .execute();
    for (const row of rows) found.set(`${row.level}:${row.idx}`, row.hash);
  }
  for (const leaf of coordinates.filter((c) => c.level === 0)) {
    const row = await db.kysely
      .selectFrom('ledger_entries')
      .select('leaf_hash')
      .where('idx', '=', leaf.index)
      .executeTakeFirstOrThrow();
    found.set(`0:${leaf.index}`, row.leaf_hash);
  }
  const getNode: GetNode = (level, index) => {
    const hash = found.get(`${level}:${index}`);
    if (hash === undefined) throw new Error(`node ${level}:${index} of size ${size} is not stored`);
    return hash;
  };
  return rootAt(size, getNode);
}

interface Latencies {
  p50: number;
  p99: number;
  mean: number;
}

function latencies(samples: readonly number[]): Latencies {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), mean: mean(samples) };
}

interface Storage {
  entriesTotal: number;
  entriesIndexes: number;
  nodesTotal: number;
  nodesIndexes: number;
  nodeCount: number;
  avgEntryBytes: number;
}

async function measureStorage(db: Db, entries: number): Promise<Storage> {
  await sql`VACUUM (ANALYZE) ledger_entries, ledger_nodes`.execute(db.kysely);
  const result = await sql<{
    entries_total: number;
    entries_indexes: number;
    nodes_total: number;
    nodes_indexes: number;
    node_count: number;
    avg_entry: number;
  }>`SELECT pg_total_relation_size('ledger_entries')::bigint AS entries_total,
            pg_indexes_size('ledger_entries')::bigint AS entries_indexes,
            pg_total_relation_size('ledger_nodes')::bigint AS nodes_total,
            pg_indexes_size('ledger_nodes')::bigint AS nodes_indexes,
            (SELECT count(*) FROM ledger_nodes)::bigint AS node_count,
            (SELECT avg(octet_length(entry)) FROM ledger_entries)::float8 AS avg_entry`.execute(db.kysely);
  const row = result.rows[0]!;
  if (row.node_count > entries)
    throw new Error('more inner nodes than entries: the log is not the one filled');
  return {
    entriesTotal: Number(row.entries_total),
    entriesIndexes: Number(row.entries_indexes),
    nodesTotal: Number(row.nodes_total),
    nodesIndexes: Number(row.nodes_indexes),
    nodeCount: Number(row.node_count),
    avgEntryBytes: Number(row.avg_entry),
  };
}

interface EngineResult {
  engine: Engine;
  entries: number;
  samples: number;
  fillMs: number;
  inclusion: Latencies;
  consistency: Latencies;
  pkRead: Latencies;
  verifyInclusion: Latencies;
  verifyConsistency: Latencies;
  rawHashInclusion: Latencies;
  rawHashConsistency: Latencies;
  inclusionPathLength: number;
  consistencyPathLength: number;
  storage: Storage;
}

/** tinybench latency of `fn` called on each prepared input in turn. */
async function libraryLatency<T>(
  ctx: BenchContext,
  inputs: readonly T[],
  fn: (input: T) => unknown,
): Promise<Latencies> {
  let next = 0;
  const bench = new Bench({ time: ctx.quick ? 150 : 1500, warmupTime: ctx.quick ? 30 : 200 });
  bench.add('task', () => {
    fn(inputs[next]!);
    next = (next + 1) % inputs.length;
  });
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (!('latency' in result)) throw new Error('tinybench task did not complete');
  return { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean };
}

async function measureEngine(ctx: BenchContext, engine: Engine): Promise<EngineResult> {
  const sizes = sizesFor(ctx, engine);
  const database = await throwawayDatabase(engine, { adminUrl: ctx.adminUrl });
  try {
    const platform = await benchPlatform(database);
    const { ledger } = platform;
    const db = platform.db;
    await ctx.settle(`${engine} fill`);
    log(`proofs ${engine}: filling the log with ${int(sizes.entries)} entries`);
    const fillMs = await fill(ledger, db, sizes.entries);
    const size = await ledger.size();
    // VACUUM now also spares the proofs below an autovacuum of the freshly filled tables.
    const storage = await measureStorage(db, size);
    const head = await ledger.signLatest();
    const root = fromBase64(head.rootHash);
    log(`proofs ${engine}: filled in ${seconds(fillMs)}; generating proofs`);

    const random = seededRandom(7);
    const total = sizes.warmup + sizes.samples;
    const leafIndexes = Array.from({ length: total }, () => randomInt(random, size));
    const oldSizes = Array.from({ length: total }, () => 1 + randomInt(random, size - 1));

    await ctx.settle(`${engine} proofs`);
    // Warm-up, then proofs and the one-row baseline read in turn, one call at a time.
    const warm = leafIndexes.slice(0, sizes.warmup);
    await timeEach(warm, (i) => ledger.proveInclusion(i, size));
    await timeEach(oldSizes.slice(0, sizes.warmup), (s) => ledger.proveConsistency(s, size));
    await timeEach(warm, (i) =>
      db.kysely
        .selectFrom('ledger_entries')
        .select('leaf_hash')
        .where('idx', '=', i)
        .executeTakeFirstOrThrow(),
    );
    const inclusionSamples: number[] = [];
    const consistencySamples: number[] = [];
    const readSamples: number[] = [];
    const inclusionProofs: { leaf: Uint8Array; index: number; path: Uint8Array[] }[] = [];
    const consistencyProofs: { first: number; proof: Uint8Array[] }[] = [];
    for (let k = sizes.warmup; k < total; k++) {
      const index = leafIndexes[k]!;
      const first = oldSizes[k]!;
      let t = performance.now();
      const inclusion = await ledger.proveInclusion(index, size);
      inclusionSamples.push(performance.now() - t);
      t = performance.now();
      const consistency = await ledger.proveConsistency(first, size);
      consistencySamples.push(performance.now() - t);
      t = performance.now();
      await db.kysely
        .selectFrom('ledger_entries')
        .select('leaf_hash')
        .where('idx', '=', index)
        .executeTakeFirstOrThrow();
      readSamples.push(performance.now() - t);
      inclusionProofs.push({
        leaf: fromBase64(inclusion.leafHash),
        index,
        path: inclusion.auditPath.map(fromBase64),
      });
      consistencyProofs.push({ first, proof: consistency.proof.map(fromBase64) });
    }

    // Every timed proof must verify; the old roots come from the stored nodes.
    log(`proofs ${engine}: verifying`);
    const oldRoots = new Map<number, Uint8Array>();
    for (const p of consistencyProofs) oldRoots.set(p.first, await rootOf(db, p.first));
    for (const p of inclusionProofs) {
      if (!verifyInclusion(p.leaf, p.index, size, p.path, root))
        throw new Error(`inclusion proof of ${p.index} does not verify`);
    }
    for (const p of consistencyProofs) {
      if (!verifyConsistency(p.first, size, oldRoots.get(p.first)!, root, p.proof))
        throw new Error(`consistency proof ${p.first}..${size} does not verify`);
    }
    await ctx.settle(`${engine} verification`);
    const consistencyInputs = consistencyProofs.map((p) => ({ ...p, oldRoot: oldRoots.get(p.first)! }));
    const verifyInclusionLatency = await libraryLatency(ctx, inclusionProofs, (p) =>
      verifyInclusion(p.leaf, p.index, size, p.path, root),
    );
    const verifyConsistencyLatency = await libraryLatency(ctx, consistencyInputs, (p) =>
      verifyConsistency(p.first, size, p.oldRoot, root, p.proof),
    );
    // Raw hashing floor: as many SHA-256 of 65-byte node inputs as each check hashes.
    const nodeInput = new Uint8Array(65);
    const countHashes = (steps: ReturnType<typeof inclusionSteps>) => {
      let count = 0;
      runSteps(steps, () => {
        count++;
        return oneShotHash('sha256', nodeInput, 'buffer');
      });
      return count;
    };
    const inclusionHashCounts = inclusionProofs.map((p) =>
      countHashes(inclusionSteps(p.leaf, p.index, size, p.path, root)),
    );
    const consistencyHashCounts = consistencyInputs.map((p) =>
      countHashes(consistencySteps(p.first, size, p.oldRoot, root, p.proof)),
    );
    const rawHashes = (count: number) => {
      for (let i = 0; i < count; i++) oneShotHash('sha256', nodeInput, 'buffer');
    };
    const rawHashInclusion = await libraryLatency(ctx, inclusionHashCounts, rawHashes);
    const rawHashConsistency = await libraryLatency(ctx, consistencyHashCounts, rawHashes);

    await platform.stop();
    return {
      engine,
      entries: size,
      samples: sizes.samples,
      fillMs,
      inclusion: latencies(inclusionSamples),
      consistency: latencies(consistencySamples),
      pkRead: latencies(readSamples),
      verifyInclusion: verifyInclusionLatency,
      verifyConsistency: verifyConsistencyLatency,
      rawHashInclusion,
      rawHashConsistency,
      inclusionPathLength: mean(inclusionProofs.map((p) => p.path.length)),
      consistencyPathLength: mean(consistencyProofs.map((p) => p.proof.length)),
      storage,
    };
  } finally {
    await database.dispose();
  }
}

function latencyRows(
  what: string,
  ours: Latencies,
  baseline: Latencies,
  baselineName: string,
  target: boolean,
): ResultRow[] {
  return (['p50', 'p99'] as const).map((p) => ({
    figure: `${what}, ${p}`,
    ours: ms(ours[p]),
    baseline: `${ms(baseline[p])} ${baselineName}`,
    ratio: ratio(ours[p] / baseline[p]),
    target: target ? `< ${TARGET_MS} ms: ${verdict(ours[p], TARGET_MS, 'lower')}` : '—',
  }));
}

export async function proofsBench(ctx: BenchContext): Promise<Section> {
  const results: EngineResult[] = [];
  for (const engine of ctx.engines) results.push(await measureEngine(ctx, engine));
  const tables: ResultTable[] = [];
  const notes: string[] = [];
  for (const r of results) {
    const s = r.storage;
    const perEntry = (s.entriesTotal + s.nodesTotal) / r.entries;
    const payload = s.avgEntryBytes + 32 + (32 * s.nodeCount) / r.entries;
    tables.push({
      caption: `${ENGINE_LABEL[r.engine]}, ${int(r.entries)} entries`,
      rows: [
        ...latencyRows(
          'inclusion proof, generated by the ledger service',
          r.inclusion,
          r.pkRead,
          '1-row read',
          true,
        ),
        ...latencyRows(
          'consistency proof, generated by the ledger service',
          r.consistency,
          r.pkRead,
          '1-row read',
          true,
        ),
        ...latencyRows(
          'inclusion proof, verified by the library',
          r.verifyInclusion,
          r.rawHashInclusion,
          'raw SHA-256',
          true,
        ),
        ...latencyRows(
          'consistency proof, verified by the library',
          r.verifyConsistency,
          r.rawHashConsistency,
          'raw SHA-256',
          true,
        ),
        {
          figure: 'storage per entry: ledger_entries + ledger_nodes, with indexes and TOAST',
          ours: `${int(perEntry)} B`,
          baseline: `${int(payload)} B of data`,
          ratio: ratio(perEntry / payload),
          target: '—',
        },
      ],
    });
    notes.push(
      `${ENGINE_LABEL[r.engine]}: filling ${int(r.entries)} entries through \`recordMany\` in transactions of ${int(FILL_BATCH)} took ` +
        `${seconds(r.fillMs)} (${rate((r.entries / r.fillMs) * 1000)} entries/s). Proofs average ${r.inclusionPathLength.toFixed(1)} (inclusion) and ` +
        `${r.consistencyPathLength.toFixed(1)} (consistency) hashes. Means: inclusion ${ms(r.inclusion.mean)}, consistency ${ms(r.consistency.mean)}, ` +
        `1-row read ${ms(r.pkRead.mean)}.`,
      `${ENGINE_LABEL[r.engine]} storage: ledger_entries ${bytes(s.entriesTotal)} (indexes ${bytes(s.entriesIndexes)}), ` +
        `ledger_nodes ${bytes(s.nodesTotal)} for ${int(s.nodeCount)} inner nodes (indexes ${bytes(s.nodesIndexes)}); ` +
        `entries average ${int(s.avgEntryBytes)} bytes of JSON. Measured after VACUUM (ANALYZE).`,
    );
  }
  const sampleCount = results[0]?.samples ?? 0;
  return {
    id: 'proofs',
    title: 'Transparency log: proofs and storage',
    measured: ctx.measured,
    method: [
      `The log is filled through \`ledger.recordMany\` (entries as in the append benchmark). Then, one call at a time, ` +
        `${int(sampleCount)} inclusion proofs of random entries and ${int(sampleCount)} consistency proofs from random older sizes, ` +
        'all against the current tree size, are generated by `ledger.proveInclusion` / `ledger.proveConsistency` ' +
        '(size check and node reads in SQL, hashing in the library); the baseline is a one-row primary-key read ' +
        '(`SELECT leaf_hash FROM ledger_entries WHERE idx = $1`) through the same Kysely instance, timed in turn with them.',
      'Every generated proof is then verified against the signed tree head (and the old root read from the stored nodes); ' +
        'verification with `verifyInclusion` / `verifyConsistency` of @datapolis/ledger (decoded proofs, no I/O) is timed with tinybench ' +
        'over the same proofs, against raw SHA-256 of as many 65-byte node inputs as the check hashes.',
      `Sizes: ${results.map((r) => `${ENGINE_LABEL[r.engine]} ${int(r.entries)} entries`).join(', ')}. ` +
        (ctx.quick
          ? 'Quick run: small logs.'
          : 'PGlite is measured at a tenth of the size: filling the embedded database to a million takes long, ' +
            'and a proof reads and hashes only about log2(size) nodes.'),
      ...ctx.engineNotes,
    ],
    tables,
    notes,
  };
}
