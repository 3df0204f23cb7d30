import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assessRisk,
  DEFAULT_SCENARIO_THRESHOLDS,
  DeidError,
  type Hierarchy,
  numericRangeHierarchy,
  parseHierarchyCsv,
  searchOptimal,
  type Table,
} from '../src/modules/security/deid/index.ts';
import { SHARED_DIR } from './support/shared.ts';

// Six records; over (age, zip) they fall in three classes: A = rows 1-3 (size 3), B = rows 4-5 (size 2),
// C = row 6 (size 1).
const SMALL: Table = {
  columns: ['age', 'zip', 'disease'],
  rows: [
    ['30', '100', 'flu'],
    ['30', '100', 'flu'],
    ['30', '100', 'cold'],
    ['40', '200', 'flu'],
    ['40', '200', 'cancer'],
    ['50', '300', 'cold'],
  ],
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeidError) return error.code;
    throw error;
  }
  return undefined;
}

describe('assessRisk', () => {
  it('computes classes, k, unique share, prosecutor and marketer risk (hand-computed)', () => {
    const r = assessRisk(SMALL, { quasiIdentifiers: ['age', 'zip'] });
    expect(r.records).toBe(6);
    expect(r.classes).toBe(3);
    expect(r.k).toBe(1); // class C
    expect(r.averageClassSize).toBe(2); // 6 / 3
    expect(r.uniqueShare).toBeCloseTo(1 / 6, 10); // one record alone
    expect(r.prosecutor.highest).toBe(1); // 1 / |C|
    expect(r.prosecutor.average).toBe(0.5); // (3·1/3 + 2·1/2 + 1·1) / 6 = 3/6
    // Default threshold 0.2: every record's risk (1/3, 1/2, 1) is above it.
    expect(r.prosecutor.recordsAtRisk).toBe(1);
    expect(r.marketer).toBe(0.5); // 3 classes / 6 records
    // No population: journalist = prosecutor, and the report says so.
    expect(r.journalist.highest).toBe(1);
    expect(r.journalist.average).toBe(0.5);
    expect(r.journalist.model).toBe('sample-as-population');
    expect(r.notes.join(' ')).toMatch(/journalist risk equals prosecutor risk/);
    expect(r.pass).toBeUndefined();
  });

  it('counts records at risk against the threshold given', () => {
    // Risk above 0.4: B (1/2) and C (1), 3 of 6 records.
    const r = assessRisk(SMALL, { quasiIdentifiers: ['age', 'zip'], thresholds: { maxProsecutor: 0.4 } });
    expect(r.prosecutor.recordsAtRisk).toBe(0.5);
    expect(r.prosecutor.threshold).toBe(0.4);
  });

  it('estimates journalist and marketer risk from a population size', () => {
    // Sampling fraction 6/60 = 0.1: population classes 30, 20, 10 -> risks 1/30, 1/20, 1/10.
    const r = assessRisk(SMALL, { quasiIdentifiers: ['age', 'zip'], population: 60 });
    expect(r.journalist.highest).toBeCloseTo(0.1, 10);
    // (3·1/30 + 2·1/20 + 1·1/10) / 6 = 0.3 / 6
    expect(r.journalist.average).toBeCloseTo(0.05, 10);
    expect(r.marketer).toBeCloseTo(0.05, 10); // Σ f/F / n = 3 · 0.1 / 6
    expect(r.journalist.model).toBe('sampling-fraction');
    expect(r.prosecutor.highest).toBe(1); // unchanged
  });

  it('computes distinct and entropy l-diversity and categorical t-closeness (hand-computed)', () => {
    const r = assessRisk(SMALL, { quasiIdentifiers: ['age', 'zip'], sensitive: ['disease'] });
    // A {flu, flu, cold}: distinct 2, entropy e^H = e^-(2/3 ln 2/3 + 1/3 ln 1/3) ≈ 1.8899;
    // B {flu, cancer}: 2 and 2; C {cold}: 1 and 1. Minimum over classes: 1 and 1.
    expect(r.lDiversity).toEqual({ disease: { distinct: 1, entropy: 1 } });
    // Whole table: flu 1/2, cold 1/3, cancer 1/6. Equal ground distance = half the L1 distance:
    // A (2/3, 1/3, 0): (1/6 + 0 + 1/6)/2 = 1/6; B (1/2, 0, 1/2): (0 + 1/3 + 1/3)/2 = 1/3;
    // C (0, 1, 0): (1/2 + 2/3 + 1/6)/2 = 2/3. Maximum: 2/3.
    expect(r.tCloseness!.disease).toBeCloseTo(2 / 3, 10);
    const two = assessRisk(
      { columns: SMALL.columns, rows: SMALL.rows.slice(0, 3) },
      {
        quasiIdentifiers: ['age'],
        sensitive: ['disease'],
      },
    );
    // One class {flu, flu, cold}: entropy l = exp(-(2/3)ln(2/3) - (1/3)ln(1/3)).
    const h = -((2 / 3) * Math.log(2 / 3) + (1 / 3) * Math.log(1 / 3));
    expect(two.lDiversity!.disease!.entropy).toBeCloseTo(Math.exp(h), 9);
    expect(two.lDiversity!.disease!.distinct).toBe(2);
    expect(two.tCloseness!.disease).toBe(0); // the class is the whole table
  });

  it('does not count an empty sensitive value as a value of its own (hand-computed)', () => {
    const rows: (string | null)[][] = [
      ['a', 'flu'],
      ['a', null],
      ['a', ''],
      ['b', 'flu'],
      ['b', 'cold'],
      ['b', null],
    ];
    // a {flu, -, -}: distinct 1, entropy 1 (flu alone among the filled values); b {flu, cold, -}: 2 and 2.
    // Counting the empty cells as values would give 3 and 3 for both classes.
    const filled = assessRisk(
      { columns: ['g', 'disease'], rows },
      { quasiIdentifiers: ['g'], sensitive: ['disease'] },
    );
    expect(filled.lDiversity).toEqual({ disease: { distinct: 1, entropy: 1 } });
    // c {-, -}: no sensitive value at all, l = 0 (counting the empty cell would give 1).
    const empty = assessRisk(
      { columns: ['g', 'disease'], rows: [...rows, ['c', null], ['c', null]] },
      { quasiIdentifiers: ['g'], sensitive: ['disease'], thresholds: { l: 1 } },
    );
    expect(empty.lDiversity).toEqual({ disease: { distinct: 0, entropy: 0 } });
    expect(empty.failures).toContain('"disease" is 0-diverse, below l = 1');
    // The search agrees: zip 1002 {flu, -} is not 2-diverse, so the zip codes must be generalised.
    const table: Table = {
      columns: ['zip', 'disease'],
      rows: [
        ['1001', 'flu'],
        ['1001', 'cold'],
        ['1002', 'flu'],
        ['1002', null],
      ],
    };
    const found = searchOptimal(table, {
      hierarchies: { zip: parseHierarchyCsv('1001,100*\n1002,100*\n') },
      k: 2,
      l: 2,
      sensitive: ['disease'],
      maxSuppression: 0,
    });
    expect(found.levels).toEqual({ zip: 1 });
    expect(found.report.lDiversity!.disease!.distinct).toBe(2);
  });

  it('uses the ordered distance for a numeric sensitive attribute, in numeric order', () => {
    // Incomes 9, 10, 100 (numeric order; as text "10" < "100" < "9"). Whole table: 1/4, 1/4, 1/2.
    // Class a {9, 10}: differences (1/4-1/2, 1/4-1/2, 1/2) -> cumulative -1/4, -1/2 -> (1/4 + 1/2)/(3-1) = 3/8.
    // Class b {100, 100}: cumulative 1/4, 1/2 -> 3/8. In text order it would be 1/4.
    const table: Table = {
      columns: ['g', 'income'],
      rows: [
        ['a', '9'],
        ['a', '10'],
        ['b', '100'],
        ['b', '100'],
      ],
    };
    expect(
      assessRisk(table, { quasiIdentifiers: ['g'], sensitive: ['income'] }).tCloseness!.income,
    ).toBeCloseTo(0.375, 10);
    // The same distributions as categories: (1/4 + 1/4 + 1/2)/2 = 1/2.
    const words: Table = { columns: table.columns, rows: table.rows.map(([g, v]) => [g!, `v${v}`]) };
    expect(
      assessRisk(words, { quasiIdentifiers: ['g'], sensitive: ['income'] }).tCloseness!.income,
    ).toBeCloseTo(0.5, 10);
  });

  it('passes or fails a scenario and names each failure', () => {
    const fail = assessRisk(SMALL, {
      quasiIdentifiers: ['age', 'zip'],
      sensitive: ['disease'],
      scenario: 'public-release',
    });
    expect(fail.pass).toBe(false);
    expect(fail.thresholds).toEqual(DEFAULT_SCENARIO_THRESHOLDS['public-release']);
    expect(fail.failures.some((f) => /below k = 10/.test(f))).toBe(true);
    expect(fail.failures.some((f) => /unique/.test(f))).toBe(true);
    expect(fail.failures.some((f) => /1-diverse/.test(f))).toBe(true);
    // Two classes of four: k = 4, risk 1/4, marketer 2/8: within internal sharing, not conditional opening.
    const rows = [...Array(8).keys()].map((i) => [i < 4 ? 'x' : 'y', 'same']);
    const table: Table = { columns: ['q', 'other'], rows };
    const internal = assessRisk(table, { quasiIdentifiers: ['q'], scenario: 'internal-sharing' });
    expect(internal.pass).toBe(true);
    expect(internal.failures).toEqual([]);
    const opening = assessRisk(table, { quasiIdentifiers: ['q'], scenario: 'conditional-opening' });
    expect(opening.pass).toBe(false);
    expect(opening.failures.some((f) => /below k = 5/.test(f))).toBe(true);
    // A threshold given overrides the scenario's.
    expect(
      assessRisk(table, {
        quasiIdentifiers: ['q'],
        scenario: 'conditional-opening',
        thresholds: { k: 4, maxProsecutor: 0.25, maxJournalist: 0.25, maxMarketer: 0.25 },
      }).pass,
    ).toBe(true);
  });

  it('orders the scenarios from strictest to loosest', () => {
    const order = ['public-release', 'conditional-opening', 'data-zone', 'internal-sharing'] as const;
    for (let i = 1; i < order.length; i++) {
      const stricter = DEFAULT_SCENARIO_THRESHOLDS[order[i - 1]!];
      const looser = DEFAULT_SCENARIO_THRESHOLDS[order[i]!];
      expect(stricter.k).toBeGreaterThan(looser.k);
      expect(stricter.maxProsecutor).toBeLessThan(looser.maxProsecutor);
    }
  });

  it('refuses unknown fields and bad options', () => {
    expect(code(() => assessRisk(SMALL, { quasiIdentifiers: ['age', 'postcode'] }))).toBe('unknown-field');
    expect(code(() => assessRisk(SMALL, { quasiIdentifiers: ['age'], sensitive: ['illness'] }))).toBe(
      'unknown-field',
    );
    expect(code(() => assessRisk(SMALL, { quasiIdentifiers: [] }))).toBe('bad-options');
    expect(code(() => assessRisk(SMALL, { quasiIdentifiers: ['age'], population: 3 }))).toBe('bad-options');
    expect(code(() => assessRisk(SMALL, { quasiIdentifiers: ['age'], sensitive: ['age'] }))).toBe(
      'bad-options',
    );
    expect(() => assessRisk(SMALL, { quasiIdentifiers: ['age', 'postcode'] })).toThrow(/"postcode"/);
  });
});

