import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Kysely, Transaction } from 'kysely';
import type { Ledger } from '../../kernel/audit/index.ts';
import {
  type Actor,
  fingerprintOfHashKey,
  MEMBER_ROLES,
  type OrgRole,
  PLATFORM_ROLES,
  type PlatformRole,
  permissionsOf,
  randomSecret,
  requirePermission,
  secretHash,
  secretHashKey,
  systemActor,
  type UserActor,
} from '../../kernel/auth/index.ts';
import type { Database } from '../../kernel/db/database.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
} from '../../kernel/errors.ts';
import type { EventBus } from '../../kernel/events/index.ts';
import { isValidCreditCode } from '../../lib/credit-code.ts';
import { CLIENT_TOKEN_PREFIX, createClientService } from './identity.clients.service.ts';
import type { OidcClaims } from './identity.oidc.ts';
import { identityRepository as repo, type UserRow } from './identity.repository.ts';
import type { MemberRole, OrganizationKind } from './identity.tables.ts';
import './identity.permissions.ts';

export interface IdentityDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  events: EventBus;
  /** Seconds a resolved session or token is trusted without asking the database; 0 turns caching off. */
  authCacheSeconds: number;
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  /** Lifetime of business systems' access tokens (3600 when unset). */
  clientTokenTtlSeconds?: number;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  platformRoles: string[];
  disabled: boolean;
  createdAt: string;
}

export interface SessionUserView extends Omit<UserView, 'disabled' | 'createdAt'> {
  memberships: { organizationId: string; organizationName: string; role: OrgRole }[];
  permissions: string[];
}

export const TOKEN_PREFIX = 'dpt_';
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 } as const; // argon2id, OWASP
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/i;
const ORG_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Compared against when the user does not exist, so a wrong username costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;

function userView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    platformRoles: row.platform_roles,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
  };
}

