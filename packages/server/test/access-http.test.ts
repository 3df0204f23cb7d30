import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import type { Application, Grant, Notification } from '../src/modules/access/index.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

type User = Caller & { userId: string };

let t: TestPlatform;
let operator: User;
let auditor: User;
let transportAdmin: User;
let transportEditor: User;
let healthAdmin: User;
let haidianMember: User;
let companyAdmin: User;
let citizen: User;
let haidian: { id: string; creditCode: string };
let demoTech: { id: string; creditCode: string };
let conditionalCode: string;
let importantCode: string;
let unconditionalCode: string;
let coreCode: string;
let termsVersion: string;

const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const PURPOSE = '研究城市公交线路覆盖与换乘便利度（保密目的说明）';
const APPLICANT_NAME = '张三丰';

async function inject(caller: Caller | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.platform.app.inject({
    method,
    url,
    headers: headers(caller),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'open',
    entryCode: conditionalCode,
    applicantKind: 'individual',
    applicantName: APPLICANT_NAME,
    purpose: PURPOSE,
    scenario: '学术研究，论文发表',
    fields: ['route_name', 'fare'],
    operations: ['records', 'aggregate'],
    periodStart: today,
    periodEnd: inDays(90),
    securityMeasures: '数据仅保存在加密硬盘上，仅课题组两人可访问',
    termsVersion,
    acceptTerms: true,
    ...overrides,
  };
}

async function apply(caller: Caller, overrides: Record<string, unknown> = {}): Promise<Application> {
  const response = await inject(caller, 'POST', '/api/v1/access/applications', applicationBody(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Application;
}

async function review(caller: Caller, id: string, body: Record<string, unknown>) {
  return inject(caller, 'POST', `/api/v1/access/applications/${id}/review`, body);
}

async function logSize(): Promise<number> {
  return (await t.platform.ledger.listEntries(0, 1, 'desc')).total;
}

interface LogEntry {
  actor: { type: string; id: string };
  action: string;
  objects: { type: string; id: string }[];
  hashes?: { content: string };
  details?: Record<string, unknown>;
}

async function logSince(mark: number): Promise<LogEntry[]> {
  const { items } = await t.platform.ledger.listEntries(mark, 500, 'asc');
  return items.map((i) => JSON.parse(i.entry) as LogEntry);
}

async function notificationsOf(caller: Caller): Promise<{ items: Notification[]; unread: number }> {
  const response = await inject(caller, 'GET', '/api/v1/notifications?limit=200');
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Notification[]; unread: number };
}

async function countApplications(): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM access_applications`.execute(
    t.platform.db.kysely,
  );
  return Number(result.rows[0]!.n);
}

beforeAll(async () => {
  t = await startTestPlatform();
  const bjjtw = await organizationByCode(t, 'bjjtw');
  haidian = await organizationByCode(t, 'haidian');
  demoTech = await organizationByCode(t, 'demo-tech');
  // The transport editor also belongs to the company: their review of its application is a conflict of interest.
  const editorId = (await t.platform.identity.userByUsername('transport-editor'))!.id;
  await t.platform.identity.setMember(systemActor('test'), demoTech.id, editorId, 'member');

  const login = async (username: string): Promise<User> => t.login(username);
  operator = await login('operator');
  auditor = await login('auditor');
  transportAdmin = await login('transport-admin');
  transportEditor = await login('transport-editor');
  healthAdmin = await login('health-admin');
  haidianMember = await login('haidian-member');
  companyAdmin = await login('company-admin');
  citizen = await login('citizen');

  const publish = async (title: string, overrides: Parameters<typeof sampleEntry>[1]) =>
    (
      await publishEntry(
        t,
        transportEditor,
        transportAdmin,
        operator,
        sampleEntry(bjjtw, { title: { zh: title, en: title }, ...overrides }),
      )
    ).code;
  conditionalCode = await publish('公交线路（有条件）', {
    openType: 'conditional',
    openCondition: '用于科研或公共服务',
    shareType: 'conditional',
    shareCondition: '用于履行职责',
    grade: 'general-2',
  });
  importantCode = await publish('公交客流（重要数据）', {
    openType: 'conditional',
    openCondition: '经审核的研究用途',
    shareType: 'conditional',
    shareCondition: '用于履行职责',
    grade: 'important',
  });
  unconditionalCode = await publish('公交线路（无条件）', {});
  coreCode = await publish('公交调度（核心数据）', {
    openType: 'not_open',
    shareType: 'conditional',
    shareCondition: '经市大数据中心批准',
    grade: 'core',
  });
  const terms = await inject(undefined, 'GET', '/api/v1/access/terms');
  termsVersion = (terms.json() as { version: string }).version;
});

afterAll(async () => t.close());

describe('the usage agreement', () => {
  it('is public, in three languages, with a version and the hash of its text', async () => {
    const response = await inject(undefined, 'GET', '/api/v1/access/terms');
    expect(response.statusCode).toBe(200);
    const terms = response.json() as { version: string; hash: string; text: Record<string, string> };
    expect(terms.hash).toMatch(/^[0-9a-f]{64}$/);
    for (const lang of ['zh', 'en', 'fr']) expect(terms.text[lang]!.length).toBeGreaterThan(200);
  });
});

describe('apply, ask, reply, approve', () => {
  let application: Application;

  it('files an application with a deadline, tells the reviewers and logs only ids and a hash', async () => {
    const mark = await logSize();
    application = await apply(citizen);
    expect(application).toMatchObject({
      kind: 'open',
      entryCode: conditionalCode,
      state: 'submitted',
      needsCentre: false,
      grade: 'general-2',
      applicant: { userId: citizen.userId, username: 'citizen', kind: 'individual', organizationId: null },
      fields: ['route_name', 'fare'],
      terms: { version: termsVersion },
      grantId: null,
    });
    expect(application.providerName).toMatchObject({ zh: '北京市交通委员会' });
    const deadline = Date.parse(application.reviewDeadline) - Date.parse(application.createdAt);
    expect(Math.abs(deadline - 10 * DAY)).toBeLessThan(60_000);
    expect(application.history.map((h) => h.action)).toEqual(['submitted']);

    const log = await logSince(mark);
    const submitted = log.find((e) => e.action === 'access.application.submitted');
    expect(submitted?.actor).toEqual({ type: 'user', id: citizen.userId });
    expect(submitted?.objects).toContainEqual({ type: 'access-application', id: application.id });
    expect(submitted?.hashes?.content).toMatch(/^[0-9a-f]{64}$/);
    // The application keeps the same hash of what was declared, so the log proves the stored text.
    expect(submitted?.details?.contentHash).toBe(submitted?.hashes?.content);
    const text = JSON.stringify(log);
    for (const secret of [PURPOSE, APPLICANT_NAME, 'citizen', '加密硬盘']) expect(text).not.toContain(secret);

    const notices = await notificationsOf(transportEditor);
    expect(notices.items[0]).toMatchObject({
      kind: 'application.submitted',
      params: { applicationId: application.id, entryCode: conditionalCode, entryTitle: '公交线路（有条件）' },
      link: `/access/applications/${application.id}`,
      readAt: null,
    });
  });

  it('shows the application to its applicant, the provider’s queue and oversight, and to no one else', async () => {
    const mine = (await inject(citizen, 'GET', '/api/v1/access/applications?view=mine')).json() as {
      items: Application[];
    };
    expect(mine.items.map((a) => a.id)).toContain(application.id);
    const queue = (
      await inject(transportAdmin, 'GET', '/api/v1/access/applications?view=provider&state=submitted')
    ).json() as {
      items: Application[];
      total: number;
    };
    expect(queue.items.map((a) => a.id)).toContain(application.id);
    const deadlines = queue.items.map((a) => a.reviewDeadline);
    expect(deadlines).toEqual([...deadlines].sort());
    expect((await inject(auditor, 'GET', `/api/v1/access/applications/${application.id}`)).statusCode).toBe(
      200,
    );
    const stranger = await inject(haidianMember, 'GET', `/api/v1/access/applications/${application.id}`);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ code: 'NOT_FOUND' });
    const other = (await inject(healthAdmin, 'GET', '/api/v1/access/applications?view=provider')).json() as {
      items: Application[];
    };
    expect(other.items.map((a) => a.id)).not.toContain(application.id);
  });

  it('asks for more (a comment is required), and the applicant is told', async () => {
    const mark = await logSize();
    const bare = await review(transportEditor, application.id, { decision: 'ask' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const refused = (await logSince(mark)).find((e) => e.action === 'access.application.review-refused');
    expect(refused?.details).toMatchObject({ code: 'VALIDATION_FAILED', decision: 'ask' });

    const asked = await review(transportEditor, application.id, {
      decision: 'ask',
      comment: '请说明论文的发表计划',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ state: 'more_info' });
    const notices = await notificationsOf(citizen);
    expect(notices.items[0]).toMatchObject({
      kind: 'application.asked',
      params: { applicationId: application.id, comment: '请说明论文的发表计划' },
    });
  });

  it('takes the applicant’s reply back to review with a new deadline', async () => {
    const notMine = await inject(
      companyAdmin,
      'POST',
      `/api/v1/access/applications/${application.id}/reply`,
      {
        comment: 'x',
      },
    );
    expect(notMine.statusCode).toBe(404);
    const response = await inject(citizen, 'POST', `/api/v1/access/applications/${application.id}/reply`, {
      comment: '计划在 2027 年发表于交通运输期刊',
      scenario: '学术研究，期刊论文',
    });
    expect(response.statusCode, response.body).toBe(200);
    const replied = response.json() as Application;
    expect(replied).toMatchObject({ state: 'submitted', scenario: '学术研究，期刊论文' });
    expect(Date.parse(replied.reviewDeadline)).toBeGreaterThan(Date.parse(application.reviewDeadline));
    expect(replied.history.map((h) => h.action)).toEqual(['submitted', 'asked', 'replied']);
    expect(replied.history[1]).toMatchObject({ actor: 'transport-editor', comment: '请说明论文的发表计划' });
  });

  it('approves with narrower fields, creating a grant to the end of the period', async () => {
    const widened = await review(transportAdmin, application.id, {
      decision: 'approve',
      fields: ['route_name', 'stops'],
    });
    expect(widened.statusCode).toBe(400);
    const mark = await logSize();
    const response = await review(transportAdmin, application.id, {
      decision: 'approve',
      fields: ['route_name'],
      comment: '同意',
    });
    expect(response.statusCode, response.body).toBe(200);
    const approved = response.json() as Application;
    expect(approved).toMatchObject({ state: 'approved', fields: ['route_name'] });
    expect(approved.grantId).toMatch(/^[0-9a-f-]{36}$/);
    const actions = (await logSince(mark)).map((e) => e.action);
    expect(actions).toEqual(['access.application.approved', 'access.grant.created']);

    const grants = (await inject(citizen, 'GET', '/api/v1/access/grants?view=mine')).json() as {
      items: Grant[];
    };
    const grant = grants.items.find((g) => g.id === approved.grantId)!;
    expect(grant).toMatchObject({
      applicationId: application.id,
      state: 'active',
      fields: ['route_name'],
      operations: ['records', 'aggregate'],
      grantee: { userId: citizen.userId, organizationId: null },
      revokedAt: null,
    });
    expect(grant.validUntil).toBe(`${inDays(91)}T00:00:00.000Z`);

    const actor = await t.platform.identity.resolveUserActor(citizen.userId);
    const scopes = await t.platform.access.activeGrants(actor, conditionalCode);
    expect(scopes).toEqual([
      {
        grantId: approved.grantId,
        kind: 'open',
        fields: ['route_name'],
        operations: ['records', 'aggregate'],
        validUntil: new Date(grant.validUntil),
      },
    ]);
    expect(await t.platform.access.activeGrants(actor, unconditionalCode)).toEqual([]);
    const notices = await notificationsOf(citizen);
    expect(notices.items[0]).toMatchObject({
      kind: 'application.approved',
      params: { grantId: approved.grantId, validUntil: grant.validUntil },
    });
    const provider = (await inject(transportAdmin, 'GET', '/api/v1/access/grants?view=provider')).json() as {
      items: Grant[];
    };
    expect(provider.items.map((g) => g.id)).toContain(approved.grantId);
  });

  it('refuses a second decision on a decided application, and logs the attempt', async () => {
    const mark = await logSize();
    const again = await review(transportAdmin, application.id, { decision: 'reject', comment: '改主意了' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'WRONG_STATE', state: 'approved' });
    const log = await logSince(mark);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      action: 'access.application.review-refused',
      actor: { type: 'user', id: transportAdmin.userId },
      details: { code: 'WRONG_STATE', stage: 'provider' },
    });
    expect(log[0]!.objects).toContainEqual({ type: 'access-application', id: application.id });
  });

  it('queues no mail when no SMTP server is configured', async () => {
    const result = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM kernel_jobs WHERE kind = 'access.mail'`.execute(t.platform.db.kysely);
    expect(Number(result.rows[0]!.n)).toBe(0);
  });
});

