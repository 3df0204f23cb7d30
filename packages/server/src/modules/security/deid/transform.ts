import { createHash, createHmac, randomBytes } from 'node:crypto';
import { DeidError } from './errors.ts';
import {
  assertCovers,
  checkTree,
  generalizeValue,
  type Hierarchy,
  parseDate,
  parseNumber,
  rangeLabel,
  rangeStart,
} from './hierarchy.ts';
import { columnIndexes, encodeColumn, groupClasses, type Table } from './table.ts';

export type Transform =
  | { kind: 'keep' }
  | { kind: 'drop' }
  /** Replaces every character but the first keepStart and last keepEnd (counted in code points). */
  | { kind: 'mask'; keepStart?: number; keepEnd?: number; char?: string }
  /** HMAC-SHA256 pseudonym, hex, `length` characters (16 by default, 8 to 64). */
  | { kind: 'hash'; length?: number }
  | { kind: 'generalize'; hierarchy: Hierarchy; level: number }
  /** Numeric interval [origin + i*width, origin + (i+1)*width). */
  | { kind: 'range'; width: number; origin?: number }
  | { kind: 'truncate-date'; unit: 'year' | 'month' | 'day' }
  /** Adds random noise; `round` is the number of decimals kept (0: whole numbers), none: unrounded. */
  | { kind: 'noise'; distribution: 'laplace' | 'gaussian' | 'uniform'; scale: number; round?: number }
  | { kind: 'suppress' };

export interface DeidPlan {
  fields: Record<string, Transform>;
  /** Record suppression after the transformations: drop records in classes smaller than k, refuse beyond maxShare. */
  suppression?: { quasiIdentifiers: string[]; k: number; maxShare: number };
}

export interface DeidSecrets {
  /** The platform's secret; never written anywhere by the engine. */
  hmacKey: Buffer;
  /** Pseudonyms are stable within a release and differ across releases. */
  releaseId: string;
  /** Makes noise reproducible; like the key, not recorded in the lineage (it would let one remove the noise). */
  seed?: number;
}

export interface FieldLineage {
  field: string;
  transform: Record<string, unknown>;
}

export interface DeidLineage {
  engine: 'datapolis-deid/1';
  releaseId: string;
  rowsIn: number;
  rowsOut: number;
  columnsOut: string[];
  fields: FieldLineage[];
  suppression?: { quasiIdentifiers: string[]; k: number; maxShare: number; recordsSuppressed: number };
  noiseSeeded: boolean;
}

export interface DeidResult {
  table: Table;
  recordsSuppressed: number;
  lineage: DeidLineage;
}

const KINDS = ['keep', 'drop', 'mask', 'hash', 'generalize', 'range', 'truncate-date', 'noise', 'suppress'];

