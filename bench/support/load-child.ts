// The load generator, run as its own process so that it does not share the event loop (or the core) of the
// server it measures. Options come in BENCH_LOAD (JSON); the result goes to stdout as one JSON line.
import { createRequire } from 'node:module';
import type { LoadOptions } from './load.ts';

interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  latency: { p50: number; p99: number; mean: number; max: number };
  requests: { average: number; total: number };
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
const options = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadOptions;

function run(durationSeconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: durationSeconds,
    headers: options.headers,
    requests: options.paths.map((path) => ({ method: 'GET', path })),
    timeout: 10,
  });
}

if (options.warmupSeconds > 0) await run(options.warmupSeconds);
const result = await run(options.durationSeconds);
process.stdout.write(
  `${JSON.stringify({
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
    requestsPerSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean,
    max: result.latency.max,
  })}\n`,
);
