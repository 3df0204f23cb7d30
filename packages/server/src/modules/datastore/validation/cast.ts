/**
 * Per-field cell readers, compiled once per schema. A reader turns a cell (a string from CSV, a JS value from
 * JSON/XLSX) into the text PostgreSQL reads for the field's column type, or `undefined` on a type error.
 * Semantics follow Frictionless v5 field readers; the few deliberate differences are noted where they are.
 */
import { createHash } from 'node:crypto';
import type { FieldConstraints, TableField, TableFieldType } from '../datastore.model.ts';
import {
  castIsoDate,
  castIsoDatetime,
  castIsoTime,
  compileStrptime,
  formatDatetime,
  formatTime,
  type Parts,
  pad2,
  pad4,
} from './temporal.ts';

export type Cast = (cell: unknown) => string | undefined;

export interface Check {
  name: string;
  /** Frictionless-style note, e.g. `constraint "minimum" is "5"`. */
  note: string;
  test(text: string): boolean;
}

export interface CompiledField {
  name: string;
  type: TableFieldType;
  format: string;
  missing: ReadonlySet<string>;
  /** The common case `missingValues: [""]`, tested without a Set lookup. */
  onlyEmptyMissing: boolean;
  required: boolean;
  cast: Cast;
  /** Constraints other than required and unique, in the order Frictionless checks them. */
  checks: Check[];
  /** Equality key of a cast value (numbers compare by value: 1.0 equals 1). */
  key(text: string): string;
  /** Frictionless-style note for a type error, e.g. `type is "integer/default"`. */
  typeNote: string;
}

export const DEFAULT_MISSING_VALUES: readonly string[] = [''];
export const DEFAULT_TRUE_VALUES: readonly string[] = ['true', 'True', 'TRUE', '1'];
export const DEFAULT_FALSE_VALUES: readonly string[] = ['false', 'False', 'FALSE', '0'];

const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 160 ||
    c === 0xfeff ||
    (c > 127 && /\s/.test(String.fromCharCode(c)))
  );
}

function trimBounds(s: string): [number, number] {
  let start = 0;
  let end = s.length;
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  return [start, end];
}

/** Removes what surrounds a number when `bareNumber` is false: a prefix up to a digit or '-', a non-digit suffix. */
function stripNonBare(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end) {
    const c = s.charCodeAt(start);
    if (c === 45 || (c >= 48 && c <= 57)) break;
    start++;
  }
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c >= 48 && c <= 57) break;
    end--;
  }
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python `int(text)` for the common syntax (sign, digits, surrounding spaces); canonical decimal text. */
export function castIntegerText(s: string): string | undefined {
  let start = 0;
  let end = s.length;
  if (end === 0) return undefined;
  if (isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(end - 1))) [start, end] = trimBounds(s);
  if (start === end) return undefined;
  const c = s.charCodeAt(start);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    start++;
    if (start === end) return undefined;
  }
  let firstNonZero = -1;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    if (firstNonZero < 0 && d !== 0) firstNonZero = i;
  }
  if (firstNonZero < 0) return '0';
  if (firstNonZero === 0 && end === s.length) return s;
  const digits = s.slice(firstNonZero, end);
  return negative ? `-${digits}` : digits;
}

/** True when canonical integer text fits PostgreSQL bigint. */
export function fitsInt64(text: string): boolean {
  const negative = text.charCodeAt(0) === 45;
  const length = negative ? text.length - 1 : text.length;
  if (length < 19) return true;
  if (length > 19) return false;
  return (negative ? text.slice(1) : text) <= (negative ? INT64_MIN_ABS : INT64_MAX);
}

/**
 * Python `Decimal(text)` syntax: sign, digits with an optional point, optional exponent, or NaN/Infinity.
 * Returns the text PostgreSQL `numeric` reads (the leading '+' dropped, specials spelled as PostgreSQL does).
 */
