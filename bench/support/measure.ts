import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mean, median, percentile } from './format.ts';

/** One unit of work; resolves to the number of operations it did (entries, rows, requests). */
export type Step = () => Promise<number>;

export interface RateResult {
  ops: number;
  elapsedMs: number;
  perSecond: number;
}

/** Runs `step` back to back in `workers` parallel loops until `durationMs` has passed. */
export async function runFor(durationMs: number, step: Step, workers = 1): Promise<RateResult> {
  const start = performance.now();
  const deadline = start + durationMs;
  let ops = 0;
  async function loop(): Promise<void> {
    while (performance.now() < deadline) {
      // Not `ops += await step()`: that reads ops before the await and loses the other loops' counts.
      const done = await step();
      ops += done;
    }
  }
  await Promise.all(Array.from({ length: workers }, loop));
  const elapsedMs = performance.now() - start;
  return { ops, elapsedMs, perSecond: (ops / elapsedMs) * 1000 };
}

export interface Comparison {
  baseline: number;
  ours: number;
  /** Per-round rates, to show the spread. */
  baselineRounds: number[];
  oursRounds: number[];
}

/**
 * Measures the baseline and our workload in alternating rounds (baseline, ours, baseline, ours, ...),
 * each after a short warm-up, so that drift (caches, autovacuum, a growing table) hits both alike.
 * Reports the median rate of the rounds.
 */
export async function compareRates(options: {
  rounds: number;
  durationMs: number;
  warmupMs: number;
  workers?: number;
  baseline: Step;
  ours: Step;
}): Promise<Comparison> {
  const workers = options.workers ?? 1;
  const baselineRounds: number[] = [];
  const oursRounds: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const [step, into] of [
      [options.baseline, baselineRounds],
      [options.ours, oursRounds],
    ] as const) {
      if (options.warmupMs > 0) await runFor(options.warmupMs, step, workers);
      into.push((await runFor(options.durationMs, step, workers)).perSecond);
    }
  }
  return { baseline: median(baselineRounds), ours: median(oursRounds), baselineRounds, oursRounds };
}

/** Times each call of `fn` over the given inputs, one at a time; returns milliseconds per call. */
export async function timeEach<T>(
  inputs: readonly T[],
  fn: (input: T) => Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = [];
  for (const input of inputs) {
    const start = performance.now();
    await fn(input);
    samples.push(performance.now() - start);
  }
  return samples;
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

let gc: (() => void) | undefined;

/** A full garbage collection before a memory measurement (gc exposed on first use, not at import). */
export function collectGarbage(): void {
  if (gc === undefined) {
    v8.setFlagsFromString('--expose_gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

export interface Latencies {
  p50: number;
  p99: number;
  mean: number;
  samples: number;
}

export function latencies(samples: readonly number[]): Latencies {
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: mean(samples),
    samples: samples.length,
  };
}

/** RSS sampled every 100 ms until stopped; `before` is taken after a full GC. */
export function rssSampler(): { before: number; stop(): number } {
  collectGarbage();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, 100);
  return {
    before,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
