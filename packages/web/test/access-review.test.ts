import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../src/api/types.ts';
import { createAccessApi } from '../src/features/access/access-api.ts';
import type { Application } from '../src/features/access/access-types.ts';
import {
  abilitiesOf,
  byDeadline,
  centreReviewRequest,
  isOverdue,
  mayRevoke,
  replyRequest,
  reviewRequest,
  revokeReason,
  timeLeft,
} from '../src/features/access/application-rules.ts';
import { problemCode } from '../src/features/access/problem-codes.ts';

const PROVIDER = 'org-transport';

function user(overrides: Partial<SessionUser> = {}): SessionUser {
  return {
    id: 'u-other',
    username: 'other',
    displayName: 'Other',
    email: null,
    platformRoles: [],
    memberships: [],
    permissions: [],
    ...overrides,
  };
}

function application(overrides: Partial<Application> = {}): Application {
  return {
    id: 'app-1',
    kind: 'open',
    entryCode: '2-04-001-001-000001',
    entryTitle: { zh: '北京市公交线路', en: 'Beijing bus lines' },
    providerOrganizationId: PROVIDER,
    providerName: { zh: '北京市交通委员会' },
    grade: 'general-2',
    needsCentre: false,
    applicant: {
      userId: 'u-applicant',
      username: 'wang',
      kind: 'company',
      organizationId: 'org-company',
      name: '某公司',
      creditCode: '11110000000021135M',
    },
    purpose: '研究',
    scenario: '出行规划',
    fields: ['line_no', 'stops', 'first_bus'],
    operations: ['records'],
    periodStart: '2026-03-01',
    periodEnd: '2027-02-28',
    securityMeasures: '专人专机',
    terms: { version: 'v3', hash: 'abc', acceptedAt: '2026-03-01T08:00:00Z' },
    state: 'submitted',
    reviewDeadline: '2026-03-11T08:00:00Z',
    history: [{ at: '2026-03-01T08:00:00Z', actor: 'user:u-applicant', action: 'submitted', comment: null }],
    grantId: null,
    createdAt: '2026-03-01T08:00:00Z',
    updatedAt: '2026-03-01T08:00:00Z',
    ...overrides,
  };
}

const applicant = user({ id: 'u-applicant', username: 'wang' });
const editor = user({
  id: 'u-editor',
  memberships: [{ organizationId: PROVIDER, organizationName: '交通委', role: 'editor' }],
});
const plainMember = user({
  id: 'u-member',
  memberships: [{ organizationId: PROVIDER, organizationName: '交通委', role: 'member' }],
});
const operator = user({ id: 'u-operator', platformRoles: ['operator'] });

describe('who may do what with an application', () => {
  it('lets the provider’s admins and editors review a submitted application', () => {
    expect(abilitiesOf(application(), editor)).toEqual({
      reply: false,
      withdraw: false,
      review: true,
      centreReview: false,
    });
    expect(abilitiesOf(application(), plainMember).review).toBe(false);
    expect(abilitiesOf(application({ state: 'more_info' }), editor).review).toBe(false);
    expect(abilitiesOf(application(), operator).review).toBe(false);
  });

  it('lets operators decide only in the centre review', () => {
    expect(abilitiesOf(application({ state: 'centre_review' }), operator).centreReview).toBe(true);
    expect(abilitiesOf(application({ state: 'submitted' }), operator).centreReview).toBe(false);
    expect(abilitiesOf(application({ state: 'centre_review' }), editor).centreReview).toBe(false);
  });

  it('lets the applicant reply when asked and withdraw while the application is open', () => {
    expect(abilitiesOf(application({ state: 'more_info' }), applicant)).toMatchObject({
      reply: true,
      withdraw: true,
    });
    expect(abilitiesOf(application({ state: 'submitted' }), applicant)).toMatchObject({
      reply: false,
      withdraw: true,
    });
    expect(abilitiesOf(application({ state: 'approved' }), applicant)).toMatchObject({
      reply: false,
      withdraw: false,
    });
    expect(abilitiesOf(application(), undefined)).toEqual({
      reply: false,
      withdraw: false,
      review: false,
      centreReview: false,
    });
  });

  it('lets the provider’s admins and the operator revoke active grants', () => {
    const grant = { providerOrganizationId: PROVIDER, state: 'active' as const };
    const admin = user({
      memberships: [{ organizationId: PROVIDER, organizationName: '交通委', role: 'admin' }],
    });
    expect(mayRevoke(grant, admin)).toBe(true);
    expect(mayRevoke(grant, operator)).toBe(true);
    expect(mayRevoke(grant, editor)).toBe(false);
    expect(mayRevoke({ ...grant, state: 'revoked' }, admin)).toBe(false);
    expect(revokeReason('   ')).toBeUndefined();
    expect(revokeReason(' 超范围使用 ')).toBe('超范围使用');
  });
});

