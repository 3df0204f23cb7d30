import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import type { IncidentDetail } from '../src/modules/security/index.ts';
import { type Caller, headers, organizationByCode, sampleEntry } from './support/catalog-fixtures.ts';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

/** The local SMTP sink: every message it kept, and the codes it answers the next recipients with. */
let sink: SmtpSink;
let received: ReceivedMail[];
let refuseWith: number[];
let t: TestPlatform;
let admin: Caller;
let security: Caller;
let operator: Caller;
let auditor: Caller;
let editor: Caller;
let healthAdmin: Caller;
let citizen: Caller;
let bjjtw: { id: string; creditCode: string };
let generalCode: string;
let importantCode: string;

async function call(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
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

async function runJobs(): Promise<void> {
  while (await t.platform.jobs.runOnce()) {
    // until nothing is due
  }
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

function incidentBody(overrides: Record<string, unknown> = {}) {
  return {
    organizationId: bjjtw.id,
    kind: 'leak',
    title: '公交卡用户信息泄露',
    description: '接口未鉴权，导致持卡人信息被批量下载。',
    entryCodes: [generalCode],
    peopleAffected: 1200,
    cii: false,
    detectedAt: hoursAgo(0.5),
    ...overrides,
  };
}

async function open(caller: Caller, overrides: Record<string, unknown> = {}): Promise<IncidentDetail> {
  const response = await call('POST', '/security/incidents', caller, incidentBody(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as IncidentDetail;
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

beforeAll(async () => {
  sink = await startSmtpSink();
  ({ received, refuseWith } = sink);
  const port = sink.port;
  t = await startTestPlatform({
    DATAPOLIS_SMTP_URL: `smtp://127.0.0.1:${port}`,
    DATAPOLIS_MAIL_FROM: 'Datapolis Test <no-reply@test.invalid>',
  });
  admin = await t.login('transport-admin');
  editor = await t.login('transport-editor');
  security = await t.login('security');
  operator = await t.login('operator');
  auditor = await t.login('auditor');
  healthAdmin = await t.login('health-admin');
  citizen = await t.login('citizen');
  bjjtw = await organizationByCode(t, 'bjjtw');
  const create = async (overrides: Parameters<typeof sampleEntry>[1]) => {
    const response = await call('POST', '/catalog/entries', editor, sampleEntry(bjjtw, overrides));
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { code: string }).code;
  };
  generalCode = await create({});
  importantCode = await create({
    title: { zh: '公交卡持卡人信息', en: 'Bus card holders' },
    grade: 'important',
    openType: 'not_open',
    shareType: 'conditional',
    shareCondition: '仅限公共交通管理部门',
  });
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('reporting deadlines from the rules', () => {
  it('gives critical information infrastructure 1 hour', async () => {
    const incident = await open(admin, { cii: true, severity: 'relatively-major' });
    expect(incident.reportRequired).toBe(true);
    expect(Date.parse(incident.deadlineAt!) - Date.parse(incident.detectedAt)).toBe(3_600_000);
    expect(incident.deadlineRule).toContain('1 hour');
  });

  it('gives a relatively major incident 4 hours', async () => {
    const incident = await open(admin, { severity: 'relatively-major' });
    expect(Date.parse(incident.deadlineAt!) - Date.parse(incident.detectedAt)).toBe(4 * 3_600_000);
    expect(incident.overdue).toBe(false);
  });

  it('asks no report of a general incident', async () => {
    const incident = await open(admin, { severity: 'general' });
    expect(incident).toMatchObject({ reportRequired: false, deadlineAt: null, overdue: false });
  });

  it('proposes the severity from people affected and the data grade', async () => {
    const general = await open(admin, { peopleAffected: 999_999 });
    expect(general.proposedSeverity).toBe('general');
    expect(general.severity).toBe('general');
    const million = await open(admin, { peopleAffected: 1_000_000 });
    expect(million.severity).toBe('relatively-major');
    const major = await open(admin, { peopleAffected: 10_000_000 });
    expect(major.severity).toBe('major');
    const important = await open(admin, { entryCodes: [generalCode, importantCode], peopleAffected: 10 });
    expect(important).toMatchObject({
      dataGrade: 'important',
      severity: 'relatively-major',
      reportRequired: true,
    });
    // The recorder's own choice wins over the proposal, and both are kept.
    const chosen = await open(admin, { entryCodes: [importantCode], severity: 'general' });
    expect(chosen).toMatchObject({
      severity: 'general',
      proposedSeverity: 'relatively-major',
      reportRequired: false,
    });
  });

  it('marks a passed deadline overdue until the report is recorded, everywhere the incident appears', async () => {
    const late = await open(admin, { severity: 'major', detectedAt: hoursAgo(5), title: 'late one' });
    expect(late.overdue).toBe(true);
    const list = await call('GET', '/security/incidents?overdue=true', operator);
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: IncidentDetail[] }).items;
    expect(items.map((i) => i.id)).toContain(late.id);
    expect(items.every((i) => i.overdue)).toBe(true);
    const reported = await call('POST', `/security/incidents/${late.id}/report`, admin, {
      reference: 'BJ-CERT-1',
    });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(reported.json()).toMatchObject({ overdue: false, reportReference: 'BJ-CERT-1' });
    expect((reported.json() as IncidentDetail).timeline.at(-1)!.text).toContain('after the deadline');
    const again = await call('POST', `/security/incidents/${late.id}/report`, admin, {});
    expectProblem(again, 409, 'SECURITY_INCIDENT_ALREADY_REPORTED');
  });

  it('follows rules an operator replaces, validated and logged', async () => {
    const bad = await call('PUT', '/security/incidents/rules', operator, {
      peopleThresholds: [
        { severity: 'major', minPeople: 10 },
        { severity: 'relatively-major', minPeople: 100 },
      ],
      gradeFloors: [],
      deadlines: [],
    });
    expectProblem(bad, 422, 'SECURITY_INCIDENT_RULES_INVALID');
    const refused = await call('PUT', '/security/incidents/rules', admin, {
      peopleThresholds: [],
      gradeFloors: [],
      deadlines: [],
    });
    expectProblem(refused, 403);
    const rules = {
      peopleThresholds: [{ severity: 'relatively-major', minPeople: 100 }],
      gradeFloors: [],
      deadlines: [
        { cii: null, minSeverity: 'general', hours: 24, source: 'local rule: every incident in 24 h' },
      ],
    };
    const put = await call('PUT', '/security/incidents/rules', operator, rules);
    expect(put.statusCode, put.body).toBe(200);
    expect((await actions()).at(-1)).toBe('security.incident-rules.replaced');
    const incident = await open(admin, { peopleAffected: 150, entryCodes: [importantCode] });
    expect(incident.severity).toBe('relatively-major');
    expect(Date.parse(incident.deadlineAt!) - Date.parse(incident.detectedAt)).toBe(24 * 3_600_000);
    const general = await open(admin, { peopleAffected: 5, severity: 'general' });
    expect(general.deadlineRule).toBe('local rule: every incident in 24 h');
    const defaults = (await call('GET', '/security/incidents/rules', auditor)).json() as {
      defaults: unknown;
    };
    const restored = await call('PUT', '/security/incidents/rules', operator, defaults.defaults);
    expect(restored.statusCode, restored.body).toBe(200);
  });
});

describe('an incident through its life', () => {
  let incident: IncidentDetail;

  it('is recorded with a log entry and a first timeline event', async () => {
    const before = (await actions()).length;
    incident = await open(security, { severity: 'relatively-major', peopleAffected: 5000 });
    const after = await actions();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toBe('security.incident.opened');
    expect(incident.state).toBe('open');
    expect(incident.timeline).toHaveLength(1);
    expect(incident.timeline[0]).toMatchObject({ kind: 'created', author: 'security' });
    expect(incident.dataConcerned[0]).toMatchObject({ code: generalCode, grade: 'general-2' });
  });

  it('moves forward only, each move on the timeline and the log', async () => {
    const contained = await call('POST', `/security/incidents/${incident.id}/state`, admin, {
      state: 'contained',
      note: '接口已下线',
    });
    expect(contained.statusCode, contained.body).toBe(200);
    expect((contained.json() as IncidentDetail).timeline.at(-1)!.text).toBe(
      'State open → contained. 接口已下线',
    );
    expect((await actions()).at(-1)).toBe('security.incident.moved');
    const back = await call('POST', `/security/incidents/${incident.id}/state`, admin, { state: 'open' });
    expectProblem(back, 409, 'SECURITY_INCIDENT_WRONG_STATE');
    const resolved = await call('POST', `/security/incidents/${incident.id}/state`, admin, {
      state: 'resolved',
    });
    expect(resolved.json()).toMatchObject({ state: 'resolved' });
    // A report was due: the incident cannot be closed before it is recorded as sent.
    const closing = await call('POST', `/security/incidents/${incident.id}/state`, admin, {
      state: 'closed',
    });
    expectProblem(closing, 409, 'SECURITY_INCIDENT_NOT_REPORTED');
  });

  it('keeps tasks: added, done, reopened', async () => {
    const added = await call('POST', `/security/incidents/${incident.id}/tasks`, admin, {
      title: '吊销泄露的接口令牌',
      assignee: 'transport-editor',
      dueDate: '2026-12-31',
    });
    expect(added.statusCode, added.body).toBe(200);
    const task = (added.json() as IncidentDetail).tasks[0]!;
    expect(task).toMatchObject({
      title: '吊销泄露的接口令牌',
      assignee: 'transport-editor',
      dueDate: '2026-12-31',
      done: false,
    });
    expect((await actions()).at(-1)).toBe('security.incident-task.added');
    const done = await call('PATCH', `/security/incident-tasks/${task.id}`, security, { done: true });
    expect(done.statusCode, done.body).toBe(200);
    const after = done.json() as IncidentDetail;
    expect(after.tasks[0]!.done).toBe(true);
    expect(after.timeline.at(-1)!.text).toBe('Task done: 吊销泄露的接口令牌.');
    const badDate = await call('POST', `/security/incidents/${incident.id}/tasks`, admin, {
      title: 'x',
      dueDate: '2026-02-30',
    });
    expectProblem(badDate, 400);
    const reopened = await call('PATCH', `/security/incident-tasks/${task.id}`, admin, { done: false });
    expect((reopened.json() as IncidentDetail).tasks[0]!.done).toBe(false);
    expect((reopened.json() as IncidentDetail).timeline.at(-1)!.text).toBe(
      'Task reopened: 吊销泄露的接口令牌.',
    );
    expect((await actions()).at(-1)).toBe('security.incident-task.changed');
    // Another organisation's admin learns nothing of the task or its incident.
    const foreign = await call('PATCH', `/security/incident-tasks/${task.id}`, healthAdmin, { done: true });
    expectProblem(foreign, 404, 'SECURITY_INCIDENT_NOT_FOUND');
    const missing = await call(
      'PATCH',
      '/security/incident-tasks/00000000-0000-4000-8000-000000000000',
      admin,
      {
        done: true,
      },
    );
    expectProblem(missing, 404, 'SECURITY_INCIDENT_TASK_NOT_FOUND');
  });

  it('refuses a letter lacking the items of PIPL Art. 57', async () => {
    const preview = await call('GET', `/security/incidents/${incident.id}/letter-preview?language=en`, admin);
    expect(preview.statusCode).toBe(200);
    expect((preview.json() as { missing: string[] }).missing).toEqual([
      'informationTypes',
      'cause',
      'possibleHarm',
      'remedies',
      'advice',
      'contact',
    ]);
    const send = await call('POST', `/security/incidents/${incident.id}/letters`, admin, {
      language: 'en',
      recipients: ['a@example.org'],
    });
    expectProblem(send, 422, 'SECURITY_INCIDENT_LETTER_INCOMPLETE');
  });

  it('composes the letter from the incident with every Art. 57 item, in three languages', async () => {
    const changed = await call('PATCH', `/security/incidents/${incident.id}`, admin, {
      remediation: '下线接口，轮换密钥。',
      notice: {
        informationTypes: '姓名、手机号、公交卡号',
        cause: '查询接口缺少身份鉴别',
        possibleHarm: '可能收到诈骗电话或短信',
        remedies: '已下线接口并报警',
        advice: '警惕自称客服的来电，不要透露验证码',
        contact: '010-12345678，privacy@jtw.example.cn',
      },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await actions()).at(-1)).toBe('security.incident.changed');
    const zh = (
      await call('GET', `/security/incidents/${incident.id}/letter-preview?language=zh-CN`, admin)
    ).json() as {
      subject: string;
      text: string;
      missing: string[];
    };
    expect(zh.missing).toEqual([]);
    for (const item of [
      '一、涉及的个人信息种类\n姓名、手机号、公交卡号',
      '二、事件原因\n查询接口缺少身份鉴别',
      '三、可能造成的危害\n可能收到诈骗电话或短信',
      '四、我们已采取的补救措施\n已下线接口并报警',
      '五、您可以采取的减轻危害的措施\n警惕自称客服的来电，不要透露验证码',
      '六、联系方式\n010-12345678，privacy@jtw.example.cn',
    ])
      expect(zh.text).toContain(item);
    expect(zh.text).toContain('第五十七条');
    const fr = (
      await call('GET', `/security/incidents/${incident.id}/letter-preview?language=fr`, admin)
    ).json() as {
      text: string;
    };
    expect(fr.text).toContain('5. Ce que vous pouvez faire pour réduire le préjudice');
    const unknown = await call('GET', `/security/incidents/${incident.id}/letter-preview?language=de`, admin);
    expectProblem(unknown, 400);
  });

  it('sends the letter to each address through a durable job, each sending logged', async () => {
    const bad = await call('POST', `/security/incidents/${incident.id}/letters`, admin, {
      language: 'zh-CN',
      recipients: ['not-an-address'],
    });
    expectProblem(bad, 400);
    const sent = await call('POST', `/security/incidents/${incident.id}/letters`, admin, {
      language: 'zh-CN',
      recipients: ['li.si@example.org', 'wang.wu@example.org', 'LI.SI@example.org'],
    });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json()).toMatchObject({ recipients: 2, sent: 0 });
    expect((await actions()).at(-1)).toBe('security.incident-letter.queued');
    expect(received).toHaveLength(0);
    await runJobs();
    expect(received).toHaveLength(2);
    expect(received.map((r) => r.to[0]).sort()).toEqual(['li.si@example.org', 'wang.wu@example.org']);
    expect(received[0]!.subject).toContain('关于个人信息安全事件的告知');
    expect(received[0]!.text).toContain('五、您可以采取的减轻危害的措施');
    expect(received[0]!.text).toContain('警惕自称客服的来电');
    const log = await actions();
    expect(log.slice(-2)).toEqual([
      'security.incident-letter.delivered',
      'security.incident-letter.delivered',
    ]);
    const detail = (
      await call('GET', `/security/incidents/${incident.id}`, auditor)
    ).json() as IncidentDetail;
    expect(detail.letters[0]).toMatchObject({ language: 'zh-CN', recipients: 2, sent: 2, failed: 0 });
    expect(detail.timeline.at(-1)!.kind).toBe('letter');
  });

  it('logs a permanent refusal of an address, and does not retry it', async () => {
    refuseWith.push(550);
    const sent = await call('POST', `/security/incidents/${incident.id}/letters`, admin, {
      language: 'en',
      recipients: ['gone@example.org'],
    });
    expect(sent.statusCode, sent.body).toBe(202);
    await runJobs();
    expect(received).toHaveLength(2);
    expect((await actions()).at(-1)).toBe('security.incident-letter.refused');
    const job = await sql<{ status: string; attempts: number }>`
      SELECT status, attempts FROM kernel_jobs WHERE kind = 'security.incident-letter'
      ORDER BY created_at DESC, id LIMIT 1`.execute(t.platform.db.kysely);
    expect(job.rows[0]).toMatchObject({ status: 'failed', attempts: 1 });
    const detail = (await call('GET', `/security/incidents/${incident.id}`, admin)).json() as IncidentDetail;
    expect(detail.letters.at(-1)).toMatchObject({ language: 'en', recipients: 1, sent: 0, failed: 1 });
  });

  it('exports the report for the authority as JSON and Markdown', async () => {
    const json = await call('GET', `/security/incidents/${incident.id}/report.json`, auditor);
    expect(json.statusCode, json.body).toBe(200);
    const report = json.json() as Record<string, unknown> & {
      incident: { severity: string; peopleAffected: number };
      reporting: { required: boolean; deadlineAt: string };
      dataConcerned: { code: string }[];
      cause: string;
      notification: { letters: { sent: number }[] };
    };
    expect(report.incident).toMatchObject({ severity: 'relatively-major', peopleAffected: 5000 });
    expect(report.reporting.required).toBe(true);
    expect(report.reporting.deadlineAt).toBe(incident.deadlineAt);
    expect(report.dataConcerned[0]!.code).toBe(generalCode);
    expect(report.cause).toBe('查询接口缺少身份鉴别');
    expect(report.notification.letters[0]!.sent).toBe(2);
    const md = await call('GET', `/security/incidents/${incident.id}/report.md`, admin);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    for (const heading of [
      '## 报告期限 / Reporting',
      '## 原因 / Cause',
      '## 涉及数据 / Data concerned',
      '## 时间线 / Timeline',
    ])
      expect(md.body).toContain(heading);
    expect(md.body).toContain('影响人数 / People affected: 5000');
    expect(md.body).toContain('下线接口，轮换密钥。');
  });

  it('closes once the report is recorded, and then changes no more', async () => {
    await call('POST', `/security/incidents/${incident.id}/report`, admin, {});
    const closed = await call('POST', `/security/incidents/${incident.id}/state`, admin, { state: 'closed' });
    expect(closed.statusCode, closed.body).toBe(200);
    const edit = await call('PATCH', `/security/incidents/${incident.id}`, admin, { title: 'x' });
    expectProblem(edit, 409, 'SECURITY_INCIDENT_CLOSED');
  });
});

describe('for the rest of the security toolkit', () => {
  it('turns a monitoring alert into an incident that names the alert', async () => {
    const alertId = '11111111-2222-4333-8444-555555555555';
    const { incidentId } = await t.platform.security.incidents.fromAlert(systemActor('test'), {
      id: alertId,
      rule: 'volume-user',
      organizationId: bjjtw.id,
      evidence: { downloads: 120_000, baseline: 300 },
      createdAt: hoursAgo(0.2),
    });
    const incident = (
      await call('GET', `/security/incidents/${incidentId}`, security)
    ).json() as IncidentDetail;
    expect(incident).toMatchObject({
      fromAlertId: alertId,
      kind: 'leak',
      state: 'open',
      organizationId: bjjtw.id,
    });
    expect(incident.timeline[0]!.text).toContain(`from alert ${alertId}`);
    await expect(
      t.platform.security.incidents.fromAlert(systemActor('test'), {
        id: alertId,
        rule: 'sign-in-burst',
        organizationId: null,
        evidence: {},
        createdAt: hoursAgo(0.1),
      }),
    ).rejects.toMatchObject({ code: 'SECURITY_INCIDENT_NO_ORGANIZATION' });
  });

  it('counts open and overdue incidents per organisation for the dashboard', async () => {
    const counts = await t.platform.security.incidents.openCounts();
    const list = (await call('GET', `/security/incidents?organizationId=${bjjtw.id}`, operator)).json() as {
      items: IncidentDetail[];
    };
    const open = list.items.filter((i) => i.state !== 'closed');
    expect(counts.get(bjjtw.id)).toMatchObject({
      open: open.length,
      overdue: open.filter((i) => i.overdue).length,
    });
    const dashboard = await call('GET', '/security/dashboard', operator);
    expect(dashboard.statusCode, dashboard.body).toBe(200);
    const row = (
      dashboard.json() as { organizations: { organizationId: string; openIncidents: number }[] }
    ).organizations.find((o) => o.organizationId === bjjtw.id);
    expect(row?.openIncidents).toBe(open.length);
  });
});

describe('who may do what', () => {
  let incident: IncidentDetail;
  beforeAll(async () => {
    incident = await open(admin, { title: 'permissions' });
  });

  it('lets operators, auditors and security officers read all, an admin only their own', async () => {
    for (const caller of [operator, auditor, security, admin]) {
      const r = await call('GET', `/security/incidents/${incident.id}`, caller);
      expect(r.statusCode, r.body).toBe(200);
    }
    expectProblem(await call('GET', `/security/incidents/${incident.id}`, healthAdmin), 404);
    const list = (await call('GET', '/security/incidents', healthAdmin)).json() as { items: unknown[] };
    expect(list.items).toEqual([]);
  });

  it('refuses other roles with 403 problem documents and writes nothing', async () => {
    const before = (await actions()).length;
    expectProblem(await call('GET', '/security/incidents', citizen), 403);
    expectProblem(await call('GET', '/security/incidents', editor), 403);
    expectProblem(await call('POST', '/security/incidents', editor, incidentBody()), 403);
    expectProblem(await call('POST', '/security/incidents', auditor, incidentBody()), 403);
    expectProblem(await call('POST', '/security/incidents', operator, incidentBody()), 403);
    expectProblem(await call('POST', '/security/incidents', healthAdmin, incidentBody()), 403);
    expectProblem(
      await call('POST', `/security/incidents/${incident.id}/state`, auditor, { state: 'contained' }),
      403,
    );
    expectProblem(await call('GET', '/security/incidents'), 401);
    expect((await actions()).length).toBe(before);
  });
});

describe('a platform without an SMTP server', () => {
  it('refuses to send letters with a clear problem and writes nothing', async () => {
    const bare = await startTestPlatform();
    try {
      const caller = await bare.login('transport-admin');
      const org = await organizationByCode(bare, 'bjjtw');
      const created = await bare.platform.app.inject({
        method: 'POST',
        url: '/api/v1/security/incidents',
        headers: headers(caller),
        payload: {
          ...incidentBody({ entryCodes: [] }),
          organizationId: org.id,
          notice: {
            informationTypes: '姓名',
            cause: '误发邮件',
            possibleHarm: '骚扰',
            remedies: '已撤回',
            advice: '留意陌生来电',
            contact: '010-1',
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as IncidentDetail).id;
      const sent = await bare.platform.app.inject({
        method: 'POST',
        url: `/api/v1/security/incidents/${id}/letters`,
        headers: headers(caller),
        payload: { language: 'fr', recipients: ['a@example.org'] },
      });
      expectProblem(sent, 409, 'SECURITY_MAIL_DISABLED');
      const letters = await sql<{ n: string }>`SELECT count(*) AS n FROM security_incident_letters`.execute(
        bare.platform.db.kysely,
      );
      expect(Number(letters.rows[0]!.n)).toBe(0);
    } finally {
      await bare.close();
    }
  });
});

describe('bad input', () => {
  it('gets problem documents and leaves nothing behind', async () => {
    const count = async () =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM security_incidents`.execute(t.platform.db.kysely))
          .rows[0]!.n,
      );
    const before = await count();
    expectProblem(
      await call('POST', '/security/incidents', admin, incidentBody({ entryCodes: ['NO-SUCH-CODE'] })),
      422,
      'SECURITY_INCIDENT_UNKNOWN_ENTRY',
    );
    expectProblem(
      await call('POST', '/security/incidents', admin, incidentBody({ peopleAffected: -1 })),
      400,
    );
    expectProblem(await call('POST', '/security/incidents', admin, incidentBody({ kind: 'fire' })), 400);
    expectProblem(
      await call('POST', '/security/incidents', admin, incidentBody({ detectedAt: 'yesterday' })),
      400,
    );
    expectProblem(
      await call(
        'POST',
        '/security/incidents',
        admin,
        incidentBody({ detectedAt: new Date(Date.now() + 86_400_000).toISOString() }),
      ),
      400,
    );
    expectProblem(await call('GET', '/security/incidents/00000000-0000-4000-8000-000000000000', admin), 404);
    expect(await count()).toBe(before);
  });
});

describe("another organisation's data", () => {
  let healthCode: string;
  beforeAll(async () => {
    // A draft of the health commission, never published: its title and grade are its own business.
    const health = await organizationByCode(t, 'bjwjw');
    const response = await call(
      'POST',
      '/catalog/entries',
      healthAdmin,
      sampleEntry(health, {
        title: { zh: '门诊就诊记录（草稿）' },
        grade: 'important',
        openType: 'not_open',
        shareType: 'conditional',
        shareCondition: '仅限卫生健康部门',
      }),
    );
    expect(response.statusCode, response.body).toBe(201);
    healthCode = (response.json() as { code: string }).code;
  });

  it('is refused to an admin exactly like a code that does not exist', async () => {
    const before = (await actions()).length;
    const foreign = await call(
      'POST',
      '/security/incidents',
      admin,
      incidentBody({ entryCodes: [healthCode] }),
    );
    const missing = await call(
      'POST',
      '/security/incidents',
      admin,
      incidentBody({ entryCodes: ['NO-SUCH-CODE'] }),
    );
    expectProblem(foreign, 422, 'SECURITY_INCIDENT_UNKNOWN_ENTRY');
    expectProblem(missing, 422, 'SECURITY_INCIDENT_UNKNOWN_ENTRY');
    // Nothing in the answer tells the two apart but the code the caller typed.
    const shape = (body: string, code: string) => {
      const { requestId: _, ...rest } = JSON.parse(body.replaceAll(code, 'X')) as Record<string, unknown>;
      return rest;
    };
    expect(shape(foreign.body, healthCode)).toEqual(shape(missing.body, 'NO-SUCH-CODE'));
    const mine = await open(admin, { title: 'own data only' });
    const edited = await call('PATCH', `/security/incidents/${mine.id}`, admin, {
      entryCodes: [generalCode, healthCode],
    });
    expectProblem(edited, 422, 'SECURITY_INCIDENT_UNKNOWN_ENTRY');
    expect((await actions()).length).toBe(before + 1);
  });

  it('may be named by a security officer, and shows only its code to the admin', async () => {
    const named = await open(security, { entryCodes: [generalCode, healthCode], title: 'two providers' });
    expect(named.dataGrade).toBe('important');
    expect(named.dataConcerned.find((d) => d.code === healthCode)).toEqual({
      code: healthCode,
      title: { zh: '门诊就诊记录（草稿）' },
      grade: 'important',
    });
    const seen = (await call('GET', `/security/incidents/${named.id}`, admin)).json() as IncidentDetail;
    expect(seen.dataConcerned).toContainEqual({
      code: healthCode,
      title: { zh: healthCode },
      grade: 'unknown',
    });
    expect(seen.dataConcerned.find((d) => d.code === generalCode)?.grade).not.toBe('unknown');
    expect(JSON.stringify(seen)).not.toContain('门诊就诊记录');
  });
});

describe('one incident per alert', () => {
  const alert = (id: string, rule = 'volume.user') => ({
    id,
    rule,
    organizationId: bjjtw.id,
    evidence: { count: 9 },
    createdAt: hoursAgo(0.1),
  });
  const fromAlertCount = async (id: string) =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM security_incidents WHERE from_alert_id = ${id}`.execute(
          t.platform.db.kysely,
        )
      ).rows[0]!.n,
    );

  it('answers a second escalation, at once or later, with the incident the first opened', async () => {
    const incidents = t.platform.security.incidents;
    const id = 'aaaaaaaa-2222-4333-8444-555555555555';
    const [a, b] = await Promise.all([
      incidents.fromAlert(systemActor('test'), alert(id)),
      incidents.fromAlert(systemActor('test'), alert(id)),
    ]);
    expect(a.incidentId).toBe(b.incidentId);
    const later = await incidents.fromAlert(systemActor('test'), alert(id));
    expect(later.incidentId).toBe(a.incidentId);
    // Recorded by hand from the same alert, for the same organisation: the same incident again.
    const byHand = await call('POST', '/security/incidents', security, incidentBody({ fromAlertId: id }));
    expect(byHand.statusCode, byHand.body).toBe(201);
    expect((byHand.json() as IncidentDetail).id).toBe(a.incidentId);
    // For another organisation: a conflict, not a second incident.
    const health = await organizationByCode(t, 'bjwjw');
    const other = await call(
      'POST',
      '/security/incidents',
      security,
      incidentBody({ fromAlertId: id, organizationId: health.id, entryCodes: [] }),
    );
    expectProblem(other, 409, 'SECURITY_INCIDENT_ALERT_TAKEN');
    expect(await fromAlertCount(id)).toBe(1);
  });

  it('may be opened by an operator from an alert, and not by an admin through this path', async () => {
    const actor = await t.platform.identity.resolveUserActor(
      (await t.platform.identity.userByUsername('operator'))!.id,
    );
    const id = 'bbbbbbbb-2222-4333-8444-555555555555';
    const { incidentId } = await t.platform.security.incidents.fromAlert(actor, alert(id));
    const incident = (
      await call('GET', `/security/incidents/${incidentId}`, security)
    ).json() as IncidentDetail;
    expect(incident).toMatchObject({ organizationId: bjjtw.id, fromAlertId: id });
    const adminActor = await t.platform.identity.resolveUserActor(
      (await t.platform.identity.userByUsername('transport-admin'))!.id,
    );
    await expect(
      t.platform.security.incidents.fromAlert(adminActor, alert('cccccccc-2222-4333-8444-555555555555')),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('is not opened for failed sign-ins: they belong to the platform, not an organisation', async () => {
    const id = 'dddddddd-2222-4333-8444-555555555555';
    for (const rule of ['signin.account', 'signin.address'])
      await expect(
        t.platform.security.incidents.fromAlert(systemActor('test'), alert(id, rule)),
      ).rejects.toMatchObject({ code: 'SECURITY_INCIDENT_NO_ORGANIZATION', status: 422 });
    expect(await fromAlertCount(id)).toBe(0);
  });
});