// ---- optimal search, checked against brute force over the whole lattice ----

/** A small reproducible table: age 20-39, sex, a 4-digit zip, a diagnosis. */
function sampleTable(n: number, seed: number): Table {
  let state = seed;
  const next = (m: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % m;
  };
  const zips = ['1001', '1002', '1011', '1012', '1013'];
  const diagnoses = ['flu', 'cold', 'asthma'];
  return {
    columns: ['age', 'sex', 'zip', 'diagnosis'],
    rows: Array.from({ length: n }, () => [
      String(20 + next(20)),
      next(2) === 0 ? 'M' : 'F',
      zips[next(zips.length)]!,
      diagnoses[next(diagnoses.length)]!,
    ]),
  };
}

function sampleHierarchies(table: Table): Record<string, Hierarchy> {
  return {
    age: numericRangeHierarchy(
      table.rows.map((r) => r[0]!),
      [5, 10],
    ),
    sex: parseHierarchyCsv('M;*\nF;*\n'),
    zip: parseHierarchyCsv('1001,100*,*\r\n1002,100*,*\r\n1011,101*,*\r\n1012,101*,*\r\n1013,101*,*\r\n'),
  };
}

interface NaiveNode {
  levels: number[];
  anonymous: boolean;
  loss: number;
  suppressed: number;
}

