import { Button, Checkbox } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FACET_NAMES, type FacetName, type FacetValue } from './catalog-types.ts';
import { useLabels } from './use-catalog-data.ts';

/** The code list that labels each facet's values; institutions and keywords are labelled otherwise. */
export const FACET_CODE_LISTS: Partial<Record<FacetName, string>> = {
  theme: 'themes',
  format: 'formats',
  openType: 'openTypes',
  shareType: 'shareTypes',
  grade: 'grades',
  updateCycle: 'updateCycles',
  license: 'licenses',
};

/** Values shown before "show more". */
const SHOWN = 6;

/** Readable label (and its language) of one facet value. */
export function useFacetLabel() {
  const { code, institution } = useLabels();
  return (facet: FacetName, value: string): { text: string; lang?: string } => {
    if (facet === 'organization') return institution(value);
    const list = FACET_CODE_LISTS[facet];
    return list === undefined ? { text: value } : { text: code(list, value) };
  };
}

interface FacetGroupProps {
  facet: FacetName;
  values: FacetValue[];
  selected: string[];
  onToggle: (facet: FacetName, value: string) => void;
}

function FacetGroup({ facet, values, selected, onToggle }: FacetGroupProps) {
  const { t } = useTranslation();
  const label = useFacetLabel();
  const listId = useId();
  const [expanded, setExpanded] = useState(false);
  // Chosen values stay listed (to be unticked) even when the narrowed results no longer count them.
  const all: FacetValue[] = [
    ...values,
    ...selected.filter((s) => !values.some((v) => v.value === s)).map((value) => ({ value, count: 0 })),
  ];
  if (all.length === 0) return null;
  const visible = expanded ? all : all.filter((v, i) => i < SHOWN || selected.includes(v.value));
  const hidden = all.length - visible.length;
  return (
    <fieldset className="dp-facet" data-testid={`facet-${facet}`}>
      <legend>{t(`catalog.facets.${facet}`)}</legend>
      <ul id={listId}>
        {visible.map((v) => {
          const shown = label(facet, v.value);
          return (
            <li key={v.value}>
              <Checkbox checked={selected.includes(v.value)} onChange={() => onToggle(facet, v.value)}>
                <span lang={shown.lang}>{shown.text}</span>
                <span className="dp-facet-count">({v.count})</span>
              </Checkbox>
            </li>
          );
        })}
      </ul>
      {all.length > SHOWN ? (
        <Button
          type="link"
          size="small"
          style={{ paddingLeft: 0 }}
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded
            ? t('catalog.search.showFewer')
            : t('catalog.search.showMore', { count: hidden, facet: t(`catalog.facets.${facet}`) })}
        </Button>
      ) : null}
    </fieldset>
  );
}

interface SearchFacetsProps {
  facets: Partial<Record<string, FacetValue[]>> | undefined;
  selected: Record<FacetName, string[]>;
  onToggle: (facet: FacetName, value: string) => void;
}

/** The filter sidebar: one group of checkboxes per facet, several values of one facet combine with "or". */
export function SearchFacets({ facets, selected, onToggle }: SearchFacetsProps) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <aside className="dp-facets" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('catalog.search.filters')}</h2>
      {FACET_NAMES.map((facet) => (
        <FacetGroup
          key={facet}
          facet={facet}
          values={facets?.[facet] ?? []}
          selected={selected[facet]}
          onToggle={onToggle}
        />
      ))}
    </aside>
  );
}
