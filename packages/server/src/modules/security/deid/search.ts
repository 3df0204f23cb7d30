import { DeidError } from './errors.ts';
import { assertCovers, type Hierarchy } from './hierarchy.ts';
import { assessRisk, emptyCodes, type RiskReport } from './risk.ts';
import {
  type Classes,
  columnIndexes,
  encodeColumn,
  type GroupColumn,
  groupClasses,
  type Table,
} from './table.ts';

export interface SearchOptions {
  /** One hierarchy per quasi-identifier; the quasi-identifiers are the keys. */
  hierarchies: Record<string, Hierarchy>;
  k: number;
  /** Distinct l-diversity every sensitive attribute must reach in each kept class. */
  l?: number;
  sensitive?: string[];
  /** Share of records (0..1) that may be suppressed. */
  maxSuppression: number;
}

export interface SearchResult {
  /** Chosen generalisation level per quasi-identifier. */
  levels: Record<string, number>;
  recordsSuppressed: number;
  /** Information loss of the chosen node, 0..1 (see LOSS_METRIC). */
  infoLoss: number;
  metric: string;
  /** Nodes whose equivalence classes were computed. */
  nodesChecked: number;
  latticeSize: number;
  /** Risk of the generalised table with the suppressed records removed. */
  report: RiskReport;
  /** The generalised table itself (suppressed records removed). */
  table: Table;
}

/**
 * The information loss minimised: ARX's "Loss" metric (Iyengar's generalisation loss): each cell loses
 * (leaves under its generalised value - 1) / (leaves of the hierarchy - 1), a suppressed record loses 1 in
 * every quasi-identifier, averaged over records and quasi-identifiers.
 */
export const LOSS_METRIC =
  'generalisation loss (Iyengar; ARX "Loss"): per cell (leaves covered - 1) / (leaves - 1), suppressed cells 1, averaged over records x quasi-identifiers';

/** Lattices larger than this are refused rather than left to run for hours. */
const MAX_LATTICE = 2_000_000;
/** Classes kept in all cached frequency sets together (memory bound). */
const CACHE_CLASSES = 4_000_000;

interface Qi {
  name: string;
  codes: Int32Array;
  /** Per level: original code -> generalised code. */
  maps: Int32Array[];
  cardinality: number[];
  /** Per level: loss of each generalised code. */
  loss: Float64Array[];
  /** Per level: sum of the loss over all records. */
  lossSum: number[];
}

interface Evaluation {
  anonymous: boolean;
  suppressed: number;
  /** Generalisation loss the suppressed records would have carried (replaced by 1 per cell). */
  suppressedLoss: number;
}

interface FrequencySet {
  levels: number[];
  representative: number[];
  sizes: number[];
}

function prepareQi(table: Table, index: number, name: string, hierarchy: Hierarchy): Qi {
  const encoded = encodeColumn(table.rows, index);
  assertCovers(hierarchy, encoded.values, name);
  const counts = new Float64Array(encoded.values.length);
  for (let i = 0; i < encoded.codes.length; i++) counts[encoded.codes[i]!]! += 1;
  const leaves = Math.max(hierarchy.map.size, 1);
  const maps: Int32Array[] = [];
  const cardinality: number[] = [];
  const loss: Float64Array[] = [];
  const lossSum: number[] = [];
  for (let level = 0; level < hierarchy.levels; level++) {
    // Leaves of the hierarchy under each value of this level.
    const covered = new Map<string, number>();
    if (level > 0)
      for (const levels of hierarchy.map.values()) {
        const label = levels[level - 1]!;
        covered.set(label, (covered.get(label) ?? 0) + 1);
      }
    const dictionary = new Map<string | null, number>();
    const map = new Int32Array(encoded.values.length);
    const losses: number[] = [];
    encoded.values.forEach((value, code) => {
      const label = value === null || level === 0 ? value : hierarchy.map.get(value)![level - 1]!;
      let id = dictionary.get(label);
      if (id === undefined) {
        id = dictionary.size;
        dictionary.set(label, id);
        // Empty cells stay empty at every level and lose nothing.
        losses.push(
          label === null || level === 0 || leaves < 2 ? 0 : (covered.get(label)! - 1) / (leaves - 1),
        );
      }
      map[code] = id;
    });
    maps.push(map);
    cardinality.push(dictionary.size);
    const lossOf = Float64Array.from(losses);
    loss.push(lossOf);
    let sum = 0;
    for (let code = 0; code < map.length; code++) sum += counts[code]! * lossOf[map[code]!]!;
    lossSum.push(sum);
  }
  return { name, codes: encoded.codes, maps, cardinality, loss, lossSum };
}

