// Number formatting and the markdown pieces of docs/benchmarks.md.

export function int(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A rate with three significant figures at most, thousands separated: 1,234,000 or 12.3. */
export function rate(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 1000) return int(Number(value.toPrecision(3)));
  return Number(value.toPrecision(3)).toString();
}

/** Milliseconds with a precision that suits the size: 0.0213 ms, 0.412 ms, 12.3 ms. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 0.1) return `${value.toFixed(4)} ms`;
  if (value < 10) return `${value.toFixed(3)} ms`;
  return `${value.toFixed(1)} ms`;
}

/** A duration given in ms, written in µs below 1 ms. */
export function us(valueMs: number): string {
  return valueMs >= 1 ? ms(valueMs) : `${(valueMs * 1000).toFixed(1)} µs`;
}

export function bytes(value: number): string {
  if (value >= 1024 ** 3) return `${(value / 1024 ** 3).toFixed(2)} GiB`;
  if (value >= 1024 ** 2) return `${(value / 1024 ** 2).toFixed(1)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${Math.round(value)} B`;
}

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 10 ? `${value.toFixed(1)}×` : `${value.toFixed(2)}×`;
}

export function seconds(valueMs: number): string {
  return valueMs >= 60_000
    ? `${Math.floor(valueMs / 60_000)} min ${Math.round((valueMs % 60_000) / 1000)} s`
    : `${(valueMs / 1000).toFixed(1)} s`;
}

/** "met" or "missed by 23 %" for a figure that must be at least (higher) or at most (lower) a target. */
export function verdict(value: number, target: number, better: 'higher' | 'lower'): string {
  const met = better === 'higher' ? value >= target : value <= target;
  if (met) return 'met';
  const miss = better === 'higher' ? (target - value) / target : (value - target) / target;
  return `**missed** by ${(miss * 100).toFixed(0)} %`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [
    `| ${headers.map(escapeCell).join(' | ')} |`,
    `|${headers.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  for (const row of rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
  return lines.join('\n');
}

/** p-th percentile (0..100) of unsorted samples, linear interpolation. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const weight = rank - lower;
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
