import { type RawBuilder, sql } from 'kysely';
import { ValidationError } from '../../kernel/errors.ts';
import type { ColumnInfo } from './datastore.tables.ts';

/**
 * Turns the query API's parameters into SQL over one version's table. Every field name is checked
 * against the version's columns and every value is a bound parameter cast to the column's type, so no
 * caller text ever becomes SQL.
 */

export type FilterValue = string | number | boolean | null;
export type FilterSpec =
  | FilterValue
  | FilterValue[]
  | {
      eq?: FilterValue;
      ne?: FilterValue;
      gt?: FilterValue;
      gte?: FilterValue;
      lt?: FilterValue;
      lte?: FilterValue;
    };

export interface SortKey {
  column: ColumnInfo;
  descending: boolean;
}

const OPERATORS = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export const ROW_ID: ColumnInfo = { field: '_id', column: '_id', type: 'bigint', nulls: 0 };

const TEXT_TYPES = new Set(['text']);
const NUMERIC_TYPES = new Set(['bigint', 'numeric', 'integer']);

export function isNumeric(column: ColumnInfo): boolean {
  return NUMERIC_TYPES.has(column.type);
}

export function columnOf(columns: ColumnInfo[], field: string, what: string): ColumnInfo {
  if (field === '_id') return ROW_ID;
  const found = columns.find((c) => c.field === field);
  if (found === undefined)
    throw new ValidationError(`${what}: there is no field "${field}".`, [
      { path: `/${what}`, message: `Unknown field ${field}` },
    ]);
  return found;
}

function ident(name: string): RawBuilder<unknown> {
  return sql.id(name);
}

/** The value bound as text and cast by PostgreSQL, which refuses what does not fit the type. */
function value(column: ColumnInfo, v: FilterValue): RawBuilder<unknown> {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return sql`cast(${text} as ${sql.raw(column.type)})`;
}

export function parseFilters(raw: string | undefined): Record<string, FilterSpec> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ValidationError('filters must be a JSON object, e.g. {"district":"东城区"}.', [
      { path: '/filters', message: 'Invalid JSON' },
    ]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ValidationError('filters must be a JSON object.', [
      { path: '/filters', message: 'Not an object' },
    ]);
  return parsed as Record<string, FilterSpec>;
}

function scalar(v: unknown, field: string): FilterValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new ValidationError(`filters: the value for "${field}" must be a string, number, boolean or null.`, [
    { path: `/filters/${field}`, message: 'Unsupported value' },
  ]);
}

export function whereClause(
  columns: ColumnInfo[],
  filters: Record<string, FilterSpec>,
  q: string | undefined,
): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = [];
  for (const [field, spec] of Object.entries(filters)) {
    const column = columnOf(columns, field, 'filters');
    if (column.type === 'jsonb')
      throw new ValidationError(`filters: "${field}" holds JSON values and cannot be filtered on.`, [
        { path: `/filters/${field}`, message: 'Not filterable' },
      ]);
    const col = ident(column.column);
    if (Array.isArray(spec)) {
      if (spec.length === 0 || spec.length > 1000)
        throw new ValidationError(`filters: the list for "${field}" must hold 1 to 1000 values.`, [
          { path: `/filters/${field}`, message: 'Bad list length' },
        ]);
      const values = spec.map((v) => scalar(v, field));
      parts.push(sql`${col} IN (${sql.join(values.map((v) => value(column, v)))})`);
    } else if (spec !== null && typeof spec === 'object') {
      const entries = Object.entries(spec);
      if (entries.length === 0)
        throw new ValidationError(`filters: the range for "${field}" is empty.`, [
          { path: `/filters/${field}`, message: 'Empty range' },
        ]);
      for (const [op, v] of entries) {
        const symbol = OPERATORS[op as keyof typeof OPERATORS];
        if (symbol === undefined)
          throw new ValidationError(`filters: "${op}" is not an operator; use eq, ne, gt, gte, lt or lte.`, [
            { path: `/filters/${field}/${op}`, message: 'Unknown operator' },
          ]);
        parts.push(sql`${col} ${sql.raw(symbol)} ${value(column, scalar(v, field))}`);
      }
    } else if (spec === null) {
      parts.push(sql`${col} IS NULL`);
    } else {
      parts.push(sql`${col} = ${value(column, scalar(spec, field))}`);
    }
  }
  const words = (q ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '')
    .slice(0, 10);
  if (words.length > 0) {
    const searchable = columns.filter((c) => TEXT_TYPES.has(c.type));
    const targets = searchable.length > 0 ? searchable : columns.filter((c) => c.type !== 'jsonb');
    if (targets.length === 0) parts.push(sql`false`);
    for (const word of words) {
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      parts.push(
        sql`(${sql.join(
          targets.map((c) => sql`${ident(c.column)}::text ILIKE ${pattern}`),
          sql` OR `,
        )})`,
      );
    }
  }
  return parts;
}

