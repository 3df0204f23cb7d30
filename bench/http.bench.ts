// An authenticated one-row GET through the whole stack against a bare Fastify route doing the same query
// on the same database, both loaded by autocannon from a second process.
import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { toBase64 } from '@datapolis/ledger';
import Fastify, { type FastifyInstance } from 'fastify';
import { systemActor } from '../packages/server/src/kernel/auth/index.ts';
import type { Db } from '../packages/server/src/kernel/db/index.ts';
import type { Platform } from '../packages/server/src/platform/index.ts';
import type { BenchContext } from './support/context.ts';
import { benchPlatform, ENGINE_LABEL, type Engine, throwawayDatabase } from './support/database.ts';
import { accountEntry, benchActor, randomInt, seededRandom } from './support/entries.ts';
import { int, median, percentile, rate, ratio, verdict } from './support/format.ts';
import { type LoadResult, runLoad } from './support/load.ts';
import { log } from './support/measure.ts';
import { workDir } from './support/paths.ts';
import type { ResultRow, ResultTable, Section } from './support/report.ts';

const ENTRIES = 10_000;
const CONNECTIONS = 20;
const TARGET_RATIO_PG = 0.8;
/**
 * Short rounds, many of them: a round's measurements are seconds apart and see the same machine, and one slow
 * stretch moves the median of 16 round ratios less than that of 8. Two runs of 8 rounds of 4 s on the same
 * code, an hour apart, gave 0.84 and 0.79.
 */
const ROUNDS = 16;

interface EntryRow {
  idx: number;
  entry: string;
  leaf_hash: Uint8Array;
  recorded_at: Date;
}

