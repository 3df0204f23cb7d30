import { describe, expect, it } from 'vitest';
import { queryString } from '../src/features/catalog/catalog-api.ts';
import type { DatastoreField } from '../src/features/datastore/datastore-types.ts';
import {
  emptyTableState,
  filterableFields,
  filterKind,
  filtersJson,
  filterValue,
  orderKey,
  recordsQuery,
  withFilter,
  withoutFilter,
  withPage,
  withQuery,
  withSort,
} from '../src/features/datastore/records-query.ts';

const FIELDS: DatastoreField[] = [
  { name: 'district', type: 'string' },
  { name: 'pm25', type: 'number' },
  { name: 'stations', type: 'integer' },
  { name: 'day', type: 'date' },
  { name: 'open', type: 'boolean' },
  { name: 'shape', type: 'geojson' },
];

describe('datastore table filters', () => {
  it('picks a filter per column type, none for structured values', () => {
    expect(filterKind('string')).toBe('eq');
    expect(filterKind('number')).toBe('range');
    expect(filterKind('date')).toBe('range');
    expect(filterKind('boolean')).toBe('boolean');
    expect(filterKind('geojson')).toBeUndefined();
    expect(filterableFields(FIELDS).map((f) => f.name)).toEqual([
      'district',
      'pm25',
      'stations',
      'day',
      'open',
    ]);
  });

  it('types values as the column does', () => {
    expect(filterValue('integer', ' 42 ')).toBe(42);
    expect(filterValue('number', '3.5')).toBe(3.5);
    expect(filterValue('number', 'abc')).toBe('abc');
    expect(filterValue('boolean', 'true')).toBe(true);
    expect(filterValue('boolean', 'false')).toBe(false);
    expect(filterValue('string', '007')).toBe('007');
    expect(filterValue('date', '2024-01-31')).toBe('2024-01-31');
  });

  it('writes equality, one-of and range filters as JSON', () => {
    const json = filtersJson(
      [
        { field: 'district', op: 'eq', value: '朝阳' },
        { field: 'stations', op: 'in', values: ['1', '2'] },
        { field: 'pm25', op: 'range', gte: '10', lte: '' },
        { field: 'day', op: 'range', gte: '2024-01-01', lte: '2024-01-31' },
        { field: 'open', op: 'eq', value: 'true' },
      ],
      FIELDS,
    );
    expect(JSON.parse(json ?? '')).toEqual({
      district: '朝阳',
      stations: [1, 2],
      pm25: { gte: 10 },
      day: { gte: '2024-01-01', lte: '2024-01-31' },
      open: true,
    });
    expect(filtersJson([{ field: 'pm25', op: 'range', gte: ' ' }], FIELDS)).toBeUndefined();
    expect(filtersJson([], FIELDS)).toBeUndefined();
  });

  it('replaces a column filter, drops empty ones, and goes back to page 1', () => {
    let state = { ...emptyTableState(), page: 5 };
    state = withFilter(state, { field: 'district', op: 'eq', value: 'A' });
    expect(state.page).toBe(1);
    state = withFilter({ ...state, page: 3 }, { field: 'district', op: 'eq', value: 'B' });
    expect(state.filters).toEqual([{ field: 'district', op: 'eq', value: 'B' }]);
    expect(state.page).toBe(1);
    expect(withFilter(state, { field: 'district', op: 'eq', value: '' }).filters).toEqual([]);
    expect(withoutFilter(state, 'district').filters).toEqual([]);
    expect(withQuery({ ...state, page: 2 }, '  word ').q).toBe('word');
    expect(withSort({ ...state, page: 2 }, { field: 'pm25', direction: 'desc' }).page).toBe(1);
  });

  it('keeps the first row in view when the page size changes', () => {
    const state = { ...emptyTableState(20), page: 4 };
    expect(withPage(state, 7).page).toBe(7);
    expect(withPage(state, 4, 50)).toMatchObject({ page: 2, pageSize: 50 });
    expect(withPage(state, 0).page).toBe(1);
  });
});

describe('datastore records query', () => {
  it('asks for a page by offset with search, filters and sort', () => {
    const state = withSort(
      withFilter(withQuery(emptyTableState(50), '公园'), { field: 'pm25', op: 'range', lte: '35' }),
      { field: 'day', direction: 'desc' },
    );
    const query = recordsQuery({ ...state, page: 3 }, FIELDS);
    expect(query).toEqual({
      limit: 50,
      total: 'estimated',
      offset: 100,
      q: '公园',
      filters: '{"pm25":{"lte":35}}',
      sort: 'day desc',
    });
    expect(queryString(query)).toBe(
      '?limit=50&total=estimated&offset=100&q=%E5%85%AC%E5%9B%AD&filters=%7B%22pm25%22%3A%7B%22lte%22%3A35%7D%7D&sort=day+desc',
    );
  });

  it('uses a cursor instead of an offset when given one, and an exact count on request', () => {
    const query = recordsQuery({ ...emptyTableState(), page: 2, exactTotal: true }, FIELDS, {
      cursor: 'abc',
    });
    expect(query).toEqual({ limit: 20, total: 'exact', cursor: 'abc' });
  });

  it('changes its order key with anything that changes the rows, not with the page', () => {
    const state = emptyTableState();
    expect(orderKey({ ...state, page: 9 })).toBe(orderKey(state));
    expect(orderKey(withQuery(state, 'x'))).not.toBe(orderKey(state));
    expect(orderKey(withSort(state, { field: 'a', direction: 'asc' }))).not.toBe(orderKey(state));
  });
});