export function castNumberText(s: string): string | undefined {
  let start = 0;
  let end = s.length;
  if (end === 0) return undefined;
  if (isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(end - 1))) [start, end] = trimBounds(s);
  if (start === end) return undefined;
  let i = start;
  let c = s.charCodeAt(i);
  const signed = c === 45 || c === 43;
  if (signed) {
    i++;
    c = s.charCodeAt(i);
  }
  let digits = 0;
  for (; i < end; i++, digits++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
  }
  if (i < end && c === 46) {
    for (i++; i < end; i++, digits++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
    }
  }
  if (digits === 0) return special(s.slice(signed ? start + 1 : start, end), s.charCodeAt(start) === 45);
  if (i < end && (c === 101 || c === 69)) {
    i++;
    c = s.charCodeAt(i);
    if (c === 45 || c === 43) i++;
    let expDigits = 0;
    for (; i < end; i++, expDigits++) {
      const d = s.charCodeAt(i);
      if (d < 48 || d > 57) break;
    }
    if (expDigits === 0) return undefined;
  }
  if (i !== end) return undefined;
  if (start === 0 && end === s.length && s.charCodeAt(0) !== 43) return s;
  return s.slice(s.charCodeAt(start) === 43 ? start + 1 : start, end);
}

function special(word: string, negative: boolean): string | undefined {
  const w = word.toLowerCase();
  if (w === 'nan') return 'NaN';
  if (w === 'inf' || w === 'infinity') return negative ? '-Infinity' : 'Infinity';
  return undefined;
}

/** Value-equality key of numeric text: `1`, `1.0`, `1e0` and `+01` share one key. */
export function numberKey(text: string): string {
  const c0 = text.charCodeAt(0);
  if (!(c0 >= 48 && c0 <= 57) && c0 !== 45 && c0 !== 46) return text;
  let negative = false;
  let s = text;
  if (c0 === 45) {
    negative = true;
    s = s.slice(1);
  }
  let exponent = 0;
  const e = s.search(/[eE]/);
  if (e >= 0) {
    exponent = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const point = s.indexOf('.');
  if (point >= 0) {
    exponent -= s.length - point - 1;
    s = s.slice(0, point) + s.slice(point + 1);
  }
  s = s.replace(/^0+/, '');
  if (s === '') return '0';
  const trailing = s.length - s.replace(/0+$/, '').length;
  s = s.slice(0, s.length - trailing);
  exponent += trailing;
  let body: string;
  if (exponent >= 0 && exponent + s.length <= 40) body = s + '0'.repeat(exponent);
  else if (exponent < 0 && -exponent < s.length)
    body = `${s.slice(0, s.length + exponent)}.${s.slice(s.length + exponent)}`;
  else if (exponent < 0 && -exponent - s.length <= 40) body = `0.${'0'.repeat(-exponent - s.length)}${s}`;
  else body = `${s}e${exponent}`;
  return negative ? `-${body}` : body;
}

function numberFromJs(cell: number): string {
  if (Number.isFinite(cell)) return String(cell);
  return Number.isNaN(cell) ? 'NaN' : cell > 0 ? 'Infinity' : '-Infinity';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function dateToIso(d: Date): string | undefined {
  if (Number.isNaN(d.getTime())) return undefined;
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) : iso.slice(0, -1);
}

// ---------------------------------------------------------------------------------------------------------
// Readers by type

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
const WKT =
  /^\s*(?:POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION|TRIANGLE|TIN|POLYHEDRALSURFACE)(?:\s*(?:Z|M|ZM))?\s*(?:\(.*\)|EMPTY)\s*$/is;
const DURATION =
  /^[-+]?P(?!$)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?W)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?$/;
const DURATION_ALT = /^[-+]?P\d{4}-?\d{2}-?\d{2}(?:T\d{2}:?\d{2}:?\d{2}(?:[.,]\d+)?)?$/;

function stringReader(format: string): Cast {
  const test =
    format === 'email'
      ? EMAIL
      : format === 'uri'
        ? URI
        : format === 'uuid'
          ? UUID
          : format === 'wkt'
            ? WKT
            : format === 'binary'
              ? BASE64
              : undefined;
  const binary = format === 'binary';
  return (cell) => {
    if (typeof cell !== 'string') {
      // Deliberately lenient (Frictionless reports a type error): spreadsheet and JSON numbers in a text
      // column keep their text, so a postcode column typed as string still loads from XLSX.
      if (test !== undefined) return undefined;
      if (typeof cell === 'number') return numberFromJs(cell);
      if (typeof cell === 'bigint' || typeof cell === 'boolean') return String(cell);
      if (cell instanceof Date) return dateToIso(cell);
      return undefined;
    }
    if (test !== undefined) {
      if (!test.test(cell)) return undefined;
      if (binary && cell.replace(/[\s=]/g, '').length % 4 === 1) return undefined;
    }
    return cell;
  };
}