describe('the review queue order and deadlines', () => {
  const now = new Date('2026-03-12T08:00:00Z');

  it('marks submitted applications past their deadline as overdue, and only those', () => {
    expect(isOverdue(application(), now)).toBe(true);
    expect(isOverdue(application({ state: 'more_info' }), now)).toBe(false);
    expect(isOverdue(application({ reviewDeadline: '2026-03-20T08:00:00Z' }), now)).toBe(false);
  });

  it('sorts by deadline, the earliest first', () => {
    const rows = [
      application({ id: 'late', reviewDeadline: '2026-03-20T08:00:00Z' }),
      application({ id: 'early', reviewDeadline: '2026-03-05T08:00:00Z' }),
      application({ id: 'middle', reviewDeadline: '2026-03-11T08:00:00Z' }),
    ];
    expect(rows.sort(byDeadline).map((a) => a.id)).toEqual(['early', 'middle', 'late']);
  });

  it('says the time left in days, hours in the last day, and how late after it passed', () => {
    expect(timeLeft('2026-03-15T08:00:00Z', now)).toEqual({ key: 'daysLeft', count: 3 });
    expect(timeLeft('2026-03-12T13:30:00Z', now)).toEqual({ key: 'hoursLeft', count: 5 });
    expect(timeLeft('2026-03-12T07:00:00Z', now)).toEqual({ key: 'overdueHours', count: 1 });
    expect(timeLeft('2026-03-09T08:00:00Z', now)).toEqual({ key: 'overdueDays', count: 3 });
    expect(timeLeft('2026-03-09T08:00:00Z', now, true)).toEqual({ key: 'ended', count: 0 });
  });
});

describe('review decisions', () => {
  const app = application();

  it('approves as asked without narrowing anything', () => {
    expect(reviewRequest(app, { decision: 'approve', fields: app.fields, periodEnd: app.periodEnd })).toEqual(
      {
        request: { decision: 'approve' },
      },
    );
    expect(reviewRequest(app, { decision: 'approve', comment: ' 同意 ' })).toEqual({
      request: { decision: 'approve', comment: '同意' },
    });
  });

  it('narrows fields (in the asked order) and the end date, never widens them', () => {
    expect(
      reviewRequest(app, { decision: 'approve', fields: ['first_bus', 'line_no'], periodEnd: '2026-09-30' }),
    ).toEqual({
      request: { decision: 'approve', fields: ['line_no', 'first_bus'], periodEnd: '2026-09-30' },
    });
    expect(reviewRequest(app, { decision: 'approve', fields: ['line_no', 'driver_id'] }).problem).toEqual({
      field: 'fields',
      key: 'onlyNarrow',
    });
    expect(reviewRequest(app, { decision: 'approve', fields: [] }).problem?.key).toBe('fieldsRequired');
    expect(reviewRequest(app, { decision: 'approve', periodEnd: '2027-06-30' }).problem).toEqual({
      field: 'periodEnd',
      key: 'onlyEarlier',
    });
    expect(reviewRequest(app, { decision: 'approve', periodEnd: '2026-03-01' }).problem?.key).toBe(
      'afterStart',
    );
  });

  it('needs a reason to reject and a question to ask, and sends no narrowing with them', () => {
    expect(reviewRequest(app, { decision: 'reject', comment: '  ' }).problem).toEqual({
      field: 'comment',
      key: 'reasonRequired',
    });
    expect(reviewRequest(app, { decision: 'ask' }).problem).toEqual({
      field: 'comment',
      key: 'questionRequired',
    });
    expect(reviewRequest(app, { decision: 'reject', comment: '用途不明', fields: ['line_no'] })).toEqual({
      request: { decision: 'reject', comment: '用途不明' },
    });
  });

  it('needs a reason for the centre to reject', () => {
    expect(centreReviewRequest('reject', '')).toEqual({ problem: 'reasonRequired' });
    expect(centreReviewRequest('approve', undefined)).toEqual({ request: { decision: 'approve' } });
    expect(centreReviewRequest('reject', ' 风险过高 ')).toEqual({
      request: { decision: 'reject', comment: '风险过高' },
    });
  });

  it('replies with the answer plus only what changed', () => {
    expect(replyRequest(app, { comment: '' })).toEqual({ problem: 'answerRequired' });
    expect(
      replyRequest(app, {
        comment: '已补充',
        purpose: app.purpose,
        scenario: ' 公交调度 ',
        fields: app.fields,
        periodEnd: '2026-12-31',
      }),
    ).toEqual({ request: { comment: '已补充', scenario: '公交调度', periodEnd: '2026-12-31' } });
  });
});

