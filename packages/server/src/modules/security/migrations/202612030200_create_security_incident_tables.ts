import { type Kysely, sql } from 'kysely';

/** Data security incidents (Art. 48 para. 2; PIPL Art. 57): timeline, tasks, letters, rules. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE security_incidents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES identity_organizations (id),
      kind text NOT NULL
        CHECK (kind IN ('leak', 'tampering', 'loss', 'unavailability', 'exploited-vulnerability')),
      title text NOT NULL,
      description text NOT NULL,
      entry_codes text[] NOT NULL DEFAULT '{}',
      data_grade text,
      people_affected integer NOT NULL CHECK (people_affected >= 0),
      cii boolean NOT NULL,
      severity text NOT NULL CHECK (severity IN ('especially-major', 'major', 'relatively-major', 'general')),
      proposed_severity text NOT NULL
        CHECK (proposed_severity IN ('especially-major', 'major', 'relatively-major', 'general')),
      detected_at timestamptz NOT NULL,
      deadline_at timestamptz,
      deadline_rule text,
      state text NOT NULL CHECK (state IN ('open', 'contained', 'resolved', 'closed')),
      reported_at timestamptz,
      report_reference text,
      remediation text NOT NULL DEFAULT '',
      notice jsonb NOT NULL,
      from_alert_id text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX security_incidents_org ON security_incidents (organization_id, state)`.execute(db);
  // One incident per alert, however many people escalate it at once.
  await sql`
    CREATE UNIQUE INDEX security_incidents_from_alert ON security_incidents (from_alert_id)
      WHERE from_alert_id IS NOT NULL`.execute(db);
  await sql`
    CREATE TABLE security_incident_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      incident_id uuid NOT NULL REFERENCES security_incidents (id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      author text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('created', 'edited', 'state', 'note', 'task', 'reported', 'letter')),
      text text NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX security_incident_events_incident ON security_incident_events (incident_id, at)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_incident_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      incident_id uuid NOT NULL REFERENCES security_incidents (id) ON DELETE CASCADE,
      title text NOT NULL,
      assignee text,
      due_date date,
      done_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`.execute(db);
  await sql`CREATE INDEX security_incident_tasks_incident ON security_incident_tasks (incident_id)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_incident_letters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      incident_id uuid NOT NULL REFERENCES security_incidents (id) ON DELETE CASCADE,
      language text NOT NULL CHECK (language IN ('zh-CN', 'en', 'fr')),
      subject text NOT NULL,
      body text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`.execute(db);
  await sql`CREATE INDEX security_incident_letters_incident ON security_incident_letters (incident_id)`.execute(
    db,
  );
  await sql`
    CREATE TABLE security_incident_recipients (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      letter_id uuid NOT NULL REFERENCES security_incident_letters (id) ON DELETE CASCADE,
      email text NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
      message_id text,
      error text,
      sent_at timestamptz,
      UNIQUE (letter_id, email)
    )`.execute(db);
  await sql`
    CREATE TABLE security_incident_rules (
      id integer PRIMARY KEY CHECK (id = 1),
      rules jsonb NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}
