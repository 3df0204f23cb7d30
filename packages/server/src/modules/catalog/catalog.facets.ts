/**
 * Facets are stored as prefixed terms in one text[] column (`t:transport`, `f:CSV`), so one GIN index
 * serves every filter and one pass over the matches counts every facet.
 */
export const FACET_PREFIX = {
  organization: 'o:',
  theme: 't:',
  format: 'f:',
  openType: 'ot:',
  shareType: 'st:',
  grade: 'g:',
  updateCycle: 'u:',
  license: 'l:',
  keyword: 'k:',
  classification: 'c:',
} as const;

export type FacetName = keyof typeof FACET_PREFIX;