// A real HTTP server standing in for the access module's review routes.
let server: Server;
let base = '';
const seen: { method: string; url: string; body: unknown }[] = [];

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
    seen.push({ method: req.method ?? '', url: req.url ?? '', body });
    const reply = (status: number, value: unknown, type = 'application/json') =>
      res.writeHead(status, { 'content-type': type }).end(JSON.stringify(value));
    if (req.url === '/api/v1/access/applications/app-own/review') {
      reply(
        403,
        {
          title: 'Forbidden',
          status: 403,
          code: 'ACCESS_OWN_INSTITUTION',
          detail: 'Member of the applicant.',
        },
        'application/problem+json',
      );
    } else if (req.url === '/api/v1/access/applications/app-1/review') {
      const next =
        body?.decision === 'approve' ? 'approved' : body?.decision === 'ask' ? 'more_info' : 'rejected';
      reply(200, application({ state: next }));
    } else if (req.url === '/api/v1/access/applications/app-1/centre-review') {
      reply(200, application({ state: body?.decision === 'approve' ? 'approved' : 'rejected' }));
    } else if (req.url === '/api/v1/access/applications/app-1/withdraw') {
      reply(200, application({ state: 'withdrawn' }));
    } else if (req.url === '/api/v1/access/grants/g-1/revoke') {
      reply(200, { id: 'g-1', state: 'revoked', revokedReason: body?.reason });
    } else if (req.url?.startsWith('/api/v1/access/applications?')) {
      reply(200, { items: [application()], total: 1 });
    } else {
      reply(404, { title: 'Not found', status: 404, code: 'not-found' }, 'application/problem+json');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('review actions against the access API', () => {
  const api = () => createAccessApi({ language: 'zh-CN', csrfToken: 't', base });

  it('asks the provider view sorted by the server, with the state filter in the query', async () => {
    seen.length = 0;
    const page = await api().applications({ view: 'provider', state: 'submitted', limit: 500, offset: 0 });
    expect(page.total).toBe(1);
    expect(seen[0]?.url).toBe('/api/v1/access/applications?view=provider&state=submitted&limit=500&offset=0');
  });

  it('posts each decision to its route and gets the application back', async () => {
    seen.length = 0;
    const narrowed = reviewRequest(application(), {
      decision: 'approve',
      fields: ['line_no'],
      periodEnd: '2026-06-30',
    });
    expect((await api().review('app-1', narrowed.request!)).state).toBe('approved');
    const asked = reviewRequest(application(), { decision: 'ask', comment: '请说明数据用途' });
    expect((await api().review('app-1', asked.request!)).state).toBe('more_info');
    expect((await api().centreReview('app-1', { decision: 'reject', comment: '风险' })).state).toBe(
      'rejected',
    );
    expect((await api().withdraw('app-1')).state).toBe('withdrawn');
    expect(await api().revoke('g-1', '超范围使用')).toMatchObject({
      state: 'revoked',
      revokedReason: '超范围使用',
    });
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      [
        'POST',
        '/api/v1/access/applications/app-1/review',
        { decision: 'approve', fields: ['line_no'], periodEnd: '2026-06-30' },
      ],
      ['POST', '/api/v1/access/applications/app-1/review', { decision: 'ask', comment: '请说明数据用途' }],
      ['POST', '/api/v1/access/applications/app-1/centre-review', { decision: 'reject', comment: '风险' }],
      ['POST', '/api/v1/access/applications/app-1/withdraw', undefined],
      ['POST', '/api/v1/access/grants/g-1/revoke', { reason: '超范围使用' }],
    ]);
  });

  it('recognises the refusal of a reviewer from the applicant’s own organisation', async () => {
    const error = await api()
      .review('app-own', { decision: 'approve' })
      .catch((e: unknown) => e);
    expect(problemCode(error)).toBe('own-institution');
  });
});
