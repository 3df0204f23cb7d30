import { type Kysely, sql } from 'kysely';

/** Cross-border transfer requests (Art. 48), their impact assessments (PIPL Art. 55-56) and rules. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE security_transfers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES identity_organizations (id),
      entry_codes text[] NOT NULL,
      graded_important boolean NOT NULL,
      declared_important boolean NOT NULL,
      recipient text NOT NULL,
      country char(2) NOT NULL,
      purpose text NOT NULL,
      people_count integer NOT NULL CHECK (people_count >= 0),
      sensitive_people_count integer NOT NULL CHECK (sensitive_people_count >= 0),
      state text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected')),
      year integer,
      route text CHECK (route IN ('security-assessment', 'standard-contract-or-certification', 'exempt')),
      route_reasons jsonb,
      cumulative_people integer,
      cumulative_sensitive_people integer,
      decision_comment text,
      decision_reference text,
      decided_by text,
      decided_at timestamptz,
      submitted_at timestamptz,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX security_transfers_org_year ON security_transfers (organization_id, year, state)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_transfer_assessments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      transfer_id uuid NOT NULL REFERENCES security_transfers (id),
      text text NOT NULL,
      attachments jsonb NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      retain_until date NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX security_transfer_assessments_transfer ON security_transfer_assessments (transfer_id)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_transfer_rules (
      id integer PRIMARY KEY CHECK (id = 1),
      rules jsonb NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}