/** The same query with none of our layers: no auth, validation, permission check, logging or schemas. */
async function bareServer(db: Db): Promise<{ app: FastifyInstance; url: string }> {
  const text = 'SELECT * FROM ledger_entries WHERE idx = $1';
  const query = async (index: number): Promise<EntryRow | undefined> => {
    if (db.pool !== undefined) return (await db.pool.query<EntryRow>(text, [index])).rows[0];
    return (await db.pglite!.query<EntryRow>(text, [index])).rows[0];
  };
  const app = Fastify({ logger: false });
  app.get<{ Params: { index: string } }>('/bare/entries/:index', async (request, reply) => {
    const row = await query(Number(request.params.index));
    if (row === undefined) return reply.status(404).send({ status: 404 });
    return {
      index: Number(row.idx),
      leafHash: toBase64(row.leaf_hash),
      entry: row.entry,
      recordedAt: row.recorded_at.toISOString(),
    };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

async function auditorToken(platform: Platform): Promise<string> {
  const user = await platform.identity.createUser(systemActor('bench'), {
    username: 'bench-auditor',
    displayName: 'Benchmark auditor',
    password: randomBytes(18).toString('base64url'),
    platformRoles: ['auditor'],
  });
  const actor = await platform.identity.resolveUserActor(user.id);
  const created = await platform.identity.createToken(actor, {
    name: 'benchmark',
    scopes: ['ledger:entries:read'],
    expiresInDays: 1,
  });
  return created.token;
}

type Variant = 'bare' | 'info' | 'warn';

interface Measured {
  load: LoadResult;
  /** CPU time of this (server) process per request, in ms. */
  cpuPerRequest: number;
  logBytesPerRequest: number;
}

interface EngineResult {
  engine: Engine;
  runs: Record<Variant, Measured[]>;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function measureEngine(ctx: BenchContext, engine: Engine): Promise<EngineResult> {
  const timing = ctx.quick
    ? { rounds: 1, warmupSeconds: 0.5, durationSeconds: 1.5 }
    : { rounds: ROUNDS, warmupSeconds: 0.5, durationSeconds: 2 };
  const variants: readonly Variant[] = ctx.quick ? ['bare', 'info'] : ['bare', 'info', 'warn'];
  const database = await throwawayDatabase(engine, { adminUrl: ctx.adminUrl, poolSize: 10 });
  // One file per engine, replaced by the next run.
  const logFile = join(workDir('logs'), `http-${engine}.log`);
  rmSync(logFile, { force: true });
  let platform: Platform | undefined;
  let bare: { app: FastifyInstance; url: string } | undefined;
  try {
    platform = await benchPlatform(database, {
      logLevel: 'info',
      logFile,
      // One account sends every request: its own limit (6,000 a minute by default) would answer 429s. The
      // limiter still counts every request.
      env: { DATAPOLIS_RATE_LIMIT_ACCOUNT: '10000000' },
    });
    const actor = benchActor();
    const items = Array.from({ length: ENTRIES }, (_, i) => ({
      actor,
      input: accountEntry({ id: i + 1, balance: i }),
    }));
    await platform.db.kysely.transaction().execute((trx) => platform!.ledger.recordMany(trx, items));
    const token = await auditorToken(platform);
    const ourUrl = (await platform.start()).replace('localhost', '127.0.0.1');
    bare = await bareServer(platform.db);

    const random = seededRandom(11);
    const indexes = Array.from({ length: 100 }, () => randomInt(random, ENTRIES));
    // Both answer the same bytes for the same entry.
    const first = indexes[0]!;
    const headers = { authorization: `Bearer ${token}` };
    const [ours, plain] = await Promise.all([
      fetch(`${ourUrl}/api/v1/ledger/entries/${first}`, { headers }),
      fetch(`${bare.url}/bare/entries/${first}`),
    ]);
    const [oursBody, plainBody] = [await ours.text(), await plain.text()];
    if (
      ours.status !== 200 ||
      plain.status !== 200 ||
      JSON.parse(oursBody).entry !== JSON.parse(plainBody).entry
    ) {
      throw new Error(`the two routes disagree: ${ours.status} ${oursBody.slice(0, 200)} / ${plain.status}`);
    }

    const runs: Record<Variant, Measured[]> = { bare: [], info: [], warn: [] };
    for (let round = 0; round < timing.rounds; round++) {
      // Each round starts with another variant: none always runs right after the same one.
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      for (const variant of order) {
        if (variant !== 'bare') {
          platform.logger.level = variant;
          platform.app.log.level = variant;
        }
        await ctx.settle(`${engine} ${variant} round ${round + 1}`);
        log(
          `http ${engine}: round ${round + 1}, ${variant === 'bare' ? 'bare route' : `full stack, log level ${variant}`}`,
        );
        const logBefore = fileSize(logFile);
        const cpuBefore = process.cpuUsage();
        const load = await runLoad({
          url: variant === 'bare' ? bare.url : ourUrl,
          paths: indexes.map((i) =>
            variant === 'bare' ? `/bare/entries/${i}` : `/api/v1/ledger/entries/${i}`,
          ),
          headers: variant === 'bare' ? {} : headers,
          connections: CONNECTIONS,
          warmupSeconds: timing.warmupSeconds,
          durationSeconds: timing.durationSeconds,
        });
        const cpu = process.cpuUsage(cpuBefore);
        if (load.non2xx > 0 || load.errors > 0 || load.timeouts > 0) {
          throw new Error(
            `${variant}: ${load.non2xx} non-2xx answers, ${load.errors} errors, ${load.timeouts} timeouts under load`,
          );
        }
        // Warm-up requests count in the CPU and log figures too (counted, not estimated from the time: the
        // warm-up is a run of its own, whose connections are opened first).
        const requests = load.ok + load.warmupOk;
        runs[variant].push({
          load,
          cpuPerRequest: (cpu.user + cpu.system) / 1000 / requests,
          logBytesPerRequest: (fileSize(logFile) - logBefore) / requests,
        });
      }
    }
    return { engine, runs };
  } finally {
    await bare?.app.close();
    await platform?.stop();
    await database.dispose();
  }
}

/** The median round: one slow round (a checkpoint, a noisy neighbour) does not move the figure. */
function mid(runs: Measured[], pick: (m: Measured) => number): number {
  return median(runs.map(pick));
}

/** Each round's figure of a variant divided by the bare route's in the same round. */
function roundRatios(runs: Measured[], bare: Measured[], pick: (m: Measured) => number): number[] {
  return runs.map((m, i) => pick(m) / pick(bare[i]!));
}

/**
 * The median over rounds of a variant's figure divided by the bare route's in the same round. The machine's
 * speed drifts over minutes (shared cores); a round's two measurements, seconds apart, drift together.
 */
function pairedRatio(runs: Measured[], bare: Measured[], pick: (m: Measured) => number): number {
  return median(roundRatios(runs, bare, pick));
}

export async function httpBench(ctx: BenchContext): Promise<Section> {
  const results: EngineResult[] = [];
  for (const engine of ctx.engines) results.push(await measureEngine(ctx, engine));
  const tables: ResultTable[] = [];
  const notes: string[] = [];
  for (const r of results) {
    const bareRps = mid(r.runs.bare, (m) => m.load.requestsPerSecond);
    const bareP99 = mid(r.runs.bare, (m) => m.load.p99);
    const rows: ResultRow[] = [];
    for (const level of ['info', 'warn'] as const) {
      if (r.runs[level].length === 0) continue;
      const rps = mid(r.runs[level], (m) => m.load.requestsPerSecond);
      const p99 = mid(r.runs[level], (m) => m.load.p99);
      const rpsRatio = pairedRatio(r.runs[level], r.runs.bare, (m) => m.load.requestsPerSecond);
      const p99Ratio = pairedRatio(r.runs[level], r.runs.bare, (m) => m.load.p99);
      const target =
        r.engine === 'postgres'
          ? `≥ ${TARGET_RATIO_PG}× bare: ${verdict(rpsRatio, TARGET_RATIO_PG, 'higher')}`
          : '—';
      rows.push(
        {
          figure: `full stack, log level ${level}${level === 'info' ? ' (default)' : ''}: requests/s`,
          ours: `${rate(rps)}/s`,
          baseline: `${rate(bareRps)}/s bare route`,
          ratio: ratio(rpsRatio),
          target,
        },
        {
          figure: `full stack, log level ${level}: p99 latency`,
          ours: `${p99} ms`,
          baseline: `${bareP99} ms bare route`,
          ratio: ratio(p99Ratio),
          target: '—',
        },
      );
    }
    tables.push({ caption: ENGINE_LABEL[r.engine], rows });
    const spread = (variant: Variant) => {
      const ratios = roundRatios(r.runs[variant], r.runs.bare, (m) => m.load.requestsPerSecond);
      return `${ratio(percentile(ratios, 25))} to ${ratio(percentile(ratios, 75))}`;
    };
    const detail = (variant: Variant) =>
      `${variant === 'bare' ? 'bare' : variant}: p50 ${mid(r.runs[variant], (m) => m.load.p50)} ms, ` +
      `${mid(r.runs[variant], (m) => m.cpuPerRequest).toFixed(3)} ms CPU of the server process per request` +
      (variant === 'bare'
        ? ''
        : `, ${int(mid(r.runs[variant], (m) => m.logBytesPerRequest))} log bytes per request, ` +
          `requests/s against the bare route's in the middle half of the rounds ${spread(variant)}`) +
      ` (rounds: ${r.runs[variant].map((m) => rate(m.load.requestsPerSecond)).join(' / ')} req/s)`;
    const measured = (['bare', 'info', 'warn'] as const).filter((v) => r.runs[v].length > 0);
    notes.push(`${ENGINE_LABEL[r.engine]}: ${measured.map(detail).join('; ')}.`);
  }
  const rounds = ctx.quick
    ? '1 round of 1.5 s after 0.5 s of warm-up, bare and info only'
    : `${ROUNDS} rounds of 2 s, each after 0.5 s of warm-up; a round measures bare, info and warn one after the ` +
      'other, starting with another of them each round';
  return {
    id: 'http',
    title: 'HTTP: one authenticated read through the full stack',
    measured: ctx.measured,
    method: [
      '`GET /api/v1/ledger/entries/:index` with `Authorization: Bearer <token>` of an auditor whose API token is scoped to ' +
        '`ledger:entries:read`: token authentication (with the per-process cache of resolved tokens the server keeps), ' +
        'TypeBox validation, the permission check, security headers, rate limiter (counting every request of the account ' +
        'under `DATAPOLIS_RATE_LIMIT_ACCOUNT=10000000`, so that none is refused), request id, metrics, pino access logging ' +
        '(the production logger: buffered writes, here to a file), the ledger service and schema serialisation. ' +
        'The baseline is a bare Fastify route in the same process running the same query ' +
        '(`SELECT * FROM ledger_entries WHERE idx = $1`) on the same pg pool (on PGlite, the same PGlite instance) and ' +
        'answering the same JSON, with none of our layers.',
      `autocannon runs in a second process against 127.0.0.1 with ${CONNECTIONS} connections over 100 entries of a ` +
        `${int(ENTRIES)}-entry log; ${rounds}. Requests/s and p99 are the median round; each ratio is the median ` +
        "over rounds of the round's own ratio to the bare route measured in the same round (the machine's speed " +
        "drifts over minutes, and a round's measurements, seconds apart, drift together); " +
        'every answer was a 200. The load generator, the server and PostgreSQL share the same cores.',
      ...ctx.engineNotes,
    ],
    tables,
    notes,
  };
}
