import {
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { Database } from '../../kernel/db/index.ts';
import type { ApplicationState, GrantState } from './access.model.ts';
import type {
  AccessApplicationEventsTable,
  AccessApplicationsTable,
  AccessGrantsTable,
  NotificationsTable,
} from './access.tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type ApplicationRow = Selectable<AccessApplicationsTable>;
export type EventRow = Selectable<AccessApplicationEventsTable>;
export type GrantRow = Selectable<AccessGrantsTable>;
export type NotificationRow = Selectable<NotificationsTable>;

/** Which applications a list shows; exactly one of the scopes applies. */
export interface ApplicationFilter {
  applicantUserId?: string;
  /** Applications for entries of these organisations (undefined with `all`). */
  providerOrganizationIds?: string[];
  /** Every application (oversight). */
  all?: boolean;
  /** Only those that went to the big data centre. */
  centre?: boolean;
  state?: ApplicationState;
  order: 'created' | 'deadline';
  limit: number;
  offset: number;
}

export interface GrantFilter {
  granteeUserId?: string;
  granteeOrganizationIds?: string[];
  providerOrganizationIds?: string[];
  all?: boolean;
  state?: GrantState;
  now: Date;
  limit: number;
  offset: number;
}

/** The only code that reads and writes the access module's tables. */

/**
 * Whose grants a caller holds: opening grants are the applicant's own; sharing grants belong to the
 * institution, so its members hold them, and one who has left it no longer does, even as their applicant.
 */
function holderOf(
  eb: ExpressionBuilder<Database, 'access_grants'>,
  userId: string,
  organizationIds: string[],
) {
  const own = eb.and([eb('kind', '=', 'open'), eb('grantee_user_id', '=', userId)]);
  return organizationIds.length === 0
    ? own
    : eb.or([own, eb.and([eb('kind', '=', 'share'), eb('grantee_organization_id', 'in', organizationIds)])]);
}

export const accessRepository = {
  async insertApplication(trx: Transaction<Database>, row: Insertable<AccessApplicationsTable>) {
    return trx.insertInto('access_applications').values(row).returningAll().executeTakeFirstOrThrow();
  },

  applicationById(db: Q, id: string) {
    return db.selectFrom('access_applications').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Locks the application for the rest of the transaction: two reviewers cannot both decide. */
  lockApplication(trx: Transaction<Database>, id: string) {
    return trx
      .selectFrom('access_applications')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  },

  async updateApplication(
    trx: Transaction<Database>,
    id: string,
    set: Updateable<AccessApplicationsTable>,
  ): Promise<ApplicationRow> {
    return trx
      .updateTable('access_applications')
      .set({ ...set, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async insertEvent(trx: Transaction<Database>, row: Insertable<AccessApplicationEventsTable>) {
    await trx.insertInto('access_application_events').values(row).execute();
  },

  async eventsOf(db: Q, applicationIds: string[]): Promise<Map<string, EventRow[]>> {
    const byApplication = new Map<string, EventRow[]>();
    if (applicationIds.length === 0) return byApplication;
    const rows = await db
      .selectFrom('access_application_events')
      .selectAll()
      .where('application_id', 'in', applicationIds)
      .orderBy('at')
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const list = byApplication.get(row.application_id) ?? [];
      list.push(row);
      byApplication.set(row.application_id, list);
    }
    return byApplication;
  },

  async listApplications(
    db: Q,
    filter: ApplicationFilter,
  ): Promise<{ rows: ApplicationRow[]; total: number }> {
    let query = db.selectFrom('access_applications');
    if (filter.applicantUserId !== undefined)
      query = query.where('applicant_user_id', '=', filter.applicantUserId);
    if (filter.all !== true && filter.providerOrganizationIds !== undefined) {
      if (filter.providerOrganizationIds.length === 0) return { rows: [], total: 0 };
      query = query.where('provider_organization_id', 'in', filter.providerOrganizationIds);
    }
    if (filter.centre === true) query = query.where('needs_centre', '=', true);
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    const ordered =
      filter.order === 'deadline'
        ? query.selectAll().orderBy('review_deadline').orderBy('id')
        : query.selectAll().orderBy('created_at', 'desc').orderBy('id');
    const [rows, count] = await Promise.all([
      ordered.offset(filter.offset).limit(filter.limit).execute(),
      query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async insertGrant(trx: Transaction<Database>, row: Insertable<AccessGrantsTable>): Promise<GrantRow> {
    return trx.insertInto('access_grants').values(row).returningAll().executeTakeFirstOrThrow();
  },

  grantById(db: Q, id: string) {
    return db.selectFrom('access_grants').selectAll().where('id', '=', id).executeTakeFirst();
  },

  lockGrant(trx: Transaction<Database>, id: string) {
    return trx.selectFrom('access_grants').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  grantsByIds(db: Q, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('access_grants').selectAll().where('id', 'in', ids).execute();
  },

  async updateGrant(
    trx: Transaction<Database>,
    id: string,
    set: Updateable<AccessGrantsTable>,
  ): Promise<GrantRow> {
    return trx
      .updateTable('access_grants')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async listGrants(db: Q, filter: GrantFilter): Promise<{ rows: GrantRow[]; total: number }> {
    let query = db.selectFrom('access_grants');
    if (filter.granteeUserId !== undefined) {
      const userId = filter.granteeUserId;
      const orgs = filter.granteeOrganizationIds ?? [];
      query = query.where((eb) =>
        orgs.length === 0
          ? eb('grantee_user_id', '=', userId)
          : eb.or([
              eb('grantee_user_id', '=', userId),
              eb.and([eb('kind', '=', 'share'), eb('grantee_organization_id', 'in', orgs)]),
            ]),
      );
    }
    if (filter.all !== true && filter.providerOrganizationIds !== undefined) {
      if (filter.providerOrganizationIds.length === 0) return { rows: [], total: 0 };
      query = query.where('provider_organization_id', 'in', filter.providerOrganizationIds);
    }
    // A grant past its end is expired even before the sweep has marked it.
    if (filter.state === 'active')
      query = query.where('state', '=', 'active').where('valid_until', '>', filter.now);
    else if (filter.state === 'expired')
      query = query.where((eb) =>
        eb.or([
          eb('state', '=', 'expired'),
          eb.and([eb('state', '=', 'active'), eb('valid_until', '<=', filter.now)]),
        ]),
      );
    else if (filter.state === 'revoked') query = query.where('state', '=', 'revoked');
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute(),
      query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /**
   * The grants that let this user read this entry at `at`: their own, and the sharing grants of the
   * institutions they belong to. One indexed query, not kept by the service: a revocation holds from the
   * next request on.
   */
  activeGrants(db: Q, userId: string, organizationIds: string[], entryCode: string, at: Date) {
    return db
      .selectFrom('access_grants')
      .select(['id', 'kind', 'fields', 'operations', 'valid_until'])
      .where('entry_code', '=', entryCode)
      .where('state', '=', 'active')
      .where('valid_from', '<=', at)
      .where('valid_until', '>', at)
      .where((eb) => holderOf(eb, userId, organizationIds))
      .orderBy('valid_until', 'desc')
      .execute();
  },

  /** Every grant of this user (and shares of their institutions) on this entry, newest first. */
  grantsOf(db: Q, userId: string, organizationIds: string[], entryCode: string, limit: number) {
    return db
      .selectFrom('access_grants')
      .select(['id', 'kind', 'fields', 'operations', 'valid_from', 'valid_until', 'state'])
      .where('entry_code', '=', entryCode)
      .where((eb) => holderOf(eb, userId, organizationIds))
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Marks active grants past their end as expired; returns them. */
  expireDue(trx: Transaction<Database>, now: Date, limit: number) {
    return trx
      .updateTable('access_grants')
      .set({ state: 'expired' })
      .where(
        'id',
        'in',
        trx
          .selectFrom('access_grants')
          .select('id')
          .where('state', '=', 'active')
          .where('valid_until', '<=', now)
          .orderBy('valid_until')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  },

  async insertNotifications(
    trx: Transaction<Database>,
    rows: Insertable<NotificationsTable>[],
  ): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    return trx.insertInto('access_notifications').values(rows).returningAll().execute();
  },

  notificationById(db: Q, id: string) {
    return db.selectFrom('access_notifications').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async listNotifications(db: Q, userId: string, unreadOnly: boolean, limit: number) {
    let query = db.selectFrom('access_notifications').where('user_id', '=', userId);
    if (unreadOnly) query = query.where('read_at', 'is', null);
    const [rows, unread] = await Promise.all([
      query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute(),
      db
        .selectFrom('access_notifications')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, unread: Number(unread.n) };
  },

  async markRead(db: Q, id: string, userId: string): Promise<boolean> {
    const found = await db
      .updateTable('access_notifications')
      .set({ read_at: sql<Date>`coalesce(read_at, now())` })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(found.numUpdatedRows) > 0;
  },
};
