import { describe, expect, it } from 'vitest';
import { queryString } from '../src/features/catalog/catalog-api.ts';
import {
  activeFilters,
  apiQuery,
  clearFilters,
  effectiveSort,
  emptySearchState,
  parseSearchState,
  searchParamsOf,
  toggleFilter,
  withQuery,
  withSort,
} from '../src/features/catalog/search-state.ts';

describe('catalog search state in the address', () => {
  it('reads words, several values per facet, sort and page', () => {
    const state = parseSearchState(
      new URLSearchParams('q=%E5%85%AC%E4%BA%A4&theme=transport&format=CSV&format=JSON&sort=name&page=3'),
    );
    expect(state.q).toBe('公交');
    expect(state.filters.theme).toEqual(['transport']);
    expect(state.filters.format).toEqual(['CSV', 'JSON']);
    expect(state.filters.organization).toEqual([]);
    expect(state.sort).toBe('name');
    expect(state.page).toBe(3);
  });

  it('ignores what it does not understand', () => {
    const state = parseSearchState(
      new URLSearchParams('sort=random&page=-2&page=x&colour=red&theme=&theme=a&theme=a'),
    );
    expect(state.sort).toBeUndefined();
    expect(state.page).toBe(1);
    expect(state.filters.theme).toEqual(['a']);
  });

  it('writes a short address that reads back to the same search', () => {
    const state = toggleFilter(
      toggleFilter(withQuery(emptySearchState(), '  公交 线路 '), 'organization', 'bjjtw'),
      'grade',
      'general-1',
    );
    const params = searchParamsOf({ ...state, page: 2 });
    expect(params.toString()).toBe(
      'q=%E5%85%AC%E4%BA%A4+%E7%BA%BF%E8%B7%AF&organization=bjjtw&grade=general-1&page=2',
    );
    expect(parseSearchState(params)).toEqual({ ...state, page: 2 });
    expect(searchParamsOf(emptySearchState()).toString()).toBe('');
  });

  it('starts again at page 1 when words, filters or sort change', () => {
    const paged = { ...emptySearchState(), page: 4 };
    expect(toggleFilter(paged, 'theme', 'health').page).toBe(1);
    expect(withQuery(paged, 'x').page).toBe(1);
    expect(withSort(paged, 'newest').page).toBe(1);
    expect(clearFilters(paged).page).toBe(1);
  });

  it('toggles a value on and off and lists the active filters', () => {
    const on = toggleFilter(toggleFilter(emptySearchState(), 'format', 'CSV'), 'format', 'API');
    expect(activeFilters(on)).toEqual([
      { facet: 'format', value: 'CSV' },
      { facet: 'format', value: 'API' },
    ]);
    const off = toggleFilter(on, 'format', 'CSV');
    expect(off.filters.format).toEqual(['API']);
    expect(activeFilters(clearFilters(off))).toEqual([]);
  });

  it('knows the sort the server applies when none is chosen', () => {
    expect(effectiveSort(emptySearchState())).toBe('newest');
    expect(effectiveSort(withQuery(emptySearchState(), '公交'))).toBe('relevance');
    expect(effectiveSort(withSort(withQuery(emptySearchState(), '公交'), 'usage'))).toBe('usage');
  });

  it('becomes the query of the search route, lists as repeated parameters', () => {
    const state = {
      ...toggleFilter(toggleFilter(withQuery(emptySearchState(), '公交'), 'format', 'CSV'), 'format', 'API'),
      page: 3,
    };
    const query = apiQuery(state);
    expect(query).toEqual({ offset: 40, limit: 20, q: '公交', format: ['CSV', 'API'] });
    expect(queryString(query)).toBe('?offset=40&limit=20&q=%E5%85%AC%E4%BA%A4&format=CSV&format=API');
    expect(queryString({ a: undefined, b: '', c: null })).toBe('');
  });
});
