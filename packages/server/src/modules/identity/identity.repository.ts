import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/database.ts';
import { ConflictError } from '../../kernel/errors.ts';
import type { MemberRole, OrganizationKind } from './identity.tables.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string | null;
  platform_roles: string[];
  disabled: boolean;
  created_at: Date;
}

/** Unique violations become 409s with a message naming what clashed. */
function translate(error: unknown, what: string): never {
  const pgError = error as { code?: string; constraint?: string };
  if (pgError.code === '23505') {
    throw new ConflictError(
      'IDENTITY_DUPLICATE',
      `${what} already exists (${pgError.constraint ?? 'unique key'}).`,
    );
  }
  throw error;
}

const USER_COLUMNS = [
  'id',
  'username',
  'display_name',
  'email',
  'password_hash',
  'platform_roles',
  'disabled',
  'created_at',
] as const;

export const identityRepository = {
  async userByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
    return db
      .selectFrom('identity_users')
      .select(USER_COLUMNS)
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
  },

  async userByOidcSubject(db: Executor, subject: string): Promise<UserRow | undefined> {
    return db
      .selectFrom('identity_users')
      .select(USER_COLUMNS)
      .where('oidc_subject', '=', subject)
      .executeTakeFirst();
  },

  async usernameTaken(db: Executor, username: string): Promise<boolean> {
    const row = await db
      .selectFrom('identity_users')
      .select('id')
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
    return row !== undefined;
  },

  async insertOidcUser(
    trx: Transaction<Database>,
    user: { username: string; display_name: string; email: string | null; oidc_subject: string },
  ): Promise<UserRow> {
    return trx
      .insertInto('identity_users')
      .values({ ...user, password_hash: null, platform_roles: [] })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
  },

  async userById(db: Executor, id: string): Promise<UserRow | undefined> {
    return db.selectFrom('identity_users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  },

  async memberships(db: Executor, userId: string) {
    return db
      .selectFrom('identity_memberships as m')
      .innerJoin('identity_organizations as o', 'o.id', 'm.organization_id')
      .select(['m.organization_id', 'o.name as organization_name', 'm.role'])
      .where('m.user_id', '=', userId)
      .orderBy('o.name')
      .execute();
  },

  async listUsers(db: Executor, q: string | undefined, offset: number, limit: number) {
    let query = db.selectFrom('identity_users');
    if (q !== undefined && q !== '') {
      const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([eb(sql`lower(username)`, 'like', pattern), eb(sql`lower(display_name)`, 'like', pattern)]),
      );
    }
    const [rows, count] = await Promise.all([
      query.select(USER_COLUMNS).orderBy('username').offset(offset).limit(limit).execute(),
      query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async insertUser(
    trx: Transaction<Database>,
    user: {
      username: string;
      display_name: string;
      email: string | null;
      password_hash: string;
      platform_roles: string[];
    },
  ): Promise<UserRow> {
    try {
      return await trx
        .insertInto('identity_users')
        .values({ ...user, oidc_subject: null })
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
    } catch (error) {
      translate(error, `A user named "${user.username}"`);
    }
  },

  async updateUser(
    trx: Transaction<Database>,
    id: string,
    set: Partial<{
      display_name: string;
      email: string | null;
      platform_roles: string[];
      disabled: boolean;
      password_hash: string;
    }>,
  ): Promise<UserRow | undefined> {
    return trx
      .updateTable('identity_users')
      .set({ ...set, updated_at: sql`now()` })
      .where('id', '=', id)
      .returning(USER_COLUMNS)
      .executeTakeFirst();
  },

  async countRecentFailures(db: Executor, username: string, windowMinutes: number): Promise<number> {
    const row = await db
      .selectFrom('identity_login_failures')
      .select(sql<number>`count(*)::int`.as('n'))
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .where('failed_at', '>', sql<Date>`now() - make_interval(mins => ${windowMinutes})`)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async loginFailuresAfter(db: Executor, afterId: number, limit: number) {
    const rows = await db
      .selectFrom('identity_login_failures')
      .select(['id', 'username', 'address', 'failed_at'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      username: r.username,
      address: r.address,
      failedAt: r.failed_at,
    }));
  },

  async recordFailure(db: Executor, username: string, address: string): Promise<void> {
    await db.insertInto('identity_login_failures').values({ username, address }).execute();
  },

  async clearFailures(db: Executor, username: string): Promise<void> {
    await db
      .deleteFrom('identity_login_failures')
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .execute();
  },

  async insertSession(
    trx: Executor,
    row: { id_hash: Uint8Array; user_id: string; csrf_token: string; expires_at: Date },
  ) {
    await trx.insertInto('identity_sessions').values(row).execute();
  },

  async sessionByHash(db: Executor, idHash: Uint8Array) {
    return db
      .selectFrom('identity_sessions')
      .select(['user_id', 'csrf_token', 'expires_at'])
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
  },

  async deleteSession(trx: Executor, idHash: Uint8Array): Promise<string | undefined> {
    const row = await trx
      .deleteFrom('identity_sessions')
      .where('id_hash', '=', idHash)
      .returning('user_id')
      .executeTakeFirst();
    return row?.user_id;
  },

  async insertToken(
    trx: Transaction<Database>,
    row: {
      user_id: string;
      name: string;
      prefix: string;
      token_hash: Uint8Array;
      scopes: string[];
      expires_at: Date;
    },
  ) {
    return trx
      .insertInto('identity_api_tokens')
      .values({ ...row, last_used_at: null, revoked_at: null })
      .returning(['id', 'name', 'prefix', 'scopes', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
      .executeTakeFirstOrThrow();
  },

  async tokenByHash(db: Executor, tokenHash: Uint8Array) {
    return db
      .selectFrom('identity_api_tokens')
      .select(['id', 'user_id', 'scopes', 'expires_at', 'revoked_at', 'last_used_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  },

  async touchToken(db: Executor, id: string): Promise<void> {
    await db
      .updateTable('identity_api_tokens')
      .set({ last_used_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  },

  async tokensOf(db: Executor, userId: string) {
    return db
      .selectFrom('identity_api_tokens')
      .select(['id', 'name', 'prefix', 'scopes', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
  },

  async revokeToken(trx: Transaction<Database>, id: string, userId: string) {
    return trx
      .updateTable('identity_api_tokens')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst();
  },

  async listOrganizations(db: Executor, q: string | undefined, offset: number, limit: number) {
    let query = db.selectFrom('identity_organizations as o');
    if (q !== undefined && q !== '') {
      const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb(sql`lower(o.name)`, 'like', pattern),
          eb(sql`lower(coalesce(o.name_en, ''))`, 'like', pattern),
          eb(sql`lower(o.code)`, 'like', pattern),
        ]),
      );
    }
    const [rows, count] = await Promise.all([
      query
        .select([
          'o.id',
          'o.code',
          'o.name',
          'o.name_en',
          'o.kind',
          'o.credit_code',
          'o.created_at',
          (eb) =>
            eb
              .selectFrom('identity_memberships as m')
              .select(sql<number>`count(*)::int`.as('n'))
              .whereRef('m.organization_id', '=', 'o.id')
              .as('member_count'),
        ])
        .orderBy('o.code')
        .offset(offset)
        .limit(limit)
        .execute(),
      query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async organizationById(db: Executor, id: string) {
    return db.selectFrom('identity_organizations').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertOrganization(
    trx: Transaction<Database>,
    row: { code: string; name: string; name_en: string | null; kind: OrganizationKind; credit_code: string },
  ) {
    try {
      return await trx
        .insertInto('identity_organizations')
        .values(row)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      translate(error, `An organisation with code "${row.code}" or credit code "${row.credit_code}"`);
    }
  },

  async updateOrganization(
    trx: Transaction<Database>,
    id: string,
    set: Partial<{ name: string; name_en: string | null; credit_code: string }>,
  ) {
    try {
      return await trx
        .updateTable('identity_organizations')
        .set({ ...set, updated_at: sql`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    } catch (error) {
      translate(error, 'An organisation with that credit code');
    }
  },

  async members(db: Executor, organizationId: string) {
    return db
      .selectFrom('identity_memberships as m')
      .innerJoin('identity_users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'u.username', 'u.display_name', 'm.role'])
      .where('m.organization_id', '=', organizationId)
      .orderBy('u.username')
      .execute();
  },

  async upsertMember(trx: Transaction<Database>, organizationId: string, userId: string, role: MemberRole) {
    await trx
      .insertInto('identity_memberships')
      .values({ organization_id: organizationId, user_id: userId, role })
      .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  },

  async deleteMember(trx: Transaction<Database>, organizationId: string, userId: string): Promise<boolean> {
    const result = await trx
      .deleteFrom('identity_memberships')
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async counts(db: Executor) {
    const row = await db
      .selectNoFrom([
        sql<number>`(SELECT count(*)::int FROM identity_users)`.as('users'),
        sql<number>`(SELECT count(*)::int FROM identity_organizations)`.as('organizations'),
        sql<number>`(SELECT count(*)::int FROM identity_organizations WHERE kind = 'institution')`.as(
          'institutions',
        ),
        sql<number>`(SELECT count(*)::int FROM identity_organizations WHERE kind = 'company')`.as(
          'companies',
        ),
      ])
      .executeTakeFirstOrThrow();
    return {
      users: Number(row.users),
      organizations: Number(row.organizations),
      institutions: Number(row.institutions),
      companies: Number(row.companies),
    };
  },
};
