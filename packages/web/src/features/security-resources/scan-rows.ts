import type { ColumnScan, PersonalInfo, RecognizerFinding, ScanReport, ScanView } from './resources-types.ts';

/** One line of the scan table: a column, what it most likely holds, and the proposal for its catalog item. */
export interface ScanRow {
  name: string;
  valuesScanned: number;
  /** The recogniser the scanner is confident about, if any. */
  holds: string | undefined;
  /** The best finding, confident or not; undefined when nothing matched at all. */
  best: RecognizerFinding | undefined;
  /** Other recognisers that matched some values, best first. */
  others: RecognizerFinding[];
  personalInfo: PersonalInfo;
  grade: string;
  reason: string;
}

function rowOf(column: ColumnScan): ScanRow {
  const findings = [...column.findings].sort((a, b) => b.confidence - a.confidence || b.share - a.share);
  const held = column.holds === undefined ? undefined : findings.find((f) => f.recognizer === column.holds);
  const best = held ?? findings[0];
  return {
    name: column.name,
    valuesScanned: column.valuesScanned,
    holds: column.holds,
    best,
    others: findings.filter((f) => f !== best && f.matches > 0),
    personalInfo: column.proposal.personalInfo,
    grade: column.proposal.grade,
    reason: column.proposal.reason,
  };
}

const SEVERITY: Record<PersonalInfo, number> = { sensitive: 0, personal: 1, none: 2 };

/**
 * The scan report as table rows: sensitive columns first, then personal ones, then the rest, each group
 * in the table's own column order, so what needs the owner's attention comes first.
 */
export function scanRows(report: ScanReport | null | undefined): ScanRow[] {
  if (!report) return [];
  return report.columns
    .map((column, index) => ({ row: rowOf(column), index }))
    .sort((a, b) => SEVERITY[a.row.personalInfo] - SEVERITY[b.row.personalInfo] || a.index - b.index)
    .map((x) => x.row);
}

/** How many columns the scanner proposes as personal and as sensitive personal information. */
export function scanSummary(report: ScanReport | null | undefined): {
  columns: number;
  personal: number;
  sensitive: number;
} {
  const columns = report?.columns ?? [];
  return {
    columns: columns.length,
    personal: columns.filter((c) => c.proposal.personalInfo === 'personal').length,
    sensitive: columns.filter((c) => c.proposal.personalInfo === 'sensitive').length,
  };
}

/** The scan the page follows: the one just asked for, else the newest one that has not finished. */
export function activeScan(scans: readonly ScanView[], requested: string | undefined): ScanView | undefined {
  if (requested !== undefined) {
    const found = scans.find((s) => s.id === requested);
    if (found) return found;
  }
  return scans.find((s) => s.state === 'queued' || s.state === 'running');
}

/** The scan whose report the page shows: the chosen one, else the newest finished one. */
export function shownScan(scans: readonly ScanView[], chosen: string | undefined): ScanView | undefined {
  const picked = chosen === undefined ? undefined : scans.find((s) => s.id === chosen);
  return picked ?? scans.find((s) => s.state === 'done');
}

/** Share in 0..1 as a percentage in the reader's language ("87.5 %", "87,5 %", "87.5%"). */
export function formatShare(value: number, language: string, digits = 1): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: digits }).format(value);
}

/** The sample the form sends: a whole number of rows ≥ 1, or undefined to scan them all. */
export function sampleSize(
  mode: 'all' | 'sample',
  value: number | null | undefined,
): number | undefined | 'invalid' {
  if (mode === 'all') return undefined;
  if (value === null || value === undefined || !Number.isInteger(value) || value < 1) return 'invalid';
  return value;
}
