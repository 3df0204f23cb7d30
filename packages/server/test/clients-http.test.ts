// Business systems of public institutions (Art. 17): registered as OAuth 2.0 clients, they get tokens by the
// client credentials grant and read what sharing between institutions allows them, through the same policy as
// people. Every registration, token and refusal is on the transparency log.
import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import { loadConfig } from '../src/kernel/config/index.ts';
import { createDb } from '../src/kernel/db/index.ts';
import { createPlatform, type Platform } from '../src/platform/index.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { tableWithRows } from './support/tables.ts';
import { startTestPlatform, type TestPlatform, usePostgres } from './support/test-platform.ts';

const TOKEN_TTL = 900;
const TABLE_CSV = [
  'route_name,first_departure,fare',
  '1路,05:00:00,2',
  '特8路,05:10:00,3',
  '夜3路,23:00:00,2.5',
].join('\n');
const ALL_FIELDS = ['route_name', 'first_departure', 'fare'];
const GRANTED_FIELDS = ['route_name', 'fare'];

let t: TestPlatform;
const callers: Record<string, Caller> = {};
let transport: { id: string; creditCode: string };
let haidian: { id: string; creditCode: string };
let health: { id: string; creditCode: string };
let company: { id: string; creditCode: string };
/** Tables of entries that are not opened, one per share type. */
const tables: Record<'unconditional' | 'conditional' | 'not_shared', { code: string; table: string }> =
  {} as never;

interface Registered {
  clientId: string;
  clientSecret: string;
  item: { id: string; clientId: string; name: string; revokedAt: string | null };
}

