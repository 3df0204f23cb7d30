import { type Kysely, sql } from 'kysely';

/**
 * Applications for conditional access (Art. 17-18), their history, the grants they lead to, and the
 * in-app notifications. Users, organisations and entries are other modules' rows: referenced by id only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE access_applications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('open', 'share')),
      entry_id text NOT NULL,
      entry_code text NOT NULL,
      entry_title jsonb NOT NULL,
      provider_organization_id text NOT NULL,
      grade text NOT NULL,
      needs_centre boolean NOT NULL,
      applicant_user_id text NOT NULL,
      applicant_username text NOT NULL,
      applicant_kind text NOT NULL CHECK (applicant_kind IN ('individual', 'company', 'research', 'institution')),
      applicant_organization_id text,
      applicant_name text NOT NULL,
      applicant_credit_code text,
      purpose text NOT NULL,
      scenario text NOT NULL,
      fields text[] NOT NULL,
      operations text[] NOT NULL,
      period_start text NOT NULL CHECK (period_start ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      period_end text NOT NULL CHECK (period_end ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      security_measures text NOT NULL,
      terms_version text NOT NULL,
      terms_hash text NOT NULL,
      terms_accepted_at timestamptz NOT NULL,
      content_hash text NOT NULL,
      state text NOT NULL
        CHECK (state IN ('submitted', 'more_info', 'centre_review', 'approved', 'rejected', 'withdrawn')),
      review_deadline timestamptz NOT NULL,
      provider_approved_by text,
      grant_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX access_applications_applicant ON access_applications (applicant_user_id, created_at)`.execute(
    db,
  );
  // The provider's queue, earliest deadline first.
  await sql`CREATE INDEX access_applications_provider ON access_applications (provider_organization_id, review_deadline)`.execute(
    db,
  );
  await sql`CREATE INDEX access_applications_centre ON access_applications (review_deadline) WHERE state = 'centre_review'`.execute(
    db,
  );
  await sql`
    CREATE TABLE access_application_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES access_applications (id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor_user_id text NOT NULL,
      actor_username text NOT NULL,
      action text NOT NULL,
      comment text,
      details jsonb
    )`.execute(db);
  await sql`CREATE INDEX access_application_events_application ON access_application_events (application_id, at)`.execute(
    db,
  );
  await sql`
    CREATE TABLE access_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL UNIQUE REFERENCES access_applications (id),
      kind text NOT NULL CHECK (kind IN ('open', 'share')),
      entry_code text NOT NULL,
      entry_title jsonb NOT NULL,
      provider_organization_id text NOT NULL,
      grantee_user_id text NOT NULL,
      grantee_username text NOT NULL,
      grantee_organization_id text,
      fields text[] NOT NULL,
      operations text[] NOT NULL,
      valid_from timestamptz NOT NULL,
      valid_until timestamptz NOT NULL,
      state text NOT NULL CHECK (state IN ('active', 'expired', 'revoked')),
      revoked_at timestamptz,
      revoked_by text,
      revoked_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (valid_until > valid_from)
    )`.execute(db);
  // The access policy asks on every read: a user's own grants, and the shares of their institutions (in any
  // state, so that it can tell an expired or revoked grant from none).
  await sql`CREATE INDEX access_grants_user ON access_grants (grantee_user_id, entry_code)`.execute(db);
  await sql`CREATE INDEX access_grants_org ON access_grants (grantee_organization_id, entry_code) WHERE kind = 'share'`.execute(
    db,
  );
  await sql`CREATE INDEX access_grants_provider ON access_grants (provider_organization_id, created_at)`.execute(
    db,
  );
  await sql`CREATE INDEX access_grants_expiry ON access_grants (valid_until) WHERE state = 'active'`.execute(
    db,
  );
  await sql`
    CREATE TABLE access_notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id text NOT NULL,
      kind text NOT NULL,
      params jsonb NOT NULL,
      link text,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX access_notifications_user ON access_notifications (user_id, created_at)`.execute(db);
  await sql`CREATE INDEX access_notifications_unread ON access_notifications (user_id) WHERE read_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE access_notifications, access_grants, access_application_events, access_applications`.execute(
    db,
  );
}
