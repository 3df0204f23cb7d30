import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import type { SessionUser } from '../src/api/types.ts';
import type { Institution } from '../src/features/catalog/catalog-types.ts';
import { createSharingApi } from '../src/features/sharing/sharing-api.ts';
import {
  chosenInstitution,
  clientNameOf,
  clientRows,
  clientState,
  howToCommands,
  mayOpenSharing,
  maySeeSharing,
  secretAfterRevoke,
  sharingInstitutions,
  sharingProblem,
  takeSecret,
  withRevoked,
  withSystem,
} from '../src/features/sharing/sharing-console.ts';
import type { BusinessSystem } from '../src/features/sharing/sharing-types.ts';

const TRANSPORT = '0b6f3c1e-8d0a-4c55-9d51-8f2b7d1e0a01';
const HEALTH = '0b6f3c1e-8d0a-4c55-9d51-8f2b7d1e0a02';
const COMPANY = '0b6f3c1e-8d0a-4c55-9d51-8f2b7d1e0a03';

function org(id: string, name: string, kind: string): Institution {
  return { id, code: name, name, creditCode: '', kind, listed: 0, entries: 0, quality: null };
}

const ORGANIZATIONS = [
  org(TRANSPORT, '北京市交通委员会', 'institution'),
  org(HEALTH, '北京市卫生健康委员会', 'institution'),
  org(COMPANY, '某科技公司', 'company'),
];

function user(overrides: Partial<SessionUser> = {}): SessionUser {
  return {
    id: 'u',
    username: 'u',
    displayName: 'U',
    email: null,
    platformRoles: [],
    memberships: [],
    permissions: [],
    ...overrides,
  };
}

const member = (organizationId: string, role: 'admin' | 'editor' | 'member') =>
  user({ memberships: [{ organizationId, organizationName: '', role }] });