/** Naive evaluation of one node: string keys, Iyengar loss computed from the hierarchy directly. */
function naiveNode(
  table: Table,
  hierarchies: Record<string, Hierarchy>,
  levels: number[],
  k: number,
  maxSuppression: number,
  l?: number,
): NaiveNode {
  const names = Object.keys(hierarchies);
  const cols = names.map((n) => table.columns.indexOf(n));
  const sensitive = table.columns.indexOf('diagnosis');
  const memo = new Map<string, number>();
  const leafLoss = (q: number, value: string) => {
    const level = levels[q]!;
    if (level === 0) return 0;
    const h = hierarchies[names[q]!]!;
    const label = h.map.get(value)![level - 1]!;
    const key = `${q}\u0000${label}`;
    if (!memo.has(key))
      memo.set(
        key,
        ([...h.map.values()].filter((v) => v[level - 1] === label).length - 1) / (h.map.size - 1),
      );
    return memo.get(key)!;
  };
  const groups = new Map<string, number[]>();
  table.rows.forEach((row, i) => {
    const key = names
      .map((n, q) => {
        const v = row[cols[q]!]!;
        return levels[q] === 0 ? v : hierarchies[n]!.map.get(v)![levels[q]! - 1];
      })
      .join('|');
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [i]);
    else members.push(i);
  });
  let suppressed = 0;
  let loss = 0;
  for (const members of groups.values()) {
    const diverse = l === undefined || new Set(members.map((i) => table.rows[i]![sensitive])).size >= l;
    const bad = members.length < k || !diverse;
    for (const i of members) {
      if (bad) {
        suppressed++;
        loss += names.length;
      } else
        names.forEach((_, q) => {
          loss += leafLoss(q, table.rows[i]![cols[q]!]!);
        });
    }
  }
  return {
    levels,
    anonymous: suppressed <= Math.floor(maxSuppression * table.rows.length + 1e-9),
    loss: loss / (table.rows.length * names.length),
    suppressed,
  };
}