function integerReader(field: TableField): Cast {
  const bare = field.bareNumber !== false;
  return (cell) => {
    if (typeof cell === 'string') return castIntegerText(bare ? cell : stripNonBare(cell.trim()));
    if (typeof cell === 'number') {
      if (!Number.isInteger(cell)) return undefined;
      return Number.isSafeInteger(cell) ? String(cell) : BigInt(cell).toString();
    }
    if (typeof cell === 'bigint') return cell.toString();
    return undefined;
  };
}

function numberReader(field: TableField): Cast {
  const processed =
    field.groupChar !== undefined || field.decimalChar !== undefined || field.bareNumber !== undefined;
  const bare = field.bareNumber !== false;
  const group = field.groupChar ?? '';
  const decimal = field.decimalChar ?? '.';
  return (cell) => {
    if (typeof cell === 'string') {
      if (!processed) return castNumberText(cell);
      let s = cell.trim();
      if (!bare) s = stripNonBare(s);
      if (group !== '') s = s.replaceAll(group, '');
      if (decimal !== '.') {
        if (s.includes('.')) return undefined;
        s = s.replaceAll(decimal, '.');
      }
      return castNumberText(s);
    }
    if (typeof cell === 'number') return numberFromJs(cell);
    if (typeof cell === 'bigint') return cell.toString();
    return undefined;
  };
}

function booleanReader(field: TableField): Cast {
  const map = new Map<string, string>();
  for (const v of field.trueValues ?? DEFAULT_TRUE_VALUES) map.set(v, 'true');
  for (const v of field.falseValues ?? DEFAULT_FALSE_VALUES) if (!map.has(v)) map.set(v, 'false');
  return (cell) => {
    if (typeof cell === 'string') return map.get(cell);
    if (cell === true) return 'true';
    if (cell === false) return 'false';
    return undefined;
  };
}

/** Lenient parsing for format "any" (Frictionless uses dateutil): ISO first, then what Date.parse reads. */
function parseAny(s: string): Parts | undefined {
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  const zoned = /(?:Z|[+-]\d\d:?\d\d|GMT|UTC)\s*$/i.test(s);
  return zoned
    ? {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
        fraction:
          d.getUTCMilliseconds() === 0
            ? ''
            : String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, ''),
        offset: null,
      }
    : {
        year: d.getFullYear(),
        month: d.getMonth() + 1,
        day: d.getDate(),
        hour: d.getHours(),
        minute: d.getMinutes(),
        second: d.getSeconds(),
        fraction:
          d.getMilliseconds() === 0 ? '' : String(d.getMilliseconds()).padStart(3, '0').replace(/0+$/, ''),
        offset: null,
      };
}

function datePart(p: Parts): string | undefined {
  if (p.year < 1 || p.year > 9999) return undefined;
  return `${pad4(p.year)}-${pad2(p.month)}-${pad2(p.day)}`;
}

function dateReader(format: string): Cast {
  const pattern = format === 'default' || format === 'any' ? undefined : compileStrptime(format);
  return (cell) => {
    if (typeof cell === 'string') {
      if (format === 'default') return castIsoDate(cell);
      if (format === 'any') {
        const iso = castIsoDate(cell) ?? castIsoDatetime(cell)?.slice(0, 10);
        if (iso !== undefined) return iso;
        const p = parseAny(cell);
        return p === undefined ? undefined : datePart(p);
      }
      const p = pattern?.(cell);
      return p === undefined ? undefined : datePart(p);
    }
    if (cell instanceof Date) {
      // A spreadsheet date without a time of day; with one it is a date-time, not a date.
      const iso = dateToIso(cell);
      return iso?.endsWith('T00:00:00') ? iso.slice(0, 10) : undefined;
    }
    return undefined;
  };
}

function datetimeReader(format: string): Cast {
  const pattern = format === 'default' || format === 'any' ? undefined : compileStrptime(format);
  return (cell) => {
    if (typeof cell === 'string') {
      if (format === 'default') return castIsoDatetime(cell);
      if (format === 'any') {
        const iso = castIsoDatetime(cell);
        if (iso !== undefined) return iso;
        const p = parseAny(cell);
        return p === undefined ? undefined : formatDatetime(p);
      }
      const p = pattern?.(cell);
      return p === undefined ? undefined : formatDatetime(p);
    }
    if (cell instanceof Date) return dateToIso(cell);
    return undefined;
  };
}

