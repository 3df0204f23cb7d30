import { type Kysely, sql } from 'kysely';

/**
 * Monitoring and early warning (Art. 46): counts drawn from the transparency log, copies of failed sign-ins,
 * the addresses API tokens are used from, the thresholds, the alerts and their notices.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE security_monitoring_counts (
      day date NOT NULL,
      kind text NOT NULL,
      subject text NOT NULL,
      object text NOT NULL,
      detail text NOT NULL DEFAULT '',
      organization_id text NOT NULL,
      count bigint NOT NULL CHECK (count >= 0),
      sample_entries bigint[] NOT NULL DEFAULT '{}',
      PRIMARY KEY (day, kind, subject, object, detail)
    )`.execute(db);
  // A user's (or a table's) history: the days before today, for its median.
  await sql`CREATE INDEX security_monitoring_counts_subject ON security_monitoring_counts (kind, subject, day)`.execute(
    db,
  );
  await sql`CREATE INDEX security_monitoring_counts_object ON security_monitoring_counts (kind, object, day)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_monitoring_sign_ins (
      id bigint PRIMARY KEY,
      username text NOT NULL,
      address text NOT NULL,
      failed_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX security_monitoring_sign_ins_at ON security_monitoring_sign_ins (failed_at)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_monitoring_token_uses (
      minute timestamptz NOT NULL,
      token text NOT NULL,
      holder text NOT NULL,
      address text NOT NULL,
      count bigint NOT NULL CHECK (count > 0),
      PRIMARY KEY (minute, token, address)
    )`.execute(db);
  await sql`
    CREATE TABLE security_monitoring_cursors (
      source text PRIMARY KEY,
      position bigint NOT NULL
    )`.execute(db);
  await sql`INSERT INTO security_monitoring_cursors (source, position) VALUES ('ledger', -1), ('sign-ins', 0)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_monitoring_settings (
      key text PRIMARY KEY,
      settings jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text
    )`.execute(db);
  await sql`
    CREATE TABLE security_monitoring_alerts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      rule text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
      organization_id text,
      subject_type text NOT NULL,
      subject_id text NOT NULL,
      object_type text,
      object_id text,
      window_start timestamptz NOT NULL,
      window_end timestamptz NOT NULL,
      dedup_key text NOT NULL UNIQUE,
      evidence jsonb NOT NULL,
      state text NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed', 'escalated')),
      incident_id text,
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      handled_by text
    )`.execute(db);
  await sql`CREATE INDEX security_monitoring_alerts_list ON security_monitoring_alerts (created_at DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX security_monitoring_alerts_org ON security_monitoring_alerts (organization_id, state)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_monitoring_notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      alert_id uuid NOT NULL REFERENCES security_monitoring_alerts (id) ON DELETE CASCADE,
      user_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX security_monitoring_notifications_user ON security_monitoring_notifications (user_id, created_at DESC)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE security_monitoring_notifications, security_monitoring_alerts, security_monitoring_settings,
      security_monitoring_cursors, security_monitoring_token_uses, security_monitoring_sign_ins,
      security_monitoring_counts`.execute(db);
}
