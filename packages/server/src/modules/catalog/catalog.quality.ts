import type { EntryMetadata, UpdateCycle } from './catalog.model.ts';
import type { CatalogProfile } from './catalog.profile.ts';

/** How long each update cycle may run before an entry is overdue, in days (with a little grace). */
const CYCLE_DAYS: Record<UpdateCycle, number | undefined> = {
  realtime: 2,
  daily: 3,
  weekly: 10,
  monthly: 35,
  quarterly: 100,
  yearly: 380,
  irregular: undefined,
};

export type QualityIssueKind =
  | 'overdue'
  | 'incomplete'
  | 'fields-undescribed'
  | 'no-license'
  | 'no-contact'
  | 'no-distribution'
  | 'unreachable'
  | 'no-translation';

export interface QualityIssue {
  kind: QualityIssueKind;
  /** 3 = fix first. */
  severity: 1 | 2 | 3;
  /** Days overdue, fields missing, and other numbers the message needs. */
  amount?: number;
}

export interface QualityReport {
  /** 0..100 */
  score: number;
  completeness: number;
  fieldsDescribed: number;
  hasLicense: boolean;
  hasContact: boolean;
  timely: boolean;
  daysOverdue: number;
  issues: QualityIssue[];
}

function filled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function valueAt(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function daysOverdue(
  metadata: Pick<EntryMetadata, 'updateCycle' | 'lastUpdate' | 'releaseDate'>,
  now: Date,
): number {
  const allowed = CYCLE_DAYS[metadata.updateCycle];
  const last = metadata.lastUpdate ?? metadata.releaseDate;
  if (allowed === undefined || last === undefined) return 0;
  const age = Math.floor((now.getTime() - Date.parse(`${last}T00:00:00Z`)) / 86_400_000);
  return Number.isNaN(age) ? 0 : Math.max(0, age - allowed);
}

/**
 * Lawful, accurate, complete and timely (Art. 16), as numbers: completeness against the profile's fields,
 * information items described, licence and contact present, distributions reachable, update on time.
 * `unreachable` counts distributions a link check found broken (unknown counts as fine).
 */
export function assessQuality(
  metadata: EntryMetadata,
  profile: CatalogProfile,
  now: Date,
  unreachable = 0,
): QualityReport {
  // Conditions of conditional sharing or opening count only where they apply.
  const paths = profile.rules
    .filter(
      (r) =>
        r.requiredWhen === undefined ||
        r.requiredWhen.values.includes(String(valueAt(metadata, r.requiredWhen.path))),
    )
    .map((r) => r.path);
  const completeness =
    paths.length === 0 ? 1 : paths.filter((p) => filled(valueAt(metadata, p))).length / paths.length;
  const items = metadata.informationItems;
  const fieldsDescribed =
    items.length === 0 ? 0 : items.filter((f) => filled(f.description)).length / items.length;
  const hasLicense = filled(metadata.license);
  const hasContact =
    filled(metadata.contactPoint?.name) &&
    (filled(metadata.contactPoint?.email) || filled(metadata.contactPoint?.phone));
  const overdue = daysOverdue(metadata, now);
  const reachable = metadata.distributions.length === 0 ? 0 : 1 - unreachable / metadata.distributions.length;
  const score = Math.round(
    40 * completeness +
      20 * fieldsDescribed +
      10 * (hasLicense ? 1 : 0) +
      10 * (hasContact ? 1 : 0) +
      10 * reachable +
      10 * (overdue === 0 ? 1 : 0),
  );
  const issues: QualityIssue[] = [];
  if (overdue > 0) issues.push({ kind: 'overdue', severity: 3, amount: overdue });
  if (metadata.distributions.length === 0) issues.push({ kind: 'no-distribution', severity: 3 });
  if (unreachable > 0) issues.push({ kind: 'unreachable', severity: 3, amount: unreachable });
  if (!hasLicense) issues.push({ kind: 'no-license', severity: 2 });
  if (!hasContact) issues.push({ kind: 'no-contact', severity: 2 });
  if (fieldsDescribed < 1 && items.length > 0)
    issues.push({
      kind: 'fields-undescribed',
      severity: 2,
      amount: items.length - items.filter((f) => filled(f.description)).length,
    });
  if (completeness < 0.8)
    issues.push({ kind: 'incomplete', severity: 1, amount: Math.round(completeness * 100) });
  if (!filled(metadata.title.en)) issues.push({ kind: 'no-translation', severity: 1 });
  return {
    score,
    completeness,
    fieldsDescribed,
    hasLicense,
    hasContact,
    timely: overdue === 0,
    daysOverdue: overdue,
    issues,
  };
}