export function andAll(parts: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` AND `);
}

export function parseSort(columns: ColumnInfo[], raw: string | undefined): SortKey[] {
  if (raw === undefined || raw.trim() === '') return [];
  const keys = raw.split(',').map((part) => {
    const match = /^\s*(.+?)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (match === null)
      throw new ValidationError(`sort: "${part}" is not "field" or "field desc".`, [
        { path: '/sort', message: 'Invalid sort' },
      ]);
    const column = columnOf(columns, match[1]!.replace(/^"|"$/g, ''), 'sort');
    if (column.type === 'jsonb')
      throw new ValidationError(`sort: "${column.field}" holds JSON values and cannot be sorted on.`, [
        { path: '/sort', message: 'Not sortable' },
      ]);
    return { column, descending: (match[2] ?? 'asc').toLowerCase() === 'desc' };
  });
  if (keys.length > 5)
    throw new ValidationError('sort: at most 5 fields.', [{ path: '/sort', message: 'Too many fields' }]);
  return keys;
}

/**
 * The full order: the requested keys, then `_id` so that every row has one place. NULLs sort last in
 * both directions, which keyset paging relies on. The keys are qualified with `table`: a bare name in
 * ORDER BY means the select list's column of that name, which `selectList` has turned into text, so
 * numbers would sort as text (10 before 9) and disagree with `afterCursor`.
 */
export function orderBy(sort: SortKey[], table: string): RawBuilder<unknown> {
  const keys = sort.filter((k) => k.column.column !== '_id');
  const idKey = sort.find((k) => k.column.column === '_id');
  const tieDescending = idKey?.descending ?? (keys.length > 0 && keys.every((k) => k.descending));
  const column = (name: string) => sql`${sql.raw(table)}.${ident(name)}`;
  const parts = keys.map(
    (k) => sql`${column(k.column.column)} ${sql.raw(k.descending ? 'DESC' : 'ASC')} NULLS LAST`,
  );
  parts.push(sql`${column('_id')} ${sql.raw(tieDescending ? 'DESC' : 'ASC')}`);
  return sql.join(parts);
}

export interface Cursor {
  /** The last row's sort values as text (null for NULL), then its _id. */
  values: (string | null)[];
  id: string;
  /** The sort and filters the cursor was made for: a cursor is refused for another query. */
  signature: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.signature, cursor.id, cursor.values])).toString('base64url');
}