function bad(field: string, message: string): never {
  throw new DeidError('bad-plan', `field ${JSON.stringify(field)}: ${message}`);
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks the shape of each transformation before any row is touched. */
function checkTransform(field: string, t: Transform): void {
  if (t === null || typeof t !== 'object' || !KINDS.includes((t as { kind: string }).kind))
    bad(field, `the transformation must be one of ${KINDS.join(', ')}`);
  switch (t.kind) {
    case 'mask':
      if (t.keepStart !== undefined && !isCount(t.keepStart))
        bad(field, 'keepStart must be a whole number ≥ 0');
      if (t.keepEnd !== undefined && !isCount(t.keepEnd)) bad(field, 'keepEnd must be a whole number ≥ 0');
      if (t.char !== undefined && (typeof t.char !== 'string' || [...t.char].length !== 1))
        bad(field, 'char must be one character');
      break;
    case 'hash':
      if (t.length !== undefined && !(isCount(t.length) && t.length >= 8 && t.length <= 64))
        bad(field, 'length must be a whole number from 8 to 64');
      break;
    case 'generalize': {
      const h = t.hierarchy;
      if (h === null || typeof h !== 'object' || !(h.map instanceof Map))
        bad(field, 'generalize needs a hierarchy');
      checkTree(h);
      if (!(isCount(t.level) && t.level < h.levels))
        bad(field, `level must be a whole number from 0 to ${h.levels - 1} (the hierarchy's levels)`);
      break;
    }
    case 'range':
      if (!(typeof t.width === 'number' && Number.isFinite(t.width) && t.width > 0))
        bad(field, 'width must be a positive number');
      if (t.origin !== undefined && !(typeof t.origin === 'number' && Number.isFinite(t.origin)))
        bad(field, 'origin must be a number');
      break;
    case 'truncate-date':
      if (!['year', 'month', 'day'].includes(t.unit)) bad(field, 'unit must be year, month or day');
      break;
    case 'noise':
      if (!['laplace', 'gaussian', 'uniform'].includes(t.distribution))
        bad(field, 'distribution must be laplace, gaussian or uniform');
      if (!(typeof t.scale === 'number' && Number.isFinite(t.scale) && t.scale >= 0))
        bad(field, 'scale must be a number ≥ 0');
      if (t.round !== undefined && !(isCount(t.round) && t.round <= 12))
        bad(field, 'round must be a number of decimals from 0 to 12');
      break;
    default:
      break;
  }
}

function mask(value: string, t: Extract<Transform, { kind: 'mask' }>): string {
  const chars = [...value];
  const start = Math.min(t.keepStart ?? 0, chars.length);
  const end = Math.min(t.keepEnd ?? 0, chars.length - start);
  const char = t.char ?? '*';
  return chars.map((c, i) => (i < start || i >= chars.length - end ? c : char)).join('');
}

/** Pseudonyms: the release key is derived from the platform key and the release id, then keys HMAC-SHA256. */
function pseudonymizer(secrets: DeidSecrets, length: number): (value: string) => string {
  const releaseKey = createHmac('sha256', secrets.hmacKey)
    .update(`datapolis/deid/release\u0000${secrets.releaseId}`)
    .digest();
  const cache = new Map<string, string>();
  return (value) => {
    let out = cache.get(value);
    if (out === undefined) {
      out = createHmac('sha256', releaseKey).update(value, 'utf8').digest('hex').slice(0, length);
      cache.set(value, out);
    }
    return out;
  };
}

/** sfc32: small, fast, good enough for noise; seeded per field so that fields do not share a stream. */
function random(seed: number | undefined, field: string): () => number {
  const bytes =
    seed === undefined
      ? randomBytes(16)
      : createHash('sha256').update(`datapolis/deid/noise\u0000${seed}\u0000${field}`).digest();
  let a = bytes.readUInt32LE(0);
  let b = bytes.readUInt32LE(4);
  let c = bytes.readUInt32LE(8);
  let d = bytes.readUInt32LE(12);
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function noiseSampler(t: Extract<Transform, { kind: 'noise' }>, rnd: () => number): () => number {
  // u in (0, 1): never 0, so that the logarithms below stay finite.
  const open = () => (rnd() * 4294967295 + 0.5) / 4294967296;
  switch (t.distribution) {
    case 'uniform':
      return () => (rnd() * 2 - 1) * t.scale;
    case 'laplace':
      return () => {
        const u = open() - 0.5;
        return -t.scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
      };
    default:
      // Box-Muller; scale is the standard deviation.
      return () => t.scale * Math.sqrt(-2 * Math.log(open())) * Math.cos(2 * Math.PI * rnd());
  }
}

function formatNumber(x: number, decimals: number | undefined): string {
  if (decimals === undefined) return String(Number(x.toPrecision(15)));
  const rounded = Number(x.toFixed(decimals));
  return (Object.is(rounded, -0) ? 0 : rounded).toFixed(decimals);
}

/** One field's cell function; throws DeidError('bad-value') on a value it cannot transform. */
function cellFunction(
  field: string,
  t: Transform,
  secrets: DeidSecrets,
): (value: string | null) => string | null {
  const valueError = (value: string, what: string): never => {
    throw new DeidError(
      'bad-value',
      `field ${JSON.stringify(field)}: ${JSON.stringify(value)} is not ${what}`,
    );
  };
  switch (t.kind) {
    case 'keep':
    case 'drop':
      return (v) => v;
    case 'suppress':
      return () => null;
    case 'mask':
      return (v) => (v === null ? null : mask(v, t));
    case 'hash': {
      const pseudonym = pseudonymizer(secrets, t.length ?? 16);
      return (v) => (v === null ? null : pseudonym(v));
    }
    case 'generalize':
      return (v) => generalizeValue(t.hierarchy, v, t.level);
    case 'range':
      return (v) => {
        if (v === null) return null;
        const x = parseNumber(v) ?? valueError(v, 'a number');
        return rangeLabel(rangeStart(x, t.width, t.origin ?? 0), t.width);
      };
    case 'truncate-date':
      return (v) => {
        if (v === null) return null;
        const d = parseDate(v) ?? valueError(v, 'an ISO date');
        if (t.unit === 'year') return d.year;
        if (d.month === undefined) valueError(v, `a date with a ${t.unit}`);
        if (t.unit === 'month') return `${d.year}-${d.month}`;
        if (d.day === undefined) valueError(v, 'a date with a day');
        return `${d.year}-${d.month}-${d.day}`;
      };
    case 'noise': {
      const sample = noiseSampler(t, random(secrets.seed, field));
      return (v) => {
        if (v === null) return null;
        const x = parseNumber(v) ?? valueError(v, 'a number');
        return formatNumber(x + sample(), t.round);
      };
    }
  }
}

function describe(t: Transform): Record<string, unknown> {
  if (t.kind !== 'generalize') return { ...t };
  const h = t.hierarchy;
  // The hierarchy itself is summarised by a digest: enough to tell which one was used.
  const digest = createHash('sha256');
  for (const [value, levels] of [...h.map].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)))
    digest.update(`${[value, ...levels].join('\u001f')}\u001e`);
  return {
    kind: 'generalize',
    level: t.level,
    hierarchy: {
      attribute: h.attribute,
      levels: h.levels,
      values: h.map.size,
      sha256: digest.digest('hex'),
    },
  };
}

