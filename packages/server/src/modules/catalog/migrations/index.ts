import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createCatalogTables from './202611300100_create_catalog_tables.ts';
import * as addCatalogReviewComment from './202611300200_add_catalog_review_comment.ts';
import * as createCatalogFacetCounts from './202611300300_create_catalog_facet_counts.ts';
import * as addCatalogSearchSample from './202612040100_add_catalog_search_sample.ts';
import * as addCatalogSearchTierIndexes from './202612050100_add_catalog_search_tier_indexes.ts';
import * as createCatalogSearchLexemes from './202612050200_create_catalog_search_lexemes.ts';
import * as addCatalogSearchBucketLexemes from './202612060100_add_catalog_search_bucket_lexemes.ts';
import * as addCatalogSearchUpperTierIndexes from './202612070100_add_catalog_search_upper_tier_indexes.ts';

export const catalogMigrations: MigrationSet = {
  '202611300100_create_catalog_tables': createCatalogTables,
  '202611300200_add_catalog_review_comment': addCatalogReviewComment,
  '202611300300_create_catalog_facet_counts': createCatalogFacetCounts,
  '202612040100_add_catalog_search_sample': addCatalogSearchSample,
  '202612050100_add_catalog_search_tier_indexes': addCatalogSearchTierIndexes,
  '202612050200_create_catalog_search_lexemes': createCatalogSearchLexemes,
  '202612060100_add_catalog_search_bucket_lexemes': addCatalogSearchBucketLexemes,
  '202612070100_add_catalog_search_upper_tier_indexes': addCatalogSearchUpperTierIndexes,
};