function bruteForce(
  table: Table,
  hierarchies: Record<string, Hierarchy>,
  k: number,
  maxSuppression: number,
  l?: number,
): NaiveNode[] {
  const heights = Object.values(hierarchies).map((h) => h.levels);
  const out: NaiveNode[] = [];
  const visit = (levels: number[]) => {
    if (levels.length < heights.length)
      for (let x = 0; x < heights[levels.length]!; x++) visit([...levels, x]);
    else out.push(naiveNode(table, hierarchies, levels, k, maxSuppression, l));
  };
  visit([]);
  return out;
}

describe('searchOptimal', () => {
  it('finds a least-loss anonymous node, as brute force over the whole lattice does', () => {
    for (const seed of [1, 7]) {
      const table = sampleTable(60, seed);
      const hierarchies = sampleHierarchies(table);
      for (const k of [2, 3, 5]) {
        for (const maxSuppression of [0, 0.05, 0.2]) {
          const all = bruteForce(table, hierarchies, k, maxSuppression);
          const best = Math.min(...all.filter((n) => n.anonymous).map((n) => n.loss));
          const found = searchOptimal(table, { hierarchies, k, maxSuppression });
          const label = `seed ${seed}, k ${k}, suppression ${maxSuppression}`;
          expect(found.latticeSize, label).toBe(all.length);
          expect(found.nodesChecked, label).toBeLessThanOrEqual(all.length);
          expect(found.infoLoss, label).toBeCloseTo(best, 9);
          const chosen = all.find((n) => n.levels.join() === Object.values(found.levels).join())!;
          expect(chosen.anonymous, label).toBe(true);
          expect(chosen.loss, label).toBeCloseTo(best, 9);
          expect(found.recordsSuppressed, label).toBe(chosen.suppressed);
          expect(found.report.k, label).toBeGreaterThanOrEqual(k);
          expect(found.table.rows.length, label).toBe(60 - chosen.suppressed);
        }
      }
    }
  });

  it('also reaches distinct l-diversity when asked, as brute force does', () => {
    const table = sampleTable(80, 3);
    const hierarchies = sampleHierarchies(table);
    for (const maxSuppression of [0, 0.1]) {
      const all = bruteForce(table, hierarchies, 3, maxSuppression, 2);
      const best = Math.min(...all.filter((n) => n.anonymous).map((n) => n.loss));
      const found = searchOptimal(table, {
        hierarchies,
        k: 3,
        l: 2,
        sensitive: ['diagnosis'],
        maxSuppression,
      });
      expect(found.infoLoss).toBeCloseTo(best, 9);
      expect(found.report.lDiversity!.diagnosis!.distinct).toBeGreaterThanOrEqual(2);
    }
  });

  it('prunes: checks fewer nodes than the lattice holds', () => {
    const table = sampleTable(200, 11);
    const found = searchOptimal(table, { hierarchies: sampleHierarchies(table), k: 2, maxSuppression: 0 });
    expect(found.nodesChecked).toBeLessThan(found.latticeSize);
  });

  it('refuses k larger than the table, missing hierarchy values, unknown fields', () => {
    const table = sampleTable(10, 5);
    const hierarchies = sampleHierarchies(table);
    expect(code(() => searchOptimal(table, { hierarchies, k: 11, maxSuppression: 0 }))).toBe('k-too-large');
    const partial = { ...hierarchies, zip: parseHierarchyCsv('1001;*\n1002;*\n') };
    expect(code(() => searchOptimal(table, { hierarchies: partial, k: 2, maxSuppression: 0 }))).toBe(
      'hierarchy-incomplete',
    );
    expect(() => searchOptimal(table, { hierarchies: partial, k: 2, maxSuppression: 0 })).toThrow(/"101\d"/);
    expect(
      code(() =>
        searchOptimal(table, {
          hierarchies: { ...hierarchies, postcode: hierarchies.zip! },
          k: 2,
          maxSuppression: 0,
        }),
      ),
    ).toBe('unknown-field');
    expect(code(() => searchOptimal(table, { hierarchies, k: 2, l: 2, maxSuppression: 0 }))).toBe(
      'bad-options',
    );
    expect(code(() => searchOptimal(table, { hierarchies, k: 2, maxSuppression: 2 }))).toBe('bad-options');
  });
});

