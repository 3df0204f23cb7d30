import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import {
  createGradingService,
  DEFAULT_MATRIX,
  IMPORTANT_DATA_CSV_COLUMNS,
} from '../src/modules/security/grading/index.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
let editor: Caller;
let admin: Caller;
let operator: Caller;
let security: Caller;
let auditor: Caller;
let citizen: Caller;
let healthAdmin: Caller;
let haidianMember: Caller;
let transport: { id: string; creditCode: string };
let editorUserId = '';
let busCode = '';
let busId = '';
let parkingCode = '';

function inject(method: 'GET' | 'POST' | 'PUT', url: string, caller?: Caller, payload?: unknown) {
  return t.platform.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: headers(caller),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function lastEntry(): Promise<{ action: string; details?: Record<string, unknown> }> {
  const view = await t.platform.ledger.getEntry((await t.platform.ledger.size()) - 1);
  return typeof view.entry === 'string' ? JSON.parse(view.entry) : view.entry;
}

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
  code?: string,
) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  if (code !== undefined) expect((response.json() as { code: string }).code).toBe(code);
}

const BUS_FIELDS = [
  { field: 'route_name', impact: 'public-interest', harm: 'none', rationale: '公开的线路名称' },
  { field: 'first_departure', impact: 'social-order', harm: 'general', rationale: '运营时刻' },
  { field: 'fare', impact: 'economic-operation', harm: 'serious', rationale: '票价调整影响经济运行' },
];

beforeAll(async () => {
  t = await startTestPlatform();
  const session = await t.login('transport-editor');
  editor = session;
  editorUserId = session.userId;
  admin = await t.login('transport-admin');
  operator = await t.login('operator');
  security = await t.login('security');
  auditor = await t.login('auditor');
  citizen = await t.login('citizen');
  healthAdmin = await t.login('health-admin');
  haidianMember = await t.login('haidian-member');
  transport = await organizationByCode(t, 'bjjtw');
  ({ id: busId, code: busCode } = await publishEntry(t, editor, admin, operator, sampleEntry(transport)));
  ({ code: parkingCode } = await publishEntry(
    t,
    editor,
    admin,
    operator,
    sampleEntry(transport, { title: { zh: '北京市停车场' } }),
  ));
});
afterAll(async () => t?.close());

describe('grading matrix', () => {
  it('starts with the standard default', async () => {
    const response = await inject('GET', '/security/grading/matrix', editor);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.isDefault).toBe(true);
    expect(body.matrix['national-security'].serious).toBe('core');
    expect(body.matrix['national-security'].general).toBe('important');
    expect(body.matrix['public-interest']['especially-serious']).toBe('core');
    expect(body.matrix['social-order'].serious).toBe('important');
    expect(body.matrix['individual-rights'].serious).toBe('general-3');
    expect(body.matrix['organisational-rights']['especially-serious']).toBe('general-4');
    expect(body.matrix['economic-operation'].none).toBe('general-1');
  });

  it('rejects an incomplete or unknown matrix and keeps the one in force', async () => {
    const { 'social-order': _dropped, ...partial } = DEFAULT_MATRIX;
    const missing = await inject('PUT', '/security/grading/matrix', security, { matrix: partial });
    expectProblem(missing, 422, 'SECURITY_MATRIX_INVALID');
    expect(missing.json().errors).toContainEqual({
      path: '/matrix/social-order',
      message: expect.any(String),
    });
    const badGrade = structuredClone(DEFAULT_MATRIX) as Record<string, Record<string, string>>;
    badGrade['public-interest']!.serious = 'secret';
    const wrong = await inject('PUT', '/security/grading/matrix', security, { matrix: badGrade });
    expectProblem(wrong, 422, 'SECURITY_MATRIX_INVALID');
    expect(wrong.json().errors.map((e: { path: string }) => e.path)).toEqual([
      '/matrix/public-interest/serious',
    ]);
    expect((await inject('GET', '/security/grading/matrix', editor)).json().isDefault).toBe(true);
  });

  it('is replaced only by operators and security officers, with a log entry', async () => {
    expectProblem(await inject('PUT', '/security/grading/matrix', admin, { matrix: DEFAULT_MATRIX }), 403);
    expectProblem(
      await inject('PUT', '/security/grading/matrix', undefined, { matrix: DEFAULT_MATRIX }),
      401,
    );
    const changed = structuredClone(DEFAULT_MATRIX);
    changed['social-order'].general = 'general-3';
    const response = await inject('PUT', '/security/grading/matrix', operator, { matrix: changed });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ version: 1, isDefault: false });
    expect(await lastEntry()).toMatchObject({
      action: 'security.grading.matrix.replaced',
      details: { version: 1 },
    });
    // Back to the standard's levels for the rest of the file.
    const back = await inject('PUT', '/security/grading/matrix', security, { matrix: DEFAULT_MATRIX });
    expect(back.json()).toMatchObject({ version: 2, matrix: DEFAULT_MATRIX });
  });
});