function timeReader(format: string): Cast {
  const pattern = format === 'default' || format === 'any' ? undefined : compileStrptime(format);
  return (cell) => {
    if (typeof cell === 'string') {
      if (format === 'default') return castIsoTime(cell);
      if (format === 'any') {
        const iso = castIsoTime(cell.padStart(8, '0'));
        if (iso !== undefined) return iso;
        const p = parseAny(`2000-01-01 ${cell}`) ?? parseAny(cell);
        return p === undefined ? undefined : formatTime(p);
      }
      const p = pattern?.(cell);
      return p === undefined ? undefined : formatTime(p);
    }
    if (cell instanceof Date) return dateToIso(cell)?.slice(11);
    return undefined;
  };
}

function yearReader(): Cast {
  return (cell) => {
    let n: number;
    if (typeof cell === 'string') {
      if (cell.length !== 4) return undefined;
      const text = castIntegerText(cell);
      if (text === undefined) return undefined;
      n = Number(text);
    } else if (typeof cell === 'number' && Number.isInteger(cell)) n = cell;
    else return undefined;
    return n < 0 || n > 9999 ? undefined : String(n);
  };
}

function yearmonthReader(): Cast {
  const make = (y: unknown, m: unknown): string | undefined => {
    const year = typeof y === 'number' ? y : typeof y === 'string' ? Number(castIntegerText(y)) : Number.NaN;
    const month = typeof m === 'number' ? m : typeof m === 'string' ? Number(castIntegerText(m)) : Number.NaN;
    if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) return undefined;
    return `${year >= 0 ? pad4(year) : year}-${pad2(month)}`;
  };
  return (cell) => {
    if (typeof cell === 'string') {
      const dash = cell.indexOf('-');
      if (dash < 0 || cell.indexOf('-', dash + 1) >= 0) return undefined;
      return make(cell.slice(0, dash), cell.slice(dash + 1));
    }
    if (Array.isArray(cell) && cell.length === 2) return make(cell[0], cell[1]);
    return undefined;
  };
}

function durationReader(): Cast {
  return (cell) =>
    typeof cell === 'string' && (DURATION.test(cell) || DURATION_ALT.test(cell)) ? cell : undefined;
}

function coordinate(value: unknown): number | undefined {
  const text =
    typeof value === 'number'
      ? numberFromJs(value)
      : typeof value === 'string'
        ? castNumberText(value)
        : undefined;
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function point(lon: unknown, lat: unknown): string | undefined {
  const x = coordinate(lon);
  const y = coordinate(lat);
  if (x === undefined || y === undefined || x > 180 || x < -180 || y > 90 || y < -90) return undefined;
  return `[${x},${y}]`;
}

function geopointReader(format: string): Cast {
  return (cell) => {
    if (typeof cell === 'string') {
      if (format === 'array') {
        const v = parseJson(cell);
        return Array.isArray(v) && v.length === 2 ? point(v[0], v[1]) : undefined;
      }
      if (format === 'object') {
        const v = parseJson(cell);
        if (!isPlainObject(v) || Object.keys(v).length !== 2 || !('lon' in v) || !('lat' in v))
          return undefined;
        return point(v.lon, v.lat);
      }
      const comma = cell.indexOf(',');
      if (comma < 0 || cell.indexOf(',', comma + 1) >= 0) return undefined;
      return point(cell.slice(0, comma), cell.slice(comma + 1));
    }
    // Like Frictionless, an already parsed pair is read whatever the format.
    if (Array.isArray(cell) && cell.length === 2) return point(cell[0], cell[1]);
    return undefined;
  };
}

const GEOMETRIES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
]);

/** Minimal GeoJSON check: a known `type` with the member that type requires. */
export function isGeojson(v: unknown): boolean {
  if (!isPlainObject(v) || typeof v.type !== 'string') return false;
  if (GEOMETRIES.has(v.type)) return Array.isArray(v.coordinates);
  if (v.type === 'GeometryCollection') return Array.isArray(v.geometries);
  if (v.type === 'Feature') return 'geometry' in v && (v.geometry === null || isPlainObject(v.geometry));
  if (v.type === 'FeatureCollection') return Array.isArray(v.features);
  return false;
}

