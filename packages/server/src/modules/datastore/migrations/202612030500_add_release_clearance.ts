import { type Kysely, sql } from 'kysely';

/**
 * A table derived from personal information by de-identification is served beyond its provider only as far
 * as its re-identification risk assessment allows (Art. 46): `release_clearance` holds the strictest use
 * scenario it passed, `none`, or NULL for a table that is not such a derivation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE datastore_resources ADD COLUMN release_clearance text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE datastore_resources DROP COLUMN release_clearance`.execute(db);
}
