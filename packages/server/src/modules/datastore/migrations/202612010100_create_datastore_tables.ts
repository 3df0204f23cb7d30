import { type Kysely, sql } from 'kysely';

/**
 * The datastore's bookkeeping. The data itself lives in one table per loaded version in the `datastore`
 * schema (created by the loader), and the `datastore_api` schema holds one view per resource pointing at
 * its live version, which is what the SQL endpoint reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS datastore`.execute(db);
  await sql`CREATE SCHEMA IF NOT EXISTS datastore_api`.execute(db);
  await sql`
    CREATE TABLE datastore_resources (
      id text PRIMARY KEY,
      entry_code text NOT NULL,
      organization_id text NOT NULL,
      name text NOT NULL,
      description text,
      live_version integer,
      next_version integer NOT NULL DEFAULT 1,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX datastore_resources_entry ON datastore_resources (entry_code)`.execute(db);
  await sql`
    CREATE TABLE datastore_versions (
      resource_id text NOT NULL REFERENCES datastore_resources (id) ON DELETE CASCADE,
      version integer NOT NULL,
      state text NOT NULL,
      table_name text NOT NULL,
      upload_id text,
      filename text,
      options jsonb NOT NULL DEFAULT '{}',
      schema jsonb,
      columns jsonb,
      report jsonb,
      rows bigint,
      bytes bigint,
      sha256 text,
      format text,
      encoding text,
      job_id text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      live_at timestamptz,
      finished_at timestamptz,
      PRIMARY KEY (resource_id, version)
    )`.execute(db);
  await sql`
    CREATE TABLE datastore_uploads (
      id text PRIMARY KEY,
      filename text NOT NULL,
      bytes bigint NOT NULL,
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE datastore_intakes (
      resource_id text PRIMARY KEY REFERENCES datastore_resources (id) ON DELETE CASCADE,
      url text NOT NULL,
      format text,
      interval_minutes integer NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      last_run_at timestamptz,
      last_status text,
      last_error text,
      failures integer NOT NULL DEFAULT 0,
      last_sha256 text,
      next_run_at timestamptz NOT NULL DEFAULT now(),
      created_by text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}