function tokenView(row: {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

function checkRoles(roles: readonly string[]): PlatformRole[] {
  const unknown = roles.filter((r) => !(PLATFORM_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new ValidationError('Unknown platform role.', [
      {
        path: 'platformRoles',
        message: `unknown role(s): ${unknown.join(', ')}; known: ${PLATFORM_ROLES.join(', ')}`,
      },
    ]);
  }
  return [...new Set(roles)] as PlatformRole[];
}

function checkPassword(password: string): void {
  if (password.length < 10 || password.length > 256) {
    throw new ValidationError('The password must be between 10 and 256 characters.', [
      { path: 'password', message: 'must be between 10 and 256 characters' },
    ]);
  }
}

export type IdentityService = ReturnType<typeof createIdentityService>;

/** Every process drops what it cached about a user when this carries the user's id. */
const IDENTITY_CHANGED = 'datapolis_identity_changed';

interface CachedIdentity {
  actor: UserActor;
  csrfToken: string | undefined;
  /** When the session or token itself expires. */
  expiresAt: number;
  /** When this cache entry must be checked against the database again. */
  staleAt: number;
}

export function createIdentityService(deps: IdentityDeps) {
  const { db, ledger, events } = deps;

  // Resolving a caller costs three queries; caching it makes authenticated reads nearly as cheap as
  // public ones. Changes that affect a user (sign-out, revocation, roles, memberships, disabling) publish
  // IDENTITY_CHANGED in their transaction, and every process drops that user's entries on commit.
  const cache = new Map<string, CachedIdentity>();
  const cacheMs = deps.authCacheSeconds * 1000;
  function forgetUser(userId: string): void {
    for (const [key, value] of cache) if (value.actor.userId === userId) cache.delete(key);
  }
  events.subscribe(IDENTITY_CHANGED, forgetUser, () => cache.clear());
  function remember(key: string, actor: UserActor, csrfToken: string | undefined, expiresAt: Date): void {
    if (cacheMs <= 0) return;
    if (cache.size > 50_000) cache.clear();
    cache.set(key, { actor, csrfToken, expiresAt: expiresAt.getTime(), staleAt: Date.now() + cacheMs });
  }
  function cached(key: string): CachedIdentity | undefined {
    const hit = cache.get(key);
    if (hit === undefined) return undefined;
    if (hit.staleAt <= Date.now()) {
      cache.delete(key);
      return undefined;
    }
    return hit;
  }
  async function userChanged(trx: Transaction<Database>, userId: string): Promise<void> {
    // Forget here at once, and again on every process when the notification arrives after commit
    // (which also covers a request that cached the old state in between).
    forgetUser(userId);
    await events.publish(trx, IDENTITY_CHANGED, userId);
  }

  // Business systems' tokens share the cache, and its invalidation, with people's sessions and tokens.
  const clients = createClientService({
    db,
    ledger,
    ...(deps.clientTokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: deps.clientTokenTtlSeconds }),
    cache: {
      get: cached,
      put: (key, actor, expiresAt) => remember(key, actor, undefined, expiresAt),
      forget: forgetUser,
      changed: userChanged,
    },
  });

  async function loadActor(userId: string, via: 'session' | 'token', scopes: string[] | undefined) {
    const user = await repo.userById(db, userId);
    if (user === undefined || user.disabled) return undefined;
    const memberships = await repo.memberships(db, userId);
    const actor: UserActor = {
      kind: 'user',
      userId: user.id,
      username: user.username,
      platformRoles: user.platform_roles as PlatformRole[],
      memberships: new Map(memberships.map((m) => [m.organization_id, m.role as OrgRole])),
      via,
      scopes,
    };
    return { actor, user, memberships };
  }

  async function sessionUser(actor: UserActor): Promise<SessionUserView> {
    if (actor.via === 'client')
      throw new ForbiddenError('A business system has no user profile.', 'IDENTITY_CLIENT_NO_PROFILE');
    const loaded = await loadActor(actor.userId, actor.via, actor.scopes as string[] | undefined);
    if (loaded === undefined) throw new UnauthenticatedError();
    const { user, memberships } = loaded;
    return {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      email: user.email,
      platformRoles: user.platform_roles,
      memberships: memberships.map((m) => ({
        organizationId: m.organization_id,
        organizationName: m.organization_name,
        role: m.role as OrgRole,
      })),
      permissions: permissionsOf(loaded.actor),
    };
  }

  /** Checks the password, throttling repeated failures per username across all processes. */
  async function login(username: string, password: string, address: string) {
    const failures = await repo.countRecentFailures(db, username, deps.loginWindowMinutes);
    if (failures >= deps.loginMaxFailures) {
      throw new TooManyRequestsError(
        `Too many failed sign-ins for this account. Try again in ${deps.loginWindowMinutes} minutes.`,
        deps.loginWindowMinutes * 60,
        'LOGIN_THROTTLED',
      );
    }
    const user = await repo.userByUsername(db, username);
    dummyHash ??= argonHash('not a real password', ARGON2);
    const ok = await argonVerify(user?.password_hash ?? (await dummyHash), password).catch(() => false);
    if (user === undefined || !ok || user.disabled) {
      await repo.recordFailure(db, username.slice(0, 100), address);
      throw new UnauthenticatedError('Wrong username or password.', 'INVALID_CREDENTIALS');
    }
    return startSession(user.id, 'password', async (trx) => repo.clearFailures(trx, username));
  }

  /** Opens a session for a user whose identity is proven, in one transaction with its log entry. */
  async function startSession(
    userId: string,
    method: 'password' | 'oidc',
    alsoInTransaction?: (trx: Transaction<Database>) => Promise<void>,
  ) {
    const sessionId = randomSecret();
    const csrfToken = randomSecret();
    const loaded = await loadActor(userId, 'session', undefined);
    if (loaded === undefined) throw new UnauthenticatedError('This account is disabled.', 'ACCOUNT_DISABLED');
    await db.transaction().execute(async (trx) => {
      await alsoInTransaction?.(trx);
      await repo.insertSession(trx, {
        id_hash: secretHash(sessionId),
        user_id: userId,
        csrf_token: csrfToken,
        expires_at: new Date(Date.now() + deps.sessionTtlHours * 3_600_000),
      });
      await ledger.record(trx, loaded.actor, {
        action: 'identity.session.created',
        objects: [{ type: 'user', id: userId }],
        details: { method },
      });
    });
    return { sessionId, csrfToken, actor: loaded.actor, maxAgeSeconds: deps.sessionTtlHours * 3600 };
  }

  /**
   * Signs in someone the city's identity provider vouched for; a first visit creates their account with
   * no role (an operator grants roles and memberships afterwards).
   */
  async function signInWithOidc(claims: OidcClaims) {
    let user = await repo.userByOidcSubject(db, claims.subject);
    if (user === undefined) {
      const base =
        (claims.preferredUsername ?? claims.email?.split('@')[0] ?? 'user')
          .toLowerCase()
          .replace(/[^a-z0-9._-]/g, '-')
          .replace(/^[^a-z0-9]+/, '')
          .slice(0, 40) || 'user';
      let username = base.length >= 2 ? base : `user-${base}`;
      for (let n = 2; await repo.usernameTaken(db, username); n += 1) username = `${base}-${n}`;
      user = await db.transaction().execute(async (trx) => {
        const row = await repo.insertOidcUser(trx, {
          username,
          display_name: claims.name ?? username,
          email: claims.email ?? null,
          oidc_subject: claims.subject,
        });
        await ledger.record(trx, systemActor('oidc'), {
          action: 'identity.user.created',
          objects: [{ type: 'user', id: row.id }],
          content: userView(row),
          details: { via: 'oidc' },
        });
        return row;
      });
    }
    if (user.disabled) throw new UnauthenticatedError('This account is disabled.', 'ACCOUNT_DISABLED');
    return startSession(user.id, 'oidc');
  }

  async function logout(actor: Actor, sessionId: string | undefined): Promise<void> {
    if (sessionId === undefined) return;
    await db.transaction().execute(async (trx) => {
      const userId = await repo.deleteSession(trx, secretHash(sessionId));
      if (userId !== undefined) {
        await userChanged(trx, userId);
        await ledger.record(trx, actor, {
          action: 'identity.session.deleted',
          objects: [{ type: 'user', id: userId }],
        });
      }
    });
    cache.delete(`s:${secretHashKey(sessionId)}`);
  }

  async function resolveSession(sessionId: string) {
    const hashKey = secretHashKey(sessionId);
    const key = `s:${hashKey}`;
    const hit = cached(key);
    if (hit !== undefined && hit.expiresAt > Date.now())
      return { actor: hit.actor, csrfToken: hit.csrfToken! };
    const session = await repo.sessionByHash(db, Buffer.from(hashKey, 'base64'));
    if (session === undefined) return undefined;
    const loaded = await loadActor(session.user_id, 'session', undefined);
    if (loaded === undefined) return undefined;
    remember(key, loaded.actor, session.csrf_token, session.expires_at);
    return { actor: loaded.actor, csrfToken: session.csrf_token };
  }

  /**
   * The caller of a token resolved before and still cached and valid, or undefined (then resolveToken, which
   * also says what is wrong with a bad one). Synchronous: a known caller costs the request hooks no promise.
   */
  function cachedToken(token: string): UserActor | undefined {
    if (token.startsWith(CLIENT_TOKEN_PREFIX)) return clients.cachedToken(token);
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const hit = cached(`t:${secretHashKey(token)}`);
    return hit !== undefined && hit.expiresAt > Date.now() ? hit.actor : undefined;
  }

  /** Bearer tokens: a bad token is an error (401), never a silent fall-back to anonymous. */
  async function resolveToken(token: string): Promise<UserActor> {
    if (token.startsWith(CLIENT_TOKEN_PREFIX)) return clients.resolveToken(token);
    if (!token.startsWith(TOKEN_PREFIX))
      throw new UnauthenticatedError('The API token is malformed.', 'TOKEN_INVALID');
    const hashKey = secretHashKey(token);
    const key = `t:${hashKey}`;
    const hit = cached(key);
    if (hit !== undefined) {
      if (hit.expiresAt <= Date.now())
        throw new UnauthenticatedError('The API token has expired.', 'TOKEN_EXPIRED');
      return hit.actor;
    }
    const row = await repo.tokenByHash(db, Buffer.from(hashKey, 'base64'));
    if (row === undefined) throw new UnauthenticatedError('The API token is not known.', 'TOKEN_INVALID');
    if (row.revoked_at !== null)
      throw new UnauthenticatedError('The API token was revoked.', 'TOKEN_REVOKED');
    if (row.expires_at.getTime() <= Date.now()) {
      throw new UnauthenticatedError('The API token has expired.', 'TOKEN_EXPIRED');
    }
    const loaded = await loadActor(row.user_id, 'token', row.scopes);
    if (loaded === undefined)
      throw new UnauthenticatedError('The API token belongs to a disabled account.', 'TOKEN_INVALID');
    // Write last-used at most once a minute: a busy client must not turn every read into a write.
    if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > 60_000) {
      await repo.touchToken(db, row.id);
    }
    loaded.actor.tokenFingerprint = fingerprintOfHashKey(hashKey);
    remember(key, loaded.actor, undefined, row.expires_at);
    return loaded.actor;
  }

  async function createToken(actor: Actor, input: { name: string; scopes: string[]; expiresInDays: number }) {
    requirePermission(actor, 'tokens:manage');
    const user = actor as UserActor;
    if (user.via === 'token')
      throw new ForbiddenError('Create API tokens from a signed-in session, not with another token.');
    const allowed = new Set(permissionsOf(actor));
    const scopes = [...new Set(input.scopes)];
    const notHeld = scopes.filter((s) => !allowed.has(s));
    if (scopes.length === 0 || notHeld.length > 0) {
      throw new ValidationError('A token can only carry permissions you hold.', [
        {
          path: 'scopes',
          message:
            scopes.length === 0 ? 'choose at least one scope' : `you do not hold: ${notHeld.join(', ')}`,
        },
      ]);
    }
    const secret = `${TOKEN_PREFIX}${randomSecret()}`;
    const prefix = secret.slice(0, TOKEN_PREFIX.length + 6);
    const item = await db.transaction().execute(async (trx) => {
      const row = await repo.insertToken(trx, {
        user_id: user.userId,
        name: input.name,
        prefix,
        token_hash: secretHash(secret),
        scopes,
        expires_at: new Date(Date.now() + input.expiresInDays * 86_400_000),
      });
      await ledger.record(trx, actor, {
        action: 'identity.token.created',
        objects: [{ type: 'api-token', id: row.id }],
        details: { scopes, expiresAt: row.expires_at.toISOString() },
      });
      return row;
    });
    return { token: secret, item: tokenView(item) };
  }

  async function listTokens(actor: Actor) {
    requirePermission(actor, 'tokens:manage');
    return { items: (await repo.tokensOf(db, (actor as UserActor).userId)).map(tokenView) };
  }

  async function revokeToken(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'tokens:manage');
    await db.transaction().execute(async (trx) => {
      const row = UUID.test(id) ? await repo.revokeToken(trx, id, (actor as UserActor).userId) : undefined;
      if (row === undefined)
        throw new NotFoundError('TOKEN_NOT_FOUND', 'You have no active API token with that id.');
      await userChanged(trx, (actor as UserActor).userId);
      await ledger.record(trx, actor, {
        action: 'identity.token.revoked',
        objects: [{ type: 'api-token', id }],
      });
    });
    forgetUser((actor as UserActor).userId);
  }

  /**
   * Failed sign-ins recorded after `afterId`, oldest first: what security monitoring copies before a
   * successful sign-in clears an account's failures.
   */
  function loginFailuresAfter(afterId: number, limit: number) {
    return repo.loginFailuresAfter(db, afterId, limit);
  }

  async function listUsers(actor: Actor, q: string | undefined, offset: number, limit: number) {
    requirePermission(actor, 'users:read');
    const { rows, total } = await repo.listUsers(db, q, offset, limit);
    return { items: rows.map(userView), total };
  }

  async function createUser(
    actor: Actor,
    input: {
      username: string;
      displayName: string;
      email?: string;
      password: string;
      platformRoles?: string[];
    },
  ): Promise<UserView> {
    requirePermission(actor, 'users:manage');
    if (!USERNAME.test(input.username)) {
      throw new ValidationError('The username is not valid.', [
        { path: 'username', message: 'use 2-63 letters, digits, dots, dashes or underscores' },
      ]);
    }
    checkPassword(input.password);
    const roles = checkRoles(input.platformRoles ?? []);
    const passwordHash = await argonHash(input.password, ARGON2);
    return db.transaction().execute(async (trx) => {
      const row = await repo.insertUser(trx, {
        username: input.username,
        display_name: input.displayName,
        email: input.email ?? null,
        password_hash: passwordHash,
        platform_roles: roles,
      });
      const view = userView(row);
      await ledger.record(trx, actor, {
        action: 'identity.user.created',
        objects: [{ type: 'user', id: row.id }],
        content: view,
        details: { platformRoles: roles },
      });
      return view;
    });
  }

  async function updateUser(
    actor: Actor,
    id: string,
    input: {
      displayName?: string;
      email?: string | null;
      platformRoles?: string[];
      disabled?: boolean;
      password?: string;
    },
  ): Promise<UserView> {
    requirePermission(actor, 'users:manage');
    if (!UUID.test(id)) throw new NotFoundError('USER_NOT_FOUND', `No user has id ${id}.`);
    const set: Parameters<typeof repo.updateUser>[2] = {};
    if (input.displayName !== undefined) set.display_name = input.displayName;
    if (input.email !== undefined) set.email = input.email;
    if (input.platformRoles !== undefined) set.platform_roles = checkRoles(input.platformRoles);
    if (input.disabled !== undefined) set.disabled = input.disabled;
    if (input.password !== undefined) {
      checkPassword(input.password);
      set.password_hash = await argonHash(input.password, ARGON2);
    }
    if (
      actor.kind === 'user' &&
      actor.userId === id &&
      (input.disabled === true || (input.platformRoles && !input.platformRoles.includes('operator')))
    ) {
      throw new ConflictError(
        'IDENTITY_SELF_LOCKOUT',
        'You cannot disable your own account or drop your own operator role.',
      );
    }
    return db.transaction().execute(async (trx) => {
      const row = await repo.updateUser(trx, id, set);
      if (row === undefined) throw new NotFoundError('USER_NOT_FOUND', `No user has id ${id}.`);
      await userChanged(trx, id);
      const view = userView(row);
      const details: Record<string, unknown> = { fields: Object.keys(input).sort() };
      if (input.platformRoles !== undefined) details.platformRoles = set.platform_roles;
      if (input.disabled !== undefined) details.disabled = input.disabled;
      await ledger.record(trx, actor, {
        action: 'identity.user.updated',
        objects: [{ type: 'user', id }],
        content: view,
        details,
      });
      return view;
    });
  }

  function organizationView(row: {
    id: string;
    code: string;
    name: string;
    name_en: string | null;
    kind: OrganizationKind;
    credit_code: string;
    created_at: Date;
    member_count?: number | null;
  }) {
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      nameEn: row.name_en,
      kind: row.kind,
      creditCode: row.credit_code,
      memberCount: Number(row.member_count ?? 0),
      createdAt: row.created_at.toISOString(),
    };
  }

  function checkCreditCode(code: string): void {
    if (!isValidCreditCode(code)) {
      throw new ValidationError('The unified social credit code is not valid.', [
        { path: 'creditCode', message: '18 characters (GB 32100-2015) with a correct check character' },
      ]);
    }
  }

  async function listOrganizations(q: string | undefined, offset: number, limit: number) {
    const { rows, total } = await repo.listOrganizations(db, q, offset, limit);
    return { items: rows.map(organizationView), total };
  }

  async function getOrganization(id: string) {
    const row = UUID.test(id) ? await repo.organizationById(db, id) : undefined;
    if (row === undefined) throw new NotFoundError('ORGANIZATION_NOT_FOUND', `No organisation has id ${id}.`);
    return organizationView(row);
  }

  async function createOrganization(
    actor: Actor,
    input: { code: string; name: string; nameEn?: string; kind: OrganizationKind; creditCode: string },
  ) {
    requirePermission(actor, 'organizations:manage');
    if (!ORG_CODE.test(input.code)) {
      throw new ValidationError('The organisation code is not valid.', [
        { path: 'code', message: 'use 2-63 letters, digits, dots, dashes or underscores' },
      ]);
    }
    checkCreditCode(input.creditCode);
    return db.transaction().execute(async (trx) => {
      const row = await repo.insertOrganization(trx, {
        code: input.code,
        name: input.name,
        name_en: input.nameEn ?? null,
        kind: input.kind,
        credit_code: input.creditCode,
      });
      const view = organizationView(row);
      await ledger.record(trx, actor, {
        action: 'identity.organization.created',
        objects: [{ type: 'organization', id: row.id }],
        content: view,
        details: { code: row.code, kind: row.kind },
      });
      return view;
    });
  }

  async function updateOrganization(
    actor: Actor,
    id: string,
    input: { name?: string; nameEn?: string | null; creditCode?: string },
  ) {
    requirePermission(actor, 'organizations:manage');
    if (input.creditCode !== undefined) checkCreditCode(input.creditCode);
    const set: Parameters<typeof repo.updateOrganization>[2] = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.nameEn !== undefined) set.name_en = input.nameEn;
    if (input.creditCode !== undefined) set.credit_code = input.creditCode;
    return db.transaction().execute(async (trx) => {
      const row = UUID.test(id) ? await repo.updateOrganization(trx, id, set) : undefined;
      if (row === undefined)
        throw new NotFoundError('ORGANIZATION_NOT_FOUND', `No organisation has id ${id}.`);
      const view = organizationView(row);
      await ledger.record(trx, actor, {
        action: 'identity.organization.updated',
        objects: [{ type: 'organization', id }],
        content: view,
        details: { fields: Object.keys(input).sort() },
      });
      return view;
    });
  }

  async function listMembers(actor: Actor, organizationId: string) {
    requirePermission(actor, 'organizations:members:read', { organizationId });
    await getOrganization(organizationId);
    const rows = await repo.members(db, organizationId);
    return {
      items: rows.map((r) => ({
        userId: r.user_id,
        username: r.username,
        displayName: r.display_name,
        role: r.role,
      })),
    };
  }

  async function setMember(actor: Actor, organizationId: string, userId: string, role: MemberRole) {
    requirePermission(actor, 'organizations:members:manage', { organizationId });
    if (!(MEMBER_ROLES as readonly string[]).includes(role)) {
      throw new ValidationError('Unknown member role.', [
        { path: 'role', message: `one of ${MEMBER_ROLES.join(', ')}` },
      ]);
    }
    await getOrganization(organizationId);
    const user = UUID.test(userId) ? await repo.userById(db, userId) : undefined;
    if (user === undefined) throw new NotFoundError('USER_NOT_FOUND', `No user has id ${userId}.`);
    await db.transaction().execute(async (trx) => {
      await repo.upsertMember(trx, organizationId, userId, role);
      await userChanged(trx, userId);
      await ledger.record(trx, actor, {
        action: 'identity.membership.set',
        objects: [
          { type: 'organization', id: organizationId },
          { type: 'user', id: userId },
        ],
        details: { role },
      });
    });
    return { userId, username: user.username, displayName: user.display_name, role };
  }

  /** Adds a member named by username: organisation admins may not list every user, but know who to add. */
  async function addMemberByUsername(
    actor: Actor,
    organizationId: string,
    username: string,
    role: MemberRole,
  ) {
    requirePermission(actor, 'organizations:members:manage', { organizationId });
    const user = await repo.userByUsername(db, username);
    if (user === undefined || user.disabled) {
      throw new NotFoundError('USER_NOT_FOUND', `No active user is named "${username}".`);
    }
    return setMember(actor, organizationId, user.id, role);
  }

  async function removeMember(actor: Actor, organizationId: string, userId: string): Promise<void> {
    requirePermission(actor, 'organizations:members:manage', { organizationId });
    await db.transaction().execute(async (trx) => {
      const removed = UUID.test(userId) ? await repo.deleteMember(trx, organizationId, userId) : false;
      if (!removed)
        throw new NotFoundError('MEMBER_NOT_FOUND', 'That user is not a member of this organisation.');
      await userChanged(trx, userId);
      await ledger.record(trx, actor, {
        action: 'identity.membership.removed',
        objects: [
          { type: 'organization', id: organizationId },
          { type: 'user', id: userId },
        ],
      });
    });
  }

  return {
    login,
    signInWithOidc,
    logout,
    resolveSession,
    cachedToken,
    resolveToken,
    sessionUser,
    createToken,
    listTokens,
    revokeToken,
    listUsers,
    loginFailuresAfter,
    createUser,
    updateUser,
    listOrganizations,
    getOrganization,
    createOrganization,
    updateOrganization,
    listMembers,
    setMember,
    addMemberByUsername,
    removeMember,
    /** Business systems of institutions (OAuth 2.0 client credentials). */
    clients,
    counts: () => repo.counts(db),
    /** The actor of a user as if signed in (CLI commands run on the operator's behalf). */
    resolveUserActor: async (userId: string): Promise<UserActor> => {
      const loaded = await loadActor(userId, 'session', undefined);
      if (loaded === undefined) throw new NotFoundError('USER_NOT_FOUND', 'No active user with that id.');
      return loaded.actor;
    },
    userByUsername: async (username: string) => {
      const row = await repo.userByUsername(db, username);
      return row === undefined ? undefined : userView(row);
    },
  };
}
