import { DeidError, firstFew } from './errors.ts';

/** A table held in memory: values as text, null for an empty cell. */
export interface Table {
  columns: string[];
  rows: (string | null)[][];
}

/** Index of each named column, or DeidError('unknown-field') naming the ones that do not exist. */
export function columnIndexes(table: Table, names: readonly string[], role: string): number[] {
  const missing = names.filter((name) => !table.columns.includes(name));
  if (missing.length > 0)
    throw new DeidError(
      'unknown-field',
      `${role} ${firstFew(missing)} ${missing.length === 1 ? 'is' : 'are'} not a column of the table (columns: ${firstFew(table.columns, 12)})`,
    );
  return names.map((name) => table.columns.indexOf(name));
}

/**
 * One column dictionary-encoded: each distinct value (null included) gets a small integer, so that
 * grouping works on integers instead of strings.
 */
export interface EncodedColumn {
  codes: Int32Array;
  /** Distinct values by code; null is a value of its own. */
  values: (string | null)[];
}

export function encodeColumn(rows: readonly (readonly (string | null)[])[], index: number): EncodedColumn {
  const codes = new Int32Array(rows.length);
  const dictionary = new Map<string | null, number>();
  const values: (string | null)[] = [];
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i]![index] ?? null;
    let code = dictionary.get(value);
    if (code === undefined) {
      code = values.length;
      dictionary.set(value, code);
      values.push(value);
    }
    codes[i] = code;
  }
  return { codes, values };
}

/** Largest product of cardinalities that still packs exactly into a double. */
const PACK_LIMIT = 2 ** 52;

/**
 * Groups records into equivalence classes over several integer-coded columns. Keys are packed into one
 * number per record (mixed radix); when the product of cardinalities would overflow a double, the partial
 * key is re-numbered densely first. `records` selects which records (all when absent) and `weights` how
 * many records each one stands for (a class representative when rolling classes up).
 */
export interface Classes {
  /** Class number of each selected record, in selection order. */
  classOf: Int32Array;
  /** Size of each class (sum of weights). */
  sizes: number[];
  /** A record (index into the table) of each class. */
  representative: number[];
}

/** Codes of one column per record, optionally mapped (a generalisation level) before grouping. */
export interface GroupColumn {
  codes: Int32Array;
  map?: Int32Array;
  cardinality: number;
}

export function groupClasses(
  columns: readonly GroupColumn[],
  count: number,
  records?: ArrayLike<number>,
  weights?: ArrayLike<number>,
): Classes {
  const keys = new Float64Array(count);
  let radix = 1;
  for (const column of columns) {
    const { codes, map, cardinality } = column;
    if (radix * cardinality > PACK_LIMIT) radix = densify(keys);
    // Four loops rather than one with closures: this is the innermost loop of the search.
    if (records === undefined) {
      if (map === undefined) for (let i = 0; i < count; i++) keys[i] = keys[i]! * cardinality + codes[i]!;
      else for (let i = 0; i < count; i++) keys[i] = keys[i]! * cardinality + map[codes[i]!]!;
    } else if (map === undefined)
      for (let i = 0; i < count; i++) keys[i] = keys[i]! * cardinality + codes[records[i]!]!;
    else for (let i = 0; i < count; i++) keys[i] = keys[i]! * cardinality + map[codes[records[i]!]!]!;
    radix *= cardinality;
  }
  // Open addressing over the packed keys: several times faster than a Map for this one job.
  let capacity = 16;
  while (capacity < count * 2) capacity *= 2;
  const mask = capacity - 1;
  const slotKeys = new Float64Array(capacity);
  const slotIds = new Int32Array(capacity).fill(-1);
  const classOf = new Int32Array(count);
  const sizes: number[] = [];
  const representative: number[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    let slot = hash(key) & mask;
    let id = slotIds[slot]!;
    while (id !== -1 && slotKeys[slot] !== key) {
      slot = (slot + 1) & mask;
      id = slotIds[slot]!;
    }
    if (id === -1) {
      id = sizes.length;
      slotIds[slot] = id;
      slotKeys[slot] = key;
      sizes.push(0);
      representative.push(records === undefined ? i : records[i]!);
    }
    sizes[id]! += weights === undefined ? 1 : weights[i]!;
    classOf[i] = id;
  }
  return { classOf, sizes, representative };
}

/** Mixes the low and high 32 bits of a packed key (an exact integer below 2^52). */
function hash(key: number): number {
  const low = key >>> 0;
  const high = (key / 4294967296) >>> 0;
  let h = Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/** Renumbers keys 0..d-1 in place; returns d. */
function densify(keys: Float64Array): number {
  const index = new Map<number, number>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let id = index.get(key);
    if (id === undefined) {
      id = index.size;
      index.set(key, id);
    }
    keys[i] = id;
  }
  return Math.max(1, index.size);
}
