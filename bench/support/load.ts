import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
  requestsPerSecond: number;
  /** Latencies in milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  max: number;
  /** 2xx answers during the warm-up, which the other figures leave out. */
  warmupOk: number;
  /** With `byStatus`: answers of each status code, and their latencies in ms. */
  statuses?: Record<string, StatusFigures>;
}

export interface StatusFigures {
  count: number;
  p50: number;
  p99: number;
}

export interface LoadOptions {
  url: string;
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /**
   * Requests per second over all connections; unset, each connection sends its next request as soon as
   * the answer to the last one comes.
   */
  overallRate?: number;
  /** Count and time the answers of each status code apart (429s against 200s, say). */
  byStatus?: boolean;
}

const CHILD = join(import.meta.dirname, 'load-child.ts');

/**
 * Runs autocannon in a child process (the same Node binary) against 127.0.0.1 and returns its figures.
 * The child is killed if it overruns its time by 30 s.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(options.url))
    throw new Error(`load only against 127.0.0.1, not ${options.url}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], {
      env: { ...process.env, BENCH_LOAD: JSON.stringify(options) },
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
    const limit = (options.warmupSeconds + options.durationSeconds + 30) * 1000;
    const timer = setTimeout(() => child.kill('SIGKILL'), limit);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`load generator exited with ${code}: ${stderr.trim().slice(0, 500)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
      } catch {
        reject(
          new Error(`load generator printed no result: ${stdout.slice(0, 300)} ${stderr.slice(0, 300)}`),
        );
      }
    });
  });
}
