import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE usage_daily (
      day date NOT NULL,
      entry_code text NOT NULL,
      organization_id text NOT NULL,
      channel text NOT NULL,
      caller_kind text NOT NULL,
      caller_organization_id text NOT NULL DEFAULT '',
      count bigint NOT NULL,
      PRIMARY KEY (entry_code, day, channel, caller_kind, caller_organization_id)
    )`.execute(db);
  await sql`CREATE INDEX usage_daily_provider ON usage_daily (organization_id, day)`.execute(db);
  await sql`CREATE INDEX usage_daily_day ON usage_daily (day)`.execute(db);
}
