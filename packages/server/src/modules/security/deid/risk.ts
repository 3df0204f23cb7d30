import { DeidError } from './errors.ts';
import { parseNumber } from './hierarchy.ts';
import { type Classes, columnIndexes, encodeColumn, groupClasses, type Table } from './table.ts';

export type Scenario = 'public-release' | 'conditional-opening' | 'data-zone' | 'internal-sharing';
export const SCENARIOS: readonly Scenario[] = [
  'public-release',
  'conditional-opening',
  'data-zone',
  'internal-sharing',
];

export interface RiskThresholds {
  /** Smallest equivalence class allowed. */
  k: number;
  /** Highest prosecutor risk (1 / class size) any record may carry. */
  maxProsecutor: number;
  /** Highest journalist risk any record may carry. */
  maxJournalist: number;
  /** Marketer risk: expected share of records re-identified when all are attacked. */
  maxMarketer: number;
  /** Share of records alone in their class. */
  maxUniqueShare: number;
  /** Distinct l-diversity every sensitive attribute must reach, when set. */
  l?: number;
  /** Largest t-closeness (Earth Mover's Distance) allowed, when set. */
  t?: number;
}

/**
 * Defaults per use scenario. They are policy, to be confirmed by each institution's security officer:
 * - public-release: anyone may download and link the data, so the strictest. A maximum risk of 0.1 (k = 10)
 *   is in the range El Emam recommends for public releases (0.05-0.1, Guide to the De-Identification of
 *   Personal Health Information, 2013), no unique records, and t = 0.2 against attribute disclosure.
 * - conditional-opening: released under terms of use to named recipients: k = 5 (risk 0.2), the value
 *   El Emam gives for non-public releases with contractual controls and the usual ARX starting point.
 * - data-zone: analysed inside a controlled environment with no export of rows: k = 3 (risk 0.33).
 * - internal-sharing: within the institution, staff under duty of confidentiality: k = 2 (no record alone).
 */
export const DEFAULT_SCENARIO_THRESHOLDS: Record<Scenario, RiskThresholds> = {
  'public-release': {
    k: 10,
    maxProsecutor: 0.1,
    maxJournalist: 0.1,
    maxMarketer: 0.05,
    maxUniqueShare: 0,
    l: 2,
    t: 0.2,
  },
  'conditional-opening': {
    k: 5,
    maxProsecutor: 0.2,
    maxJournalist: 0.2,
    maxMarketer: 0.1,
    maxUniqueShare: 0,
    l: 2,
  },
  'data-zone': { k: 3, maxProsecutor: 1 / 3, maxJournalist: 1 / 3, maxMarketer: 0.2, maxUniqueShare: 0.01 },
  'internal-sharing': {
    k: 2,
    maxProsecutor: 0.5,
    maxJournalist: 0.5,
    maxMarketer: 0.33,
    maxUniqueShare: 0.05,
  },
};

export interface RecordRisk {
  /** Risk of the most exposed record. */
  highest: number;
  /** Mean over records. */
  average: number;
  /** Share of records whose risk is above `threshold`. */
  recordsAtRisk: number;
  threshold: number;
}

export interface RiskReport {
  records: number;
  classes: number;
  /** Size of the smallest equivalence class. */
  k: number;
  averageClassSize: number;
  /** Share of records alone in their class. */
  uniqueShare: number;
  prosecutor: RecordRisk;
  journalist: RecordRisk & { model: string; population: number };
  /** Expected share of records re-identified by an attacker who tries them all. */
  marketer: number;
  /** Per sensitive attribute: the smallest distinct l and entropy l (e^H) over classes. */
  lDiversity?: Record<string, { distinct: number; entropy: number }>;
  /** Per sensitive attribute: the largest Earth Mover's Distance of a class to the whole table. */
  tCloseness?: Record<string, number>;
  scenario?: Scenario;
  thresholds?: RiskThresholds;
  pass?: boolean;
  failures: string[];
  notes: string[];
}

export interface RiskOptions {
  quasiIdentifiers: string[];
  sensitive?: string[];
  scenario?: Scenario;
  thresholds?: Partial<RiskThresholds>;
  /** Estimated size of the population the table was sampled from; the journalist model needs it. */
  population?: number;
}