describe('important data', () => {
  it('goes to the big data centre after the provider, and the centre approves', async () => {
    const application = await apply(companyAdmin, {
      entryCode: importantCode,
      applicantKind: 'company',
      organizationId: demoTech.id,
      applicantName: '北京数智示范科技有限公司',
      creditCode: demoTech.creditCode,
    });
    expect(application).toMatchObject({ needsCentre: true, grade: 'important' });
    expect(application.applicant).toMatchObject({
      organizationId: demoTech.id,
      creditCode: demoTech.creditCode,
    });

    const provider = await review(transportAdmin, application.id, { decision: 'approve' });
    expect(provider.statusCode, provider.body).toBe(200);
    expect(provider.json()).toMatchObject({ state: 'centre_review', grantId: null });
    const notices = await notificationsOf(operator);
    expect(notices.items[0]).toMatchObject({
      kind: 'application.centre_review',
      params: { applicationId: application.id },
    });

    const queue = (await inject(operator, 'GET', '/api/v1/access/applications?view=centre')).json() as {
      items: Application[];
    };
    expect(queue.items.map((a) => a.id)).toContain(application.id);
    expect((await inject(citizen, 'GET', '/api/v1/access/applications?view=centre')).statusCode).toBe(403);
    // The provider cannot decide for the centre, nor the centre decide before its turn on another one.
    expect(
      (
        await inject(transportAdmin, 'POST', `/api/v1/access/applications/${application.id}/centre-review`, {
          decision: 'approve',
        })
      ).statusCode,
    ).toBe(403);

    const bare = await inject(
      operator,
      'POST',
      `/api/v1/access/applications/${application.id}/centre-review`,
      {
        decision: 'reject',
      },
    );
    expect(bare.statusCode).toBe(400);
    const mark = await logSize();
    const response = await inject(
      operator,
      'POST',
      `/api/v1/access/applications/${application.id}/centre-review`,
      {
        decision: 'approve',
      },
    );
    expect(response.statusCode, response.body).toBe(200);
    const approved = response.json() as Application;
    expect(approved.state).toBe('approved');
    expect(approved.history.map((h) => h.action)).toEqual(['submitted', 'approved', 'centre_approved']);
    expect((await logSince(mark)).map((e) => e.action)).toEqual([
      'access.application.centre-approved',
      'access.grant.created',
    ]);
    const grants = (await inject(companyAdmin, 'GET', '/api/v1/access/grants?state=active')).json() as {
      items: Grant[];
    };
    expect(grants.items.map((g) => g.id)).toContain(approved.grantId);
  });

  it('needs two people: an operator who approved for the provider does not also decide for the centre', async () => {
    const application = await apply(citizen, { entryCode: importantCode });
    expect((await review(operator, application.id, { decision: 'approve' })).statusCode).toBe(200);
    const mark = await logSize();
    const response = await inject(
      operator,
      'POST',
      `/api/v1/access/applications/${application.id}/centre-review`,
      {
        decision: 'approve',
      },
    );
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'SAME_REVIEWER' });
    expect((await logSince(mark))[0]).toMatchObject({
      action: 'access.application.review-refused',
      details: { code: 'SAME_REVIEWER', stage: 'centre' },
    });
  });

  it('can be rejected by the centre with a reason', async () => {
    const application = await apply(citizen, { entryCode: importantCode });
    const early = await inject(
      operator,
      'POST',
      `/api/v1/access/applications/${application.id}/centre-review`,
      {
        decision: 'approve',
      },
    );
    expect(early.statusCode).toBe(409);
    expect((await review(transportEditor, application.id, { decision: 'approve' })).statusCode).toBe(200);
    const response = await inject(
      operator,
      'POST',
      `/api/v1/access/applications/${application.id}/centre-review`,
      {
        decision: 'reject',
        comment: '安全措施不足以保护重要数据',
      },
    );
    expect(response.statusCode, response.body).toBe(200);
    const rejected = response.json() as Application;
    expect(rejected.state).toBe('rejected');
    expect(rejected.history.at(-1)).toMatchObject({ action: 'centre_rejected', actor: 'operator' });
    const notices = await notificationsOf(citizen);
    expect(notices.items[0]).toMatchObject({
      kind: 'application.rejected',
      params: { applicationId: application.id, comment: '安全措施不足以保护重要数据' },
    });
  });
});

