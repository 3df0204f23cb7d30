import { type Kysely, sql } from 'kysely';

/** Scans and de-identified derivations of data tables, and the platform's own keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE security_scans (
      id text PRIMARY KEY,
      resource_id text NOT NULL,
      entry_code text NOT NULL,
      organization_id text NOT NULL,
      version integer,
      sample integer,
      state text NOT NULL,
      job_id text,
      report jsonb,
      error text,
      requested_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX security_scans_resource ON security_scans (resource_id, created_at DESC)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_derivations (
      id text PRIMARY KEY,
      source_resource_id text NOT NULL,
      source_version integer,
      organization_id text NOT NULL,
      target_entry_code text NOT NULL,
      target_name text NOT NULL,
      plan jsonb NOT NULL,
      risk jsonb NOT NULL,
      state text NOT NULL,
      job_id text,
      target_resource_id text,
      target_version integer,
      rows bigint,
      records_suppressed bigint,
      report jsonb,
      scenarios jsonb,
      clearance text,
      lineage jsonb,
      error text,
      requested_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX security_derivations_source ON security_derivations (source_resource_id, created_at DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX security_derivations_target ON security_derivations (target_resource_id)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_keys (
      name text PRIMARY KEY,
      secret bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}
