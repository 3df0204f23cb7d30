import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');
export const BENCH_DIR = join(ROOT, 'bench');
/** Throwaway data directories, logs and profiles (git-ignored). */
export const WORK_DIR = join(BENCH_DIR, '.work');

export function workDir(...parts: string[]): string {
  const dir = join(WORK_DIR, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
