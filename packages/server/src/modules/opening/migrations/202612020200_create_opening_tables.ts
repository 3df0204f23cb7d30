import { type Kysely, sql } from 'kysely';

/** Annual opening plans (Art. 18) and their items, working and last approved. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE opening_plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES identity_organizations (id),
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      state text NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved')),
      comment text,
      created_by text NOT NULL,
      reviewed_by text,
      submitted_at timestamptz,
      approved_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT opening_plans_one_per_year UNIQUE (organization_id, year)
    )`.execute(db);
  await sql`CREATE INDEX opening_plans_year ON opening_plans (year, state)`.execute(db);
  await sql`
    CREATE TABLE opening_plan_items (
      plan_id uuid NOT NULL REFERENCES opening_plans (id) ON DELETE CASCADE,
      list text NOT NULL CHECK (list IN ('working', 'approved')),
      position integer NOT NULL,
      entry_code text NOT NULL,
      open_type text NOT NULL CHECK (open_type IN ('unconditional', 'conditional')),
      condition text,
      planned_date date NOT NULL,
      PRIMARY KEY (plan_id, list, entry_code)
    )`.execute(db);
}