/**
 * Applies a de-identification plan. Fields the plan does not name are kept as they are (and listed as kept
 * in the lineage). Either the whole table comes back or a DeidError is thrown: nothing half-made.
 */
export function applyPlan(table: Table, plan: DeidPlan, secrets: DeidSecrets): DeidResult {
  if (plan === null || typeof plan !== 'object' || plan.fields === null || typeof plan.fields !== 'object')
    throw new DeidError('bad-plan', 'the plan needs a "fields" object: field name -> transformation');
  if (!Buffer.isBuffer(secrets.hmacKey) || secrets.hmacKey.length < 16)
    throw new DeidError('bad-options', 'the HMAC key must be at least 16 bytes');
  if (typeof secrets.releaseId !== 'string' || secrets.releaseId === '')
    throw new DeidError('bad-options', 'a release id is needed: pseudonyms are keyed by it');
  columnIndexes(table, Object.keys(plan.fields), 'plan field');
  for (const [field, t] of Object.entries(plan.fields)) checkTransform(field, t);

  const transforms = table.columns.map((c) => plan.fields[c] ?? ({ kind: 'keep' } as Transform));
  // Hierarchies are checked against the whole column first, so that the error lists every gap at once.
  transforms.forEach((t, i) => {
    if (t.kind === 'generalize' && t.level > 0)
      assertCovers(
        t.hierarchy,
        table.rows.map((row) => row[i] ?? null),
        table.columns[i]!,
      );
  });
  const kept = transforms.map((t, i) => (t.kind === 'drop' ? -1 : i)).filter((i) => i >= 0);
  const columns = kept.map((i) => table.columns[i]!);
  const functions = kept.map((i) => cellFunction(table.columns[i]!, transforms[i]!, secrets));
  let rows = table.rows.map((row) => kept.map((i, j) => functions[j]!(row[i] ?? null)));

  let recordsSuppressed = 0;
  const suppression = plan.suppression;
  if (suppression !== undefined) {
    const { quasiIdentifiers, k, maxShare } = suppression;
    if (!Array.isArray(quasiIdentifiers) || quasiIdentifiers.length === 0)
      throw new DeidError('bad-plan', 'suppression needs quasiIdentifiers, a list of fields');
    if (!(Number.isInteger(k) && k >= 1))
      throw new DeidError('bad-plan', 'suppression k must be a whole number ≥ 1');
    if (!(typeof maxShare === 'number' && maxShare >= 0 && maxShare <= 1))
      throw new DeidError('bad-plan', 'suppression maxShare must be a share from 0 to 1');
    const out: Table = { columns, rows };
    const indexes = columnIndexes(out, quasiIdentifiers, 'quasi-identifier (after the transformations)');
    if (k > rows.length)
      throw new DeidError('k-too-large', `k = ${k} is larger than the table (${rows.length} records)`);
    const encoded = indexes.map((i) => encodeColumn(rows, i));
    const classes = groupClasses(
      encoded.map((e) => ({ codes: e.codes, cardinality: e.values.length })),
      rows.length,
    );
    const keep = rows.map((_, i) => classes.sizes[classes.classOf[i]!]! >= k);
    recordsSuppressed = keep.filter((x) => !x).length;
    if (recordsSuppressed > maxShare * rows.length)
      throw new DeidError(
        'suppression-limit',
        `reaching k = ${k} would suppress ${recordsSuppressed} of ${rows.length} records (${((recordsSuppressed / rows.length) * 100).toFixed(1)} %), more than the ${(maxShare * 100).toFixed(1)} % allowed: generalise more`,
      );
    rows = rows.filter((_, i) => keep[i]);
  }

  const lineage: DeidLineage = {
    engine: 'datapolis-deid/1',
    releaseId: secrets.releaseId,
    rowsIn: table.rows.length,
    rowsOut: rows.length,
    columnsOut: columns,
    fields: table.columns.map((field, i) => ({ field, transform: describe(transforms[i]!) })),
    noiseSeeded: secrets.seed !== undefined,
    ...(suppression && { suppression: { ...suppression, recordsSuppressed } }),
  };
  return { table: { columns, rows }, recordsSuppressed, lineage };
}
