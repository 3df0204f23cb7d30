import { type Kysely, sql } from 'kysely';

/**
 * Tiers 5 to 7 get search and facet indexes of their own too, as tiers 0 to 4 have (ADR 0009). The first
 * slice of a query of a few thousand to a few tens of thousands of matches is one of these tiers (a slice of
 * 1,500 at 12 to 90 matches a bucket), and through the whole-catalog GIN index its lookup intersects the
 * word's posting list with the tier lexeme's, which holds an eighth to a half of the catalog: 9 ms for "bus
 * station" in tier 7 at a million entries, against 4 ms in an index of the tier alone, where the tier
 * lexeme is left out of the query (every entry of the index holds it).
 * Together they hold 0.875 of the catalog: the search indexes grow by about that much.
 *
 * Without the tier lexeme in the query, the planner only knows the tier from `catalog_sample_bucket(id) < 2^t`,
 * and without statistics on that expression it takes a third of the rows for it: a word in two thirds of
 * the catalog then looked like 200,000 matches in the first bucket, and it read the whole table (7 s at a
 * million entries). Statistics on the bucket give it 1/256 per bucket.
 */
const TIERS = [5, 6, 7];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE STATISTICS catalog_entries_bucket ON (catalog_sample_bucket(id)) FROM catalog_entries`.execute(
    db,
  );
  for (const tier of TIERS) {
    const within = sql`listed AND catalog_sample_bucket(id) < ${sql.lit(2 ** tier)}`;
    await sql`
      CREATE INDEX ${sql.id(`catalog_entries_search_tier${tier}`)} ON catalog_entries USING gin (search)
      WHERE ${within}`.execute(db);
    await sql`
      CREATE INDEX ${sql.id(`catalog_entries_facets_tier${tier}`)} ON catalog_entries USING gin (facet_terms)
      WHERE ${within}`.execute(db);
  }
  await sql`ANALYZE catalog_entries`.execute(db);
}
