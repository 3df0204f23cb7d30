import { type Kysely, sql } from 'kysely';

/**
 * Buckets 1 to 15 get a lexeme each, `qa<b>`, beside the tier lexemes `qb<j>` (ADR 0009). A relevance window
 * within the first sixteen buckets can then hold just the buckets a page needs: a page that straddles
 * buckets 1 and 2 reads those two, where tiers would read buckets 1 to 3. Bucket 0 is tier 0 (`qb0`).
 * Like the tier lexemes, `qa` followed by one or two digits is not a lexeme `encodeTerm` can make (after a
 * `q` it writes another `q` or four base-36 digits).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION catalog_sample_lexemes(id uuid) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT array_to_tsvector(ARRAY(
        SELECT 'qb' || j FROM generate_series(0, 7) AS j WHERE catalog_sample_bucket(id) < (1 << j)
        UNION ALL
        SELECT 'qa' || catalog_sample_bucket(id) WHERE catalog_sample_bucket(id) BETWEEN 1 AND 15))
    $$`.execute(db);
  // The entries of those buckets already listed: one sixteenth of the catalog.
  await sql`
    UPDATE catalog_entries SET search = search || catalog_sample_lexemes(id)
    WHERE search IS NOT NULL AND catalog_sample_bucket(id) BETWEEN 1 AND 15`.execute(db);
}
