import { type Kysely, sql } from 'kysely';

/**
 * The search vocabulary: every lexeme of every listed entry's `search`, so that a query word taken as a
 * prefix (`bus` finds buses) can be spelt out as the few lexemes it stands for (ADR 0009). A prefix lookup
 * in the GIN index cannot skip through the posting lists and makes PostgreSQL check every candidate row
 * again; the lexemes themselves can. Lexemes are only added: one left behind by a retired entry matches
 * nothing a reader sees. Triggers keep it; `catalog_search_lexemes_rebuild()` recomputes it after a bulk
 * load with the triggers off.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // "C" order: a prefix is then a contiguous range of the primary key.
  await sql`CREATE TABLE catalog_search_lexemes (lexeme text COLLATE "C" PRIMARY KEY)`.execute(db);
  await sql`
    CREATE FUNCTION catalog_search_lexemes_track() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO catalog_search_lexemes (lexeme)
      SELECT unnest(tsvector_to_array(NEW.search)) ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER catalog_search_lexemes_rows AFTER INSERT ON catalog_entries
    FOR EACH ROW WHEN (NEW.search IS NOT NULL) EXECUTE FUNCTION catalog_search_lexemes_track()`.execute(db);
  // Only publication writes `search`; other updates (a draft saved, a usage counted) skip the work.
  await sql`
    CREATE TRIGGER catalog_search_lexemes_changes AFTER UPDATE OF search ON catalog_entries
    FOR EACH ROW WHEN (NEW.search IS NOT NULL AND NEW.search IS DISTINCT FROM OLD.search)
    EXECUTE FUNCTION catalog_search_lexemes_track()`.execute(db);
  await sql`
    CREATE FUNCTION catalog_search_lexemes_rebuild() RETURNS void LANGUAGE sql AS $$
      DELETE FROM catalog_search_lexemes;
      INSERT INTO catalog_search_lexemes (lexeme)
      SELECT DISTINCT unnest(tsvector_to_array(e.search)) FROM catalog_entries e WHERE e.listed;
    $$`.execute(db);
  await sql`SELECT catalog_search_lexemes_rebuild()`.execute(db);
}
