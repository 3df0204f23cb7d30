import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAssessment, Transfer } from '../src/modules/security/transfers/index.ts';
import { type Caller, headers, organizationByCode, sampleEntry } from './support/catalog-fixtures.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
let admin: Caller;
let editor: Caller;
let security: Caller;
let operator: Caller;
let auditor: Caller;
let healthAdmin: Caller;
let companyAdmin: Caller;
let citizen: Caller;
let bjjtw: { id: string; creditCode: string };
let bjwjw: { id: string; creditCode: string };
let demoTech: { id: string; creditCode: string };
let generalCode: string;
let importantCode: string;
let healthCode: string;
let companyCode: string;

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  caller?: Caller,
  payload?: unknown,
) {
  return t.platform.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: headers(caller),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function actions(): Promise<string[]> {
  const rows = await sql<{ entry: string }>`SELECT entry FROM ledger_entries ORDER BY idx`.execute(
    t.platform.db.kysely,
  );
  return rows.rows.map((r) => (JSON.parse(r.entry) as { action: string }).action);
}

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  code?: string,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  if (code !== undefined) expect((JSON.parse(response.body) as { code: string }).code).toBe(code);
}

async function route(
  organizationId: string,
  entryCode: string,
  peopleCount: number,
  sensitivePeopleCount: number,
  caller: Caller,
  extra: Record<string, unknown> = {},
): Promise<RouteAssessment> {
  const response = await call('POST', '/security/transfers/route', caller, {
    organizationId,
    entryCodes: [entryCode],
    country: 'SG',
    peopleCount,
    sensitivePeopleCount,
    ...extra,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as RouteAssessment;
}

function body(organizationId: string, entryCode: string, people: number, sensitive: number, extra = {}) {
  return {
    organizationId,
    entryCodes: [entryCode],
    recipient: 'Example Analytics Pte. Ltd.',
    country: 'SG',
    purpose: '跨境客服支持',
    peopleCount: people,
    sensitivePeopleCount: sensitive,
    ...extra,
  };
}

async function draft(caller: Caller, payload: Record<string, unknown>): Promise<Transfer> {
  const response = await call('POST', '/security/transfers', caller, payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Transfer;
}

async function assessAndSubmit(caller: Caller, transfer: Transfer): Promise<Transfer> {
  const assessed = await call('POST', `/security/transfers/${transfer.id}/assessments`, caller, {
    text: '个人信息保护影响评估报告：目的合法、必要，接收方保护水平充分。',
  });
  expect(assessed.statusCode, assessed.body).toBe(201);
  const submitted = await call('POST', `/security/transfers/${transfer.id}/submit`, caller);
  expect(submitted.statusCode, submitted.body).toBe(200);
  return submitted.json() as Transfer;
}

beforeAll(async () => {
  t = await startTestPlatform();
  admin = await t.login('transport-admin');
  editor = await t.login('transport-editor');
  security = await t.login('security');
  operator = await t.login('operator');
  auditor = await t.login('auditor');
  healthAdmin = await t.login('health-admin');
  companyAdmin = await t.login('company-admin');
  citizen = await t.login('citizen');
  bjjtw = await organizationByCode(t, 'bjjtw');
  bjwjw = await organizationByCode(t, 'bjwjw');
  demoTech = await organizationByCode(t, 'demo-tech');
  const create = async (caller: Caller, org: { id: string; creditCode: string }, overrides = {}) => {
    const response = await call('POST', '/catalog/entries', caller, sampleEntry(org, overrides));
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { code: string }).code;
  };
  generalCode = await create(editor, bjjtw);
  importantCode = await create(editor, bjjtw, {
    grade: 'important',
    openType: 'not_open',
    shareType: 'conditional',
    shareCondition: '仅限公共交通管理部门',
  });
  healthCode = await create(healthAdmin, bjwjw);
  companyCode = await create(companyAdmin, demoTech);
});

afterAll(async () => {
  await t?.close();
});

describe('the route at each threshold', () => {
  it('is exempt under 100,000 people and no sensitive information', async () => {
    const r = await route(bjwjw.id, healthCode, 99_999, 0, healthAdmin);
    expect(r.route).toBe('exempt');
    expect(r.reasons.map((x) => x.code)).toEqual(['below-thresholds']);
    expect((await route(bjwjw.id, healthCode, 0, 0, healthAdmin)).route).toBe('exempt');
  });

  it('needs a standard contract or certification from 100,000 to 999,999 people', async () => {
    expect((await route(bjwjw.id, healthCode, 100_000, 0, healthAdmin)).route).toBe(
      'standard-contract-or-certification',
    );
    const top = await route(bjwjw.id, healthCode, 999_999, 0, healthAdmin);
    expect(top.route).toBe('standard-contract-or-certification');
    expect(top.reasons[0]).toMatchObject({ code: 'people-contract', value: 999_999, threshold: 100_000 });
  });

  it('needs a security assessment from 1,000,000 people', async () => {
    const r = await route(bjwjw.id, healthCode, 1_000_000, 0, healthAdmin);
    expect(r.route).toBe('security-assessment');
    expect(r.reasons[0]).toMatchObject({ code: 'people-assessment', value: 1_000_000, threshold: 1_000_000 });
  });

  it('needs a contract for any sensitive information under 10,000 people, an assessment from 10,000', async () => {
    const one = await route(bjwjw.id, healthCode, 0, 1, healthAdmin);
    expect(one.route).toBe('standard-contract-or-certification');
    expect(one.reasons.map((x) => x.code)).toEqual(['sensitive-contract']);
    expect((await route(bjwjw.id, healthCode, 0, 9_999, healthAdmin)).route).toBe(
      'standard-contract-or-certification',
    );
    const at = await route(bjwjw.id, healthCode, 0, 10_000, healthAdmin);
    expect(at.route).toBe('security-assessment');
    expect(at.reasons.map((x) => x.code)).toEqual(['sensitive-assessment']);
  });

  it('needs a security assessment for important data, graded in the catalog or declared', async () => {
    const graded = await route(bjjtw.id, importantCode, 0, 0, admin);
    expect(graded).toMatchObject({ route: 'security-assessment', containsImportantData: true });
    expect(graded.reasons.map((x) => x.code)).toEqual(['important-data']);
    const declared = await route(bjjtw.id, generalCode, 10, 0, admin, { importantDataDeclared: true });
    expect(declared.route).toBe('security-assessment');
    expect((await route(bjjtw.id, generalCode, 10, 0, admin)).route).toBe('exempt');
  });

  it('lists every reason that leads to the route', async () => {
    const r = await route(bjjtw.id, importantCode, 2_000_000, 20_000, admin);
    expect(r.reasons.map((x) => x.code)).toEqual([
      'important-data',
      'people-assessment',
      'sensitive-assessment',
    ]);
  });
});

describe('cumulative counting since 1 January', () => {
  it('adds the organisation’s earlier submitted transfers of the year, not drafts nor rejected ones', async () => {
    const first = await assessAndSubmit(
      companyAdmin,
      await draft(companyAdmin, body(demoTech.id, companyCode, 60_000, 0)),
    );
    expect(first.assessment).toMatchObject({
      route: 'exempt',
      cumulative: { people: 60_000, sensitivePeople: 0 },
    });
    // A draft counts for nothing yet.
    await draft(companyAdmin, body(demoTech.id, companyCode, 500_000, 0));
    const second = await route(demoTech.id, companyCode, 40_000, 0, companyAdmin);
    expect(second).toMatchObject({
      route: 'standard-contract-or-certification',
      earlier: { people: 60_000, sensitivePeople: 0 },
      cumulative: { people: 100_000, sensitivePeople: 0 },
    });
    // Another organisation's transfers are not added.
    expect((await route(bjwjw.id, healthCode, 40_000, 0, healthAdmin)).route).toBe('exempt');
    // A rejected transfer sent nothing abroad.
    const rejected = await call('POST', `/security/transfers/${first.id}/decision`, security, {
      decision: 'reject',
      comment: '接收方保护水平不足',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await actions()).at(-1)).toBe('security.transfer.rejected');
    expect((await route(demoTech.id, companyCode, 40_000, 0, companyAdmin)).route).toBe('exempt');
  });

  it('freezes the route on submission, computed against the year so far', async () => {
    const a = await assessAndSubmit(
      companyAdmin,
      await draft(companyAdmin, body(demoTech.id, companyCode, 0, 6_000)),
    );
    expect(a.assessment.route).toBe('standard-contract-or-certification');
    const b = await assessAndSubmit(
      companyAdmin,
      await draft(companyAdmin, body(demoTech.id, companyCode, 0, 4_000)),
    );
    expect(b.assessment).toMatchObject({
      route: 'security-assessment',
      earlier: { sensitivePeople: 6_000 },
      cumulative: { sensitivePeople: 10_000 },
    });
    expect(b.assessment.reasons.map((x) => x.code)).toEqual(['sensitive-assessment']);
    expect((await actions()).at(-1)).toBe('security.transfer.submitted');
    const approved = await call('POST', `/security/transfers/${b.id}/decision`, security, {
      decision: 'approve',
      reference: 'CAC-2026-001',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      state: 'approved',
      decision: { reference: 'CAC-2026-001', decidedBy: 'security' },
    });
    expect((await actions()).at(-1)).toBe('security.transfer.approved');
    const again = await call('POST', `/security/transfers/${b.id}/decision`, security, {
      decision: 'reject',
      comment: 'x',
    });
    expectProblem(again, 409, 'SECURITY_TRANSFER_WRONG_STATE');
  });
});

describe('the request’s life', () => {
  it('is drafted, changed while a draft, and submitted only with an impact assessment', async () => {
    const before = (await actions()).length;
    const d = await draft(admin, body(bjjtw.id, generalCode, 5_000, 0, { country: 'de' }));
    expect(d).toMatchObject({ state: 'draft', country: 'DE', assessment: { route: 'exempt' } });
    expect((await actions()).slice(before)).toEqual(['security.transfer.drafted']);
    const changed = await call('PUT', `/security/transfers/${d.id}`, admin, {
      entryCodes: [generalCode],
      recipient: 'Beispiel GmbH',
      country: 'DE',
      purpose: '联合研究',
      peopleCount: 150_000,
      sensitivePeopleCount: 0,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      recipient: 'Beispiel GmbH',
      assessment: { route: 'standard-contract-or-certification' },
    });
    const early = await call('POST', `/security/transfers/${d.id}/submit`, admin);
    expectProblem(early, 422, 'SECURITY_TRANSFER_ASSESSMENT_REQUIRED');
    const submitted = await assessAndSubmit(admin, d);
    expect(submitted.state).toBe('submitted');
    const late = await call('PUT', `/security/transfers/${d.id}`, admin, {
      entryCodes: [generalCode],
      recipient: 'x',
      country: 'DE',
      purpose: 'x',
      peopleCount: 1,
      sensitivePeopleCount: 0,
    });
    expectProblem(late, 409, 'SECURITY_TRANSFER_WRONG_STATE');
    const reject = await call('POST', `/security/transfers/${d.id}/decision`, security, {
      decision: 'reject',
    });
    expectProblem(reject, 400);
  });

  it('keeps an impact assessment at least three years and refuses its deletion before', async () => {
    const d = await draft(admin, body(bjjtw.id, generalCode, 10, 0));
    const assessed = await call('POST', `/security/transfers/${d.id}/assessments`, admin, {
      text: '评估报告',
      attachments: [{ name: 'pia.pdf', mediaType: 'application/pdf', size: 12_345, sha256: 'a'.repeat(64) }],
    });
    expect(assessed.statusCode, assessed.body).toBe(201);
    const pia = (assessed.json() as Transfer).impactAssessments[0]!;
    expect(pia.attachments[0]!.name).toBe('pia.pdf');
    const threeYears = new Date(Date.parse(pia.createdAt) + 8 * 3_600_000);
    threeYears.setUTCFullYear(threeYears.getUTCFullYear() + 3);
    expect(pia.retainUntil).toBe(threeYears.toISOString().slice(0, 10));
    expect((await actions()).at(-1)).toBe('security.transfer-assessment.added');
    const before = (await actions()).length;
    const deleted = await call('DELETE', `/security/transfer-assessments/${pia.id}`, admin);
    expectProblem(deleted, 409, 'SECURITY_TRANSFER_ASSESSMENT_RETAINED');
    expect((await actions()).length).toBe(before);
    const still = (await call('GET', `/security/transfers/${d.id}`, auditor)).json() as Transfer;
    expect(still.impactAssessments).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('gets problem documents and writes nothing', async () => {
    const count = async () =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM security_transfers`.execute(t.platform.db.kysely))
          .rows[0]!.n,
      );
    const before = await count();
    expectProblem(
      await call('POST', '/security/transfers', admin, body(bjjtw.id, 'NO-SUCH-CODE', 1, 0)),
      422,
      'SECURITY_TRANSFER_UNKNOWN_ENTRY',
    );
    expectProblem(await call('POST', '/security/transfers', admin, body(bjjtw.id, generalCode, -1, 0)), 400);
    expectProblem(await call('POST', '/security/transfers', admin, body(bjjtw.id, generalCode, 1, -5)), 400);
    expectProblem(
      await call('POST', '/security/transfers', admin, body(bjjtw.id, generalCode, 1, 0, { country: 'XX' })),
      422,
      'SECURITY_TRANSFER_UNKNOWN_COUNTRY',
    );
    expectProblem(
      await call('POST', '/security/transfers', admin, body(bjjtw.id, generalCode, 1, 0, { country: 'CN' })),
      422,
      'SECURITY_TRANSFER_UNKNOWN_COUNTRY',
    );
    expectProblem(
      await call('POST', '/security/transfers', admin, body(bjjtw.id, generalCode, 1, 0, { country: 'SGP' })),
      400,
    );
    expectProblem(
      await call('POST', '/security/transfers/route', admin, {
        organizationId: bjjtw.id,
        entryCodes: [generalCode],
        country: 'ZZ',
        peopleCount: 1,
        sensitivePeopleCount: 0,
      }),
      422,
      'SECURITY_TRANSFER_UNKNOWN_COUNTRY',
    );
    expect(await count()).toBe(before);
  });
});

describe("another organisation's data", () => {
  it('is refused to an admin exactly like a code that does not exist', async () => {
    const before = (await actions()).length;
    const shape = (response: { body: string }, code: string) => {
      const { requestId: _, ...rest } = JSON.parse(response.body.replaceAll(code, 'X')) as Record<
        string,
        unknown
      >;
      return rest;
    };
    // An important entry of the transport commission, named by the health commission's admin.
    const foreign = await call(
      'POST',
      '/security/transfers',
      healthAdmin,
      body(bjwjw.id, importantCode, 1, 0),
    );
    const missing = await call(
      'POST',
      '/security/transfers',
      healthAdmin,
      body(bjwjw.id, 'NO-SUCH-CODE', 1, 0),
    );
    expectProblem(foreign, 422, 'SECURITY_TRANSFER_UNKNOWN_ENTRY');
    expect(shape(foreign, importantCode)).toEqual(shape(missing, 'NO-SUCH-CODE'));
    const preview = await call('POST', '/security/transfers/route', healthAdmin, {
      organizationId: bjwjw.id,
      entryCodes: [healthCode, importantCode],
      country: 'SG',
      peopleCount: 1,
      sensitivePeopleCount: 0,
    });
    expectProblem(preview, 422, 'SECURITY_TRANSFER_UNKNOWN_ENTRY');
    const own = await draft(healthAdmin, body(bjwjw.id, healthCode, 1, 0));
    const edited = await call('PUT', `/security/transfers/${own.id}`, healthAdmin, {
      ...body(bjwjw.id, healthCode, 1, 0),
      organizationId: undefined,
      entryCodes: [healthCode, companyCode],
    });
    expectProblem(edited, 422, 'SECURITY_TRANSFER_UNKNOWN_ENTRY');
    expect((await actions()).slice(before)).toEqual(['security.transfer.drafted']);
  });
});

describe('who may do what', () => {
  it('refuses other roles with 403 problem documents', async () => {
    const before = (await actions()).length;
    expectProblem(await call('POST', '/security/transfers', editor, body(bjjtw.id, generalCode, 1, 0)), 403);
    expectProblem(
      await call('POST', '/security/transfers', healthAdmin, body(bjjtw.id, generalCode, 1, 0)),
      403,
    );
    expectProblem(
      await call('POST', '/security/transfers', security, body(bjjtw.id, generalCode, 1, 0)),
      403,
    );
    expectProblem(await call('GET', '/security/transfers', citizen), 403);
    expectProblem(await call('GET', '/security/transfers'), 401);
    const d = await draft(admin, body(bjjtw.id, generalCode, 1, 0));
    const assessed = await assessAndSubmit(admin, d);
    expectProblem(
      await call('POST', `/security/transfers/${assessed.id}/decision`, admin, { decision: 'approve' }),
      403,
    );
    expectProblem(
      await call('POST', `/security/transfers/${assessed.id}/decision`, operator, { decision: 'approve' }),
      403,
    );
    expectProblem(
      await call('PUT', '/security/transfers/rules', admin, {
        assessmentPeople: 1,
        assessmentSensitivePeople: 1,
        contractPeople: 1,
      }),
      403,
    );
    expectProblem(await call('GET', `/security/transfers/${d.id}`, healthAdmin), 404);
    expect((await call('GET', `/security/transfers/${d.id}`, auditor)).statusCode).toBe(200);
    const healthList = (await call('GET', '/security/transfers', healthAdmin)).json() as {
      items: Transfer[];
    };
    expect(healthList.items.every((x) => x.organizationId === bjwjw.id)).toBe(true);
    // Only the draft, its assessment and its submission were written.
    expect((await actions()).slice(before)).toEqual([
      'security.transfer.drafted',
      'security.transfer-assessment.added',
      'security.transfer.submitted',
    ]);
  });

  it('lets an operator replace the thresholds, validated and logged', async () => {
    const bad = await call('PUT', '/security/transfers/rules', operator, {
      assessmentPeople: 100,
      assessmentSensitivePeople: 10,
      contractPeople: 100,
    });
    expectProblem(bad, 422, 'SECURITY_TRANSFER_RULES_INVALID');
    const ok = await call('PUT', '/security/transfers/rules', operator, {
      assessmentPeople: 500_000,
      assessmentSensitivePeople: 10_000,
      contractPeople: 50_000,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await actions()).at(-1)).toBe('security.transfer-rules.replaced');
    expect((await route(bjwjw.id, healthCode, 500_000, 0, healthAdmin)).route).toBe('security-assessment');
    expect((await route(bjwjw.id, healthCode, 50_000, 0, healthAdmin)).route).toBe(
      'standard-contract-or-certification',
    );
  });
});
