import { type Kysely, sql } from 'kysely';

/**
 * The first sample tiers get indexes of their own (ADR 0009). Every search with a text or a filter is first
 * counted in tier 0, and the samples and windows of the searches that match most of the catalog are the
 * first tiers. Through the whole-catalog GIN indexes each of these lookups intersects the long posting list
 * of a common word or facet value with the tier's, a few milliseconds at a million entries; an index over
 * the tier's entries alone holds a short list for every word and value. Tiers 0 to 4 together hold 31 of
 * the 256 buckets. A query restricted to tier t says `catalog_sample_bucket(id) < 2^t` in so many words,
 * which is what lets the planner use the index.
 */
const INDEXED_TIERS = 5;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (let tier = 0; tier < INDEXED_TIERS; tier++) {
    const within = sql`listed AND catalog_sample_bucket(id) < ${sql.lit(2 ** tier)}`;
    await sql`
      CREATE INDEX ${sql.id(`catalog_entries_search_tier${tier}`)} ON catalog_entries USING gin (search)
      WHERE ${within}`.execute(db);
    await sql`
      CREATE INDEX ${sql.id(`catalog_entries_facets_tier${tier}`)} ON catalog_entries USING gin (facet_terms)
      WHERE ${within}`.execute(db);
  }
}
