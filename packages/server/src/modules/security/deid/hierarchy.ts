import { DeidError, firstFew } from './errors.ts';

/**
 * A generalisation hierarchy: each original value and what it becomes at levels 1..levels-1 (level 0 is the
 * value itself). Every level must be a function of the one below (a tree), which is what makes the search
 * lattice monotone.
 */
export interface Hierarchy {
  attribute?: string;
  /** Number of levels, level 0 (the original) included. */
  levels: number;
  /** value -> [level 1, ..., level levels-1] */
  map: Map<string, string[]>;
}

/** Splits one line of a delimited file, honouring double quotes. */
function splitLine(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

function detectDelimiter(lines: readonly string[]): string {
  const sample = lines.slice(0, 20).join('\n');
  let best = ';';
  let bestCount = 0;
  for (const candidate of [';', ',', '\t', '|']) {
    const count = sample.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Reads a hierarchy in ARX's layout: one line per original value, column 0 the value, then one column per
 * level, the last usually "*". No header. The delimiter (";" "," tab or "|") is detected when not given.
 */
export function parseHierarchyCsv(
  text: string,
  options: { delimiter?: string; attribute?: string } = {},
): Hierarchy {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new DeidError('bad-hierarchy', 'the hierarchy is empty');
  const delimiter = options.delimiter ?? detectDelimiter(lines);
  const rows = lines.map((line) => splitLine(line, delimiter));
  const width = rows[0]!.length;
  if (width < 2)
    throw new DeidError(
      'bad-hierarchy',
      `the hierarchy has one column only: each line needs the value and at least one level, separated by "${delimiter}"`,
    );
  const map = new Map<string, string[]>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.length !== width)
      throw new DeidError(
        'bad-hierarchy',
        `line ${i + 1} of the hierarchy has ${row.length} columns where the first line has ${width}`,
      );
    const [value, ...levels] = row as [string, ...string[]];
    const known = map.get(value);
    if (known !== undefined && known.join('\u0000') !== levels.join('\u0000'))
      throw new DeidError(
        'bad-hierarchy',
        `value ${JSON.stringify(value)} is listed twice with different levels`,
      );
    map.set(value, levels);
  }
  const hierarchy: Hierarchy = { levels: width, map };
  if (options.attribute !== undefined) hierarchy.attribute = options.attribute;
  return checkTree(hierarchy);
}

/**
 * Checks that every level is a function of the level below: a value of level j must always generalise to
 * the same value of level j+1. Otherwise generalisation would not be monotone.
 */
export function checkTree(hierarchy: Hierarchy): Hierarchy {
  if (!Number.isInteger(hierarchy.levels) || hierarchy.levels < 1)
    throw new DeidError('bad-hierarchy', 'a hierarchy needs at least one level');
  const parents: Map<string, string>[] = [];
  for (let level = 1; level < hierarchy.levels - 1; level++) parents.push(new Map());
  for (const [value, levels] of hierarchy.map) {
    if (levels.length !== hierarchy.levels - 1)
      throw new DeidError(
        'bad-hierarchy',
        `value ${JSON.stringify(value)} has ${levels.length} levels where ${hierarchy.levels - 1} are expected`,
      );
    for (let j = 0; j < levels.length - 1; j++) {
      const seen = parents[j]!.get(levels[j]!);
      if (seen === undefined) parents[j]!.set(levels[j]!, levels[j + 1]!);
      else if (seen !== levels[j + 1])
        throw new DeidError(
          'bad-hierarchy',
          `level ${j + 1} value ${JSON.stringify(levels[j])} generalises to both ${JSON.stringify(seen)} and ${JSON.stringify(levels[j + 1])} at level ${j + 2}: a hierarchy must be a tree`,
        );
    }
  }
  return hierarchy;
}

/** Values of `values` that the hierarchy does not list (nulls are left alone: they stay empty). */
export function missingValues(hierarchy: Hierarchy, values: Iterable<string | null>): string[] {
  const missing = new Set<string>();
  for (const value of values) if (value !== null && !hierarchy.map.has(value)) missing.add(value);
  return [...missing];
}

export function assertCovers(hierarchy: Hierarchy, values: Iterable<string | null>, field: string): void {
  const missing = missingValues(hierarchy, values);
  if (missing.length > 0)
    throw new DeidError(
      'hierarchy-incomplete',
      `the hierarchy for ${JSON.stringify(field)} does not cover ${missing.length} value(s): ${firstFew(missing)}`,
    );
}

/** The value at a level (0 = itself); null stays null. The value must be covered. */
export function generalizeValue(hierarchy: Hierarchy, value: string | null, level: number): string | null {
  if (value === null || level === 0) return value;
  return hierarchy.map.get(value)![level - 1]!;
}

/** Parses a number as written in a table ("1 234" and "1,5" are not numbers here). */
export function parseNumber(value: string): number | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

/** "20-24" for whole numbers, "[20.5, 25.5)" otherwise: the interval [lo, lo+width). */
export function rangeLabel(lo: number, width: number): string {
  if (Number.isInteger(lo) && Number.isInteger(width)) return `${lo}-${lo + width - 1}`;
  return `[${round12(lo)}, ${round12(lo + width)})`;
}

function round12(n: number): number {
  return Number(n.toPrecision(12));
}

export function rangeStart(x: number, width: number, origin = 0): number {
  return Math.floor((x - origin) / width) * width + origin;
}

/**
 * Numeric ranges of growing width, aligned on 0, then "*": widths [5, 10, 20] make 23 -> "20-24",
 * "20-29", "20-39", "*". Each width must be a multiple of the one before so that ranges nest.
 */
export function numericRangeHierarchy(values: Iterable<string>, widths: number[]): Hierarchy {
  if (widths.length === 0) throw new DeidError('bad-hierarchy', 'give at least one range width');
  for (let i = 0; i < widths.length; i++) {
    const w = widths[i]!;
    if (!(Number.isFinite(w) && w > 0))
      throw new DeidError('bad-hierarchy', `range width ${w} is not a positive number`);
    if (i > 0) {
      const ratio = w / widths[i - 1]!;
      if (Math.abs(ratio - Math.round(ratio)) > 1e-9 || Math.round(ratio) < 2)
        throw new DeidError(
          'bad-hierarchy',
          `range width ${w} is not a multiple (2x or more) of ${widths[i - 1]}: ranges would not nest`,
        );
    }
  }
  const map = new Map<string, string[]>();
  for (const value of values) {
    if (map.has(value)) continue;
    const x = parseNumber(value);
    if (x === undefined) throw new DeidError('bad-value', `${JSON.stringify(value)} is not a number`);
    map.set(value, [...widths.map((w) => rangeLabel(rangeStart(x, w), w)), '*']);
  }
  return { levels: widths.length + 2, map };
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$/;

/** Year, month and day of an ISO 8601 date or date-time ("2024", "2024-03", "2024-03-05T10:00"). */
export function parseDate(
  value: string,
): { year: string; month?: string | undefined; day?: string | undefined } | undefined {
  const match = DATE.exec(value.trim());
  if (match === null) return undefined;
  const [, year, month, day] = match;
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return undefined;
  // Day checked against the month's length (2023-02-29 is not a date).
  if (
    day !== undefined &&
    (Number(day) < 1 || Number(day) > new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate())
  )
    return undefined;
  return { year: year!, month, day };
}

const DATE_ORDER = ['month', 'year', 'decade'] as const;

/** ISO dates generalised to month ("2024-03"), year ("2024") and decade ("2020-2029"), then "*". */
export function dateHierarchy(values: Iterable<string>, levels: ('month' | 'year' | 'decade')[]): Hierarchy {
  for (let i = 1; i < levels.length; i++)
    if (DATE_ORDER.indexOf(levels[i]!) <= DATE_ORDER.indexOf(levels[i - 1]!))
      throw new DeidError('bad-hierarchy', `date levels must go from fine to coarse: ${levels.join(', ')}`);
  if (levels.some((level) => !DATE_ORDER.includes(level)))
    throw new DeidError('bad-hierarchy', `date levels are month, year or decade: ${levels.join(', ')}`);
  const map = new Map<string, string[]>();
  for (const value of values) {
    if (map.has(value)) continue;
    const date = parseDate(value);
    if (date === undefined) throw new DeidError('bad-value', `${JSON.stringify(value)} is not an ISO date`);
    const out = levels.map((level) => {
      if (level === 'month') {
        if (date.month === undefined)
          throw new DeidError('bad-value', `${JSON.stringify(value)} has no month`);
        return `${date.year}-${date.month}`;
      }
      if (level === 'year') return date.year;
      const decade = Math.floor(Number(date.year) / 10) * 10;
      return `${decade}-${decade + 9}`;
    });
    map.set(value, [...out, '*']);
  }
  return { levels: levels.length + 2, map };
}

const REGION_CODE = /^\d{6}$/;

/**
 * Administrative division codes (GB/T 2260, six digits) generalised to their prefecture ("110105" →
 * "110100"), then their province ("110000"), then "*". Codes already at a coarser level keep their own
 * value where a level would not change them, so a table mixing districts and cities still nests.
 */
export function regionHierarchy(values: Iterable<string>): Hierarchy {
  const map = new Map<string, string[]>();
  const bad: string[] = [];
  for (const value of values) {
    if (map.has(value)) continue;
    const code = value.trim();
    if (!REGION_CODE.test(code)) {
      bad.push(value);
      continue;
    }
    map.set(value, [`${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`, '*']);
  }
  if (bad.length > 0)
    throw new DeidError(
      'bad-value',
      `${firstFew(bad)} ${bad.length === 1 ? 'is not' : 'are not'} a six-digit administrative division code`,
    );
  return { levels: 4, map };
}