describe('grading an entry', () => {
  it('keeps a draft with derived levels and the scanner proposals', async () => {
    const response = await inject('PUT', `/security/gradings/${busCode}`, editor, {
      fields: BUS_FIELDS.slice(0, 2),
      proposals: [
        { field: 'route_name', personalInfo: 'none', grade: 'general-1', reason: 'no identifiers' },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.grading).toMatchObject({ state: 'draft', version: 1, level: 'general-4' });
    expect(body.grading.fields.map((f: { level: string }) => f.level)).toEqual(['general-1', 'general-4']);
    expect(body.grading.proposals).toHaveLength(1);
    expect(body.entry.fields.map((f: { name: string }) => f.name)).toEqual([
      'route_name',
      'first_departure',
      'fare',
    ]);
    expect(await lastEntry()).toMatchObject({ action: 'security.grading.drafted', details: { version: 1 } });
  });

  it('refuses a field the entry does not have, and bad values', async () => {
    const unknown = await inject('PUT', `/security/gradings/${busCode}`, editor, {
      fields: [{ field: 'driver_name', impact: 'individual-rights', harm: 'general', rationale: 'x' }],
    });
    expectProblem(unknown, 422, 'SECURITY_GRADING_INVALID');
    const badHarm = await inject('PUT', `/security/gradings/${busCode}`, editor, {
      fields: [{ field: 'fare', impact: 'public-interest', harm: 'catastrophic', rationale: 'x' }],
    });
    expectProblem(badHarm, 400);
    // Nothing of either was kept.
    expect((await inject('GET', `/security/gradings/${busCode}`, editor)).json().grading.version).toBe(1);
  });

  it('refuses a proposal with ungraded fields', async () => {
    const response = await inject('POST', `/security/gradings/${busCode}/submit`, editor);
    expectProblem(response, 422, 'SECURITY_GRADING_INCOMPLETE');
    expect(response.json().errors[0].message).toContain('fare');
  });

  it('lets only the provider’s editors grade', async () => {
    const payload = { fields: BUS_FIELDS };
    expectProblem(await inject('PUT', `/security/gradings/${busCode}`, healthAdmin, payload), 404);
    expectProblem(await inject('PUT', `/security/gradings/${busCode}`, security, payload), 403);
    expectProblem(await inject('PUT', `/security/gradings/${busCode}`, citizen, payload), 403);
    expectProblem(await inject('PUT', `/security/gradings/${busCode}`, undefined, payload), 401);
  });

  it('goes draft → proposed → returned with a comment → proposed → confirmed', async () => {
    const saved = await inject('PUT', `/security/gradings/${busCode}`, editor, {
      fields: BUS_FIELDS,
      dataset: { impact: 'public-interest', harm: 'general', rationale: '汇总后反映全市出行' },
    });
    expect(saved.json().grading).toMatchObject({ state: 'draft', level: 'important', version: 2 });

    const proposed = await inject('POST', `/security/gradings/${busCode}/submit`, editor);
    expect(proposed.statusCode, proposed.body).toBe(200);
    expect(proposed.json().grading.state).toBe('proposed');
    expect(await lastEntry()).toMatchObject({ action: 'security.grading.proposed' });

    // A proposal is not edited while the officer looks at it.
    expectProblem(
      await inject('PUT', `/security/gradings/${busCode}`, editor, { fields: BUS_FIELDS }),
      409,
      'SECURITY_GRADING_WRONG_STATE',
    );
    // Editors and admins do not confirm; nor do auditors.
    for (const who of [editor, admin, auditor])
      expectProblem(
        await inject('POST', `/security/gradings/${busCode}/review`, who, { decision: 'confirm' }),
        403,
      );

    const noComment = await inject('POST', `/security/gradings/${busCode}/review`, security, {
      decision: 'return',
    });
    expectProblem(noComment, 400);
    const returned = await inject('POST', `/security/gradings/${busCode}/review`, security, {
      decision: 'return',
      comment: '票价字段的理由请补充依据',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().grading).toMatchObject({ state: 'returned', comment: '票价字段的理由请补充依据' });
    expect(await lastEntry()).toMatchObject({ action: 'security.grading.returned' });

    const fields = BUS_FIELDS.map((f) =>
      f.field === 'fare' ? { ...f, rationale: '票价调整影响全市公共交通经济运行（依据：价格法）' } : f,
    );
    expect(
      (
        await inject('PUT', `/security/gradings/${busCode}`, editor, {
          fields,
          dataset: { impact: 'public-interest', harm: 'general', rationale: '汇总后反映全市出行' },
        })
      ).json().grading.state,
    ).toBe('returned');
    expect((await inject('POST', `/security/gradings/${busCode}/submit`, editor)).json().grading.state).toBe(
      'proposed',
    );

    const before = (await inject('GET', `/catalog/entries/${busId}`, editor)).json();
    const confirmed = await inject('POST', `/security/gradings/${busCode}/review`, security, {
      decision: 'confirm',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const body = confirmed.json();
    expect(body.grading.state).toBe('confirmed');
    expect(body.grading.confirmed).toMatchObject({ level: 'important', by: 'security' });
    expect(body.versions.map((v: { state: string }) => v.state)).toEqual([
      'draft',
      'draft',
      'proposed',
      'returned',
      'returned',
      'proposed',
      'confirmed',
    ]);
    expect(await lastEntry()).toMatchObject({
      action: 'security.grading.confirmed',
      details: { code: busCode, level: 'important' },
    });

    // The catalog has a new working version with the confirmed grades; the published one still serves.
    const after = (await inject('GET', `/catalog/entries/${busId}`, editor)).json();
    const beforeVersion = before.working?.version ?? before.entry.version;
    expect(after.working.version).toBe(beforeVersion + 1);
    const items = after.working.metadata.informationItems as { name: string; grade: string }[];
    expect(Object.fromEntries(items.map((i) => [i.name, i.grade]))).toEqual({
      route_name: 'general-1',
      first_departure: 'general-4',
      fare: 'important',
    });
    expect(after.working.metadata.grade).toBe('important');
    expect(after.entry.metadata.grade).toBe('general-2');
    const versions = (await inject('GET', `/catalog/entries/${busId}/versions`, editor)).json();
    const list = (versions.items ?? versions) as { action?: string }[];
    expect(list.some((v) => v.action === 'catalog.entry.regraded')).toBe(true);
  });

  it('lets an organisation’s designated security officer confirm its own entries only', async () => {
    // Grade the second entry up to a proposal.
    await inject('PUT', `/security/gradings/${parkingCode}`, editor, {
      fields: BUS_FIELDS.map((f) => ({ ...f, impact: 'individual-rights', harm: 'serious' })),
    });
    expect((await inject('POST', `/security/gradings/${parkingCode}/submit`, editor)).statusCode).toBe(200);
    expectProblem(
      await inject('POST', `/security/gradings/${parkingCode}/review`, editor, { decision: 'confirm' }),
      403,
    );
    const named = await inject(
      'PUT',
      `/security/organizations/${transport.id}/officers/security-officer`,
      admin,
      {
        userId: editorUserId,
        name: '张安全',
        email: 'anquan@jtw.example.org',
      },
    );
    expect(named.statusCode, named.body).toBe(200);
    const confirmed = await inject('POST', `/security/gradings/${parkingCode}/review`, editor, {
      decision: 'confirm',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().grading.confirmed.level).toBe('general-3');
  });
});

describe('officers', () => {
  it('are named by the organisation’s admins, members only, with history on the log', async () => {
    const health = await organizationByCode(t, 'bjwjw');
    const url = `/security/organizations/${transport.id}/officers/chief-data-officer`;
    const payload = { userId: editorUserId, name: '李数据', phone: '010-88889999' };
    expectProblem(await inject('PUT', url, editor, payload), 403);
    expectProblem(await inject('PUT', url, healthAdmin, payload), 403);
    const notMember = await inject(
      'PUT',
      `/security/organizations/${health.id}/officers/chief-data-officer`,
      healthAdmin,
      payload,
    );
    expectProblem(notMember, 422, 'SECURITY_OFFICER_NOT_MEMBER');
    expectProblem(await inject('PUT', url, admin, { userId: editorUserId, name: '李数据' }), 400);
    expect((await inject('PUT', url, admin, payload)).statusCode).toBe(200);
    expect(await lastEntry()).toMatchObject({
      action: 'security.officer.appointed',
      details: { role: 'chief-data-officer', previous: null },
    });
    const again = await inject('PUT', url, admin, { ...payload, name: '李数据（新）' });
    expect(await lastEntry()).toMatchObject({ details: { previous: editorUserId } });
    const body = again.json();
    expect(body.chiefDataOfficer).toMatchObject({ name: '李数据（新）', phone: '010-88889999' });
    expect(body.securityOfficer).toMatchObject({ name: '张安全' });
    expect(body.history.filter((h: { role: string }) => h.role === 'chief-data-officer')).toHaveLength(2);
    expectProblem(await inject('GET', `/security/organizations/${transport.id}/officers`, healthAdmin), 404);
    expect(
      (await inject('GET', `/security/organizations/${transport.id}/officers`, auditor)).statusCode,
    ).toBe(200);
  });
});

describe('important-data catalog', () => {
  it('lists confirmed important and core entries with fields, rationale and contacts', async () => {
    const response = await inject('GET', `/security/organizations/${transport.id}/important-data`, auditor);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.items.map((i: { entryCode: string }) => i.entryCode)).toEqual([busCode]);
    expect(body.items[0]).toMatchObject({
      level: 'important',
      confirmedBy: 'security',
      contact: { name: '交通委信息中心' },
    });
    expect(body.items[0].fields.find((f: { field: string }) => f.field === 'fare')).toMatchObject({
      level: 'important',
      rationale: expect.stringContaining('价格法'),
    });
    expect(body.securityOfficer).toMatchObject({ name: '张安全' });
  });

  it('is a CSV with one row per field', async () => {
    const response = await inject('GET', `/security/organizations/${transport.id}/important-data.csv`, admin);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const rows = parse(response.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...IMPORTANT_DATA_CSV_COLUMNS]);
    expect(rows.map((r) => r.field)).toEqual(['route_name', 'first_departure', 'fare']);
    expect(rows[2]).toMatchObject({
      entry_code: busCode,
      field_level: 'important',
      dataset_level: 'important',
    });
  });

  it('is refused to plain members and other organisations', async () => {
    expectProblem(
      await inject('GET', `/security/organizations/${transport.id}/important-data`, healthAdmin),
      403,
    );
    expectProblem(
      await inject('GET', `/security/organizations/${transport.id}/important-data`, haidianMember),
      403,
    );
    expectProblem(
      await inject('GET', `/security/organizations/${transport.id}/important-data.csv`, citizen),
      403,
    );
  });
});

describe('security dashboard', () => {
  it('counts per institution', async () => {
    // A third entry, graded up to a proposal and left there; a fourth, never graded.
    const { code } = await publishEntry(
      t,
      editor,
      admin,
      operator,
      sampleEntry(transport, { title: { zh: '出租车' } }),
    );
    await publishEntry(t, editor, admin, operator, sampleEntry(transport, { title: { zh: '地铁' } }));
    await inject('PUT', `/security/gradings/${code}`, editor, { fields: BUS_FIELDS });
    expect((await inject('POST', `/security/gradings/${code}/submit`, editor)).statusCode).toBe(200);

    const response = await inject('GET', '/security/dashboard', auditor);
    expect(response.statusCode, response.body).toBe(200);
    const rows = response.json().organizations as Record<string, unknown>[];
    expect(rows.some((r) => r.code === 'demo-tech')).toBe(false);
    expect(rows.find((r) => r.code === 'bjjtw')).toMatchObject({
      entries: 4,
      graded: 2,
      ungraded: 2,
      awaitingConfirmation: 1,
      important: 1,
      core: 0,
      openAlerts: 0,
      openIncidents: 0,
      nextDeadline: null,
      chiefDataOfficer: { name: '李数据（新）' },
      securityOfficer: { name: '张安全' },
    });
    expect(rows.find((r) => r.code === 'bjwjw')).toMatchObject({
      entries: 0,
      chiefDataOfficer: null,
      securityOfficer: null,
    });
  });

  it('shows the open alerts and incidents the other areas report, with overdue deadlines', async () => {
    const health = await organizationByCode(t, 'bjwjw');
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const grading = createGradingService({
      db: t.platform.db.kysely,
      ledger: t.platform.ledger,
      catalog: t.platform.catalog,
      identity: t.platform.identity,
      counts: {
        alerts: async () => new Map([[transport.id, { open: 3 }]]),
        incidents: async () =>
          new Map([
            [transport.id, { open: 2, nextDeadline: past, overdue: 1 }],
            [health.id, { open: 1, nextDeadline: future, overdue: 0 }],
          ]),
      },
    });
    const rows = (await grading.dashboard(systemActor('test'))).organizations;
    expect(rows.find((r) => r.organizationId === transport.id)).toMatchObject({
      openAlerts: 3,
      openIncidents: 2,
      nextDeadline: past,
      overdueIncidents: 1,
      deadlinePassed: true,
    });
    expect(rows.find((r) => r.organizationId === health.id)).toMatchObject({
      openAlerts: 0,
      openIncidents: 1,
      deadlinePassed: false,
    });
  });

  it('shows an admin only their institutions, and refuses plain members', async () => {
    const mine = await inject('GET', '/security/dashboard', admin);
    expect(mine.json().organizations.map((r: { code: string }) => r.code)).toEqual(['bjjtw']);
    expectProblem(await inject('GET', '/security/dashboard', haidianMember), 403);
    expectProblem(await inject('GET', '/security/dashboard', citizen), 403);
    expectProblem(await inject('GET', '/security/dashboard'), 401);
  });
});

describe('confirmation and the catalog together', () => {
  it('confirms nothing while the catalog entry is under review: no half-made change, no log entry', async () => {
    const { id, code } = await publishEntry(
      t,
      editor,
      admin,
      operator,
      sampleEntry(transport, { title: { zh: '公交站点' } }),
    );
    await inject('PUT', `/security/gradings/${code}`, editor, { fields: BUS_FIELDS });
    expect((await inject('POST', `/security/gradings/${code}/submit`, editor)).statusCode).toBe(200);
    // A revision of the entry goes to the big data centre for review: the entry is locked meanwhile.
    const revised = sampleEntry(transport, { title: { zh: '公交站点（修订）' }, code });
    expect((await inject('PUT', `/catalog/entries/${id}`, editor, revised)).statusCode).toBe(200);
    const submitted = await inject('POST', '/catalog/submissions', admin, {
      organizationId: transport.id,
      entryIds: [id],
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const size = await t.platform.ledger.size();
    const refused = await inject('POST', `/security/gradings/${code}/review`, security, {
      decision: 'confirm',
    });
    expectProblem(refused, 409, 'CATALOG_ENTRY_LOCKED');
    expect(await t.platform.ledger.size()).toBe(size);
    const after = (await inject('GET', `/security/gradings/${code}`, security)).json();
    expect(after.grading.state).toBe('proposed');
    expect(after.grading.confirmed).toBeNull();
    // Returned by the centre, the entry may be graded again and the same proposal confirmed.
    const returned = await inject('POST', `/catalog/submissions/${submitted.json().id}/return`, operator, {
      comment: '请补充',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    const confirmed = await inject('POST', `/security/gradings/${code}/review`, security, {
      decision: 'confirm',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const entry = (await inject('GET', `/catalog/entries/${id}`, editor)).json();
    expect(entry.working.state).toBe('returned');
    expect(entry.working.metadata.grade).toBe('important');
  });
});
