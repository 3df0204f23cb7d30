import { FACET_PREFIX } from './catalog.facets.ts';
import type { EntryMetadata } from './catalog.model.ts';
import type { IndexColumns, SearchText } from './catalog.repository.ts';
import { buildTsQuery, indexDocument, type WeightedText } from './search/text-analysis.ts';

function parts(weight: WeightedText['weight'], texts: (string | undefined)[]): WeightedText[] {
  return texts.filter((t): t is string => t !== undefined && t !== '').map((text) => ({ text, weight }));
}

/** The searchable text of an entry by weight: A names, B keywords and theme, C summaries, D information items. */
export function searchText(m: EntryMetadata): SearchText {
  return indexDocument([
    ...parts('A', [m.title.zh, m.title.en, m.title.fr, m.code]),
    ...parts('B', [...m.keywords, m.theme]),
    ...parts('C', [m.summary.zh, m.summary.en, m.summary.fr]),
    ...parts(
      'D',
      m.informationItems.flatMap((f) => [f.name, f.title?.zh, f.title?.en, f.title?.fr, f.description]),
    ),
  ]);
}

/** The tsquery for what a reader typed, or undefined when nothing in it is searchable. */
export function tsQueryFor(q: string): string | undefined {
  return buildTsQuery(q);
}

/** What search and facets read of a published entry (stored in columns beside the metadata). */
export function indexColumns(metadata: EntryMetadata): IndexColumns {
  const facetTerms = [
    `${FACET_PREFIX.organization}${metadata.organizationId}`,
    `${FACET_PREFIX.theme}${metadata.theme}`,
    `${FACET_PREFIX.openType}${metadata.openType}`,
    `${FACET_PREFIX.shareType}${metadata.shareType}`,
    `${FACET_PREFIX.grade}${metadata.grade}`,
    `${FACET_PREFIX.updateCycle}${metadata.updateCycle}`,
    `${FACET_PREFIX.classification}${metadata.classification}`,
    ...metadata.formats.map((f) => `${FACET_PREFIX.format}${f}`),
    ...metadata.keywords.map((k) => `${FACET_PREFIX.keyword}${k}`),
    ...(metadata.license === undefined ? [] : [`${FACET_PREFIX.license}${metadata.license}`]),
  ];
  return {
    titleSort: metadata.title.zh,
    openType: metadata.openType,
    shareType: metadata.shareType,
    grade: metadata.grade,
    facetTerms: [...new Set(facetTerms)],
    lastUpdate: metadata.lastUpdate ?? metadata.releaseDate ?? null,
    updateCycle: metadata.updateCycle,
    text: searchText(metadata),
  };
}