function system(overrides: Partial<BusinessSystem> = {}): BusinessSystem {
  return {
    id: 'c-1',
    clientId: 'dpcl_one',
    name: '交通调度系统',
    organizationId: TRANSPORT,
    scopes: ['access:use'],
    createdBy: 'u-admin',
    createdAt: '2026-03-01T08:00:00.000Z',
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

describe('who manages business systems', () => {
  it('gives institution admins their own institutions and the operator every public institution', () => {
    expect(sharingInstitutions(member(TRANSPORT, 'admin'), ORGANIZATIONS).map((o) => o.id)).toEqual([
      TRANSPORT,
    ]);
    expect(sharingInstitutions(member(TRANSPORT, 'editor'), ORGANIZATIONS)).toEqual([]);
    expect(sharingInstitutions(member(TRANSPORT, 'member'), ORGANIZATIONS)).toEqual([]);
    // Companies use personal tokens, never business systems (Art. 17).
    expect(sharingInstitutions(member(COMPANY, 'admin'), ORGANIZATIONS)).toEqual([]);
    const operator = user({ platformRoles: ['operator'] });
    expect(sharingInstitutions(operator, ORGANIZATIONS).map((o) => o.id)).toEqual([TRANSPORT, HEALTH]);
    expect(sharingInstitutions(user({ platformRoles: ['auditor'] }), ORGANIZATIONS)).toEqual([]);
    expect(sharingInstitutions(undefined, ORGANIZATIONS)).toEqual([]);
  });

  it('shows the link and opens the page to the same people', () => {
    expect(maySeeSharing(member(TRANSPORT, 'admin'), ORGANIZATIONS)).toBe(true);
    expect(maySeeSharing(member(COMPANY, 'admin'), ORGANIZATIONS)).toBe(false);
    expect(maySeeSharing(member(HEALTH, 'editor'), ORGANIZATIONS)).toBe(false);
    expect(maySeeSharing(user({ platformRoles: ['operator'] }), undefined)).toBe(true);
    expect(maySeeSharing(undefined, ORGANIZATIONS)).toBe(false);
    // The route guard has no list of organisations: admins of any one get in, and the page narrows.
    expect(mayOpenSharing(member(COMPANY, 'admin'))).toBe(true);
    expect(mayOpenSharing(member(TRANSPORT, 'editor'))).toBe(false);
    expect(mayOpenSharing(user({ platformRoles: ['operator'] }))).toBe(true);
  });

  it('keeps the institution of the address only when the reader manages it', () => {
    const mine = sharingInstitutions(member(TRANSPORT, 'admin'), ORGANIZATIONS);
    expect(chosenInstitution(TRANSPORT, mine)).toBe(TRANSPORT);
    expect(chosenInstitution(HEALTH, mine)).toBe(TRANSPORT);
    expect(chosenInstitution(null, [])).toBeUndefined();
  });
});

describe('the systems table and the registration form', () => {
  it('lists active systems first, the newest first', () => {
    const rows = clientRows([
      system({ id: 'old', createdAt: '2026-01-01T00:00:00Z' }),
      system({ id: 'gone', createdAt: '2026-06-01T00:00:00Z', revokedAt: '2026-06-02T00:00:00Z' }),
      system({ id: 'new', createdAt: '2026-05-01T00:00:00Z' }),
    ]);
    expect(rows.map((s) => [s.id, clientState(s)])).toEqual([
      ['new', 'active'],
      ['old', 'active'],
      ['gone', 'revoked'],
    ]);
  });

  it('sends a trimmed name of 1 to 100 characters', () => {
    expect(clientNameOf('  交通调度系统 ')).toEqual({ name: '交通调度系统' });
    expect(clientNameOf('   ')).toEqual({ problem: 'nameRequired' });
    expect(clientNameOf(undefined)).toEqual({ problem: 'nameRequired' });
    expect(clientNameOf('x'.repeat(101))).toEqual({ problem: 'nameTooLong' });
    expect(clientNameOf('x'.repeat(100)).name).toHaveLength(100);
  });

  it('puts a registered system first and a changed one in its place', () => {
    const list = [system({ id: 'a', clientId: 'dpcl_a' }), system({ id: 'b', clientId: 'dpcl_b' })];
    expect(withSystem(list, system({ id: 'c' })).map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expect(withSystem(undefined, system({ id: 'c' })).map((s) => s.id)).toEqual(['c']);
    const changed = withSystem(
      list,
      system({ id: 'b', clientId: 'dpcl_b', lastUsedAt: '2026-03-02T00:00:00Z' }),
    );
    expect(changed.map((s) => [s.id, s.lastUsedAt])).toEqual([
      ['a', null],
      ['b', '2026-03-02T00:00:00Z'],
    ]);
    const revoked = withRevoked(list, 'dpcl_b', new Date('2026-03-05T00:00:00Z'));
    expect(revoked.map((s) => s.revokedAt)).toEqual([null, '2026-03-05T00:00:00.000Z']);
  });
});

describe('the how-to', () => {
  it('shows the token call by HTTP Basic and a records call with the bearer token, on this platform', () => {
    const commands = howToCommands('https://data.city.example/');
    expect(commands.token).toBe(
      [
        'curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials \\',
        '  https://data.city.example/api/v1/oauth/token',
        '# {"access_token":"dpc_…","token_type":"Bearer","expires_in":3600,"scope":"access:use"}',
      ].join('\n'),
    );
    expect(commands.records).toBe(
      [
        'curl -s -H "Authorization: Bearer $ACCESS_TOKEN" \\',
        '  "https://data.city.example/api/v1/datastore/$TABLE_ID/records?limit=100"',
      ].join('\n'),
    );
    expect(howToCommands('http://127.0.0.1:3000').token).toContain(
      'http://127.0.0.1:3000/api/v1/oauth/token',
    );
  });
});

// A real HTTP server standing in for the business-system routes, with their rules: only public
// institutions register, a secret is in the registration and rotation answers only, a revoked system
// can be neither rotated nor revoked again.
interface Stored {
  item: BusinessSystem;
  secret: string;
}
let server: Server;
let base = '';
let stored: Stored[] = [];
let counter = 0;
const seen: { method: string; url: string; csrf: string | undefined; body: unknown }[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
    });
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const text = await readBody(req);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const csrf = req.headers['x-csrf-token'];
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      csrf: typeof csrf === 'string' ? csrf : undefined,
      body,
    });
    const send = (status: number, value?: unknown, type = 'application/json') => {
      if (value === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'content-type': type }).end(JSON.stringify(value));
    };
    const problem = (status: number, code: string) =>
      send(status, { title: code, status, code, detail: code }, 'application/problem+json');
    const match = /^\/api\/v1\/organizations\/([^/]+)\/clients(?:\/([^/]+)(\/secret)?)?$/.exec(req.url ?? '');
    if (match === null) return problem(404, 'ROUTE_NOT_FOUND');
    const orgId = decodeURIComponent(match[1] ?? '');
    const clientId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    if (req.method !== 'GET' && csrf !== 'csrf-1') return problem(403, 'CSRF_TOKEN_INVALID');
    const active = stored.find(
      (s) => s.item.organizationId === orgId && s.item.clientId === clientId && s.item.revokedAt === null,
    );
    if (req.method === 'GET' && clientId === undefined) {
      return send(200, { items: stored.filter((s) => s.item.organizationId === orgId).map((s) => s.item) });
    }
    if (req.method === 'POST' && clientId === undefined) {
      if (orgId === COMPANY) return problem(403, 'IDENTITY_CLIENT_NOT_INSTITUTION');
      counter += 1;
      const entry: Stored = {
        secret: `dpcs_secret_${counter}`,
        item: system({
          id: `c-${counter}`,
          clientId: `dpcl_${counter}`,
          name: String(body?.name),
          organizationId: orgId,
          createdAt: new Date(Date.UTC(2026, 2, counter)).toISOString(),
        }),
      };
      stored.push(entry);
      return send(201, { clientId: entry.item.clientId, clientSecret: entry.secret, item: entry.item });
    }
    if (req.method === 'POST' && match[3] === '/secret') {
      if (active === undefined) return problem(404, 'IDENTITY_CLIENT_NOT_FOUND');
      counter += 1;
      active.secret = `dpcs_secret_${counter}`;
      return send(200, { clientId: active.item.clientId, clientSecret: active.secret, item: active.item });
    }
    if (req.method === 'DELETE' && clientId !== undefined) {
      if (active === undefined) return problem(404, 'IDENTITY_CLIENT_NOT_FOUND');
      active.item = { ...active.item, revokedAt: '2026-03-20T00:00:00.000Z' };
      return send(204);
    }
    return problem(404, 'ROUTE_NOT_FOUND');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  stored = [];
  seen.length = 0;
});