/**
 * Finds the generalisation levels (one per quasi-identifier) that make the table k-anonymous (and distinct
 * l-diverse when asked) with at most `maxSuppression` of the records suppressed, at the least information
 * loss. Sound and optimal: every node of the lattice is either evaluated or tagged by monotonicity.
 *
 * Phase 1 settles anonymity across the lattice as ARX's Flash does: from each unsettled node (lowest first)
 * a path of unsettled generalisations is built and binary-searched; an anonymous node tags all its
 * generalisations anonymous, a failing node all its specialisations failing. Classes of a node are rolled
 * up from the classes of an already evaluated specialisation when one is cached.
 * Phase 2 walks the anonymous nodes by a lower bound of their loss (the loss without suppression, exact
 * when nothing is suppressed) and stops when no remaining node can beat the best one found.
 */
export function searchOptimal(table: Table, options: SearchOptions): SearchResult {
  const names = Object.keys(options.hierarchies ?? {});
  if (names.length === 0)
    throw new DeidError('bad-options', 'give a hierarchy for at least one quasi-identifier');
  const indexes = columnIndexes(table, names, 'quasi-identifier');
  const sensitive = options.sensitive ?? [];
  const sensitiveIndexes = columnIndexes(table, sensitive, 'sensitive attribute');
  const { k, l, maxSuppression } = options;
  const n = table.rows.length;
  if (!(Number.isInteger(k) && k >= 1)) throw new DeidError('bad-options', 'k must be a whole number ≥ 1');
  if (k > n) throw new DeidError('k-too-large', `k = ${k} is larger than the table (${n} records)`);
  if (l !== undefined && !(Number.isInteger(l) && l >= 1))
    throw new DeidError('bad-options', 'l must be a whole number ≥ 1');
  if (l !== undefined && sensitive.length === 0)
    throw new DeidError('bad-options', 'l-diversity needs at least one sensitive attribute');
  if (!(typeof maxSuppression === 'number' && maxSuppression >= 0 && maxSuppression <= 1))
    throw new DeidError('bad-options', 'maxSuppression must be a share from 0 to 1');

  const qis = names.map((name, q) => prepareQi(table, indexes[q]!, name, options.hierarchies[name]!));
  const Q = qis.length;
  const heights = qis.map((qi) => qi.maps.length);
  const strides: number[] = [];
  let size = 1;
  for (const h of heights) {
    strides.push(size);
    size *= h;
  }
  if (size > MAX_LATTICE)
    throw new DeidError(
      'bad-options',
      `the lattice has ${size} nodes, more than the ${MAX_LATTICE} searched`,
    );
  const levelsOf = (node: number): number[] => heights.map((h, q) => Math.floor(node / strides[q]!) % h);
  const allowed = Math.floor(maxSuppression * n + 1e-9);
  // Empty cells are no sensitive value of their own, as in assessRisk's l-diversity.
  const sensitiveCoded = sensitiveIndexes.map((i) => {
    const e = encodeColumn(table.rows, i);
    return { codes: e.codes, values: e.values.length, empty: emptyCodes(e.values) };
  });

  const byNode = new Map<number, FrequencySet>();
  let cachedClasses = 0;
  const results = new Map<number, Evaluation>();
  let nodesChecked = 0;

  const columnsAt = (levels: number[]): GroupColumn[] =>
    qis.map((qi, q) => ({
      codes: qi.codes,
      map: qi.maps[levels[q]!]!,
      cardinality: qi.cardinality[levels[q]!]!,
    }));

  /** Classes at a node: rolled up from the smallest cached specialisation, or grouped from the records. */
  const classesAt = (levels: number[]): { classes: Classes; fromRecords: boolean } => {
    let from: FrequencySet | undefined;
    if (l === undefined) {
      // Any cached specialisation will do; the one with the fewest classes is the cheapest to roll up.
      // Scanning the cache costs far less than one pass over the records.
      for (const entry of byNode.values()) {
        if (from !== undefined && entry.sizes.length >= from.sizes.length) continue;
        let below = true;
        for (let q = 0; q < Q && below; q++) below = entry.levels[q]! <= levels[q]!;
        if (below) from = entry;
      }
    }
    if (from === undefined) return { classes: groupClasses(columnsAt(levels), n), fromRecords: true };
    const { representative, sizes } = from;
    return {
      classes: groupClasses(columnsAt(levels), representative.length, representative, sizes),
      fromRecords: false,
    };
  };

  const evaluate = (node: number): Evaluation => {
    const known = results.get(node);
    if (known !== undefined) return known;
    nodesChecked++;
    const levels = levelsOf(node);
    const { classes, fromRecords } = classesAt(levels);
    const small = classes.sizes.map((s) => s < k);
    if (l !== undefined && fromRecords)
      for (const coded of sensitiveCoded) {
        const seen = new Set<number>();
        const distinct = new Int32Array(classes.sizes.length);
        for (let i = 0; i < n; i++) {
          if (coded.empty.has(coded.codes[i]!)) continue;
          const key = classes.classOf[i]! * coded.values + coded.codes[i]!;
          if (!seen.has(key)) {
            seen.add(key);
            distinct[classes.classOf[i]!]! += 1;
          }
        }
        distinct.forEach((d, c) => {
          if (d < l) small[c] = true;
        });
      }
    let suppressed = 0;
    let suppressedLoss = 0;
    classes.sizes.forEach((s, c) => {
      if (!small[c]) return;
      suppressed += s;
      const record = classes.representative[c]!;
      let cellLoss = 0;
      for (let q = 0; q < Q; q++) {
        const qi = qis[q]!;
        cellLoss += qi.loss[levels[q]!]![qi.maps[levels[q]!]![qi.codes[record]!]!]!;
      }
      suppressedLoss += s * cellLoss;
    });
    if (l === undefined) {
      const entry = { levels, representative: classes.representative, sizes: classes.sizes };
      if (cachedClasses + entry.sizes.length <= CACHE_CLASSES) {
        byNode.set(node, entry);
        cachedClasses += entry.sizes.length;
      }
    }
    const result = { anonymous: suppressed <= allowed, suppressed, suppressedLoss };
    results.set(node, result);
    return result;
  };

  // 0 unknown, 1 anonymous, 2 not anonymous.
  const status = new Uint8Array(size);
  const tag = (start: number, value: 1 | 2): void => {
    const stack = [start];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (status[node] === value) continue;
      status[node] = value;
      const levels = levelsOf(node);
      for (let q = 0; q < Q; q++) {
        if (value === 1 && levels[q]! + 1 < heights[q]!) stack.push(node + strides[q]!);
        if (value === 2 && levels[q]! > 0) stack.push(node - strides[q]!);
      }
    }
  };
  const heightOf = (node: number) => levelsOf(node).reduce((a, b) => a + b, 0);
  const order = Array.from({ length: size }, (_, i) => i);
  const nodeHeight = Int32Array.from(order, heightOf);
  order.sort((a, b) => nodeHeight[a]! - nodeHeight[b]! || a - b);

  for (const start of order) {
    if (status[start] !== 0) continue;
    const path = [start];
    for (;;) {
      const current = path[path.length - 1]!;
      const levels = levelsOf(current);
      let next = -1;
      for (let q = 0; q < Q && next < 0; q++)
        if (levels[q]! + 1 < heights[q]! && status[current + strides[q]!] === 0) next = current + strides[q]!;
      if (next < 0) break;
      path.push(next);
    }
    let lo = 0;
    let hi = path.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const node = path[mid]!;
      const anonymous = status[node] === 0 ? evaluate(node).anonymous : status[node] === 1;
      if (anonymous) {
        tag(node, 1);
        hi = mid - 1;
      } else {
        tag(node, 2);
        lo = mid + 1;
      }
    }
  }

  const lossScale = n * Q;
  const lowerBound = (node: number): number => {
    const levels = levelsOf(node);
    let sum = 0;
    for (let q = 0; q < Q; q++) sum += qis[q]!.lossSum[levels[q]!]!;
    return lossScale === 0 ? 0 : sum / lossScale;
  };
  const candidates = order.filter((node) => status[node] === 1);
  if (candidates.length === 0)
    throw new DeidError(
      'no-solution',
      `no generalisation reaches k = ${k}${l === undefined ? '' : ` and l = ${l}`} with at most ${(maxSuppression * 100).toFixed(1)} % of records suppressed`,
    );
  const bounds = new Float64Array(size);
  for (const node of candidates) bounds[node] = lowerBound(node);
  candidates.sort((a, b) => bounds[a]! - bounds[b]! || nodeHeight[a]! - nodeHeight[b]! || a - b);
  let best = -1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const node of candidates) {
    if (bounds[node]! >= bestLoss) break;
    const loss =
      allowed === 0 && !results.has(node)
        ? bounds[node]! // anonymous with nothing to suppress: the bound is exact
        : lossScale === 0
          ? 0
          : (bounds[node]! * lossScale - evaluate(node).suppressedLoss + evaluate(node).suppressed * Q) /
            lossScale;
    if (loss < bestLoss) {
      best = node;
      bestLoss = loss;
    }
  }

  // The chosen node's table: generalised values, suppressed records removed.
  const levels = levelsOf(best);
  const classes = groupClasses(columnsAt(levels), n);
  const keep = classes.sizes.map((s) => s >= k);
  if (l !== undefined)
    for (const coded of sensitiveCoded) {
      const distinct = classes.sizes.map(() => new Set<number>());
      for (let i = 0; i < n; i++)
        if (!coded.empty.has(coded.codes[i]!)) distinct[classes.classOf[i]!]!.add(coded.codes[i]!);
      distinct.forEach((set, c) => {
        if (set.size < l) keep[c] = false;
      });
    }
  const generalised = indexes.map((_index, q) => {
    const hierarchy = options.hierarchies[names[q]!]!;
    return (value: string | null) =>
      value === null || levels[q] === 0 ? value : hierarchy.map.get(value)![levels[q]! - 1]!;
  });
  const rows: (string | null)[][] = [];
  for (let i = 0; i < n; i++) {
    if (!keep[classes.classOf[i]!]) continue;
    const row = table.rows[i]!.slice();
    indexes.forEach((index, q) => {
      row[index] = generalised[q]!(row[index] ?? null);
    });
    rows.push(row);
  }
  const out: Table = { columns: table.columns.slice(), rows };
  return {
    levels: Object.fromEntries(names.map((name, q) => [name, levels[q]!])),
    recordsSuppressed: n - rows.length,
    infoLoss: Number(bestLoss.toPrecision(12)),
    metric: LOSS_METRIC,
    nodesChecked,
    latticeSize: size,
    report: assessRisk(out, { quasiIdentifiers: names, sensitive }),
    table: out,
  };
}
