import { type Kysely, sql } from 'kysely';

/** The reviewer's comment gets its own column, so that it no longer replaces the institution's note. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE catalog_submissions ADD COLUMN review_comment text`.execute(db);
}