// ---- the ARX adult data set, when the shared folder is present ----

const ADULT = join(SHARED_DIR, 'datasets', 'arx-adult');
const QIS = [
  'sex',
  'age',
  'race',
  'marital-status',
  'education',
  'native-country',
  'workclass',
  'occupation',
];

describe.skipIf(!existsSync(ADULT))('adult data set (30,162 records, 8 quasi-identifiers)', () => {
  const load = () => {
    const lines = readFileSync(join(ADULT, 'adult.csv'), 'utf8')
      .split('\r\n')
      .filter((line) => line !== '');
    const table: Table = {
      columns: lines[0]!.split(';'),
      rows: lines.slice(1).map((line) => line.split(';')),
    };
    const hierarchies = Object.fromEntries(
      QIS.map((q) => [q, parseHierarchyCsv(readFileSync(join(ADULT, `adult_hierarchy_${q}.csv`), 'utf8'))]),
    );
    return { table, hierarchies };
  };

  it('assesses the risk, matching a plain grouping of the joined values', () => {
    const { table } = load();
    expect(table.rows.length).toBe(30162);
    const report = assessRisk(table, { quasiIdentifiers: QIS, sensitive: ['salary-class'] });
    const groups = new Map<string, number>();
    const cols = QIS.map((q) => table.columns.indexOf(q));
    for (const row of table.rows) {
      const key = cols.map((c) => row[c]).join('\u0000');
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    const sizes = [...groups.values()];
    expect(report.classes).toBe(groups.size);
    expect(report.k).toBe(Math.min(...sizes));
    expect(report.uniqueShare).toBeCloseTo(sizes.filter((s) => s === 1).length / 30162, 9);
    expect(report.marketer).toBeCloseTo(groups.size / 30162, 9);
  });

  it('finds a 5-anonymous generalisation within 2 % suppression that no direct specialisation beats', () => {
    const { table, hierarchies } = load();
    const found = searchOptimal(table, { hierarchies, k: 5, maxSuppression: 0.02 });
    expect(found.report.k).toBeGreaterThanOrEqual(5);
    expect(found.recordsSuppressed).toBeLessThanOrEqual(Math.floor(0.02 * 30162));
    expect(found.latticeSize).toBe(QIS.reduce((p, q) => p * hierarchies[q]!.levels, 1));
    // Each node one level lower in one quasi-identifier is either not anonymous or loses at least as much.
    const levels = QIS.map((q) => found.levels[q]!);
    const self = naiveNode(table, hierarchies, levels, 5, 0.02);
    expect(self.anonymous).toBe(true);
    expect(self.loss).toBeCloseTo(found.infoLoss, 9);
    for (let q = 0; q < QIS.length; q++) {
      if (levels[q] === 0) continue;
      const lower = naiveNode(
        table,
        hierarchies,
        levels.map((x, i) => (i === q ? x - 1 : x)),
        5,
        0.02,
      );
      if (lower.anonymous) expect(lower.loss).toBeGreaterThanOrEqual(found.infoLoss - 1e-9);
    }
  }, 60_000);
});
