import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/database.ts';
import { ConflictError } from '../../kernel/errors.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface ClientRow {
  id: string;
  organization_id: string;
  name: string;
  client_id: string;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const CLIENT_COLUMNS = [
  'id',
  'organization_id',
  'name',
  'client_id',
  'created_by',
  'created_at',
  'revoked_at',
  'last_used_at',
] as const;

/** Tokens that expired this long ago are deleted when their client is issued a new one. */
const KEEP_EXPIRED_DAYS = 7;

export const clientRepository = {
  async insertClient(
    trx: Transaction<Database>,
    row: {
      organization_id: string;
      name: string;
      client_id: string;
      secret_hash: Uint8Array;
      created_by: string | null;
    },
  ): Promise<ClientRow> {
    try {
      return await trx
        .insertInto('identity_clients')
        .values({ ...row, revoked_at: null, last_used_at: null })
        .returning(CLIENT_COLUMNS)
        .executeTakeFirstOrThrow();
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictError(
          'IDENTITY_DUPLICATE',
          `This institution already has an active business system named "${row.name}".`,
        );
      }
      throw error;
    }
  },

  async clientsOf(db: Executor, organizationId: string): Promise<ClientRow[]> {
    return db
      .selectFrom('identity_clients')
      .select(CLIENT_COLUMNS)
      .where('organization_id', '=', organizationId)
      .orderBy('created_at', 'desc')
      .execute();
  },

  /** A client by the public id it authenticates with, with its secret's hash. */
  async clientByPublicId(db: Executor, clientId: string) {
    return db
      .selectFrom('identity_clients')
      .select([...CLIENT_COLUMNS, 'secret_hash'])
      .where('client_id', '=', clientId)
      .executeTakeFirst();
  },

  async updateSecret(
    trx: Transaction<Database>,
    organizationId: string,
    clientId: string,
    secretHash: Uint8Array,
  ): Promise<ClientRow | undefined> {
    return trx
      .updateTable('identity_clients')
      .set({ secret_hash: secretHash })
      .where('organization_id', '=', organizationId)
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .returning(CLIENT_COLUMNS)
      .executeTakeFirst();
  },

  async revokeClient(
    trx: Transaction<Database>,
    organizationId: string,
    clientId: string,
  ): Promise<ClientRow | undefined> {
    return trx
      .updateTable('identity_clients')
      .set({ revoked_at: sql`now()` })
      .where('organization_id', '=', organizationId)
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .returning(CLIENT_COLUMNS)
      .executeTakeFirst();
  },

  /** Revokes every token of a client still in force; returns how many. */
  async revokeTokensOf(trx: Transaction<Database>, clientRowId: string): Promise<number> {
    const result = await trx
      .updateTable('identity_client_tokens')
      .set({ revoked_at: sql`now()` })
      .where('client_id', '=', clientRowId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  async touchClient(db: Executor, clientRowId: string): Promise<void> {
    await db
      .updateTable('identity_clients')
      .set({ last_used_at: sql`now()` })
      .where('id', '=', clientRowId)
      .execute();
  },

  async insertToken(
    trx: Transaction<Database>,
    row: { token_hash: Uint8Array; client_id: string; scopes: string[]; expires_at: Date },
  ) {
    // Old expired tokens of the client go first: a system asking for a token per call must not fill the table.
    await trx
      .deleteFrom('identity_client_tokens')
      .where('client_id', '=', row.client_id)
      .where('expires_at', '<', sql<Date>`now() - make_interval(days => ${KEEP_EXPIRED_DAYS})`)
      .execute();
    return trx
      .insertInto('identity_client_tokens')
      .values({ ...row, revoked_at: null, last_refused_at: null })
      .returning(['id', 'expires_at'])
      .executeTakeFirstOrThrow();
  },

  /** A token with what its use needs to know about its client. */
  async tokenByHash(db: Executor, tokenHash: Uint8Array) {
    return db
      .selectFrom('identity_client_tokens as t')
      .innerJoin('identity_clients as c', 'c.id', 't.client_id')
      .select([
        't.id',
        't.scopes',
        't.expires_at',
        't.revoked_at',
        'c.id as client_row_id',
        'c.organization_id',
        'c.name',
        'c.revoked_at as client_revoked_at',
        'c.last_used_at',
      ])
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
  },

  async revokeToken(trx: Transaction<Database>, id: string): Promise<boolean> {
    const result = await trx
      .updateTable('identity_client_tokens')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Marks a refused use; false when one was already marked within the last minute (no new log entry). */
  async markRefused(trx: Transaction<Database>, id: string): Promise<boolean> {
    const row = await trx
      .updateTable('identity_client_tokens')
      .set({ last_refused_at: sql`now()` })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('last_refused_at', 'is', null),
          eb('last_refused_at', '<', sql<Date>`now() - interval '1 minute'`),
        ]),
      )
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  },
};
