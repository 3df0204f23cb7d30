import type { RiskReport, RiskThresholds } from './resources-types.ts';

export type MeasureKey = 'k' | 'prosecutor' | 'journalist' | 'marketer' | 'uniqueShare' | 'l' | 't';

/**
 * One figure of a risk report beside the limit the scenario sets: `min` limits are floors (k, l), `max`
 * limits are ceilings (risks, unique share, t). `pass` is undefined when no limit applies.
 */
export interface Measure {
  key: MeasureKey;
  /** The sensitive attribute, for l and t. */
  attribute?: string;
  value: number;
  limit: number | undefined;
  bound: 'min' | 'max';
  /** A share or probability in 0..1, drawn in the chart; k and l are counts. */
  ratio: boolean;
  pass: boolean | undefined;
}

function measure(
  key: MeasureKey,
  value: number,
  limit: number | undefined,
  bound: 'min' | 'max',
  ratio: boolean,
  attribute?: string,
): Measure {
  const pass = limit === undefined ? undefined : bound === 'min' ? value >= limit : value <= limit;
  return { key, value, limit, bound, ratio, pass, ...(attribute === undefined ? {} : { attribute }) };
}

/**
 * The report's figures against its thresholds (those of the scenario it was assessed for; none when it
 * was assessed without one), in the order the scenario lists them: k, the three attacker models, the
 * share of unique records, then l-diversity and t-closeness per sensitive attribute.
 */
export function riskMeasures(report: RiskReport, thresholds?: RiskThresholds): Measure[] {
  const limits = thresholds ?? report.thresholds;
  const out: Measure[] = [
    measure('k', report.k, limits?.k, 'min', false),
    measure('prosecutor', report.prosecutor.highest, limits?.maxProsecutor, 'max', true),
    measure('journalist', report.journalist.highest, limits?.maxJournalist, 'max', true),
    measure('marketer', report.marketer, limits?.maxMarketer, 'max', true),
    measure('uniqueShare', report.uniqueShare, limits?.maxUniqueShare, 'max', true),
  ];
  for (const [attribute, l] of Object.entries(report.lDiversity ?? {}))
    out.push(measure('l', l.distinct, limits?.l, 'min', false, attribute));
  for (const [attribute, t] of Object.entries(report.tCloseness ?? {}))
    out.push(measure('t', t, limits?.t, 'max', true, attribute));
  return out;
}

/** The measures that fail their limit: each becomes one sentence under the report. */
export function failedMeasures(measures: readonly Measure[]): Measure[] {
  return measures.filter((m) => m.pass === false);
}

/** pass / fail against the scenario, or `unassessed` when no scenario was given. */
export function verdict(report: RiskReport): 'pass' | 'fail' | 'unassessed' {
  if (report.pass === undefined) return 'unassessed';
  return report.pass ? 'pass' : 'fail';
}

/** A bar of the chart: a risk and its ceiling, both in 0..1. */
export interface RiskBar {
  key: MeasureKey;
  attribute?: string;
  value: number;
  limit: number | undefined;
  pass: boolean | undefined;
}

/** The probabilities and shares of the report as bars against their ceilings, clamped to 0..1. */
export function riskBars(measures: readonly Measure[]): RiskBar[] {
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  return measures
    .filter((m) => m.ratio)
    .map((m) => ({
      key: m.key,
      ...(m.attribute === undefined ? {} : { attribute: m.attribute }),
      value: clamp(m.value),
      limit: m.limit === undefined ? undefined : clamp(m.limit),
      pass: m.pass,
    }));
}

/** A probability as the report gives it, to at most 3 significant figures ("0.333", "0.05", "1"). */
export function formatRisk(value: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumSignificantDigits: 3 }).format(value);
}

/**
 * What a derived table's clearance lets happen, as a text key: who besides its provider may read it. The
 * datastore serves it to open-data readers only when cleared for public release, to holders of a grant to
 * open when cleared for conditional opening or better, and to institutions sharing it when cleared for
 * internal sharing or better. `not-personal`: no personal information is left, the catalog entry decides.
 */
export type ClearanceMeaning =
  | 'public-release'
  | 'conditional-opening'
  | 'data-zone'
  | 'internal-sharing'
  | 'none'
  | 'not-personal'
  | 'pending';

export function clearanceMeaning(derivation: { state: string; clearance: string | null }): ClearanceMeaning {
  if (derivation.state !== 'done') return 'pending';
  switch (derivation.clearance) {
    case null:
      return 'not-personal';
    case 'public-release':
    case 'conditional-opening':
    case 'data-zone':
    case 'internal-sharing':
      return derivation.clearance;
    default:
      return 'none';
  }
}
