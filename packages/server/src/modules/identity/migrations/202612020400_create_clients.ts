import { type Kysely, sql } from 'kysely';

/**
 * Business systems of public institutions (OAuth 2.0 client credentials) and the access tokens they are
 * issued. Secrets and tokens are stored only as SHA-256 hashes, as personal API tokens are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE identity_clients (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES identity_organizations (id) ON DELETE CASCADE,
      name text NOT NULL,
      client_id text NOT NULL UNIQUE,
      secret_hash bytea NOT NULL,
      created_by uuid REFERENCES identity_users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    )`.execute(db);
  // One active system of a name per institution; a revoked one frees its name.
  await sql`
    CREATE UNIQUE INDEX identity_clients_name ON identity_clients (organization_id, lower(name))
      WHERE revoked_at IS NULL`.execute(db);
  // client_id here is the client row's id (identity_clients.id), not its public client_id.
  await sql`
    CREATE TABLE identity_client_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      token_hash bytea NOT NULL UNIQUE,
      client_id uuid NOT NULL REFERENCES identity_clients (id) ON DELETE CASCADE,
      scopes text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      last_refused_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX identity_client_tokens_client ON identity_client_tokens (client_id, expires_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE identity_client_tokens, identity_clients`.execute(db);
}