/** Default threshold for counting records at risk when neither a scenario nor thresholds are given (k = 5). */
const DEFAULT_AT_RISK = 0.2;

function effectiveThresholds(options: RiskOptions): RiskThresholds | undefined {
  if (options.scenario !== undefined && !SCENARIOS.includes(options.scenario))
    throw new DeidError('bad-options', `scenario must be one of ${SCENARIOS.join(', ')}`);
  if (options.scenario === undefined && options.thresholds === undefined) return undefined;
  const base = options.scenario
    ? DEFAULT_SCENARIO_THRESHOLDS[options.scenario]
    : DEFAULT_SCENARIO_THRESHOLDS['conditional-opening'];
  const merged = { ...base, ...options.thresholds };
  for (const [name, value] of Object.entries(merged))
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0))
      throw new DeidError('bad-options', `threshold ${name} must be a number ≥ 0`);
  return merged;
}

/** Equivalence classes of a table over its quasi-identifiers. */
export function tableClasses(table: Table, quasiIdentifiers: readonly string[]): Classes {
  const indexes = columnIndexes(table, quasiIdentifiers, 'quasi-identifier');
  const columns = indexes.map((i) => {
    const e = encodeColumn(table.rows, i);
    return { codes: e.codes, cardinality: e.values.length };
  });
  return groupClasses(columns, table.rows.length);
}

/** An empty cell (null or blanks) says nothing about a person: it is not a sensitive value of its own. */
export function isEmptyValue(value: string | null): boolean {
  return value === null || value.trim() === '';
}

/** The codes of a column's empty values. */
export function emptyCodes(values: readonly (string | null)[]): Set<number> {
  const out = new Set<number>();
  values.forEach((v, code) => {
    if (isEmptyValue(v)) out.add(code);
  });
  return out;
}

/** Sensitive values of one column, coded, with each code's number when the column is numeric (else undefined). */
function sensitiveCodes(
  table: Table,
  index: number,
): { codes: Int32Array; values: number; empty: Set<number>; order?: Int32Array } {
  const e = encodeColumn(table.rows, index);
  const empty = emptyCodes(e.values);
  const numbers = e.values.map((v) => (v === null ? Number.NEGATIVE_INFINITY : parseNumber(v)));
  const numeric = numbers.every((x) => x !== undefined) && e.values.some((v) => v !== null);
  if (!numeric) return { codes: e.codes, values: e.values.length, empty };
  // Rank of each code in numeric order (nulls first): the ground distance of the ordered EMD.
  const byValue = numbers.map((x, code) => ({ x: x!, code })).sort((a, b) => a.x - b.x);
  const order = new Int32Array(e.values.length);
  byValue.forEach((entry, rank) => {
    order[entry.code] = rank;
  });
  return { codes: e.codes, values: e.values.length, empty, order };
}

/**
 * l-diversity and t-closeness of one sensitive attribute over given classes. Distributions are counted per
 * class in one pass over the records, keyed class * values + value. l-diversity counts only the non-empty
 * values (`empty`: the codes of empty cells): an empty cell discloses no sensitive value, so counting it
 * as one would overstate the diversity; a class whose values are all empty has distinct and entropy l = 0.
 * t-closeness compares whole distributions, empty cells included.
 */
