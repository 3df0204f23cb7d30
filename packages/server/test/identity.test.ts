import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidCreditCode, withCreditCheck } from '../src/lib/credit-code.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => t.close());

async function as(username: string) {
  const session = await t.login(username);
  return {
    userId: session.userId,
    async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
      return t.platform.app.inject({
        method,
        url,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    },
  };
}

async function orgId(code: string): Promise<string> {
  const list = (await t.platform.app.inject({ url: `/api/v1/organizations?q=${code}` })).json();
  return list.items.find((o: { code: string }) => o.code === code).id;
}

describe('unified social credit codes (GB 32100-2015)', () => {
  it('accepts published codes and rejects a wrong check character', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
    expect(isValidCreditCode(withCreditCheck('12110000MB0123456'))).toBe(true);
  });
});

describe('organisations', () => {
  it('lists the demo city publicly, with search', async () => {
    const response = await t.platform.app.inject({ url: '/api/v1/organizations' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(9);
    expect(body.items.map((o: { code: string }) => o.code)).toEqual([
      'bjbdc',
      'bjghzrzyw',
      'bjjtw',
      'bjjw',
      'bjscjgj',
      'bjsthjj',
      'bjwjw',
      'demo-tech',
      'haidian',
    ]);
    const search = (
      await t.platform.app.inject({ url: `/api/v1/organizations?q=${encodeURIComponent('交通')}` })
    ).json();
    expect(search.items.map((o: { code: string }) => o.code)).toEqual(['bjjtw']);
  });

  it('lets the operator register and rename one, each step on the log', async () => {
    const operator = await as('operator');
    const before = await t.platform.ledger.size();
    const created = await operator.call('POST', '/api/v1/organizations', {
      code: 'bjsjj',
      name: '北京市统计局',
      nameEn: 'Beijing Municipal Bureau of Statistics',
      kind: 'institution',
      creditCode: withCreditCheck('11110000000024777'),
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const renamed = await operator.call('PATCH', `/api/v1/organizations/${id}`, {
      nameEn: 'Beijing Statistics Bureau',
    });
    expect(renamed.json()).toMatchObject({ nameEn: 'Beijing Statistics Bureau', name: '北京市统计局' });
    expect(await t.platform.ledger.size()).toBe(before + 2);
    const { items } = await t.platform.ledger.listEntries(0, 2, 'desc');
    expect(JSON.parse(items[0]!.entry)).toMatchObject({
      action: 'identity.organization.updated',
      objects: [{ type: 'organization', id }],
    });
    expect(JSON.parse(items[1]!.entry)).toMatchObject({ action: 'identity.organization.created' });
  });

  it('refuses duplicates with 409 and writes nothing', async () => {
    const operator = await as('operator');
    const before = await t.platform.ledger.size();
    const duplicate = await operator.call('POST', '/api/v1/organizations', {
      code: 'bjjtw',
      name: 'again',
      kind: 'institution',
      creditCode: withCreditCheck('11110000000029999'),
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('IDENTITY_DUPLICATE');
    expect(await t.platform.ledger.size()).toBe(before);
  });

  it('refuses other roles', async () => {
    const admin = await as('transport-admin');
    const response = await admin.call('POST', '/api/v1/organizations', {
      code: 'rogue',
      name: 'rogue',
      kind: 'company',
      creditCode: withCreditCheck('91110000000029999'),
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('members and roles', () => {
  it("lets an organisation's admin manage its own members, and only its own", async () => {
    const admin = await as('transport-admin');
    const citizen = await t.platform.identity.userByUsername('citizen');
    const transport = await orgId('bjjtw');
    const health = await orgId('bjwjw');

    const added = await admin.call('PUT', `/api/v1/organizations/${transport}/members/${citizen!.id}`, {
      role: 'editor',
    });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ username: 'citizen', role: 'editor' });
    const members = (await admin.call('GET', `/api/v1/organizations/${transport}/members`)).json();
    expect(members.items.map((m: { username: string }) => m.username)).toContain('citizen');

    const elsewhere = await admin.call('PUT', `/api/v1/organizations/${health}/members/${citizen!.id}`, {
      role: 'editor',
    });
    expect(elsewhere.statusCode).toBe(403);
    const peek = await admin.call('GET', `/api/v1/organizations/${health}/members`);
    expect(peek.statusCode).toBe(403);

    const badRole = await admin.call('PUT', `/api/v1/organizations/${transport}/members/${citizen!.id}`, {
      role: 'owner',
    });
    expect(badRole.statusCode).toBe(400);

    const removed = await admin.call('DELETE', `/api/v1/organizations/${transport}/members/${citizen!.id}`);
    expect(removed.statusCode).toBe(204);
    const again = await admin.call('DELETE', `/api/v1/organizations/${transport}/members/${citizen!.id}`);
    expect(again.statusCode).toBe(404);
  });

  it('lets an admin add a member by username', async () => {
    const admin = await as('transport-admin');
    const transport = await orgId('bjjtw');
    const health = await orgId('bjwjw');
    const added = await admin.call('POST', `/api/v1/organizations/${transport}/members`, {
      username: 'haidian-member',
      role: 'member',
    });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ username: 'haidian-member', role: 'member' });
    const unknown = await admin.call('POST', `/api/v1/organizations/${transport}/members`, {
      username: 'nobody',
      role: 'member',
    });
    expect(unknown.statusCode).toBe(404);
    const elsewhere = await admin.call('POST', `/api/v1/organizations/${health}/members`, {
      username: 'haidian-member',
      role: 'member',
    });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('an editor cannot manage members', async () => {
    const editor = await as('transport-editor');
    const transport = await orgId('bjjtw');
    const citizen = await t.platform.identity.userByUsername('citizen');
    const response = await editor.call('PUT', `/api/v1/organizations/${transport}/members/${citizen!.id}`, {
      role: 'member',
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('users', () => {
  it('lets the operator create a user, grant a platform role and disable the account', async () => {
    const operator = await as('operator');
    const created = await operator.call('POST', '/api/v1/users', {
      username: 'li.na',
      displayName: '李娜',
      email: 'li.na@example.org',
      password: 'a-long-enough-password',
      platformRoles: ['statistician'],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const login = await t.platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'LI.NA', password: 'a-long-enough-password' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.platformRoles).toEqual(['statistician']);

    const disabled = await operator.call('PATCH', `/api/v1/users/${id}`, { disabled: true });
    expect(disabled.json().disabled).toBe(true);
    const refused = await t.platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'li.na', password: 'a-long-enough-password' },
    });
    expect(refused.statusCode).toBe(401);
    const cookie = login.cookies.find((c) => c.name === 'dp_session')!;
    const stale = await t.platform.app.inject({
      url: '/api/v1/me/tokens',
      headers: { cookie: `dp_session=${cookie.value}` },
    });
    expect(stale.statusCode).toBe(401);
  });

  it('validates users: weak password, unknown role, duplicate name, self lock-out', async () => {
    const operator = await as('operator');
    const weak = await operator.call('POST', '/api/v1/users', {
      username: 'weak',
      displayName: 'W',
      password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    const role = await operator.call('POST', '/api/v1/users', {
      username: 'roley',
      displayName: 'R',
      password: 'a-long-enough-password',
      platformRoles: ['king'],
    });
    expect(role.statusCode).toBe(400);
    const dup = await operator.call('POST', '/api/v1/users', {
      username: 'Operator',
      displayName: 'x',
      password: 'a-long-enough-password',
    });
    expect(dup.statusCode).toBe(409);
    const self = await operator.call('PATCH', `/api/v1/users/${operator.userId}`, { disabled: true });
    expect(self.statusCode).toBe(409);
    const list = (await operator.call('GET', '/api/v1/users?q=audit')).json();
    expect(list.items.map((u: { username: string }) => u.username)).toEqual(['auditor']);
    expect(JSON.stringify(list)).not.toContain('password');
  });
});
