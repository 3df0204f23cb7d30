import type { QueryParams } from './catalog-api.ts';
import { FACET_NAMES, type FacetName } from './catalog-types.ts';

export const SORTS = ['relevance', 'newest', 'name', 'usage'] as const;
export type Sort = (typeof SORTS)[number];

export const PAGE_SIZE = 20;
/** The server takes at most 20 values per facet. */
const MAX_VALUES = 20;

/** Everything a catalog search is made of; it lives in the URL so results can be linked and revisited. */
export interface SearchState {
  q: string;
  filters: Record<FacetName, string[]>;
  /** Unset means the server's default: relevance with a query, newest without. */
  sort: Sort | undefined;
  /** 1-based. */
  page: number;
}

function emptyFilters(): Record<FacetName, string[]> {
  return Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as unknown as Record<FacetName, string[]>;
}

export function emptySearchState(): SearchState {
  return { q: '', filters: emptyFilters(), sort: undefined, page: 1 };
}

function isSort(value: string | null): value is Sort {
  return value !== null && (SORTS as readonly string[]).includes(value);
}

/** Reads a search from the address bar; unknown or malformed parameters are ignored. */
export function parseSearchState(params: URLSearchParams): SearchState {
  const filters = emptyFilters();
  for (const facet of FACET_NAMES) {
    const values = params.getAll(facet).filter((v) => v.trim() !== '');
    filters[facet] = [...new Set(values)].slice(0, MAX_VALUES);
  }
  const sort = params.get('sort');
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    q: (params.get('q') ?? '').trim(),
    filters,
    sort: isSort(sort) ? sort : undefined,
    page: Number.isFinite(page) && page >= 1 ? page : 1,
  };
}

/** The address-bar form of a search, without defaults so links stay short. */
export function searchParamsOf(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q.trim() !== '') params.set('q', state.q.trim());
  for (const facet of FACET_NAMES) for (const value of state.filters[facet]) params.append(facet, value);
  if (state.sort !== undefined) params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params;
}

/** Adds or removes one facet value; any change of the filters starts again at page 1. */
export function toggleFilter(state: SearchState, facet: FacetName, value: string): SearchState {
  const current = state.filters[facet];
  const next = current.includes(value)
    ? current.filter((v) => v !== value)
    : [...current, value].slice(0, MAX_VALUES);
  return { ...state, filters: { ...state.filters, [facet]: next }, page: 1 };
}

export function clearFilters(state: SearchState): SearchState {
  return { ...state, filters: emptyFilters(), page: 1 };
}

export function withQuery(state: SearchState, q: string): SearchState {
  return { ...state, q: q.trim(), page: 1 };
}

export function withSort(state: SearchState, sort: Sort | undefined): SearchState {
  return { ...state, sort, page: 1 };
}

export function activeFilters(state: SearchState): { facet: FacetName; value: string }[] {
  return FACET_NAMES.flatMap((facet) => state.filters[facet].map((value) => ({ facet, value })));
}

/** The sort the server applies when none is chosen. */
export function effectiveSort(state: SearchState): Sort {
  return state.sort ?? (state.q === '' ? 'newest' : 'relevance');
}

/** The query of GET /api/v1/catalog/entries for this search. */
export function apiQuery(state: SearchState, pageSize = PAGE_SIZE): QueryParams {
  const query: QueryParams = { offset: (state.page - 1) * pageSize, limit: pageSize };
  if (state.q !== '') query.q = state.q;
  if (state.sort !== undefined) query.sort = state.sort;
  for (const facet of FACET_NAMES) if (state.filters[facet].length > 0) query[facet] = state.filters[facet];
  return query;
}