async function inject(
  caller: Caller | undefined,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return t.platform.app.inject({
    method,
    url,
    headers: headers(caller),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

async function oauth(
  endpoint: 'token' | 'revoke',
  body: string | Record<string, unknown> | undefined,
  extraHeaders: Record<string, string> = {},
) {
  return t.platform.app.inject({
    method: 'POST',
    url: `/api/v1/oauth/${endpoint}`,
    headers: {
      ...(body === undefined
        ? {}
        : {
            'content-type':
              typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json',
          }),
      ...extraHeaders,
    },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function tokenFor(client: Registered): Promise<string> {
  const response = await oauth('token', form({ grant_type: 'client_credentials' }), {
    authorization: basic(client.clientId, client.clientSecret),
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { access_token: string }).access_token;
}

async function register(caller: Caller, organizationId: string, name: string): Promise<Registered> {
  const response = await inject(caller, 'POST', `/api/v1/organizations/${organizationId}/clients`, { name });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Registered;
}

async function records(token: string, table: string) {
  return t.platform.app.inject({
    method: 'GET',
    url: `/api/v1/datastore/${table}/records`,
    headers: { authorization: `Bearer ${token}` },
  });
}

interface LogEntry {
  actor: { type: string; id: string };
  action: string;
  objects: { type: string; id: string }[];
  details?: Record<string, unknown>;
  hashes?: { content: string };
}

async function lastEntry(): Promise<LogEntry> {
  const size = await t.platform.ledger.size();
  return JSON.parse((await t.platform.ledger.getEntry(size - 1)).entry) as LogEntry;
}

async function tableFor(code: string): Promise<string> {
  return tableWithRows(t, callers['transport-editor']!, code, TABLE_CSV);
}

/** Haidian applies, through one of its members, for sharing of an entry; the transport bureau approves. */
async function shareGrantForHaidian(code: string): Promise<string> {
  const termsVersion = (
    (await inject(undefined, 'GET', '/api/v1/access/terms')).json() as { version: string }
  ).version;
  const applied = await inject(callers['haidian-member'], 'POST', '/api/v1/access/applications', {
    kind: 'share',
    entryCode: code,
    applicantKind: 'institution',
    organizationId: haidian.id,
    applicantName: '北京市海淀区人民政府',
    creditCode: haidian.creditCode,
    purpose: '区政务服务系统核对公交线路与票价',
    scenario: '政务服务',
    fields: GRANTED_FIELDS,
    operations: ['records'],
    periodStart: new Date().toISOString().slice(0, 10),
    periodEnd: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
    securityMeasures: '系统间专线传输，访问留痕',
    termsVersion,
    acceptTerms: true,
  });
  expect(applied.statusCode, applied.body).toBe(201);
  const id = (applied.json() as { id: string }).id;
  const reviewed = await inject(
    callers['transport-admin'],
    'POST',
    `/api/v1/access/applications/${id}/review`,
    {
      decision: 'approve',
    },
  );
  expect(reviewed.statusCode, reviewed.body).toBe(200);
  return id;
}

beforeAll(async () => {
  t = await startTestPlatform({
    DATAPOLIS_CLIENT_TOKEN_TTL: String(TOKEN_TTL),
    DATAPOLIS_LOGIN_MAX_FAILURES: '1000',
  });
  const system = systemActor('test');
  haidian = await organizationByCode(t, 'haidian');
  await t.platform.identity.createUser(system, {
    username: 'haidian-admin',
    displayName: 'haidian-admin',
    password: 'Passw0rd-Passw0rd!',
  });
  await t.platform.identity.addMemberByUsername(system, haidian.id, 'haidian-admin', 'admin');
  for (const name of [
    'operator',
    'transport-admin',
    'transport-editor',
    'haidian-member',
    'health-admin',
    'company-admin',
  ])
    callers[name] = await t.login(name);
  callers['haidian-admin'] = await t.login('haidian-admin', 'Passw0rd-Passw0rd!');
  transport = await organizationByCode(t, 'bjjtw');
  health = await organizationByCode(t, 'bjwjw');
  company = await organizationByCode(t, 'demo-tech');
  for (const shareType of ['unconditional', 'conditional', 'not_shared'] as const) {
    const { code } = await publishEntry(
      t,
      callers['transport-editor']!,
      callers['transport-admin']!,
      callers.operator!,
      sampleEntry(transport, {
        title: { zh: `公交线路（共享：${shareType}）` },
        openType: 'not_open',
        shareType,
        ...(shareType === 'conditional' ? { shareCondition: '用于政务服务' } : {}),
      }),
    );
    tables[shareType] = { code, table: await tableFor(code) };
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('registering business systems', () => {
  it("lets an institution's admin register one, showing the secret once and logging only ids and hashes", async () => {
    const response = await inject(
      callers['haidian-admin'],
      'POST',
      `/api/v1/organizations/${haidian.id}/clients`,
      {
        name: '海淀区政务服务系统',
      },
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const created = response.json() as Registered;
    expect(created.clientId).toMatch(/^dpcl_/);
    expect(created.clientSecret).toMatch(/^dpcs_[A-Za-z0-9_-]{43}$/);
    expect(created.item).toMatchObject({
      clientId: created.clientId,
      name: '海淀区政务服务系统',
      revokedAt: null,
    });

    const entry = await lastEntry();
    expect(entry.action).toBe('identity.client.created');
    expect(entry.objects).toContainEqual({ type: 'client', id: created.item.id });
    expect(entry.details?.secretSha256).toBe(createHash('sha256').update(created.clientSecret).digest('hex'));
    const text = JSON.stringify(entry);
    expect(text).not.toContain(created.clientSecret);
    expect(text).not.toContain('海淀区政务服务系统');

    const list = await inject(callers['haidian-admin'], 'GET', `/api/v1/organizations/${haidian.id}/clients`);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.clientSecret);
    expect((list.json() as { items: { clientId: string; scopes: string[] }[] }).items).toEqual([
      expect.objectContaining({ clientId: created.clientId, scopes: ['access:use'] }),
    ]);
    // Operators manage every institution's systems.
    expect(
      (await inject(callers.operator, 'GET', `/api/v1/organizations/${haidian.id}/clients`)).statusCode,
    ).toBe(200);
  });

  it('refuses a company (403), other institutions, members, the anonymous, and bad bodies', async () => {
    const size = await t.platform.ledger.size();
    const byCompany = await inject(
      callers['company-admin'],
      'POST',
      `/api/v1/organizations/${company.id}/clients`,
      {
        name: '企业系统',
      },
    );
    expect(byCompany.statusCode, byCompany.body).toBe(403);
    expect((byCompany.json() as { code: string }).code).toBe('IDENTITY_CLIENT_NOT_INSTITUTION');
    const companyList = await inject(
      callers['company-admin'],
      'GET',
      `/api/v1/organizations/${company.id}/clients`,
    );
    expect((companyList.json() as { items: unknown[] }).items).toEqual([]);

    const other = await inject(
      callers['transport-admin'],
      'POST',
      `/api/v1/organizations/${haidian.id}/clients`,
      {
        name: 'x',
      },
    );
    expect(other.statusCode).toBe(403);
    expect(
      (await inject(callers['transport-admin'], 'GET', `/api/v1/organizations/${haidian.id}/clients`))
        .statusCode,
    ).toBe(403);
    expect(
      (await inject(callers['haidian-member'], 'GET', `/api/v1/organizations/${haidian.id}/clients`))
        .statusCode,
    ).toBe(403);
    expect((await inject(undefined, 'GET', `/api/v1/organizations/${haidian.id}/clients`)).statusCode).toBe(
      401,
    );

    const noName = await inject(
      callers['haidian-admin'],
      'POST',
      `/api/v1/organizations/${haidian.id}/clients`,
      {},
    );
    expect(noName.statusCode).toBe(400);
    const extra = await inject(
      callers['haidian-admin'],
      'POST',
      `/api/v1/organizations/${haidian.id}/clients`,
      {
        name: 'ok',
        secret: 'mine',
      },
    );
    expect(extra.statusCode).toBe(400);
    const blank = await inject(
      callers['haidian-admin'],
      'POST',
      `/api/v1/organizations/${haidian.id}/clients`,
      {
        name: '   ',
      },
    );
    expect(blank.statusCode).toBe(400);
    const duplicate = await inject(
      callers['haidian-admin'],
      'POST',
      `/api/v1/organizations/${haidian.id}/clients`,
      {
        name: '海淀区政务服务系统',
      },
    );
    expect(duplicate.statusCode).toBe(409);
    const unknownOrg = await inject(
      callers.operator,
      'POST',
      '/api/v1/organizations/00000000-0000-4000-8000-000000000000/clients',
      { name: 'x' },
    );
    expect(unknownOrg.statusCode).toBe(404);
    // Nothing refused left a trace but its answer.
    expect(await t.platform.ledger.size()).toBe(size);
  });
});

describe('the token endpoint (RFC 6749 §4.4)', () => {
  let client: Registered;

  beforeAll(async () => {
    client = await register(callers['haidian-admin']!, haidian.id, '海淀区公交核对系统');
  });

  it('is declared, like every /api route, so that the route walk and the rate limits cover it', () => {
    const oauthRoutes = t.platform.app.declaredRoutes.filter((r) => r.url.startsWith('/api/v1/oauth/'));
    expect(oauthRoutes.map((r) => `${r.method} ${r.url} ${r.permission}`).sort()).toEqual([
      'POST /api/v1/oauth/revoke public',
      'POST /api/v1/oauth/token public',
    ]);
  });

  it('issues a Bearer token for HTTP Basic, for credentials in a form body, and in JSON', async () => {
    const viaBasic = await oauth('token', form({ grant_type: 'client_credentials' }), {
      authorization: basic(client.clientId, client.clientSecret),
    });
    expect(viaBasic.statusCode, viaBasic.body).toBe(200);
    expect(viaBasic.headers['cache-control']).toBe('no-store');
    const answer = viaBasic.json() as Record<string, unknown>;
    expect(answer).toEqual({
      access_token: expect.stringMatching(/^dpc_[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: TOKEN_TTL,
      scope: 'access:use',
    });
    const issued = await lastEntry();
    expect(issued).toMatchObject({
      action: 'identity.client.token.issued',
      actor: { type: 'client', id: client.item.id },
      details: { scopes: ['access:use'] },
    });
    expect(JSON.stringify(issued)).not.toContain(answer.access_token as string);

    const viaForm = await oauth(
      'token',
      form({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        scope: 'access:use',
      }),
    );
    expect(viaForm.statusCode, viaForm.body).toBe(200);
    const viaJson = await oauth('token', {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    expect(viaJson.statusCode, viaJson.body).toBe(200);
    const lastUsed = (
      await inject(callers['haidian-admin'], 'GET', `/api/v1/organizations/${haidian.id}/clients`)
    ).json() as {
      items: { clientId: string; lastUsedAt: string | null }[];
    };
    expect(lastUsed.items.find((c) => c.clientId === client.clientId)?.lastUsedAt).not.toBeNull();
  });

  /** Each refusal: its status, its RFC 6749 §5.2 error, and its log entry. */
  async function refused(
    response: Awaited<ReturnType<typeof oauth>>,
    status: number,
    error: string,
    reason: string,
    action = 'identity.client.token.refused',
  ) {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json() as { error: string; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_description.length).toBeGreaterThan(5);
    if (error === 'invalid_client') expect(response.headers['www-authenticate']).toMatch(/^Basic /);
    const entry = await lastEntry();
    expect(entry).toMatchObject({ action, actor: { type: 'anonymous' }, details: { reason } });
    return entry;
  }

  it('refuses a wrong secret (401 invalid_client), logging the client', async () => {
    const entry = await refused(
      await oauth('token', form({ grant_type: 'client_credentials' }), {
        authorization: basic(client.clientId, `${client.clientSecret.slice(0, -2)}xx`),
      }),
      401,
      'invalid_client',
      'wrong-secret',
    );
    expect(entry.objects).toEqual([{ type: 'client', id: client.item.id }]);
  });

  it('refuses an unknown client (401 invalid_client), logging only a hash of what was sent', async () => {
    const entry = await refused(
      await oauth(
        'token',
        form({ grant_type: 'client_credentials', client_id: 'dpcl_nobody', client_secret: 'guess' }),
      ),
      401,
      'invalid_client',
      'unknown-client',
    );
    expect(entry.objects).toEqual([]);
    expect(entry.details?.presentedClientIdSha256).toBe(
      createHash('sha256').update('dpcl_nobody').digest('hex'),
    );
    expect(JSON.stringify(entry)).not.toContain('guess');
  });

  it('refuses unsupported grant types, missing credentials and bad scopes', async () => {
    await refused(
      await oauth('token', form({ grant_type: 'password', username: 'u', password: 'p' }), {
        authorization: basic(client.clientId, client.clientSecret),
      }),
      400,
      'unsupported_grant_type',
      'unsupported-grant-type',
    );
    await refused(
      await oauth('token', form({ grant_type: 'client_credentials' })),
      401,
      'invalid_client',
      'no-client-authentication',
    );
    await refused(
      await oauth('token', form({ grant_type: 'client_credentials' }), { authorization: 'Basic !!!' }),
      401,
      'invalid_client',
      'no-client-authentication',
    );
    await refused(
      await oauth('token', form({ grant_type: 'client_credentials', scope: 'access:use datastore:manage' }), {
        authorization: basic(client.clientId, client.clientSecret),
      }),
      400,
      'invalid_scope',
      'invalid-scope',
    );
  });

  it('refuses malformed requests as invalid_request', async () => {
    const auth = { authorization: basic(client.clientId, client.clientSecret) };
    await refused(
      await oauth('token', form({ scope: 'access:use' }), auth),
      400,
      'invalid_request',
      'malformed-request',
    );
    await refused(await oauth('token', undefined, auth), 400, 'invalid_request', 'malformed-request');
    await refused(
      await oauth('token', 'grant_type=client_credentials&grant_type=client_credentials', auth),
      400,
      'invalid_request',
      'malformed-request',
    );
    // Two ways of authenticating at once.
    await refused(
      await oauth(
        'token',
        form({
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        }),
        auth,
      ),
      400,
      'invalid_request',
      'malformed-request',
    );
    await refused(
      await oauth('token', '{"grant_type":', { ...auth, 'content-type': 'application/json' }),
      400,
      'invalid_request',
      'malformed-request',
    );
    await refused(
      await oauth('token', { grant_type: { type: 'client_credentials' } }, auth),
      400,
      'invalid_request',
      'malformed-request',
    );
    const inAddress = await t.platform.app.inject({
      method: 'POST',
      url: `/api/v1/oauth/token?client_secret=${encodeURIComponent(client.clientSecret)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth },
      payload: form({ grant_type: 'client_credentials' }),
    });
    await refused(inAddress, 400, 'invalid_request', 'malformed-request');
  });
});

describe('what a business system reads (Art. 17)', () => {
  let haidianToken: string;
  let healthToken: string;
  let haidianClient: Registered;

  beforeAll(async () => {
    haidianClient = await register(callers['haidian-admin']!, haidian.id, '海淀区数据核对系统');
    haidianToken = await tokenFor(haidianClient);
    healthToken = await tokenFor(await register(callers['health-admin']!, health.id, '卫健委业务系统'));
  });

  function fieldsOf(response: Awaited<ReturnType<typeof records>>): string[] {
    return (response.json() as { fields: { name: string }[] }).fields.map((f) => f.name);
  }

  it('unconditional sharing for every institution, conditional only with a grant, not-shared never', async () => {
    for (const token of [haidianToken, healthToken]) {
      const shared = await records(token, tables.unconditional.table);
      expect(shared.statusCode, shared.body).toBe(200);
      expect(fieldsOf(shared)).toEqual(ALL_FIELDS);
      expect((shared.json() as { records: unknown[] }).records).toHaveLength(3);
      const conditional = await records(token, tables.conditional.table);
      expect(conditional.statusCode, conditional.body).toBe(403);
      expect((conditional.json() as { code: string }).code).toBe('DATASTORE_GRANT_REQUIRED');
      expect((await records(token, tables.not_shared.table)).statusCode).toBe(404);
    }

    await shareGrantForHaidian(tables.conditional.code);

    // The grant is Haidian's: its system reads the granted fields, the health commission's still nothing.
    const granted = await records(haidianToken, tables.conditional.table);
    expect(granted.statusCode, granted.body).toBe(200);
    expect(fieldsOf(granted)).toEqual(GRANTED_FIELDS);
    const read = await lastEntry();
    expect(read.action).toBe('datastore.records.read');
    expect(read.actor).toEqual({ type: 'client', id: haidianClient.item.id });
    expect((await records(healthToken, tables.conditional.table)).statusCode).toBe(403);
    expect((await records(haidianToken, tables.not_shared.table)).statusCode).toBe(404);
  });

  it('can do nothing but read', async () => {
    const bearer = { authorization: `Bearer ${haidianToken}` };
    const create = await t.platform.app.inject({
      method: 'POST',
      url: '/api/v1/datastore/resources',
      headers: bearer,
      payload: { entryCode: tables.unconditional.code, name: 'x' },
    });
    expect(create.statusCode).toBe(403);
    expect((await t.platform.app.inject({ url: '/api/v1/me/tokens', headers: bearer })).statusCode).toBe(403);
    expect(
      (await t.platform.app.inject({ url: `/api/v1/organizations/${haidian.id}/clients`, headers: bearer }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.platform.app.inject({ url: '/api/v1/access/applications', headers: bearer })).statusCode,
    ).toBe(403);
  });

  it('shows the provider which institutions’ systems read its data, and how much', async () => {
    const view = async () =>
      (
        await inject(callers['transport-admin'], 'GET', `/api/v1/usage/organizations/${transport.id}?days=7`)
      ).json() as { callers: { kind: string; organizationId: string | null; count: number }[] };
    const countOf = (v: Awaited<ReturnType<typeof view>>, organizationId: string) =>
      v.callers.find((c) => c.kind === 'system' && c.organizationId === organizationId)?.count ?? 0;
    const before = await view();
    await records(haidianToken, tables.unconditional.table);
    await records(haidianToken, tables.conditional.table);
    await records(healthToken, tables.unconditional.table);
    const after = await view();
    expect(countOf(after, haidian.id) - countOf(before, haidian.id)).toBe(2);
    expect(countOf(after, health.id) - countOf(before, health.id)).toBe(1);
    // A person of the same institution is counted as the institution, not as a system.
    const member = await inject(
      callers['haidian-member'],
      'GET',
      `/api/v1/datastore/${tables.unconditional.table}/records`,
    );
    expect(member.statusCode).toBe(200);
    expect(countOf(await view(), haidian.id)).toBe(countOf(after, haidian.id));
  });
});

describe('revocation, rotation and expiry', () => {
  it('revoking the client stops its cached token at once, and logs the replay once a minute', async () => {
    const client = await register(callers['haidian-admin']!, haidian.id, '即将停用的系统');
    const token = await tokenFor(client);
    // Read once, so that the token is in the cache of resolved callers.
    expect((await records(token, tables.unconditional.table)).statusCode).toBe(200);
    const revoked = await inject(
      callers['haidian-admin'],
      'DELETE',
      `/api/v1/organizations/${haidian.id}/clients/${client.clientId}`,
    );
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect(await lastEntry()).toMatchObject({
      action: 'identity.client.revoked',
      objects: [
        { type: 'organization', id: haidian.id },
        { type: 'client', id: client.item.id },
      ],
      details: { tokensRevoked: 1 },
    });

    const replay = await records(token, tables.unconditional.table);
    expect(replay.statusCode).toBe(401);
    expect((replay.json() as { code: string }).code).toBe('TOKEN_REVOKED');
    expect(await lastEntry()).toMatchObject({
      action: 'identity.client.token.replayed',
      objects: [{ type: 'client', id: client.item.id }, { type: 'client-token' }],
      details: { reason: 'client-revoked' },
    });
    const size = await t.platform.ledger.size();
    expect((await records(token, tables.unconditional.table)).statusCode).toBe(401);
    expect(await t.platform.ledger.size()).toBe(size);

    // A revoked client gets no new token, even with its right secret.
    const asked = await oauth('token', form({ grant_type: 'client_credentials' }), {
      authorization: basic(client.clientId, client.clientSecret),
    });
    expect(asked.statusCode).toBe(401);
    expect((asked.json() as { error: string }).error).toBe('invalid_client');
    expect(await lastEntry()).toMatchObject({
      action: 'identity.client.token.refused',
      objects: [{ type: 'client', id: client.item.id }],
      details: { reason: 'revoked-client' },
    });
    // Revoked once is revoked: a second revocation finds no active client.
    const again = await inject(
      callers['haidian-admin'],
      'DELETE',
      `/api/v1/organizations/${haidian.id}/clients/${client.clientId}`,
    );
    expect(again.statusCode).toBe(404);
    const listed = (
      await inject(callers['haidian-admin'], 'GET', `/api/v1/organizations/${haidian.id}/clients`)
    ).json() as {
      items: { clientId: string; revokedAt: string | null }[];
    };
    expect(listed.items.find((c) => c.clientId === client.clientId)?.revokedAt).not.toBeNull();
  });

  it('refuses an expired token with 401 and logs its replay', async () => {
    const client = await register(callers['haidian-admin']!, haidian.id, '过期令牌系统');
    const token = await tokenFor(client);
    await t.platform.db.kysely
      .updateTable('identity_client_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('client_id', '=', client.item.id)
      .execute();
    const replay = await records(token, tables.unconditional.table);
    expect(replay.statusCode).toBe(401);
    expect((replay.json() as { code: string }).code).toBe('TOKEN_EXPIRED');
    expect(await lastEntry()).toMatchObject({
      action: 'identity.client.token.replayed',
      details: { reason: 'token-expired' },
    });
    // An unknown token of the right form is a plain 401.
    const unknown = await records(`dpc_${'A'.repeat(43)}`, tables.unconditional.table);
    expect(unknown.statusCode).toBe(401);
    expect((unknown.json() as { code: string }).code).toBe('TOKEN_INVALID');
  });

  it('lets a client revoke its own token (RFC 7009), and no one else’s', async () => {
    const client = await register(callers['haidian-admin']!, haidian.id, '自行撤销令牌的系统');
    const other = await register(callers['health-admin']!, health.id, '另一个系统');
    const token = await tokenFor(client);
    expect((await records(token, tables.unconditional.table)).statusCode).toBe(200);

    const byOther = await oauth('revoke', form({ token }), {
      authorization: basic(other.clientId, other.clientSecret),
    });
    expect(byOther.statusCode).toBe(400);
    expect((byOther.json() as { error: string }).error).toBe('invalid_request');
    expect(await lastEntry()).toMatchObject({
      action: 'identity.client.revocation.refused',
      details: { reason: 'not-own-token' },
    });
    const wrongSecret = await oauth('revoke', form({ token }), {
      authorization: basic(client.clientId, 'nope'),
    });
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.headers['www-authenticate']).toMatch(/^Basic /);
    expect((await records(token, tables.unconditional.table)).statusCode).toBe(200);

    const done = await oauth('revoke', form({ token, token_type_hint: 'access_token' }), {
      authorization: basic(client.clientId, client.clientSecret),
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(await lastEntry()).toMatchObject({
      action: 'identity.client.token.revoked',
      actor: { type: 'client', id: client.item.id },
    });
    const replay = await records(token, tables.unconditional.table);
    expect(replay.statusCode).toBe(401);
    expect((replay.json() as { code: string }).code).toBe('TOKEN_REVOKED');
    expect(await lastEntry()).toMatchObject({ details: { reason: 'token-revoked' } });
    // Revoking what is already revoked, or unknown, is answered 200 without a new entry.
    const size = await t.platform.ledger.size();
    for (const again of [token, 'dpc_unknown'])
      expect(
        (
          await oauth('revoke', form({ token: again }), {
            authorization: basic(client.clientId, client.clientSecret),
          })
        ).statusCode,
      ).toBe(200);
    expect(await t.platform.ledger.size()).toBe(size);
    // The client still gets new tokens.
    expect((await records(await tokenFor(client), tables.unconditional.table)).statusCode).toBe(200);
  });

  it('a rotated secret replaces the old one, whose tokens stop working', async () => {
    const client = await register(callers['haidian-admin']!, haidian.id, '轮换密钥的系统');
    const token = await tokenFor(client);
    expect((await records(token, tables.unconditional.table)).statusCode).toBe(200);
    const rotated = await inject(
      callers['haidian-admin'],
      'POST',
      `/api/v1/organizations/${haidian.id}/clients/${client.clientId}/secret`,
    );
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json() as Registered;
    expect(fresh.clientId).toBe(client.clientId);
    expect(fresh.clientSecret).not.toBe(client.clientSecret);
    expect(await lastEntry()).toMatchObject({
      action: 'identity.client.secret.rotated',
      details: {
        secretSha256: createHash('sha256').update(fresh.clientSecret).digest('hex'),
        tokensRevoked: 1,
      },
    });
    expect((await records(token, tables.unconditional.table)).statusCode).toBe(401);
    const old = await oauth('token', form({ grant_type: 'client_credentials' }), {
      authorization: basic(client.clientId, client.clientSecret),
    });
    expect(old.statusCode).toBe(401);
    expect(
      (
        await records(
          await tokenFor({ ...client, clientSecret: fresh.clientSecret }),
          tables.unconditional.table,
        )
      ).statusCode,
    ).toBe(200);
    // Another institution's admin cannot rotate or revoke it.
    const size = await t.platform.ledger.size();
    for (const [method, suffix] of [
      ['POST', '/secret'],
      ['DELETE', ''],
    ] as const) {
      const response = await inject(
        callers['transport-admin'],
        method,
        `/api/v1/organizations/${haidian.id}/clients/${client.clientId}${suffix}`,
      );
      expect(response.statusCode).toBe(403);
    }
    // Nor can Haidian's admin reach it through another institution's address.
    const elsewhere = await inject(
      callers.operator,
      'DELETE',
      `/api/v1/organizations/${health.id}/clients/${client.clientId}`,
    );
    expect(elsewhere.statusCode).toBe(404);
    expect(await t.platform.ledger.size()).toBe(size);
  });
});

describe('configuration', () => {
  it('reads DATAPOLIS_CLIENT_TOKEN_TTL in seconds, 3600 by default, and refuses nonsense', () => {
    expect(loadConfig({}).clientTokenTtlSeconds).toBe(3600);
    expect(loadConfig({ DATAPOLIS_CLIENT_TOKEN_TTL: '600' }).clientTokenTtlSeconds).toBe(600);
    expect(() => loadConfig({ DATAPOLIS_CLIENT_TOKEN_TTL: '5' })).toThrow(/DATAPOLIS_CLIENT_TOKEN_TTL/);
    expect(() => loadConfig({ DATAPOLIS_CLIENT_TOKEN_TTL: 'an hour' })).toThrow(/DATAPOLIS_CLIENT_TOKEN_TTL/);
  });
});

// Two platforms on one PostgreSQL database stand for two API processes (as in identity-cache.test.ts).
describe.skipIf(!usePostgres)('revocation on one process reaches the other', () => {
  let b: Platform;
  let closeB: () => Promise<void>;

  beforeAll(async () => {
    const url = (t.platform.db.pool as unknown as { options: { connectionString: string } }).options
      .connectionString;
    const db = await createDb({ kind: 'postgres', url, poolSize: 4 });
    b = await createPlatform(t.config, { db, logger: pino({ level: 'silent' }) });
    await b.app.ready();
    closeB = async () => {
      await b.stop();
      await db.close();
    };
  });
  afterAll(async () => {
    await closeB?.();
  });

  it('a client revoked on one process is refused on the other', async () => {
    const client = await register(callers['haidian-admin']!, haidian.id, '跨进程系统');
    const token = await tokenFor(client);
    const onB = async () =>
      (
        await b.app.inject({
          url: `/api/v1/datastore/${tables.unconditional.table}/records`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode;
    expect(await onB()).toBe(200);
    const revoked = await inject(
      callers['haidian-admin'],
      'DELETE',
      `/api/v1/organizations/${haidian.id}/clients/${client.clientId}`,
    );
    expect(revoked.statusCode).toBe(204);
    const deadline = Date.now() + 10_000;
    let status = await onB();
    while (status !== 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await onB();
    }
    expect(status).toBe(401);
  });
});
