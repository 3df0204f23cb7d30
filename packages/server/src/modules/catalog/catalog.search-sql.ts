import { type RawBuilder, sql } from 'kysely';
import { FACET_PREFIX, type FacetName } from './catalog.facets.ts';
import type { Condition } from './catalog.repository.ts';
import { tsQueryFor } from './catalog.search-text.ts';
import type { QueryNode } from './search/ckan-query.ts';

/** Any of the values of one facet (values of different facets are combined with AND by the caller). */
export function facetCondition(name: FacetName, values: string[]): Condition {
  const terms = values.map((v) => `${FACET_PREFIX[name]}${v}`);
  return sql<boolean>`e.facet_terms && ${terms}::text[]`;
}

/** Fields of a parsed query that are facets. */
const FIELD_FACETS: Partial<Record<string, FacetName>> = {
  keyword: 'keyword',
  format: 'format',
  organization: 'organization',
  theme: 'theme',
  license: 'license',
  openType: 'openType',
  shareType: 'shareType',
  grade: 'grade',
  updateCycle: 'updateCycle',
  classification: 'classification',
};

const TEXT_FIELDS = new Set(['title', 'summary']);

function textCondition(text: string): Condition {
  const query = tsQueryFor(text);
  // Nothing searchable (only punctuation): such a clause matches nothing rather than everything.
  if (query === undefined) return sql<boolean>`false`;
  return sql<boolean>`e.search @@ to_tsquery('simple', ${query})`;
}

function dateColumn(field: string): RawBuilder<unknown> | undefined {
  if (field === 'modified') return sql`e.updated_at`;
  if (field === 'created') return sql`e.published_at`;
  return undefined;
}

export class UnsupportedQueryError extends Error {}

/**
 * Turns a parsed CKAN query into one SQL condition over catalog_entries (alias `e`), plus the plain text
 * of its positive text clauses, for ranking (any of them counts).
 */
export function compileQuery(
  node: QueryNode,
  organizationId: (code: string) => string | undefined,
): { condition: Condition | undefined; texts: string[] } {
  const texts: string[] = [];

  function walk(n: QueryNode, positive: boolean): Condition {
    switch (n.kind) {
      case 'all':
        return sql<boolean>`true`;
      case 'text':
        if (positive) texts.push(n.text);
        return textCondition(n.text);
      case 'and':
        return n.children.length === 0
          ? sql<boolean>`true`
          : sql<boolean>`(${sql.join(
              n.children.map((c) => walk(c, positive)),
              sql` AND `,
            )})`;
      case 'or':
        return n.children.length === 0
          ? sql<boolean>`false`
          : sql<boolean>`(${sql.join(
              n.children.map((c) => walk(c, positive)),
              sql` OR `,
            )})`;
      case 'not':
        return sql<boolean>`NOT (${walk(n.child, !positive)})`;
      case 'exists': {
        const facet = FIELD_FACETS[n.field];
        if (facet !== undefined)
          return sql<boolean>`EXISTS (SELECT 1 FROM unnest(e.facet_terms) AS x WHERE starts_with(x, ${FACET_PREFIX[facet]}))`;
        return sql<boolean>`true`;
      }
      case 'range': {
        const column = dateColumn(n.field);
        if (column === undefined)
          throw new UnsupportedQueryError(`The field ${n.field} does not take a range.`);
        const parts: Condition[] = [];
        if (n.from !== undefined) parts.push(sql<boolean>`${column} >= ${n.from}::timestamptz`);
        if (n.to !== undefined) parts.push(sql<boolean>`${column} <= ${n.to}::timestamptz`);
        return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(parts, sql` AND `)})`;
      }
      case 'field': {
        const facet = FIELD_FACETS[n.field];
        if (facet !== undefined) {
          const value = facet === 'organization' ? (organizationId(n.value) ?? n.value) : n.value;
          return facetCondition(facet, [value]);
        }
        if (n.field === 'id') return sql<boolean>`(e.id::text = ${n.value} OR e.code = ${n.value})`;
        // CKAN's owner_org carries an organisation id; the parser maps it to organization like a code.
        if (n.field === 'name' || n.field === 'code') return sql<boolean>`e.code = ${n.value}`;
        if (TEXT_FIELDS.has(n.field)) {
          if (positive) texts.push(n.value);
          return textCondition(n.value);
        }
        throw new UnsupportedQueryError(`Unknown field ${n.field}.`);
      }
    }
  }

  if (node.kind === 'all') return { condition: undefined, texts: [] };
  const condition = walk(node, true);
  return { condition, texts };
}
