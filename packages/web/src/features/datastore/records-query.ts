import type { QueryParams } from '../catalog/catalog-api.ts';
import {
  type DatastoreField,
  NUMERIC_TYPES,
  type TableFieldType,
  TEMPORAL_TYPES,
} from './datastore-types.ts';

/** Equality for text and yes/no columns; a range (either end optional) for numbers and dates. */
export type ColumnFilter =
  | { field: string; op: 'eq'; value: string }
  | { field: string; op: 'in'; values: string[] }
  | { field: string; op: 'range'; gte?: string; lte?: string };

export interface TableSort {
  field: string;
  direction: 'asc' | 'desc';
}

/** What the table shows: it only changes through the functions below, so paging restarts consistently. */
export interface TableState {
  q: string;
  filters: ColumnFilter[];
  sort: TableSort | undefined;
  /** 1-based. */
  page: number;
  pageSize: number;
  /** Ask the server for an exact count instead of its estimate. */
  exactTotal: boolean;
}

export const PAGE_SIZES = [20, 50, 100] as const;

export function emptyTableState(pageSize = 20): TableState {
  return { q: '', filters: [], sort: undefined, page: 1, pageSize, exactTotal: false };
}

export type FilterKind = 'eq' | 'boolean' | 'range';

/** How a column of this type is filtered; undefined for structured values (geometry, lists, objects). */
export function filterKind(type: TableFieldType): FilterKind | undefined {
  if (type === 'boolean') return 'boolean';
  if (NUMERIC_TYPES.includes(type) || TEMPORAL_TYPES.includes(type)) return 'range';
  if (type === 'string' || type === 'duration' || type === 'any') return 'eq';
  return undefined;
}

export function filterableFields(fields: DatastoreField[]): DatastoreField[] {
  return fields.filter((f) => filterKind(f.type) !== undefined);
}

/** Replaces any filter on the same column; an empty filter removes it. Back to page 1 either way. */
export function withFilter(state: TableState, filter: ColumnFilter): TableState {
  const others = state.filters.filter((f) => f.field !== filter.field);
  return { ...state, filters: isEmptyFilter(filter) ? others : [...others, filter], page: 1 };
}

export function withoutFilter(state: TableState, field: string): TableState {
  return { ...state, filters: state.filters.filter((f) => f.field !== field), page: 1 };
}

export function withQuery(state: TableState, q: string): TableState {
  return { ...state, q: q.trim(), page: 1 };
}

export function withSort(state: TableState, sort: TableSort | undefined): TableState {
  return { ...state, sort, page: 1 };
}

/** A new page size keeps the first row in view rather than the page number. */
export function withPage(state: TableState, page: number, pageSize = state.pageSize): TableState {
  if (pageSize === state.pageSize) return { ...state, page: Math.max(1, page) };
  const firstRow = (state.page - 1) * state.pageSize;
  return { ...state, pageSize, page: Math.floor(firstRow / pageSize) + 1 };
}

function isEmptyFilter(filter: ColumnFilter): boolean {
  if (filter.op === 'eq') return filter.value.trim() === '';
  if (filter.op === 'in') return filter.values.length === 0;
  return (filter.gte ?? '').trim() === '' && (filter.lte ?? '').trim() === '';
}

/** A typed-in value as the JSON the server compares with: numbers for numeric columns, booleans for yes/no. */
export function filterValue(type: TableFieldType | undefined, raw: string): string | number | boolean {
  const text = raw.trim();
  if (type === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  if (type === 'integer' || type === 'number' || type === 'year') {
    const n = Number(text);
    if (text !== '' && Number.isFinite(n)) return n;
  }
  return text;
}

/** The `filters` parameter: `{"a": 1}` equality, `{"a": [1, 2]}` one of, `{"a": {"gte": 1}}` range. */
export function filtersJson(filters: ColumnFilter[], fields: DatastoreField[]): string | undefined {
  const types = new Map(fields.map((f) => [f.name, f.type]));
  const out: Record<string, unknown> = {};
  for (const filter of filters) {
    if (isEmptyFilter(filter)) continue;
    const type = types.get(filter.field);
    if (filter.op === 'eq') out[filter.field] = filterValue(type, filter.value);
    else if (filter.op === 'in') out[filter.field] = filter.values.map((v) => filterValue(type, v));
    else {
      const range: Record<string, unknown> = {};
      if ((filter.gte ?? '').trim() !== '') range.gte = filterValue(type, filter.gte ?? '');
      if ((filter.lte ?? '').trim() !== '') range.lte = filterValue(type, filter.lte ?? '');
      out[filter.field] = range;
    }
  }
  return Object.keys(out).length > 0 ? JSON.stringify(out) : undefined;
}

/** Where the requested page starts: a keyset cursor when one is known, else an offset. */
export type PagePosition = { cursor: string } | { offset: number };

/** The query of GET /datastore/:id/records for this state. */
export function recordsQuery(
  state: TableState,
  fields: DatastoreField[],
  position: PagePosition = { offset: (state.page - 1) * state.pageSize },
): QueryParams {
  const query: QueryParams = {
    limit: state.pageSize,
    total: state.exactTotal ? 'exact' : 'estimated',
  };
  if ('cursor' in position) query.cursor = position.cursor;
  else query.offset = position.offset;
  if (state.q !== '') query.q = state.q;
  const filters = filtersJson(state.filters, fields);
  if (filters !== undefined) query.filters = filters;
  if (state.sort) query.sort = `${state.sort.field} ${state.sort.direction}`;
  return query;
}

/** Identifies the row order and selection: cursors from one stay valid only within it. */
export function orderKey(state: TableState): string {
  return JSON.stringify([state.q, state.filters, state.sort ?? null, state.pageSize]);
}
