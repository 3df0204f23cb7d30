import { type Kysely, sql } from 'kysely';

/**
 * The first sample tiers get search indexes of their own (ADR 0009). A search for a common word is
 * first counted in tier 0, and deep pages are ranked in tiers 1 to 3; through the whole-catalog index each
 * of these lookups intersects the word's long posting list with the tier's, a few milliseconds for a word
 * in most entries of a million. An index over the tier's entries alone holds a short list for every word.
 * Together they index 15 of the 256 buckets. A query restricted to tier t says `catalog_sample_bucket(id)
 * < 2^t` in so many words, which is what lets the planner use the index.
 */
const INDEXED_TIERS = 4;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (let tier = 0; tier < INDEXED_TIERS; tier++) {
    await sql`
      CREATE INDEX ${sql.id(`catalog_entries_search_tier${tier}`)} ON catalog_entries USING gin (search)
      WHERE listed AND catalog_sample_bucket(id) < ${sql.lit(2 ** tier)}`.execute(db);
  }
}
