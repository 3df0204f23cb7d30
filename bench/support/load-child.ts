// The load generator, run as its own process so that it does not share the event loop (or the core) of the
// server it measures. Options come in BENCH_LOAD (JSON); the result goes to stdout as one JSON line.
import { createRequire } from 'node:module';
import { percentile } from './format.ts';
import type { LoadOptions, LoadResult, StatusFigures } from './load.ts';

interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  latency: { p50: number; p99: number; mean: number; max: number };
  requests: { average: number; total: number };
}

interface Running extends PromiseLike<AutocannonResult> {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void,
  ): void;
}

type Autocannon = (options: Record<string, unknown>) => Running;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
const options = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadOptions;

/**
 * autocannon holds a rate per connection and per second: each connection sends its share back to back as
 * the second starts, then waits for the next. The rate is split over this many instances, started evenly
 * over the second, so that the load comes in ten small bursts a second rather than one large one.
 */
const SLICES = 10;

/** Latencies of each answer as it came, by status code (autocannon's own fills in coordinated omission). */
const timed = options.overallRate !== undefined || options.byStatus === true;

function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

function start(durationSeconds: number, extra: Record<string, unknown>): Running {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: durationSeconds,
    headers: options.headers,
    requests: options.paths.map((path) => ({ method: 'GET', path })),
    timeout: 10,
    ...extra,
  });
}

async function run(
  durationSeconds: number,
  samples: Map<number, number[]> | undefined,
): Promise<AutocannonResult[]> {
  const keep = (running: Running) => {
    if (samples === undefined) return;
    running.on('response', (_client, status, _bytes, ms) => {
      const list = samples.get(status);
      if (list === undefined) samples.set(status, [ms]);
      else list.push(ms);
    });
  };
  if (options.overallRate === undefined) {
    const running = start(durationSeconds, {});
    keep(running);
    return [await running];
  }
  const rate = options.overallRate;
  const slices = Math.min(SLICES, rate);
  return Promise.all(
    Array.from(
      { length: slices },
      (_, i) =>
        new Promise<AutocannonResult>((resolve, reject) => {
          setTimeout(
            () => {
              const running = start(durationSeconds, {
                connections: Math.max(1, share(options.connections, slices, i)),
                overallRate: share(rate, slices, i),
              });
              keep(running);
              running.then(resolve, reject);
            },
            (i * 1000) / slices,
          );
        }),
    ),
  );
}

const warmup = options.warmupSeconds > 0 ? await run(options.warmupSeconds, undefined) : [];
const samples = timed ? new Map<number, number[]>() : undefined;
const results = await run(options.durationSeconds, samples);
const sum = (pick: (r: AutocannonResult) => number) => results.reduce((n, r) => n + pick(r), 0);
const first = results[0]!;
const out: LoadResult = {
  ok: sum((r) => r['2xx']),
  non2xx: sum((r) => r.non2xx),
  errors: sum((r) => r.errors),
  timeouts: sum((r) => r.timeouts),
  durationSeconds: Math.max(...results.map((r) => r.duration)),
  requestsPerSecond: sum((r) => r['2xx'] / r.duration),
  p50: first.latency.p50,
  p99: first.latency.p99,
  mean: first.latency.mean,
  max: first.latency.max,
  warmupOk: warmup.reduce((n, r) => n + r['2xx'], 0),
};
if (samples !== undefined) {
  const all = [...samples.values()].flat();
  out.p50 = percentile(all, 50);
  out.p99 = percentile(all, 99);
  out.mean = all.reduce((n, v) => n + v, 0) / all.length;
  out.max = all.reduce((m, v) => Math.max(m, v), 0);
  if (options.byStatus === true) {
    const statuses: Record<string, StatusFigures> = {};
    for (const [status, list] of samples)
      statuses[status] = { count: list.length, p50: percentile(list, 50), p99: percentile(list, 99) };
    out.statuses = statuses;
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