describe('rejecting and withdrawing', () => {
  it('rejects only with a reason, which the applicant sees and the log keeps as a hash', async () => {
    const application = await apply(citizen);
    expect(
      (await review(transportEditor, application.id, { decision: 'reject', comment: '  ' })).statusCode,
    ).toBe(400);
    const mark = await logSize();
    const response = await review(transportEditor, application.id, {
      decision: 'reject',
      comment: '用途与开放条件不符',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ state: 'rejected' });
    const log = await logSince(mark);
    expect(log[0]).toMatchObject({ action: 'access.application.rejected' });
    expect(log[0]!.hashes?.content).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(log)).not.toContain('用途与开放条件不符');
    const detail = (
      await inject(citizen, 'GET', `/api/v1/access/applications/${application.id}`)
    ).json() as Application;
    expect(detail.history.at(-1)).toMatchObject({ action: 'rejected', comment: '用途与开放条件不符' });
  });

  it('lets the applicant withdraw a pending application, once', async () => {
    const application = await apply(citizen);
    const response = await inject(
      citizen,
      'POST',
      `/api/v1/access/applications/${application.id}/withdraw`,
      {},
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ state: 'withdrawn' });
    const again = await inject(citizen, 'POST', `/api/v1/access/applications/${application.id}/withdraw`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'WRONG_STATE' });
    const late = await review(transportAdmin, application.id, { decision: 'approve' });
    expect(late.statusCode).toBe(409);
  });
});

