import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE identity_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      username text NOT NULL,
      display_name text NOT NULL,
      email text,
      password_hash text,
      oidc_subject text UNIQUE,
      platform_roles text[] NOT NULL DEFAULT '{}',
      disabled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX identity_users_username ON identity_users (lower(username))`.execute(db);
  await sql`
    CREATE TABLE identity_organizations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      name_en text,
      kind text NOT NULL CHECK (kind IN ('institution', 'company', 'other')),
      credit_code text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE identity_memberships (
      organization_id uuid NOT NULL REFERENCES identity_organizations (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES identity_users (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('admin', 'editor', 'member')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_id, user_id)
    )`.execute(db);
  await sql`CREATE INDEX identity_memberships_user ON identity_memberships (user_id)`.execute(db);
  // Session ids and API tokens are stored only as SHA-256 hashes: a database leak does not leak them.
  await sql`
    CREATE TABLE identity_sessions (
      id_hash bytea PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES identity_users (id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE identity_api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES identity_users (id) ON DELETE CASCADE,
      name text NOT NULL,
      prefix text NOT NULL,
      token_hash bytea NOT NULL UNIQUE,
      scopes text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX identity_api_tokens_user ON identity_api_tokens (user_id)`.execute(db);
  // Failed sign-ins, kept in the database so that throttling holds across every API process.
  await sql`
    CREATE TABLE identity_login_failures (
      id bigserial PRIMARY KEY,
      username text NOT NULL,
      address text NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX identity_login_failures_recent ON identity_login_failures (lower(username), failed_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE identity_login_failures, identity_api_tokens, identity_sessions, identity_memberships,
    identity_organizations, identity_users`.execute(db);
}
