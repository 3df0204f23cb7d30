import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Ledger } from '../../kernel/audit/index.ts';
import {
  type Actor,
  ANONYMOUS,
  fingerprintOfHashKey,
  randomSecret,
  requirePermission,
  secretHash,
  secretHashKey,
  type UserActor,
} from '../../kernel/auth/index.ts';
import type { Database } from '../../kernel/db/database.ts';
import {
  DatapolisError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../kernel/errors.ts';
import { type ClientRow, clientRepository as repo } from './identity.clients.repository.ts';
import { identityRepository } from './identity.repository.ts';

/** Access tokens of business systems; personal API tokens start with `dpt_`. */
export const CLIENT_TOKEN_PREFIX = 'dpc_';
const CLIENT_ID_PREFIX = 'dpcl_';
const CLIENT_SECRET_PREFIX = 'dpcs_';

/**
 * What a business system's token may do. The data APIs' read routes are public at the gate and decided by
 * the access policy; `access:use` lets the system use its institution's sharing grants.
 */
export const CLIENT_SCOPES: readonly string[] = ['access:use'];

const DEFAULT_TOKEN_TTL_SECONDS = 3600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Compared against when the client is unknown, so that an unknown client costs as long as a wrong secret.
const NO_SECRET = Buffer.alloc(32);

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** An error the token and revocation endpoints answer in RFC 6749 §5.2 form rather than as a problem. */
export class OAuthError extends DatapolisError {
  readonly error: OAuthErrorCode;
  constructor(error: OAuthErrorCode, description: string, code: string) {
    super(code, error === 'invalid_client' ? 401 : 400, description);
    this.error = error;
  }
}

/** A token or revocation request as the route read it; everything is checked here. */
export interface ClientRequest {
  /** Body parameters; a repeated one arrives as an array. */
  params: Record<string, unknown>;
  /** HTTP Basic credentials; `malformed` when the header could not be read. */
  basic: { clientId: string; clientSecret: string } | 'malformed' | undefined;
  /** Whether the address carried parameters (RFC 6749 §3.2 wants them in the body). */
  query: boolean;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface ClientView {
  id: string;
  clientId: string;
  name: string;
  organizationId: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The identity service's cache of resolved callers, shared so that revocation clears it the same way. */
export interface ResolvedCallerCache {
  get(key: string): { actor: UserActor; expiresAt: number } | undefined;
  put(key: string, actor: UserActor, expiresAt: Date): void;
  /** Drops this process's entries of a caller at once. */
  forget(callerId: string): void;
  /** Drops a caller's entries on every process once `trx` commits. */
  changed(trx: Transaction<Database>, callerId: string): Promise<void>;
}

export interface ClientDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  cache: ResolvedCallerCache;
  tokenTtlSeconds?: number;
}

function clientView(row: ClientRow): ClientView {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    organizationId: row.organization_id,
    scopes: [...CLIENT_SCOPES],
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** The caller a client's token stands for: a member of its institution, with read scopes only. */
function clientActor(
  client: { id: string; name: string; organization_id: string },
  scopes: readonly string[],
): UserActor {
  return {
    kind: 'user',
    userId: client.id,
    username: `client:${client.name}`,
    platformRoles: [],
    memberships: new Map([[client.organization_id, 'member' as const]]),
    via: 'client',
    scopes,
    clientId: client.id,
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

type ClientSecretRow = NonNullable<Awaited<ReturnType<typeof repo.clientByPublicId>>>;

export type ClientService = ReturnType<typeof createClientService>;

/**
 * Business systems of public institutions (Art. 17): registered by the institution's admins, they obtain
 * short-lived access tokens by the OAuth 2.0 client credentials grant (RFC 6749 §4.4) and read what their
 * institution may read. Every registration, rotation, revocation, issued token and refused request is on
 * the transparency log, with ids and hashes only.
 */
export function createClientService(deps: ClientDeps) {
  const { db, ledger, cache } = deps;
  const ttlSeconds = deps.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;

  // ----- management ------------------------------------------------------------------------------

  async function institution(actor: Actor, organizationId: string) {
    requirePermission(actor, 'clients:manage', { organizationId });
    const org = UUID.test(organizationId)
      ? await identityRepository.organizationById(db, organizationId)
      : undefined;
    if (org === undefined)
      throw new NotFoundError('ORGANIZATION_NOT_FOUND', `No organisation has id ${organizationId}.`);
    return org;
  }

  async function listClients(actor: Actor, organizationId: string) {
    await institution(actor, organizationId);
    return { items: (await repo.clientsOf(db, organizationId)).map(clientView) };
  }

  async function createClient(actor: Actor, organizationId: string, input: { name: string }) {
    const org = await institution(actor, organizationId);
    if (org.kind !== 'institution') {
      throw new ForbiddenError(
        'Only public institutions register business systems (Art. 17); companies use personal API tokens.',
        'IDENTITY_CLIENT_NOT_INSTITUTION',
      );
    }
    const name = input.name.trim();
    if (name.length === 0 || name.length > 100) {
      throw new ValidationError('The name is not valid.', [{ path: 'name', message: '1 to 100 characters' }]);
    }
    const clientId = `${CLIENT_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
    const clientSecret = `${CLIENT_SECRET_PREFIX}${randomSecret()}`;
    const hash = secretHash(clientSecret);
    const row = await db.transaction().execute(async (trx) => {
      const created = await repo.insertClient(trx, {
        organization_id: organizationId,
        name,
        client_id: clientId,
        secret_hash: hash,
        created_by: actor.kind === 'user' && actor.clientId === undefined ? actor.userId : null,
      });
      await ledger.record(trx, actor, {
        action: 'identity.client.created',
        objects: [
          { type: 'organization', id: organizationId },
          { type: 'client', id: created.id },
        ],
        content: { name },
        details: { clientId, secretSha256: hash.toString('hex'), scopes: CLIENT_SCOPES },
      });
      return created;
    });
    return { clientId, clientSecret, item: clientView(row) };
  }

  /** A new secret; the old one stops working, and so do the tokens issued with it. */
  async function rotateSecret(actor: Actor, organizationId: string, clientId: string) {
    await institution(actor, organizationId);
    const clientSecret = `${CLIENT_SECRET_PREFIX}${randomSecret()}`;
    const hash = secretHash(clientSecret);
    const row = await db.transaction().execute(async (trx) => {
      const updated = await repo.updateSecret(trx, organizationId, clientId, hash);
      if (updated === undefined) throw clientNotFound();
      const tokensRevoked = await repo.revokeTokensOf(trx, updated.id);
      await cache.changed(trx, updated.id);
      await ledger.record(trx, actor, {
        action: 'identity.client.secret.rotated',
        objects: [
          { type: 'organization', id: organizationId },
          { type: 'client', id: updated.id },
        ],
        details: { secretSha256: hash.toString('hex'), tokensRevoked },
      });
      return updated;
    });
    cache.forget(row.id);
    return { clientId: row.client_id, clientSecret, item: clientView(row) };
  }

  /** Revokes the client and every token it holds, at once. */
  async function revokeClient(actor: Actor, organizationId: string, clientId: string): Promise<void> {
    await institution(actor, organizationId);
    const row = await db.transaction().execute(async (trx) => {
      const revoked = await repo.revokeClient(trx, organizationId, clientId);
      if (revoked === undefined) throw clientNotFound();
      const tokensRevoked = await repo.revokeTokensOf(trx, revoked.id);
      await cache.changed(trx, revoked.id);
      await ledger.record(trx, actor, {
        action: 'identity.client.revoked',
        objects: [
          { type: 'organization', id: organizationId },
          { type: 'client', id: revoked.id },
        ],
        details: { tokensRevoked },
      });
      return revoked;
    });
    // Again after commit: a request may have cached the client between the first drop and the commit.
    cache.forget(row.id);
  }

  function clientNotFound(): NotFoundError {
    return new NotFoundError(
      'IDENTITY_CLIENT_NOT_FOUND',
      'This institution has no active business system with that client id.',
    );
  }

  // ----- the OAuth 2.0 endpoints ---------------------------------------------------------------

  /** Writes a refused request to the log, and returns the error to answer with. */
  async function refuse(
    action: 'identity.client.token.refused' | 'identity.client.revocation.refused',
    error: OAuthErrorCode,
    reason: string,
    description: string,
    about: { client?: { id: string }; presentedClientId?: string } = {},
  ): Promise<OAuthError> {
    await db.transaction().execute((trx) =>
      ledger.record(trx, ANONYMOUS, {
        action,
        objects: about.client === undefined ? [] : [{ type: 'client', id: about.client.id }],
        details: {
          reason,
          // An unknown client id is whatever the caller sent: only its hash is kept.
          ...(about.client === undefined && about.presentedClientId
            ? { presentedClientIdSha256: sha256Hex(about.presentedClientId) }
            : {}),
        },
      }),
    );
    return new OAuthError(error, description, `OAUTH_${reason.toUpperCase().replaceAll('-', '_')}`);
  }

  /** One value of a body parameter; a repeated one is refused (RFC 6749 §3.1, §3.2). */
  function single(params: Record<string, unknown>, name: string): string | undefined | null {
    const value = params[name];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : null;
  }

  /** Checks the request's form, then the client's credentials (RFC 6749 §2.3.1). */
  async function authenticate(
    request: ClientRequest,
    action: 'identity.client.token.refused' | 'identity.client.revocation.refused',
    names: readonly string[],
  ): Promise<{ client: ClientSecretRow; values: Map<string, string | undefined> }> {
    if (request.query) {
      throw await refuse(
        action,
        'invalid_request',
        'malformed-request',
        'Send the parameters in the request body, not in the address.',
      );
    }
    const values = new Map<string, string | undefined>();
    for (const name of [...names, 'client_id', 'client_secret']) {
      const value = single(request.params, name);
      if (value === null)
        throw await refuse(
          action,
          'invalid_request',
          'malformed-request',
          `The parameter ${name} is repeated or not text.`,
        );
      values.set(name, value);
    }
    const bodyId = values.get('client_id');
    const bodySecret = values.get('client_secret');
    if (request.basic !== undefined && (bodyId !== undefined || bodySecret !== undefined)) {
      throw await refuse(
        action,
        'invalid_request',
        'malformed-request',
        'Authenticate the client one way only: HTTP Basic or client_id and client_secret in the body.',
      );
    }
    if (request.basic === 'malformed') {
      throw await refuse(
        action,
        'invalid_client',
        'no-client-authentication',
        'The Basic authorization header could not be read.',
      );
    }
    const presentedId = request.basic?.clientId ?? bodyId;
    const presentedSecret = request.basic?.clientSecret ?? bodySecret;
    if (!presentedId || presentedSecret === undefined) {
      throw await refuse(
        action,
        'invalid_client',
        'no-client-authentication',
        'Authenticate the client: HTTP Basic, or client_id and client_secret.',
      );
    }
    const client = presentedId.length <= 100 ? await repo.clientByPublicId(db, presentedId) : undefined;
    const stored = client === undefined ? NO_SECRET : Buffer.from(client.secret_hash);
    const matches = timingSafeEqual(secretHash(presentedSecret), stored.length === 32 ? stored : NO_SECRET);
    if (client === undefined) {
      throw await refuse(action, 'invalid_client', 'unknown-client', 'Client authentication failed.', {
        presentedClientId: presentedId,
      });
    }
    if (!matches) {
      throw await refuse(action, 'invalid_client', 'wrong-secret', 'Client authentication failed.', {
        client,
      });
    }
    if (client.revoked_at !== null) {
      throw await refuse(action, 'invalid_client', 'revoked-client', 'This client was revoked.', { client });
    }
    return { client, values };
  }

  /** The client credentials grant: a Bearer token for `ttlSeconds`, limited to the client's scopes. */
  async function issueToken(request: ClientRequest): Promise<TokenAnswer> {
    const action = 'identity.client.token.refused';
    const grantType = single(request.params, 'grant_type');
    if (grantType === undefined || grantType === null || grantType === '') {
      throw await refuse(
        action,
        'invalid_request',
        'malformed-request',
        'Send grant_type=client_credentials, once.',
      );
    }
    if (grantType !== 'client_credentials') {
      throw await refuse(
        action,
        'unsupported_grant_type',
        'unsupported-grant-type',
        'Only grant_type=client_credentials is supported.',
      );
    }
    const { client, values } = await authenticate(request, action, ['grant_type', 'scope']);
    const asked = (values.get('scope') ?? '').split(' ').filter((s) => s !== '');
    const unknown = asked.filter((s) => !CLIENT_SCOPES.includes(s));
    if (unknown.length > 0) {
      throw await refuse(
        action,
        'invalid_scope',
        'invalid-scope',
        `A business system may ask for: ${CLIENT_SCOPES.join(' ')}.`,
        {
          client,
        },
      );
    }
    const scopes = asked.length === 0 ? [...CLIENT_SCOPES] : [...new Set(asked)];
    const token = `${CLIENT_TOKEN_PREFIX}${randomSecret()}`;
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await db.transaction().execute(async (trx) => {
      const row = await repo.insertToken(trx, {
        token_hash: secretHash(token),
        client_id: client.id,
        scopes,
        expires_at: expiresAt,
      });
      await repo.touchClient(trx, client.id);
      await ledger.record(trx, clientActor(client, scopes), {
        action: 'identity.client.token.issued',
        objects: [
          { type: 'client', id: client.id },
          { type: 'client-token', id: row.id },
        ],
        details: { scopes, expiresAt: row.expires_at.toISOString() },
      });
    });
    return { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds, scope: scopes.join(' ') };
  }

  /**
   * Token revocation (RFC 7009) by the client itself. A token that is unknown, expired or already revoked
   * is answered as revoked: the client's aim is met either way.
   */
  async function revokeByClient(request: ClientRequest): Promise<void> {
    const action = 'identity.client.revocation.refused';
    const token = single(request.params, 'token');
    if (token === undefined || token === null || token === '') {
      throw await refuse(action, 'invalid_request', 'malformed-request', 'Send the token to revoke, once.');
    }
    const { client } = await authenticate(request, action, ['token', 'token_type_hint']);
    const row = token.startsWith(CLIENT_TOKEN_PREFIX)
      ? await repo.tokenByHash(db, secretHash(token))
      : undefined;
    if (row === undefined) return;
    if (row.client_row_id !== client.id) {
      throw await refuse(
        action,
        'invalid_request',
        'not-own-token',
        'The token was not issued to this client.',
        { client },
      );
    }
    const revoked = await db.transaction().execute(async (trx) => {
      if (!(await repo.revokeToken(trx, row.id))) return false;
      await cache.changed(trx, client.id);
      await ledger.record(trx, clientActor(client, row.scopes), {
        action: 'identity.client.token.revoked',
        objects: [
          { type: 'client', id: client.id },
          { type: 'client-token', id: row.id },
        ],
      });
      return true;
    });
    if (revoked) cache.forget(client.id);
  }

  // ----- using a token -------------------------------------------------------------------------

  /** The caller of a client's token resolved before and still cached and valid; otherwise resolveToken. */
  function cachedToken(token: string): UserActor | undefined {
    const hit = cache.get(`c:${secretHashKey(token)}`);
    return hit !== undefined && hit.expiresAt > Date.now() ? hit.actor : undefined;
  }

  /** A client's Bearer token: a bad one is a 401, and a replayed expired or revoked one is logged. */
  async function resolveToken(token: string): Promise<UserActor> {
    const hashKey = secretHashKey(token);
    const key = `c:${hashKey}`;
    const hit = cache.get(key);
    // An expired hit goes to the database, which knows the token's id for the log.
    if (hit !== undefined && hit.expiresAt > Date.now()) return hit.actor;
    const row = await repo.tokenByHash(db, Buffer.from(hashKey, 'base64'));
    if (row === undefined) throw new UnauthenticatedError('The access token is not known.', 'TOKEN_INVALID');
    const reason =
      row.client_revoked_at !== null
        ? 'client-revoked'
        : row.revoked_at !== null
          ? 'token-revoked'
          : row.expires_at.getTime() <= Date.now()
            ? 'token-expired'
            : undefined;
    if (reason !== undefined) {
      await db.transaction().execute(async (trx) => {
        // One entry a minute per token: a system retrying in a loop must not flood the log.
        if (!(await repo.markRefused(trx, row.id))) return;
        await ledger.record(trx, ANONYMOUS, {
          action: 'identity.client.token.replayed',
          objects: [
            { type: 'client', id: row.client_row_id },
            { type: 'client-token', id: row.id },
          ],
          details: { reason },
        });
      });
      throw reason === 'token-expired'
        ? new UnauthenticatedError(
            'The access token has expired; ask /oauth/token for a new one.',
            'TOKEN_EXPIRED',
          )
        : new UnauthenticatedError(
            reason === 'client-revoked'
              ? 'The client of this access token was revoked.'
              : 'The access token was revoked.',
            'TOKEN_REVOKED',
          );
    }
    const actor = clientActor(
      { id: row.client_row_id, name: row.name, organization_id: row.organization_id },
      row.scopes,
    );
    actor.tokenFingerprint = fingerprintOfHashKey(hashKey);
    // Last use written at most once a minute: a busy system must not turn every read into a write.
    if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > 60_000) {
      await repo.touchClient(db, row.client_row_id);
    }
    cache.put(key, actor, row.expires_at);
    return actor;
  }

  /** A body that could not be read or failed the schema: refused and logged like any other bad request. */
  function refuseMalformed(endpoint: 'token' | 'revoke', description: string): Promise<OAuthError> {
    const action =
      endpoint === 'token' ? 'identity.client.token.refused' : 'identity.client.revocation.refused';
    return refuse(action, 'invalid_request', 'malformed-request', description);
  }

  return {
    listClients,
    createClient,
    rotateSecret,
    revokeClient,
    issueToken,
    revokeByClient,
    refuseMalformed,
    cachedToken,
    resolveToken,
    tokenTtlSeconds: ttlSeconds,
  };
}