describe('a reviewer of the applicant’s own organisation', () => {
  let application: Application;

  it('is refused (own-institution), and the attempt is logged', async () => {
    application = await apply(companyAdmin, {
      applicantKind: 'company',
      organizationId: demoTech.id,
      applicantName: '北京数智示范科技有限公司',
      creditCode: demoTech.creditCode,
    });
    const mark = await logSize();
    const response = await review(transportEditor, application.id, { decision: 'approve' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'OWN_INSTITUTION' });
    const log = await logSince(mark);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      action: 'access.application.review-refused',
      actor: { type: 'user', id: transportEditor.userId },
      details: { code: 'OWN_INSTITUTION', decision: 'approve' },
    });
    const unchanged = (
      await inject(companyAdmin, 'GET', `/api/v1/access/applications/${application.id}`)
    ).json();
    expect(unchanged).toMatchObject({ state: 'submitted' });
  });

  it('leaves the decision to another reviewer', async () => {
    const response = await review(transportAdmin, application.id, { decision: 'approve' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ state: 'approved' });
  });
});

describe('grants', () => {
  let grant: Grant;

  beforeAll(async () => {
    // A longer period than the other grants': the expiry sweep below must leave this one active.
    const application = await apply(citizen, { operations: ['download'], periodEnd: inDays(200) });
    const approved = (
      await review(transportAdmin, application.id, { decision: 'approve' })
    ).json() as Application;
    const list = (await inject(citizen, 'GET', '/api/v1/access/grants')).json() as { items: Grant[] };
    grant = list.items.find((g) => g.id === approved.grantId)!;
  });

  it('work with an API token that carries the access:use scope, and only then', async () => {
    const withScope = await t.platform.identity.resolveToken(
      await t.token('citizen', ['access:use', 'access:read']),
    );
    const scopes = await t.platform.access.activeGrants(withScope, conditionalCode);
    expect(scopes.map((s) => s.grantId)).toContain(grant.id);
    const without = await t.platform.identity.resolveToken(await t.token('citizen', ['access:read']));
    expect(await t.platform.access.activeGrants(without, conditionalCode)).toEqual([]);
    const listed = await t.platform.app.inject({
      method: 'GET',
      url: '/api/v1/access/grants',
      headers: { authorization: `Bearer ${await t.token('citizen', ['access:read'])}` },
    });
    expect(listed.statusCode).toBe(200);
  });

  it('are never active past their end, and the sweep marks, logs and announces the expiry', async () => {
    const actor = await t.platform.identity.resolveUserActor(companyAdmin.userId);
    const mine = (await inject(companyAdmin, 'GET', '/api/v1/access/grants?state=active')).json() as {
      items: Grant[];
    };
    const target = mine.items.find((g) => g.entryCode === conditionalCode)!;
    const end = new Date(target.validUntil);
    expect((await t.platform.access.activeGrants(actor, conditionalCode)).map((s) => s.grantId)).toContain(
      target.id,
    );
    expect(await t.platform.access.activeGrants(actor, conditionalCode, end)).toEqual([]);
    // Before any sweep, the policy can already tell an ended grant from none.
    expect(await t.platform.access.grantsOf(actor, conditionalCode, end)).toContainEqual(
      expect.objectContaining({ id: target.id, state: 'expired' }),
    );

    const mark = await logSize();
    expect(await t.platform.access.expireGrants(new Date(end.getTime() - 1))).toBe(0);
    const swept = await t.platform.access.expireGrants(end);
    expect(swept).toBeGreaterThanOrEqual(1);
    const log = await logSince(mark);
    const entry = log.find((e) => e.objects.some((o) => o.id === target.id));
    expect(entry).toMatchObject({
      action: 'access.grant.expired',
      actor: { type: 'system', id: 'access-expiry' },
    });
    const expired = (await inject(companyAdmin, 'GET', '/api/v1/access/grants?state=expired')).json() as {
      items: Grant[];
    };
    expect(expired.items.find((g) => g.id === target.id)).toMatchObject({ state: 'expired' });
    expect((await notificationsOf(companyAdmin)).items.map((n) => n.kind)).toContain('grant.expired');
  });

  it('are revoked by the provider’s admin with a reason, effective at once; other attempts are refused and logged', async () => {
    const url = `/api/v1/access/grants/${grant.id}/revoke`;
    expect((await inject(transportEditor, 'POST', url, { reason: '编辑无权撤销' })).statusCode).toBe(403);
    expect((await inject(healthAdmin, 'POST', url, { reason: '别的机构' })).statusCode).toBe(404);
    let mark = await logSize();
    const empty = await inject(transportAdmin, 'POST', url, {});
    expect(empty.statusCode).toBe(400);
    expect((await logSince(mark))[0]).toMatchObject({
      action: 'access.grant.revoke-refused',
      details: { code: 'VALIDATION_FAILED', paths: ['reason'] },
    });

    mark = await logSize();
    const response = await inject(transportAdmin, 'POST', url, { reason: '发现数据被转给第三方' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ state: 'revoked', revokedReason: '发现数据被转给第三方' });
    const log = await logSince(mark);
    expect(log[0]).toMatchObject({ action: 'access.grant.revoked' });
    expect(JSON.stringify(log)).not.toContain('第三方');
    const actor = await t.platform.identity.resolveUserActor(citizen.userId);
    expect(
      (await t.platform.access.activeGrants(actor, conditionalCode)).map((s) => s.grantId),
    ).not.toContain(grant.id);
    expect(await t.platform.access.grantsOf(actor, conditionalCode)).toContainEqual({
      id: grant.id,
      kind: 'open',
      fields: ['route_name', 'fare'],
      operations: ['download'],
      validFrom: new Date(grant.validFrom),
      validUntil: new Date(grant.validUntil),
      state: 'revoked',
    });
    expect((await notificationsOf(citizen)).items[0]).toMatchObject({
      kind: 'grant.revoked',
      params: { grantId: grant.id, reason: '发现数据被转给第三方' },
    });

    mark = await logSize();
    const again = await inject(operator, 'POST', url, { reason: '再撤一次' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'WRONG_STATE' });
    expect((await logSince(mark))[0]).toMatchObject({
      action: 'access.grant.revoke-refused',
      actor: { type: 'user', id: operator.userId },
      details: { code: 'WRONG_STATE' },
    });
  });
});

