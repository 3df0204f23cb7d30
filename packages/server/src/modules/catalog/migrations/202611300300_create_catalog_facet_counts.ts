import { type Kysely, sql } from 'kysely';

/**
 * Facet counts of the whole listed catalog, kept by triggers, so that browsing without a query (the
 * catalog's landing page) reads a few hundred rows instead of counting every entry. `open_class` is what
 * the visibility rule looks at: 0 open, 1 not open but shared between institutions, 2 neither.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE catalog_facet_counts (
      term text NOT NULL,
      open_class smallint NOT NULL,
      organization_id uuid NOT NULL,
      n integer NOT NULL,
      PRIMARY KEY (term, open_class, organization_id)
    )`.execute(db);
  await sql`
    CREATE FUNCTION catalog_open_class(open_type text, share_type text) RETURNS smallint
    LANGUAGE sql IMMUTABLE AS $$
      SELECT (CASE WHEN open_type <> 'not_open' THEN 0 WHEN share_type <> 'not_shared' THEN 1 ELSE 2 END)::smallint
    $$`.execute(db);
  await sql`
    CREATE FUNCTION catalog_facet_counts_add(terms text[], klass smallint, org uuid, delta integer) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO catalog_facet_counts (term, open_class, organization_id, n)
      SELECT DISTINCT t, klass, org, delta FROM unnest(terms) AS t
      ON CONFLICT (term, open_class, organization_id) DO UPDATE SET n = catalog_facet_counts.n + EXCLUDED.n
    $$`.execute(db);
  await sql`
    CREATE FUNCTION catalog_facet_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.listed THEN
        PERFORM catalog_facet_counts_add(OLD.facet_terms, catalog_open_class(OLD.open_type, OLD.share_type), OLD.organization_id, -1);
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.listed THEN
        PERFORM catalog_facet_counts_add(NEW.facet_terms, catalog_open_class(NEW.open_type, NEW.share_type), NEW.organization_id, 1);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER catalog_facet_counts_rows AFTER INSERT OR DELETE ON catalog_entries
    FOR EACH ROW EXECUTE FUNCTION catalog_facet_counts_track()`.execute(db);
  // Most updates (a draft saved, a usage counted) touch none of what the counts read: they skip the work.
  await sql`
    CREATE TRIGGER catalog_facet_counts_changes AFTER UPDATE ON catalog_entries
    FOR EACH ROW WHEN (
      OLD.listed IS DISTINCT FROM NEW.listed OR OLD.facet_terms IS DISTINCT FROM NEW.facet_terms
      OR OLD.open_type IS DISTINCT FROM NEW.open_type OR OLD.share_type IS DISTINCT FROM NEW.share_type
      OR OLD.organization_id IS DISTINCT FROM NEW.organization_id
    ) EXECUTE FUNCTION catalog_facet_counts_track()`.execute(db);
  await sql`
    CREATE FUNCTION catalog_facet_counts_rebuild() RETURNS void LANGUAGE sql AS $$
      DELETE FROM catalog_facet_counts;
      INSERT INTO catalog_facet_counts (term, open_class, organization_id, n)
      SELECT t, catalog_open_class(e.open_type, e.share_type), e.organization_id, count(*)
      FROM catalog_entries e, unnest(e.facet_terms) AS t
      WHERE e.listed
      GROUP BY 1, 2, 3;
    $$`.execute(db);
  await sql`SELECT catalog_facet_counts_rebuild()`.execute(db);
}