export function decodeCursor(raw: string, signature: string): Cursor {
  try {
    const [sig, id, values] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [
      string,
      string,
      (string | null)[],
    ];
    if (
      typeof sig === 'string' &&
      typeof id === 'string' &&
      /^\d+$/.test(id) &&
      Array.isArray(values) &&
      values.every((v) => v === null || typeof v === 'string')
    ) {
      if (sig !== signature)
        throw new ValidationError('cursor belongs to another query (filters, sort or version differ).', [
          { path: '/cursor', message: 'Cursor mismatch' },
        ]);
      return { signature: sig, id, values };
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
  }
  throw new ValidationError('cursor is not a cursor this API returned.', [
    { path: '/cursor', message: 'Invalid cursor' },
  ]);
}

/**
 * Rows after the cursor in the order of `orderBy(sort, table)`. With one direction and no NULLs left to
 * pass, a row comparison lets PostgreSQL walk an index straight to the spot; otherwise the expansion
 * "k1 after v1, or k1 = v1 and k2 after v2, ..." handles mixed directions and NULLs.
 */
export function afterCursor(sort: SortKey[], cursor: Cursor): RawBuilder<unknown> {
  const keys = sort.filter((k) => k.column.column !== '_id');
  const idKey = sort.find((k) => k.column.column === '_id');
  const tieDescending = idKey?.descending ?? (keys.length > 0 && keys.every((k) => k.descending));
  const id = sql`cast(${cursor.id} as bigint)`;
  const sameDirection = keys.every((k) => k.descending === tieDescending);
  const noNulls = keys.every((k, i) => cursor.values[i] !== null && k.column.nulls === 0);
  if (sameDirection && noNulls) {
    const left = sql.join([...keys.map((k) => ident(k.column.column)), sql`"_id"`]);
    const right = sql.join([
      ...keys.map((k, i) => sql`cast(${cursor.values[i]!} as ${sql.raw(k.column.type)})`),
      id,
    ]);
    return sql`(${left}) ${sql.raw(tieDescending ? '<' : '>')} (${right})`;
  }
  const branches: RawBuilder<unknown>[] = [];
  const equal: RawBuilder<unknown>[] = [];
  keys.forEach((k, i) => {
    const col = ident(k.column.column);
    const v = cursor.values[i] ?? null;
    if (v === null) {
      // Nothing sorts after NULL (NULLS LAST): only equal (NULL) values continue to the next key.
      equal.push(sql`${col} IS NULL`);
      return;
    }
    const typed = sql`cast(${v} as ${sql.raw(k.column.type)})`;
    const after = sql`(${col} ${sql.raw(k.descending ? '<' : '>')} ${typed} OR ${col} IS NULL)`;
    branches.push(andAll([...equal, after]));
    equal.push(sql`${col} = ${typed}`);
  });
  branches.push(andAll([...equal, sql`"_id" ${sql.raw(tieDescending ? '<' : '>')} ${id}`]));
  return sql`(${sql.join(branches, sql` OR `)})`;
}

/**
 * What each column is selected as. Big integers and decimals come back as text so that no digit is lost
 * on the way to JSON; timestamps as ISO text so no time zone is guessed.
 */
export function selectList(columns: ColumnInfo[]): RawBuilder<unknown> {
  return sql.join([
    sql`"_id"::text AS "_id"`,
    ...columns.map((c) => {
      const col = ident(c.column);
      const alias = ident(c.column);
      if (c.type === 'timestamp') return sql`replace(${col}::text, ' ', 'T') AS ${alias}`;
      if (c.type === 'jsonb' || c.type === 'boolean' || c.type === 'text') return sql`${col} AS ${alias}`;
      return sql`${col}::text AS ${alias}`;
    }),
  ]);
}

/** Turns a selected row into what the API returns: numbers as JSON numbers when they are exact. */
export function outputValue(column: ColumnInfo, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (column.type === 'bigint' || column.type === 'integer') {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : String(raw);
  }
  if (column.type === 'numeric') {
    const n = Number(raw);
    return Number.isFinite(n) &&
      String(n) ===
        String(raw)
          .replace(/(\.\d*?)0+$/, '$1')
          .replace(/\.$/, '')
      ? n
      : String(raw);
  }
  return raw;
}

export interface AggregateSpec {
  groups: { column: ColumnInfo; truncate: 'year' | 'month' | 'day' | 'hour' | undefined; key: string }[];
  metrics: { name: string; fn: 'count' | 'sum' | 'avg' | 'min' | 'max'; column: ColumnInfo | undefined }[];
}

export function parseAggregate(
  columns: ColumnInfo[],
  groupBy: string | undefined,
  metrics: string | undefined,
): AggregateSpec {
  const groups = (groupBy ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '')
    .map((g) => {
      const match = /^(.+?)(?::(year|month|day|hour))?$/.exec(g)!;
      const column = columnOf(columns, match[1]!, 'groupBy');
      const truncate = match[2] as AggregateSpec['groups'][number]['truncate'];
      if (truncate !== undefined && column.type !== 'date' && column.type !== 'timestamp')
        throw new ValidationError(`groupBy: "${column.field}" is not a date or date-time.`, [
          { path: '/groupBy', message: 'Not a date' },
        ]);
      if (column.type === 'jsonb')
        throw new ValidationError(`groupBy: "${column.field}" holds JSON values.`, [
          { path: '/groupBy', message: 'Not groupable' },
        ]);
      return { column, truncate, key: g };
    });
  if (groups.length > 3)
    throw new ValidationError('groupBy: at most 3 fields.', [{ path: '/groupBy', message: 'Too many' }]);
  const list = (metrics ?? 'count')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  if (list.length === 0 || list.length > 10)
    throw new ValidationError('metrics: give 1 to 10 metrics.', [{ path: '/metrics', message: 'Bad count' }]);
  return {
    groups,
    metrics: list.map((m) => {
      if (m === 'count') return { name: 'count', fn: 'count' as const, column: undefined };
      const match = /^(sum|avg|min|max):(.+)$/.exec(m);
      if (match === null)
        throw new ValidationError(
          `metrics: "${m}" is not count, sum:field, avg:field, min:field or max:field.`,
          [{ path: '/metrics', message: 'Unknown metric' }],
        );
      const fn = match[1] as 'sum' | 'avg' | 'min' | 'max';
      const column = columnOf(columns, match[2]!, 'metrics');
      if ((fn === 'sum' || fn === 'avg') && !isNumeric(column))
        throw new ValidationError(`metrics: "${column.field}" is not a number; ${fn} needs numbers.`, [
          { path: '/metrics', message: 'Not numeric' },
        ]);
      if (column.type === 'jsonb' || column.type === 'boolean')
        throw new ValidationError(`metrics: "${column.field}" cannot be aggregated.`, [
          { path: '/metrics', message: 'Not aggregatable' },
        ]);
      return { name: m, fn, column };
    }),
  };
}

/**
 * A metric keeps its type, so that ordering by it sorts numbers as numbers; only dates and times become
 * text, so that no time zone is guessed on the way out.
 */
function metricValue(fn: string, column: ColumnInfo): RawBuilder<unknown> {
  const value = sql`${sql.raw(fn)}(${ident(column.column)})`;
  if (column.type === 'timestamp') return sql`replace(${value}::text, ' ', 'T')`;
  if (column.type === 'date' || column.type === 'time') return sql`${value}::text`;
  return value;
}

export function aggregateSelect(spec: AggregateSpec): {
  select: RawBuilder<unknown>;
  groupBy: RawBuilder<unknown> | undefined;
} {
  const groupExprs = spec.groups.map((g) => {
    const col = ident(g.column.column);
    if (g.truncate === undefined)
      return g.column.type === 'timestamp' ? sql`replace(${col}::text, ' ', 'T')` : sql`${col}::text`;
    const format = { year: 'YYYY', month: 'YYYY-MM', day: 'YYYY-MM-DD', hour: 'YYYY-MM-DD"T"HH24:00' }[
      g.truncate
    ];
    return sql`to_char(date_trunc(${g.truncate}, ${col}), ${format})`;
  });
  const select = sql.join([
    ...groupExprs.map((e, i) => sql`${e} AS ${ident(`g${i}`)}`),
    ...spec.metrics.map((m, i) =>
      m.column === undefined
        ? sql`count(*) AS ${ident(`m${i}`)}`
        : sql`${metricValue(m.fn, m.column)} AS ${ident(`m${i}`)}`,
    ),
  ]);
  return {
    select,
    groupBy: groupExprs.length === 0 ? undefined : sql.join(groupExprs.map((_, i) => sql.raw(String(i + 1)))),
  };
}