describe('the console against the business-system routes', () => {
  const api = () => createSharingApi({ language: 'zh-CN', csrfToken: 'csrf-1', base });

  it('registers a system and keeps its secret out of the list it stores', async () => {
    const answer = await api().register(TRANSPORT, '交通调度系统');
    const { secret, item } = takeSecret('created', answer);
    expect(secret).toEqual({
      action: 'created',
      systemName: '交通调度系统',
      clientId: answer.clientId,
      clientSecret: answer.clientSecret,
    });
    const list = withSystem([], item);
    expect(JSON.stringify(list)).not.toContain(answer.clientSecret);
    expect(Object.keys(item)).not.toContain('clientSecret');
    // The server's list never carries it either: the panel is the only place it is shown.
    const fetched = await api().list(TRANSPORT);
    expect(fetched.items.map((s) => s.clientId)).toEqual([answer.clientId]);
    expect(JSON.stringify(fetched)).not.toContain(answer.clientSecret);
    expect(seen.map((s) => [s.method, s.url, s.csrf, s.body])).toEqual([
      ['POST', `/api/v1/organizations/${TRANSPORT}/clients`, 'csrf-1', { name: '交通调度系统' }],
      ['GET', `/api/v1/organizations/${TRANSPORT}/clients`, undefined, undefined],
    ]);
  });

  it('rotates a secret: a new one, shown once, for the same system', async () => {
    const first = await api().register(TRANSPORT, '交通调度系统');
    const rotated = await api().rotate(TRANSPORT, first.clientId);
    const { secret, item } = takeSecret('rotated', rotated);
    expect(secret.action).toBe('rotated');
    expect(secret.clientId).toBe(first.clientId);
    expect(secret.clientSecret).not.toBe(first.clientSecret);
    expect(item.id).toBe(first.item.id);
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: `/api/v1/organizations/${TRANSPORT}/clients/${first.clientId}/secret`,
      body: undefined,
    });
  });

  it('revokes a system, after which it can be neither rotated nor revoked again', async () => {
    const created = await api().register(TRANSPORT, '应急指挥系统');
    await expect(api().revoke(TRANSPORT, created.clientId)).resolves.toBeUndefined();
    expect(seen.at(-1)).toMatchObject({
      method: 'DELETE',
      url: `/api/v1/organizations/${TRANSPORT}/clients/${created.clientId}`,
      csrf: 'csrf-1',
    });
    const list = await api().list(TRANSPORT);
    expect(list.items.map(clientState)).toEqual(['revoked']);
    for (const again of [
      () => api().rotate(TRANSPORT, created.clientId),
      () => api().revoke(TRANSPORT, created.clientId),
    ]) {
      const error = await again().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(404);
      expect(sharingProblem(error)).toBe('notFound');
    }
    // The panel of a revoked system's secret closes; another system's stays.
    const { secret } = takeSecret('created', created);
    expect(secretAfterRevoke(secret, created.clientId)).toBeUndefined();
    expect(secretAfterRevoke(secret, 'dpcl_other')).toBe(secret);
    expect(secretAfterRevoke(undefined, created.clientId)).toBeUndefined();
  });

  it('explains that a company cannot register a system', async () => {
    const error = await api()
      .register(COMPANY, '企业系统')
      .catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(403);
    expect(sharingProblem(error)).toBe('notInstitution');
    expect(
      sharingProblem(new ApiError({ status: 403, title: 'Forbidden', code: 'FORBIDDEN' })),
    ).toBeUndefined();
  });

  it('sends its session’s CSRF token with every change', async () => {
    const anonymous = createSharingApi({ language: 'en', csrfToken: undefined, base });
    const error = await anonymous.register(TRANSPORT, 'x').catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('CSRF_TOKEN_INVALID');
    expect(stored).toEqual([]);
  });

  it('encodes client ids in the address', async () => {
    await api()
      .revoke(TRANSPORT, 'dpcl_a/b')
      .catch(() => undefined);
    expect(seen.at(-1)?.url).toBe(`/api/v1/organizations/${TRANSPORT}/clients/dpcl_a%2Fb`);
  });
});