export function sensitiveMeasures(
  classes: Classes,
  codes: Int32Array,
  valueCount: number,
  order: Int32Array | undefined,
  records: number,
  empty: ReadonlySet<number> = new Set(),
): { distinct: number; entropy: number; t: number } {
  const counts = new Map<number, number>();
  for (let i = 0; i < records; i++) {
    const key = classes.classOf[i]! * valueCount + codes[i]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const perClass: [number, number][][] = classes.sizes.map(() => []);
  for (const [key, count] of counts) perClass[Math.floor(key / valueCount)]!.push([key % valueCount, count]);
  const overall = new Float64Array(valueCount);
  for (let i = 0; i < records; i++) overall[codes[i]!]! += 1 / records;
  // Values in the order of the ground distance: by number for numeric attributes.
  const position = order ?? Int32Array.from({ length: valueCount }, (_, i) => i);
  let distinct = Number.POSITIVE_INFINITY;
  let entropy = Number.POSITIVE_INFINITY;
  let t = 0;
  const diff = new Float64Array(valueCount);
  perClass.forEach((entries, c) => {
    const size = classes.sizes[c]!;
    const filled = entries.filter(([value]) => !empty.has(value));
    distinct = Math.min(distinct, filled.length);
    const filledSize = filled.reduce((sum, [, count]) => sum + count, 0);
    let h = 0;
    for (const [, count] of filled) {
      const p = count / filledSize;
      h -= p * Math.log(p);
    }
    entropy = Math.min(entropy, filled.length === 0 ? 0 : Math.exp(h));
    diff.set(overall);
    for (const [value, count] of entries) diff[value]! -= count / size;
    let emd = 0;
    if (order === undefined) {
      // Equal ground distance: half the L1 distance (the total variation distance).
      for (let v = 0; v < valueCount; v++) emd += Math.abs(diff[v]!);
      emd /= 2;
    } else if (valueCount > 1) {
      // Ordered distance: sum of |cumulative differences| over the ordered values, divided by m - 1.
      const ranked = new Float64Array(valueCount);
      for (let v = 0; v < valueCount; v++) ranked[position[v]!] = diff[v]!;
      let cumulative = 0;
      for (let r = 0; r < valueCount - 1; r++) {
        cumulative += ranked[r]!;
        emd += Math.abs(cumulative);
      }
      emd /= valueCount - 1;
    }
    t = Math.max(t, emd);
  });
  if (classes.sizes.length === 0) return { distinct: 0, entropy: 0, t: 0 };
  return { distinct, entropy, t };
}

function round(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * Re-identification risk of a table, after El Emam's models as ARX implements them: equivalence classes over
 * the quasi-identifiers; prosecutor risk of a record = 1 / its class size; marketer risk = classes / records;
 * journalist risk from a population estimate (see `population`).
 */
export function assessRisk(table: Table, options: RiskOptions): RiskReport {
  if (!Array.isArray(options.quasiIdentifiers) || options.quasiIdentifiers.length === 0)
    throw new DeidError('bad-options', 'give at least one quasi-identifier');
  const thresholds = effectiveThresholds(options);
  const sensitive = options.sensitive ?? [];
  const sensitiveIndexes = columnIndexes(table, sensitive, 'sensitive attribute');
  const overlap = sensitive.filter((s) => options.quasiIdentifiers.includes(s));
  if (overlap.length > 0)
    throw new DeidError('bad-options', `${overlap.join(', ')} cannot be both quasi-identifier and sensitive`);
  const n = table.rows.length;
  const population = options.population;
  if (population !== undefined && !(Number.isFinite(population) && population >= n))
    throw new DeidError(
      'bad-options',
      `the population (${population}) must be a number at least as large as the table (${n} records)`,
    );
  const classes = tableClasses(table, options.quasiIdentifiers);
  const notes: string[] = [];
  const c = classes.sizes.length;
  let minSize = n === 0 ? 0 : Number.POSITIVE_INFINITY;
  let uniques = 0;
  for (const size of classes.sizes) {
    if (size < minSize) minSize = size;
    if (size === 1) uniques++;
  }
  const atRisk = thresholds?.maxProsecutor ?? DEFAULT_AT_RISK;
  const journalistThreshold = thresholds?.maxJournalist ?? DEFAULT_AT_RISK;
  // Population class size of each sample class. Without a population the sample is the population and
  // the journalist risk equals the prosecutor risk. With one, each class is scaled up by the sampling
  // fraction (F = f * N / n, at least f): a simple estimate that assumes uniform sampling.
  const fraction = population === undefined ? 1 : n / population;
  if (population === undefined)
    notes.push(
      'No population size was given: the table is taken as the whole population, so journalist risk equals prosecutor risk.',
    );
  else
    notes.push(
      `Journalist risk estimated from a population of ${population}: each class's population size taken as its sample size divided by the sampling fraction ${round(fraction)} (uniform sampling assumed).`,
    );
  let prosecutorAtRisk = 0;
  let journalistSum = 0;
  let journalistAtRisk = 0;
  let journalistHighest = 0;
  for (const size of classes.sizes) {
    if (1 / size > atRisk) prosecutorAtRisk += size;
    const populationSize = Math.max(size, size / fraction);
    const risk = 1 / populationSize;
    journalistSum += risk * size;
    journalistHighest = Math.max(journalistHighest, risk);
    if (risk > journalistThreshold) journalistAtRisk += size;
  }
  const report: RiskReport = {
    records: n,
    classes: c,
    k: n === 0 ? 0 : minSize,
    averageClassSize: c === 0 ? 0 : round(n / c),
    uniqueShare: n === 0 ? 0 : round(uniques / n),
    prosecutor: {
      highest: n === 0 ? 0 : round(1 / minSize),
      average: n === 0 ? 0 : round(c / n),
      recordsAtRisk: n === 0 ? 0 : round(prosecutorAtRisk / n),
      threshold: round(atRisk),
    },
    journalist: {
      highest: round(journalistHighest),
      average: n === 0 ? 0 : round(journalistSum / n),
      recordsAtRisk: n === 0 ? 0 : round(journalistAtRisk / n),
      threshold: round(journalistThreshold),
      model: population === undefined ? 'sample-as-population' : 'sampling-fraction',
      population: population ?? n,
    },
    // Expected share re-identified when every record is tried: sum over classes of f/F, divided by n.
    marketer: n === 0 ? 0 : round(population === undefined ? c / n : (c * fraction) / n),
    failures: [],
    notes,
  };
  if (sensitive.length > 0) {
    report.lDiversity = {};
    report.tCloseness = {};
    sensitiveIndexes.forEach((index, s) => {
      const coded = sensitiveCodes(table, index);
      const m = sensitiveMeasures(classes, coded.codes, coded.values, coded.order, n, coded.empty);
      report.lDiversity![sensitive[s]!] = { distinct: m.distinct, entropy: round(m.entropy) };
      report.tCloseness![sensitive[s]!] = round(m.t);
    });
  }
  if (thresholds !== undefined) {
    const f = report.failures;
    const pct = (x: number) => `${Number((x * 100).toPrecision(4))} %`;
    const num = (x: number) => Number(x.toPrecision(4));
    if (report.k < thresholds.k)
      f.push(`smallest class has ${report.k} record(s), below k = ${thresholds.k}`);
    if (report.prosecutor.highest > thresholds.maxProsecutor)
      f.push(
        `highest prosecutor risk ${num(report.prosecutor.highest)} is above ${num(round(thresholds.maxProsecutor))}`,
      );
    if (report.journalist.highest > thresholds.maxJournalist)
      f.push(
        `highest journalist risk ${num(report.journalist.highest)} is above ${num(round(thresholds.maxJournalist))}`,
      );
    if (report.marketer > thresholds.maxMarketer)
      f.push(`marketer risk ${num(report.marketer)} is above ${num(round(thresholds.maxMarketer))}`);
    if (report.uniqueShare > thresholds.maxUniqueShare)
      f.push(`${pct(report.uniqueShare)} of records are unique, above ${pct(thresholds.maxUniqueShare)}`);
    for (const [name, l] of Object.entries(report.lDiversity ?? {}))
      if (thresholds.l !== undefined && l.distinct < thresholds.l)
        f.push(`"${name}" is ${l.distinct}-diverse, below l = ${thresholds.l}`);
    for (const [name, t] of Object.entries(report.tCloseness ?? {}))
      if (thresholds.t !== undefined && t > thresholds.t)
        f.push(`"${name}" is ${num(t)}-close, above t = ${thresholds.t}`);
    if (sensitive.length === 0 && (thresholds.l !== undefined || thresholds.t !== undefined))
      notes.push('No sensitive attribute was named: l-diversity and t-closeness were not checked.');
    if (options.scenario !== undefined) report.scenario = options.scenario;
    report.thresholds = thresholds;
    report.pass = f.length === 0;
  }
  return report;
}
