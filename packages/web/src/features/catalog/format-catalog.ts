import type { Job } from './catalog-types.ts';

/** Byte sizes in the reader's language, in the largest unit that keeps the number at or above 1. */
export function formatBytes(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

export function formatPercent(ratio: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** Whole days from `from` to `now` (never negative). */
export function daysSince(from: string, now: Date = new Date()): number {
  const start = Date.parse(from);
  if (Number.isNaN(start)) return 0;
  return Math.max(0, Math.floor((now.getTime() - start) / 86_400_000));
}

/** A value of a version diff as text: strings as they are, everything else as indented JSON. */
export function diffValueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** `user:5f0c…` → the actor type and id of a version's author. */
export function parseActor(actor: string): { type: string; id: string } {
  const at = actor.indexOf(':');
  return at === -1 ? { type: actor, id: '' } : { type: actor.slice(0, at), id: actor.slice(at + 1) };
}

/** Percentage for a job's progress bar: its own count while it runs, full once it succeeded. */
export function jobPercent(job: Pick<Job, 'status' | 'progress'> | undefined): number {
  if (job === undefined) return 0;
  if (job.status === 'succeeded') return 100;
  const { done, total } = job.progress;
  if (!total) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}
