import type { DatastoreVersion, VersionState } from './datastore-types.ts';

/** A cell as text: structured values as compact JSON, long texts cut so one cell cannot swamp the table. */
export function cellText(value: unknown, labels: { yes: string; no: string }, maxLength = 200): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'boolean') text = value ? labels.yes : labels.no;
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

/** Badge tone of a version state; the state's name is always written next to it. */
export function versionTone(state: VersionState): 'green' | 'blue' | 'orange' | 'red' | 'grey' {
  switch (state) {
    case 'live':
      return 'green';
    case 'loading':
      return 'blue';
    case 'failed':
      return 'red';
    case 'cancelled':
      return 'orange';
    default:
      return 'grey';
  }
}

/** Only versions whose rows are still stored can be downloaded. */
export function isDownloadable(version: Pick<DatastoreVersion, 'state'>): boolean {
  return version.state === 'live' || version.state === 'superseded';
}

/** Versions that have a validation report worth opening. */
export function hasReport(version: Pick<DatastoreVersion, 'state'>): boolean {
  return version.state !== 'loading' && version.state !== 'cancelled';
}

export type LoadPhase =
  | { kind: 'reading' }
  | { kind: 'rowsRead'; rows: number }
  | { kind: 'other'; text: string };

/** The load job's progress message ("reading and validating", "1200 rows read") as something to translate. */
export function loadPhase(message: string | null | undefined): LoadPhase | undefined {
  const text = message?.trim();
  if (!text) return undefined;
  if (/^reading\b/i.test(text)) return { kind: 'reading' };
  const rows = /^(\d+) rows? read$/i.exec(text);
  if (rows) return { kind: 'rowsRead', rows: Number(rows[1]) };
  return { kind: 'other', text };
}