function geojsonReader(format: string): Cast {
  const valid = format === 'topojson' ? (v: unknown) => isPlainObject(v) && v.type === 'Topology' : isGeojson;
  return (cell) => {
    if (typeof cell === 'string') {
      const v = parseJson(cell);
      return valid(v) ? cell : undefined;
    }
    return valid(cell) ? JSON.stringify(cell) : undefined;
  };
}

function objectReader(): Cast {
  return (cell) => {
    if (typeof cell === 'string') return isPlainObject(parseJson(cell)) ? cell : undefined;
    return isPlainObject(cell) ? JSON.stringify(cell) : undefined;
  };
}

function arrayReader(item: Cast | undefined): Cast {
  return (cell) => {
    let value: unknown = cell;
    if (typeof cell === 'string') value = parseJson(cell);
    if (!Array.isArray(value)) return undefined;
    if (item !== undefined)
      for (const x of value) if (x !== null && x !== '' && item(x) === undefined) return undefined;
    return typeof cell === 'string' ? cell : JSON.stringify(value);
  };
}

function anyReader(): Cast {
  return (cell) => {
    if (typeof cell === 'string') return cell;
    if (typeof cell === 'number') return numberFromJs(cell);
    if (typeof cell === 'bigint' || typeof cell === 'boolean') return String(cell);
    if (cell instanceof Date) return dateToIso(cell);
    return JSON.stringify(cell);
  };
}

