import { type Kysely, sql } from 'kysely';

/** Grading by GB/T 43697-2024 (matrix, gradings and their versions) and each organisation's officers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE security_grading_matrices (
      version integer PRIMARY KEY,
      matrix jsonb NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE security_gradings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      entry_code text NOT NULL UNIQUE,
      organization_id uuid NOT NULL REFERENCES identity_organizations (id),
      state text NOT NULL CHECK (state IN ('draft', 'proposed', 'confirmed', 'returned')),
      version integer NOT NULL,
      fields jsonb NOT NULL,
      dataset jsonb,
      level text NOT NULL,
      proposals jsonb NOT NULL DEFAULT '[]',
      comment text,
      confirmed_version integer,
      confirmed_level text,
      confirmed_by text,
      confirmed_by_name text,
      confirmed_at timestamptz,
      updated_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX security_gradings_organization ON security_gradings (organization_id, state)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_grading_versions (
      grading_id uuid NOT NULL REFERENCES security_gradings (id) ON DELETE CASCADE,
      version integer NOT NULL,
      state text NOT NULL,
      fields jsonb NOT NULL,
      dataset jsonb,
      level text NOT NULL,
      proposals jsonb NOT NULL DEFAULT '[]',
      comment text,
      actor text NOT NULL,
      ledger_index bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (grading_id, version)
    )`.execute(db);
  await sql`
    CREATE TABLE security_officers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES identity_organizations (id),
      role text NOT NULL CHECK (role IN ('chief-data-officer', 'security-officer')),
      user_id uuid NOT NULL REFERENCES identity_users (id),
      name text NOT NULL,
      email text,
      phone text,
      appointed_by text NOT NULL,
      appointed_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz
    )`.execute(db);
  // One current holder per organisation and role; ended rows are the history.
  await sql`
    CREATE UNIQUE INDEX security_officers_current ON security_officers (organization_id, role)
      WHERE ended_at IS NULL`.execute(db);
}
