import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE catalog_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      organization_id uuid NOT NULL REFERENCES identity_organizations (id),
      state text NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'published', 'retired')),
      version integer NOT NULL,
      published_version integer,
      working jsonb NOT NULL,
      published jsonb,
      source_uri text UNIQUE,
      listed boolean NOT NULL DEFAULT false,
      title_sort text,
      open_type text,
      share_type text,
      grade text,
      facet_terms text[] NOT NULL DEFAULT '{}',
      search tsvector,
      last_update date,
      update_cycle text,
      usage_count bigint NOT NULL DEFAULT 0,
      quality_score integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX catalog_entries_org ON catalog_entries (organization_id, state)`.execute(db);
  await sql`CREATE INDEX catalog_entries_search ON catalog_entries USING gin (search) WHERE listed`.execute(
    db,
  );
  await sql`CREATE INDEX catalog_entries_facets ON catalog_entries USING gin (facet_terms) WHERE listed`.execute(
    db,
  );
  await sql`CREATE INDEX catalog_entries_newest ON catalog_entries (published_at DESC, id) WHERE listed`.execute(
    db,
  );
  await sql`CREATE INDEX catalog_entries_name ON catalog_entries (title_sort, id) WHERE listed`.execute(db);
  await sql`CREATE INDEX catalog_entries_usage ON catalog_entries (usage_count DESC, id) WHERE listed`.execute(
    db,
  );
  await sql`
    CREATE TABLE catalog_entry_versions (
      entry_id uuid NOT NULL REFERENCES catalog_entries (id) ON DELETE CASCADE,
      version integer NOT NULL,
      metadata jsonb NOT NULL,
      content_hash text NOT NULL,
      ledger_index bigint NOT NULL,
      action text NOT NULL,
      actor text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      publish_ledger_index bigint,
      PRIMARY KEY (entry_id, version)
    )`.execute(db);
  await sql`
    CREATE TABLE catalog_submissions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES identity_organizations (id),
      state text NOT NULL CHECK (state IN ('pending', 'approved', 'returned')),
      entries jsonb NOT NULL,
      comment text,
      entry_comments jsonb NOT NULL DEFAULT '[]',
      submitted_by uuid NOT NULL,
      submitted_at timestamptz NOT NULL DEFAULT now(),
      reviewed_by uuid,
      reviewed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX catalog_submissions_state ON catalog_submissions (state, submitted_at)`.execute(db);
  await sql`
    CREATE TABLE catalog_objections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      entry_id uuid NOT NULL REFERENCES catalog_entries (id) ON DELETE CASCADE,
      organization_id uuid NOT NULL,
      reporter_id uuid NOT NULL,
      field text,
      message text NOT NULL,
      state text NOT NULL CHECK (state IN ('open', 'accepted', 'rejected')),
      response text,
      created_at timestamptz NOT NULL DEFAULT now(),
      answered_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX catalog_objections_entry ON catalog_objections (entry_id, created_at)`.execute(db);
  await sql`CREATE INDEX catalog_objections_org ON catalog_objections (organization_id, state)`.execute(db);
  await sql`
    CREATE TABLE catalog_profile_versions (
      version integer PRIMARY KEY,
      extension jsonb NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE catalog_code_sequences (
      prefix text PRIMARY KEY,
      last integer NOT NULL
    )`.execute(db);
  // The latest reachability check of each distribution URL (the link-check job writes it).
  await sql`
    CREATE TABLE catalog_link_checks (
      entry_id uuid NOT NULL REFERENCES catalog_entries (id) ON DELETE CASCADE,
      distribution_id text NOT NULL,
      url text NOT NULL,
      ok boolean NOT NULL,
      status integer,
      error text,
      checked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (entry_id, distribution_id)
    )`.execute(db);
}
