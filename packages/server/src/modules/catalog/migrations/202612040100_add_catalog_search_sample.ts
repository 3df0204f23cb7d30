import { type Kysely, sql } from 'kysely';

/**
 * What bounds search on large result sets (ADR 0009):
 * - every listed entry falls in one of 256 sample buckets, from the last byte of its (random) id. Tier j
 *   holds the buckets below 2^j, so tier 0 is 1/256 of the catalog and tier 7 half of it. An entry carries
 *   the lexeme `qb<j>` in `search` and the term `s:<j>` in `facet_terms` for each tier it is in, so that one
 *   GIN lookup restricts a query to a tier (`qb` followed by one digit is not a lexeme `encodeTerm` can
 *   make, and `s:` is no facet's prefix);
 * - `rank_vector` holds the title and keyword terms (weights A and B) of `search`: small enough to stay in
 *   the row, so ranking does not read the whole document vector out of line.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION catalog_sample_bucket(id uuid) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT get_byte(uuid_send(id), 15) $$`.execute(db);
  await sql`
    CREATE FUNCTION catalog_sample_lexemes(id uuid) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT array_to_tsvector(ARRAY(
        SELECT 'qb' || j FROM generate_series(0, 7) AS j WHERE catalog_sample_bucket(id) < (1 << j)))
    $$`.execute(db);
  await sql`
    CREATE FUNCTION catalog_sample_terms(id uuid) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT ARRAY(SELECT 's:' || j FROM generate_series(0, 7) AS j WHERE catalog_sample_bucket(id) < (1 << j))
    $$`.execute(db);
  // The counts of the whole catalog (browsing) leave the sample terms out.
  await sql`
    CREATE OR REPLACE FUNCTION catalog_facet_counts_add(terms text[], klass smallint, org uuid, delta integer) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO catalog_facet_counts (term, open_class, organization_id, n)
      SELECT DISTINCT t, klass, org, delta FROM unnest(terms) AS t WHERE NOT starts_with(t, 's:')
      ON CONFLICT (term, open_class, organization_id) DO UPDATE SET n = catalog_facet_counts.n + EXCLUDED.n
    $$`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION catalog_facet_counts_rebuild() RETURNS void LANGUAGE sql AS $$
      DELETE FROM catalog_facet_counts;
      INSERT INTO catalog_facet_counts (term, open_class, organization_id, n)
      SELECT t, catalog_open_class(e.open_type, e.share_type), e.organization_id, count(*)
      FROM catalog_entries e, unnest(e.facet_terms) AS t
      WHERE e.listed AND NOT starts_with(t, 's:')
      GROUP BY 1, 2, 3;
    $$`.execute(db);
  await sql`
    UPDATE catalog_entries SET
      search = search || catalog_sample_lexemes(id),
      facet_terms = facet_terms || catalog_sample_terms(id)
    WHERE search IS NOT NULL`.execute(db);
  await sql`
    ALTER TABLE catalog_entries
    ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (ts_filter(search, '{a,b}')) STORED`.execute(db);
}