describe('sharing between institutions', () => {
  it('lets an institution apply for conditional sharing, and its members use the grant', async () => {
    const application = await apply(haidianMember, {
      kind: 'share',
      applicantKind: 'institution',
      organizationId: haidian.id,
      applicantName: '北京市海淀区人民政府',
      creditCode: haidian.creditCode,
    });
    const approved = (
      await review(transportAdmin, application.id, { decision: 'approve' })
    ).json() as Application;
    expect(approved.state).toBe('approved');
    const actor = await t.platform.identity.resolveUserActor(haidianMember.userId);
    expect(await t.platform.access.activeGrants(actor, conditionalCode)).toMatchObject([
      { grantId: approved.grantId, kind: 'share' },
    ]);
  });
});

describe('bad input', () => {
  let before: number;
  beforeAll(async () => {
    before = await countApplications();
  });

  async function refused(
    caller: Caller,
    body: Record<string, unknown>,
    status: number,
    code: string,
  ): Promise<{ problem: Record<string, unknown>; log: LogEntry }> {
    const mark = await logSize();
    const response = await inject(caller, 'POST', '/api/v1/access/applications', body);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json() as Record<string, unknown>;
    expect(problem.code).toBe(code);
    const log = await logSince(mark);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'access.application.refused', details: { code } });
    return { problem, log: log[0]! };
  }

  it('refuses an application without a purpose (400), and logs it', async () => {
    const { purpose: _, ...withoutPurpose } = applicationBody();
    const { problem, log } = await refused(citizen, withoutPurpose, 400, 'VALIDATION_FAILED');
    expect(problem.errors).toContainEqual({ path: 'purpose', message: 'is required' });
    expect(log).toMatchObject({
      actor: { type: 'user', id: citizen.userId },
      details: { paths: ['purpose'] },
    });
    const blank = await refused(citizen, applicationBody({ purpose: '   ' }), 400, 'VALIDATION_FAILED');
    expect(blank.log.details).toMatchObject({ paths: ['purpose'] });
  });

  it('refuses applications whose terms were not accepted (422)', async () => {
    await refused(citizen, applicationBody({ acceptTerms: false }), 422, 'TERMS_NOT_ACCEPTED');
    await refused(citizen, applicationBody({ termsVersion: '1999-01-01' }), 422, 'TERMS_NOT_ACCEPTED');
  });

  it('refuses entries that are not opened or shared under conditions (409)', async () => {
    await refused(citizen, applicationBody({ entryCode: unconditionalCode }), 409, 'NOT_CONDITIONAL');
    await refused(
      haidianMember,
      applicationBody({
        kind: 'share',
        entryCode: unconditionalCode,
        applicantKind: 'institution',
        organizationId: haidian.id,
        creditCode: haidian.creditCode,
      }),
      409,
      'NOT_CONDITIONAL',
    );
  });

  it('never opens or shares core data (403)', async () => {
    const { log } = await refused(
      haidianMember,
      applicationBody({
        kind: 'share',
        entryCode: coreCode,
        applicantKind: 'institution',
        organizationId: haidian.id,
        creditCode: haidian.creditCode,
      }),
      403,
      'CORE_DATA',
    );
    expect(log.objects[0]).toMatchObject({ type: 'catalog-entry' });
  });

  it('keeps sharing to public institutions (403)', async () => {
    await refused(
      citizen,
      applicationBody({ kind: 'share', applicantKind: 'institution' }),
      403,
      'NOT_AN_INSTITUTION',
    );
    await refused(
      companyAdmin,
      applicationBody({
        kind: 'share',
        applicantKind: 'institution',
        organizationId: demoTech.id,
        creditCode: demoTech.creditCode,
      }),
      403,
      'NOT_AN_INSTITUTION',
    );
  });

  it('refuses fields the entry does not have (422)', async () => {
    const { problem } = await refused(
      citizen,
      applicationBody({ fields: ['route_name', 'id_card_number'] }),
      422,
      'UNKNOWN_FIELD',
    );
    expect(problem.errors).toEqual([
      { path: 'fields/1', message: 'the entry has no information item "id_card_number"' },
    ]);
  });

  it('answers 404 for an unknown entry or application', async () => {
    await refused(citizen, applicationBody({ entryCode: '9-99-999-999-999999' }), 404, 'NOT_FOUND');
    const response = await inject(citizen, 'GET', `/api/v1/access/applications/${randomUUID()}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('checks who the applicant is and the period asked for (400)', async () => {
    const badCode = `${demoTech.creditCode.slice(0, 17)}${demoTech.creditCode.endsWith('0') ? '1' : '0'}`;
    const company = {
      applicantKind: 'company',
      organizationId: demoTech.id,
      applicantName: '北京数智示范科技有限公司',
    };
    const cases: [Caller, Record<string, unknown>, string][] = [
      [companyAdmin, { ...company, creditCode: badCode }, 'creditCode'],
      [companyAdmin, company, 'creditCode'],
      [citizen, { ...company, creditCode: demoTech.creditCode }, 'organizationId'],
      [citizen, { periodEnd: inDays(400) }, 'periodEnd'],
      [citizen, { periodStart: inDays(10), periodEnd: inDays(5) }, 'periodEnd'],
      [citizen, { periodStart: '2020-01-01', periodEnd: '2020-06-01' }, 'periodStart'],
      [citizen, { periodEnd: '2026-02-30' }, 'periodEnd'],
      [transportEditor, {}, 'entryCode'],
    ];
    for (const [caller, overrides, path] of cases) {
      const { log } = await refused(caller, applicationBody(overrides), 400, 'VALIDATION_FAILED');
      expect(log.details?.paths, JSON.stringify(overrides)).toContain(path);
    }
  });

  it('leaves nothing half-written', async () => {
    expect(await countApplications()).toBe(before);
  });
});

describe('notifications', () => {
  it('lists the unread ones, marks one read, and keeps each user’s to themselves', async () => {
    const unread = (await inject(citizen, 'GET', '/api/v1/notifications?unread=true')).json() as {
      items: Notification[];
      unread: number;
    };
    expect(unread.unread).toBeGreaterThan(0);
    expect(unread.items.every((n) => n.readAt === null)).toBe(true);
    const first = unread.items[0]!;
    expect(
      (await inject(companyAdmin, 'POST', `/api/v1/notifications/${first.id}/read`, {})).statusCode,
    ).toBe(404);
    const marked = await inject(citizen, 'POST', `/api/v1/notifications/${first.id}/read`, {});
    expect(marked.statusCode).toBe(204);
    const after = (await inject(citizen, 'GET', '/api/v1/notifications')).json() as {
      items: Notification[];
      unread: number;
    };
    expect(after.unread).toBe(unread.unread - 1);
    expect(after.items.find((n) => n.id === first.id)?.readAt).not.toBeNull();
    expect((await inject(citizen, 'POST', `/api/v1/notifications/${randomUUID()}/read`, {})).statusCode).toBe(
      404,
    );
  });
});