export function createReader(field: TableField, itemReader?: Cast): Cast {
  const format = field.format ?? 'default';
  switch (field.type) {
    case 'string':
      return stringReader(format);
    case 'integer':
      return integerReader(field);
    case 'number':
      return numberReader(field);
    case 'boolean':
      return booleanReader(field);
    case 'date':
      return dateReader(format);
    case 'datetime':
      return datetimeReader(format);
    case 'time':
      return timeReader(format);
    case 'year':
      return yearReader();
    case 'yearmonth':
      return yearmonthReader();
    case 'duration':
      return durationReader();
    case 'geopoint':
      return geopointReader(format);
    case 'geojson':
      return geojsonReader(format);
    case 'object':
      return objectReader();
    case 'array':
      return arrayReader(itemReader);
    default:
      return anyReader();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Constraints

const SUPPORTED: Record<TableFieldType, readonly (keyof FieldConstraints)[]> = {
  string: ['minLength', 'maxLength', 'pattern', 'enum'],
  integer: ['minimum', 'maximum', 'enum'],
  number: ['minimum', 'maximum', 'enum'],
  boolean: ['enum'],
  date: ['minimum', 'maximum', 'enum'],
  datetime: ['minimum', 'maximum', 'enum'],
  time: ['minimum', 'maximum', 'enum'],
  year: ['minimum', 'maximum', 'enum'],
  yearmonth: ['minimum', 'maximum', 'enum'],
  duration: ['enum'],
  geopoint: ['enum'],
  geojson: ['enum'],
  object: ['minLength', 'maxLength', 'enum'],
  array: ['minLength', 'maxLength', 'enum'],
  any: ['enum'],
};

/** Compiles a Table Schema `pattern` (implicitly anchored, like Frictionless); undefined if it does not compile. */
export function compilePattern(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // try the next flags
    }
  }
  return undefined;
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function lengthOf(type: TableFieldType): (text: string) => number {
  if (type === 'array') return (t) => (JSON.parse(t) as unknown[]).length;
  if (type === 'object') return (t) => Object.keys(JSON.parse(t) as object).length;
  return codePoints;
}

/** Returns a comparator of cast values (negative, 0, positive), NaN when not comparable. */
function comparator(type: TableFieldType): (a: string, b: string) => number {
  if (type === 'integer' || type === 'year')
    return (a, b) => {
      if (a.length < 16 && b.length < 16) return Number(a) - Number(b);
      const x = BigInt(a);
      const y = BigInt(b);
      return x < y ? -1 : x > y ? 1 : 0;
    };
  if (type === 'number') return (a, b) => Number(a) - Number(b);
  return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function buildChecks(
  field: TableField,
  cast: Cast,
  key: (t: string) => string,
  item?: CompiledField,
): Check[] {
  const checks: Check[] = [];
  const c = field.constraints ?? {};
  const note = (name: string, value: unknown) => `constraint "${name}" is "${describe(value)}"`;
  for (const name of SUPPORTED[field.type] ?? []) {
    const value = c[name];
    if (value === undefined) continue;
    if (name === 'minLength' || name === 'maxLength') {
      if (typeof value !== 'number') continue;
      const len = lengthOf(field.type);
      checks.push({
        name,
        note: note(name, value),
        test: name === 'minLength' ? (t) => len(t) >= value : (t) => len(t) <= value,
      });
    } else if (name === 'minimum' || name === 'maximum') {
      const bound = cast(value);
      if (bound === undefined) continue;
      const cmp = comparator(field.type);
      checks.push({
        name,
        note: note(name, value),
        test: name === 'minimum' ? (t) => cmp(t, bound) >= 0 : (t) => cmp(t, bound) <= 0,
      });
    } else if (name === 'pattern') {
      if (typeof value !== 'string') continue;
      const re = compilePattern(value);
      if (re !== undefined) checks.push({ name, note: note(name, value), test: (t) => re.test(t) });
    } else if (name === 'enum') {
      if (!Array.isArray(value)) continue;
      const allowed = new Set<string>();
      for (const v of value) {
        const t = cast(v);
        if (t !== undefined) allowed.add(key(t));
      }
      checks.push({ name, note: note(name, value), test: (t) => allowed.has(key(t)) });
    }
  }
  if (field.type === 'integer')
    checks.push({
      name: 'int64',
      note: 'the value is outside the 64-bit integer range the store keeps (-9223372036854775808 to 9223372036854775807)',
      test: fitsInt64,
    });
  if (item !== undefined && item.checks.length + (item.required ? 1 : 0) > 0) {
    // Item constraints (Frictionless reports them on the array cell, prefixed "array item").
    for (const check of item.checks)
      checks.push({
        name: `arrayItem.${check.name}`,
        note: `array item ${check.note}`,
        test: (t) => {
          for (const x of JSON.parse(t) as unknown[]) {
            if (x === null || x === '') continue;
            const v = item.cast(x);
            if (v !== undefined && !check.test(v)) return false;
          }
          return true;
        },
      });
    if (item.required)
      checks.push({
        name: 'arrayItem.required',
        note: 'array item constraint "required" is "true"',
        test: (t) => (JSON.parse(t) as unknown[]).every((x) => x !== null && x !== ''),
      });
  }
  return checks;
}

const identity = (t: string) => t;

export function compileField(field: TableField, schemaMissing: readonly string[] | undefined): CompiledField {
  const format = field.format ?? 'default';
  const missingValues = field.missingValues ?? schemaMissing ?? DEFAULT_MISSING_VALUES;
  let item: CompiledField | undefined;
  if (field.type === 'array' && field.arrayItem !== undefined) {
    const descriptor: TableField = { name: field.name, type: field.arrayItem.type ?? 'any' };
    if (field.arrayItem.constraints !== undefined) descriptor.constraints = field.arrayItem.constraints;
    item = compileField(descriptor, undefined);
  }
  const cast = createReader(field, item?.cast);
  const key = field.type === 'number' ? numberKey : identity;
  return {
    name: field.name,
    type: field.type,
    format,
    missing: new Set(missingValues),
    onlyEmptyMissing: missingValues.length === 1 && missingValues[0] === '',
    required: field.constraints?.required === true,
    cast,
    checks: buildChecks(field, cast, key, item),
    key,
    typeNote:
      item !== undefined
        ? `type is "${field.type}/${format}" (array items: "${item.type}")`
        : `type is "${field.type}/${format}"`,
  };
}

export function isMissing(f: CompiledField, cell: unknown): boolean {
  if (typeof cell === 'string') return f.onlyEmptyMissing ? cell === '' : f.missing.has(cell);
  if (cell === null || cell === undefined) return true;
  if (f.onlyEmptyMissing) return false;
  return (
    (typeof cell === 'number' || typeof cell === 'boolean' || typeof cell === 'bigint') &&
    f.missing.has(String(cell))
  );
}

/** Keys longer than this are remembered by their SHA-1 to bound memory. */
const MAX_PLAIN_KEY = 40;

export function boundedKey(key: string): string {
  if (key.length > MAX_PLAIN_KEY) return `#${createHash('sha1').update(key).digest('base64')}`;
  // Escape plain keys that could be mistaken for a digest.
  const c = key.charCodeAt(0);
  return c === 35 || c === 61 ? `=${key}` : key;
}
