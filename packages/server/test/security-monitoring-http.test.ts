// Monitoring and early warning over real access: reads, downloads, refused reads, failed sign-ins and token
// use are made through the HTTP API, the rules are run through it, and each rule is checked to fire once
// above its threshold, not below it, and not again on the next run.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import { createMailer } from '../src/kernel/mail/index.ts';
import type { AlertView, MonitoringThresholds } from '../src/modules/security/index.ts';
import { createMonitoringService } from '../src/modules/security/monitoring/index.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { drainJobs, tableWithRows } from './support/tables.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

const TABLE_CSV = ['route_name,first_departure,fare', '1路,05:00:00,2', '特8路,05:10:00,3'].join('\n');

let t: TestPlatform;
let sink: SmtpSink;
let mails: ReceivedMail[];
const c: Record<string, Caller & { userId: string }> = {};
let transport: { id: string; creditCode: string };
let openTable: string;
let grantedTable: string;
let thresholds: MonitoringThresholds;

type Method = 'GET' | 'POST' | 'PUT';
async function call(caller: Caller | undefined, method: Method, url: string, payload?: unknown, extra = {}) {
  return t.platform.app.inject({
    method,
    url,
    headers: headers(caller, extra),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function run(): Promise<{ entries: number; signIns: number; alerts: number }> {
  const response = await call(c.security, 'POST', '/api/v1/security/monitoring/run', {});
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function alerts(caller: Caller = c.security!, query = ''): Promise<AlertView[]> {
  const response = await call(caller, 'GET', `/api/v1/security/alerts?limit=500${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: AlertView[] }).items;
}

async function ofRule(rule: string, subjectId?: string): Promise<AlertView[]> {
  return (await alerts(c.security, `&rule=${rule}`)).filter(
    (a) => subjectId === undefined || a.subject.id === subjectId,
  );
}

async function read(caller: Caller, table: string, times: number, query = '', extra = {}) {
  for (let i = 0; i < times; i++) {
    const response = await call(
      caller,
      'GET',
      `/api/v1/datastore/${table}/records${query}`,
      undefined,
      extra,
    );
    expect(response.statusCode, response.body).toBe(200);
  }
}

async function failSignIn(username: string, address: string): Promise<void> {
  const response = await t.platform.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: 'not the password' },
    remoteAddress: address,
  });
  expect(response.statusCode, response.body).toBe(401);
}

async function logActions(prefix: string): Promise<{ action: string; objects: { id: string }[] }[]> {
  const result = await sql<{ entry: string }>`
    SELECT entry FROM ledger_entries WHERE entry LIKE ${`%"action":"${prefix}%`} ORDER BY idx`.execute(
    t.platform.db.kysely,
  );
  return result.rows.map((r) => JSON.parse(r.entry));
}

beforeAll(async () => {
  sink = await startSmtpSink();
  mails = sink.received;
  t = await startTestPlatform({
    DATAPOLIS_SMTP_URL: sink.url,
    DATAPOLIS_PUBLIC_URL: 'https://data.city.example',
    // Failed sign-ins are the test's subject: identity's own throttling must not stop them first.
    DATAPOLIS_LOGIN_MAX_FAILURES: '1000',
  });
  for (const name of [
    'operator',
    'security',
    'auditor',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'company-admin',
    'citizen',
  ]) {
    c[name] = await t.login(name);
  }
  transport = await organizationByCode(t, 'bjjtw');
  const open = await publishEntry(
    t,
    c['transport-editor']!,
    c['transport-admin']!,
    c.operator!,
    sampleEntry(transport, { title: { zh: '公交线路（开放）' } }),
  );
  openTable = await tableWithRows(t, c['transport-editor']!, open.code, TABLE_CSV, 'open');
  const conditional = sampleEntry(transport, {
    title: { zh: '公交线路（有条件）' },
    openType: 'conditional',
    openCondition: '用于研究',
    grade: 'general-2',
  });
  // The route name stands in for a column of sensitive personal information.
  conditional.informationItems = conditional.informationItems.map((item) =>
    item.name === 'route_name' ? { ...item, personalInfo: 'sensitive', grade: 'general-2' } : item,
  );
  const code = (
    await publishEntry(t, c['transport-editor']!, c['transport-admin']!, c.operator!, conditional)
  ).code;
  grantedTable = await tableWithRows(t, c['transport-editor']!, code, TABLE_CSV, 'conditional');
  // The citizen holds a grant for two fields and for reading records only.
  const termsVersion = ((await call(undefined, 'GET', '/api/v1/access/terms')).json() as { version: string })
    .version;
  const applied = await call(c.citizen, 'POST', '/api/v1/access/applications', {
    kind: 'open',
    entryCode: code,
    applicantKind: 'individual',
    applicantName: '王小明',
    purpose: '研究城市公交线路',
    scenario: '学术研究',
    fields: ['route_name', 'fare'],
    operations: ['records'],
    periodStart: new Date().toISOString().slice(0, 10),
    periodEnd: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    securityMeasures: '加密存储',
    termsVersion,
    acceptTerms: true,
  });
  expect(applied.statusCode, applied.body).toBe(201);
  const reviewed = await call(
    c['transport-admin'],
    'POST',
    `/api/v1/access/applications/${(applied.json() as { id: string }).id}/review`,
    { decision: 'approve' },
  );
  expect(reviewed.statusCode, reviewed.body).toBe(200);
  // Alerts raised while setting up would blur what each test shows.
  await run();
  expect(await alerts()).toEqual([]);
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('thresholds', () => {
  it('start from the defaults and are readable by the oversight roles', async () => {
    const response = await call(c.auditor, 'GET', '/api/v1/security/monitoring/thresholds');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { thresholds: MonitoringThresholds; defaults: MonitoringThresholds };
    expect(body.thresholds).toEqual(body.defaults);
    expect(body.thresholds.volumeUser.floor).toBeGreaterThan(10);
    thresholds = body.thresholds;
  });

  it('are replaced by an operator only, validated, and logged', async () => {
    const low: MonitoringThresholds = {
      ...thresholds,
      volumeUser: { enabled: true, floor: 5, downloadFloor: 2, factor: 3, days: 7 },
      volumeTable: { enabled: true, floor: 8, factor: 3, days: 7 },
      grantTerms: { enabled: true, count: 2, reasons: ['field-not-granted', 'operation-not-granted'] },
      signIns: { enabled: true, windowMinutes: 15, perAccount: 4, perAddress: 6 },
      tokenAddresses: { enabled: true, windowMinutes: 60, addresses: 3 },
      sensitiveFields: { enabled: true, count: 3 },
    };
    const denied = await call(c.security, 'PUT', '/api/v1/security/monitoring/thresholds', low);
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['content-type']).toContain('application/problem+json');
    const bad = await call(c.operator, 'PUT', '/api/v1/security/monitoring/thresholds', {
      ...low,
      volumeUser: { ...low.volumeUser, factor: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    // The service checks too, for callers other than the HTTP route (whose schema refuses first).
    await expect(
      t.platform.security.monitoring.setThresholds(systemActor('test'), { ...low, intervalSeconds: 1 }),
    ).rejects.toMatchObject({ code: 'SECURITY_THRESHOLDS_INVALID' });
    const saved = await call(c.operator, 'PUT', '/api/v1/security/monitoring/thresholds', low);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((saved.json() as { thresholds: MonitoringThresholds }).thresholds).toEqual(low);
    const log = await logActions('security.monitoring-thresholds.updated');
    expect(log).toHaveLength(1);
    thresholds = low;
  });
});

describe('reads far above normal', () => {
  it('warn about a user over the floor once, and about a table over its own', async () => {
    await read(c.citizen!, openTable, 5);
    await run();
    expect(await ofRule('volume.user', c.citizen!.userId)).toEqual([]);
    await read(c.citizen!, openTable, 1);
    expect((await run()).alerts).toBe(1);
    const [alert] = await ofRule('volume.user', c.citizen!.userId);
    expect(alert).toMatchObject({
      severity: 'medium',
      state: 'open',
      organizationId: transport.id,
      subject: { type: 'user', id: c.citizen!.userId },
      evidence: { metric: 'reads', count: 6, limit: 5, median: 0, tables: [openTable] },
    });
    expect((alert!.evidence.entries as number[]).length).toBeGreaterThan(0);
    // Three downloads by another caller: over the download floor, and the table over its floor (6 + 3 > 8).
    expect(await ofRule('volume.table')).toEqual([]);
    for (let i = 0; i < 3; i++) {
      const response = await call(
        c['company-admin'],
        'GET',
        `/api/v1/datastore/${openTable}/download?format=csv`,
      );
      expect(response.statusCode).toBe(200);
    }
    await run();
    const downloads = await ofRule('volume.user', c['company-admin']!.userId);
    expect(downloads.map((a) => a.evidence.metric)).toEqual(['downloads']);
    const tables = await ofRule('volume.table');
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({
      subject: { type: 'datastore.resource', id: openTable },
      evidence: { count: 9 },
    });
  });

  it('measure a user against their own history: factor × the median of past days', async () => {
    const user = `user:${c['health-admin']!.userId}`;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    // Four reads on each of the seven days before: a median of 4, so 3 × 4 = 12 reads are still normal.
    for (let d = 1; d <= 7; d++) {
      const day = new Date(Date.parse(`${today}T00:00:00Z`) - d * 86_400_000).toISOString().slice(0, 10);
      await sql`INSERT INTO security_monitoring_counts (day, kind, subject, object, detail, organization_id, count)
        VALUES (${day}, 'read', ${user}, ${openTable}, '', ${transport.id}, 4)`.execute(t.platform.db.kysely);
    }
    await read(c['health-admin']!, openTable, 12);
    await run();
    expect(await ofRule('volume.user', c['health-admin']!.userId)).toEqual([]);
    await read(c['health-admin']!, openTable, 1);
    await run();
    const [alert] = await ofRule('volume.user', c['health-admin']!.userId);
    expect(alert?.evidence).toMatchObject({ count: 13, limit: 12, median: 4 });
  });
});

describe('access outside a grant’s terms', () => {
  it('warns once the refusals reach the threshold, and not for a first try without a grant', async () => {
    const fields = await call(
      c.citizen,
      'GET',
      `/api/v1/datastore/${grantedTable}/records?fields=first_departure`,
    );
    expect((fields.json() as { code: string }).code).toBe('DATASTORE_FIELD_NOT_GRANTED');
    for (let i = 0; i < 3; i++) {
      const none = await call(c['company-admin'], 'GET', `/api/v1/datastore/${grantedTable}/records`);
      expect((none.json() as { code: string }).code).toBe('DATASTORE_GRANT_REQUIRED');
    }
    await run();
    expect(await ofRule('grant.terms')).toEqual([]);
    const download = await call(c.citizen, 'GET', `/api/v1/datastore/${grantedTable}/download?format=csv`);
    expect((download.json() as { code: string }).code).toBe('DATASTORE_OPERATION_NOT_GRANTED');
    await run();
    await run();
    const found = await ofRule('grant.terms');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'high',
      organizationId: transport.id,
      subject: { type: 'user', id: c.citizen!.userId },
      object: { type: 'datastore.resource', id: grantedTable },
      evidence: { count: 2, threshold: 2 },
    });
    expect([...(found[0]!.evidence.reasons as string[])].sort()).toEqual([
      'field-not-granted',
      'operation-not-granted',
    ]);
  });
});

describe('repeated queries over sensitive fields', () => {
  it('count only the reads that return a sensitive field', async () => {
    // Reads of the fare alone do not touch the sensitive field.
    await read(c.citizen!, grantedTable, 3, '?fields=fare');
    await read(c.citizen!, grantedTable, 2, '?fields=route_name');
    await run();
    expect(await ofRule('sensitive.fields')).toEqual([]);
    // Without a field list, the grant's fields are read: the sensitive one among them.
    await read(c.citizen!, grantedTable, 1);
    await run();
    const found = await ofRule('sensitive.fields');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      organizationId: transport.id,
      subject: { type: 'user', id: c.citizen!.userId },
      evidence: { count: 3, fields: ['route_name'] },
    });
  });
});

describe('failed sign-ins', () => {
  it('warn about an account and about an address, each once', async () => {
    for (let i = 1; i <= 3; i++) await failSignIn('transport-editor', `10.0.1.${i}`);
    for (let i = 1; i <= 5; i++) await failSignIn(`nobody-${i}`, '10.0.0.9');
    await run();
    expect(await ofRule('signin.account')).toEqual([]);
    expect(await ofRule('signin.address')).toEqual([]);
    await failSignIn('transport-editor', '10.0.1.4');
    await failSignIn('nobody-6', '10.0.0.9');
    await run();
    await run();
    const accounts = await ofRule('signin.account');
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({
      organizationId: null,
      subject: { type: 'username', id: 'transport-editor' },
      evidence: { count: 4, threshold: 4 },
    });
    const addresses = await ofRule('signin.address');
    expect(addresses).toHaveLength(1);
    expect(addresses[0]).toMatchObject({
      subject: { type: 'address', id: '10.0.0.9' },
      evidence: { count: 6 },
    });
  });

  it('are kept after a successful sign-in makes identity forget them', async () => {
    await t.login('transport-editor');
    expect(await ofRule('signin.account')).toHaveLength(1);
    expect(
      Number(
        (
          await sql<{ n: string }>`SELECT count(*) AS n FROM security_monitoring_sign_ins`.execute(
            t.platform.db.kysely,
          )
        ).rows[0]!.n,
      ),
    ).toBe(10);
  });
});

describe('one token used from many addresses', () => {
  it('warns when a token is used from more addresses than allowed; forwarded-for headers are not trusted', async () => {
    const token = await t.token('health-admin', ['access:read']);
    const bearer = { authorization: `Bearer ${token}` };
    const use = async (address: string, extra: Record<string, string> = {}) => {
      const response = await t.platform.app.inject({
        method: 'GET',
        url: `/api/v1/datastore/${openTable}/records`,
        headers: { ...bearer, ...extra },
        remoteAddress: address,
      });
      expect(response.statusCode, response.body).toBe(200);
    };
    await use('10.2.0.1');
    await use('10.2.0.2');
    // The platform does not sit behind a trusted proxy: the header does not make another address.
    for (let i = 1; i <= 3; i++) await use('10.2.0.2', { 'x-forwarded-for': `192.0.2.${i}` });
    await run();
    expect(await ofRule('token.addresses')).toEqual([]);
    await use('10.2.0.3');
    await run();
    await run();
    const found = await ofRule('token.addresses');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'high',
      object: { type: 'user', id: c['health-admin']!.userId },
      evidence: { addresses: 3, threshold: 3, uses: 6 },
    });
    expect([...(found[0]!.evidence.addressList as string[])].sort()).toEqual([
      '10.2.0.1',
      '10.2.0.2',
      '10.2.0.3',
    ]);
    expect(found[0]!.subject.id).toMatch(/^[0-9a-f]{16}$/);
    expect(token).not.toContain(found[0]!.subject.id);
  });
});

describe('alerts', () => {
  it('are raised once each, with one log entry each', async () => {
    const all = await alerts();
    expect((await run()).alerts).toBe(0);
    expect(await alerts()).toHaveLength(all.length);
    const raised = await logActions('security.alert.raised');
    expect(raised.map((e) => e.objects[0]!.id).sort()).toEqual(all.map((a) => a.id).sort());
  });

  it('are read by oversight roles in full and by an organisation’s admins for its own data only', async () => {
    const all = await alerts();
    const mine = await alerts(c['transport-admin']);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.organizationId === transport.id)).toBe(true);
    expect(mine.length).toBe(all.filter((a) => a.organizationId === transport.id).length);
    expect(await alerts(c['health-admin'])).toEqual([]);
    expect((await alerts(c.auditor)).length).toBe(all.length);
    const platformAlert = all.find((a) => a.organizationId === null)!;
    const hidden = await call(c['transport-admin'], 'GET', `/api/v1/security/alerts/${platformAlert.id}`);
    expect(hidden.statusCode).toBe(403);
    for (const [caller, status] of [
      [c.citizen, 403],
      [undefined, 401],
    ] as const) {
      const response = await call(caller, 'GET', '/api/v1/security/alerts');
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const runDenied = await call(c.auditor, 'POST', '/api/v1/security/monitoring/run', {});
    expect(runDenied.statusCode).toBe(403);
    const handleDenied = await call(
      c['transport-admin'],
      'POST',
      `/api/v1/security/alerts/${mine[0]!.id}/acknowledge`,
      {},
    );
    expect(handleDenied.statusCode).toBe(403);
    expect((handleDenied.json() as { code: string }).code).toBe('FORBIDDEN');
  });

  it('are acknowledged, closed, and refuse a move their state does not allow', async () => {
    const [alert] = await ofRule('volume.table');
    const url = `/api/v1/security/alerts/${alert!.id}`;
    const ack = await call(c.security, 'POST', `${url}/acknowledge`, { note: '已联系使用方' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({
      state: 'acknowledged',
      note: '已联系使用方',
      handledBy: `user:${c.security!.userId}`,
    });
    const again = await call(c.security, 'POST', `${url}/acknowledge`, {});
    expect(again.statusCode).toBe(409);
    expect((again.json() as { code: string }).code).toBe('SECURITY_ALERT_STATE');
    const closed = await call(c.operator, 'POST', `${url}/close`, {});
    expect(closed.json()).toMatchObject({ state: 'closed' });
    expect((await call(c.operator, 'POST', `${url}/escalate`, {})).statusCode).toBe(409);
    const log = (await logActions('security.alert.')).filter((e) => e.objects[0]!.id === alert!.id);
    expect(log.map((e) => e.action)).toEqual([
      'security.alert.raised',
      'security.alert.acknowledged',
      'security.alert.closed',
    ]);
  });

  it('are escalated into incidents through the incidents service, and say so clearly when it is not wired', async () => {
    const [alert] = await ofRule('grant.terms');
    const url = `/api/v1/security/alerts/${alert!.id}/escalate`;
    const monitoring = t.platform.security.monitoring;
    monitoring.setEscalation(undefined);
    const unavailable = await call(c.security, 'POST', url, {});
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.headers['content-type']).toContain('application/problem+json');
    expect((unavailable.json() as { code: string }).code).toBe('SECURITY_ESCALATION_UNAVAILABLE');
    expect((await call(c.security, 'GET', `/api/v1/security/alerts/${alert!.id}`)).json()).toMatchObject({
      state: 'open',
    });
    monitoring.setEscalation(t.platform.security.incidents.fromAlert);
    const escalated = await call(c.security, 'POST', url, { note: '疑似数据外泄' });
    expect(escalated.statusCode, escalated.body).toBe(200);
    const view = escalated.json() as AlertView;
    expect(view.state).toBe('escalated');
    const incident = await call(c.security, 'GET', `/api/v1/security/incidents/${view.incidentId}`);
    expect(incident.statusCode, incident.body).toBe(200);
    expect(incident.json()).toMatchObject({ organizationId: transport.id, fromAlertId: alert!.id });
    const [entry] = (await logActions('security.alert.escalated')).filter(
      (e) => e.objects[0]!.id === alert!.id,
    );
    expect(entry!.objects).toContainEqual({ type: 'security.incident', id: view.incidentId });
    // An alert about the platform names no organisation: the incident service refuses, the alert stays open.
    const [platformAlert] = await ofRule('signin.address');
    const refused = await call(
      c.security,
      'POST',
      `/api/v1/security/alerts/${platformAlert!.id}/escalate`,
      {},
    );
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(
      (await call(c.security, 'GET', `/api/v1/security/alerts/${platformAlert!.id}`)).json(),
    ).toMatchObject({
      state: 'open',
    });
  });

  it('reach the security officer in the app and by mail, and the provider’s admins for its data', async () => {
    const all = await alerts();
    const notices = await call(c.security, 'GET', '/api/v1/security/alert-notifications?limit=200');
    expect(notices.statusCode).toBe(200);
    const body = notices.json() as { items: { id: string; alertId: string }[]; unread: number };
    expect(body.items.map((n) => n.alertId).sort()).toEqual(all.map((a) => a.id).sort());
    expect(body.unread).toBe(all.length);
    const read = await call(
      c.security,
      'POST',
      `/api/v1/security/alert-notifications/${body.items[0]!.id}/read`,
      {},
    );
    expect(read.statusCode).toBe(204);
    const admin = (
      await call(c['transport-admin'], 'GET', '/api/v1/security/alert-notifications')
    ).json() as {
      items: { alertId: string }[];
    };
    expect(admin.items.length).toBe(all.filter((a) => a.organizationId === transport.id).length);
    await drainJobs(t);
    const toOfficer = mails.filter((m) => m.to.includes('security@demo.datapolis.invalid'));
    expect(toOfficer).toHaveLength(all.length);
    expect(toOfficer[0]!.raw).toContain('Security alert');
    expect(toOfficer.some((m) => m.raw.includes('https://data.city.example/security/alerts?alert='))).toBe(
      true,
    );
  });

  it('are counted per organisation for the security dashboard', async () => {
    const all = await alerts();
    const counts = await t.platform.security.monitoring.openAlertCounts();
    const open = (org: string | null) =>
      all.filter((a) => a.organizationId === org && (a.state === 'open' || a.state === 'acknowledged'))
        .length;
    expect(counts.get(transport.id)).toEqual({ open: open(transport.id) });
    expect(counts.get('platform')).toEqual({ open: open(null) });
  });
});

/**
 * A second monitoring service over the same database and modules, with its own clock, log and a count of
 * the times it pages through the users: what the platform's own instance does not let a test see.
 */
function secondService(options: { now?: () => Date; logs?: Record<string, unknown>[] } = {}) {
  const p = t.platform;
  const calls = { listUsers: 0 };
  const service = createMonitoringService({
    db: p.db.kysely,
    ledger: p.ledger,
    jobs: { enqueue: p.jobs.enqueue, register: () => undefined },
    mailer: createMailer({ url: undefined, from: 'test <test@test.invalid>' }),
    catalog: p.catalog,
    datastore: p.datastore,
    identity: {
      listUsers: (...args: Parameters<typeof p.identity.listUsers>) => {
        calls.listUsers += 1;
        return p.identity.listUsers(...args);
      },
      listMembers: p.identity.listMembers,
      resolveUserActor: p.identity.resolveUserActor,
      userByUsername: p.identity.userByUsername,
      loginFailuresAfter: p.identity.loginFailuresAfter,
    },
    logger: pino({ level: 'warn' }, { write: (line: string) => options.logs?.push(JSON.parse(line)) }),
    publicUrl: undefined,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return { service, calls };
}

async function withTokenUsesAway(body: () => Promise<void>): Promise<void> {
  const db = t.platform.db.kysely;
  await sql`ALTER TABLE security_monitoring_token_uses RENAME TO security_monitoring_token_uses_away`.execute(
    db,
  );
  try {
    await body();
  } finally {
    await sql`ALTER TABLE security_monitoring_token_uses_away RENAME TO security_monitoring_token_uses`.execute(
      db,
    );
  }
}

describe('token uses when the database refuses them for a while', () => {
  const usesFrom = async (address: string) =>
    Number(
      (
        await sql<{ n: number }>`SELECT coalesce(sum(count), 0) AS n FROM security_monitoring_token_uses
          WHERE address = ${address}`.execute(t.platform.db.kysely)
      ).rows[0]!.n,
    );

  it('are written by the next flush after one fails, the failed batch included', async () => {
    const monitoring = t.platform.security.monitoring;
    await monitoring.flushTokenUses();
    const token = await t.token('company-admin', ['access:read']);
    const use = async () => {
      const response = await t.platform.app.inject({
        method: 'GET',
        url: `/api/v1/datastore/${openTable}/records`,
        headers: { authorization: `Bearer ${token}` },
        remoteAddress: '10.3.0.1',
      });
      expect(response.statusCode, response.body).toBe(200);
    };
    await use();
    await withTokenUsesAway(async () => {
      await expect(monitoring.flushTokenUses()).rejects.toThrow();
    });
    expect(await usesFrom('10.3.0.1')).toBe(0);
    await use();
    await monitoring.flushTokenUses();
    expect(await usesFrom('10.3.0.1')).toBe(2);
  });

  it('are recorded on every prefix a token opens: the API, the CKAN actions and the DCAT addresses', async () => {
    const monitoring = t.platform.security.monitoring;
    await monitoring.flushTokenUses();
    const token = await t.token('company-admin', ['access:read']);
    for (const [url, headers] of [
      ['/api/v1/health', { authorization: `Bearer ${token}` }],
      ['/api/3/action/package_list', { authorization: token }],
      ['/api/3/action/status_show', { 'x-ckan-api-key': token }],
      ['/catalog.ttl', { authorization: `Bearer ${token}` }],
    ] as const) {
      const response = await t.platform.app.inject({
        method: 'GET',
        url,
        headers,
        remoteAddress: '10.3.0.9',
      });
      expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
    }
    // Without a token, nothing is recorded.
    await t.platform.app.inject({
      method: 'GET',
      url: '/api/3/action/package_list',
      remoteAddress: '10.3.0.9',
    });
    await monitoring.flushTokenUses();
    expect(await usesFrom('10.3.0.9')).toBe(4);
  });

  it('are kept up to 100,000 keys, the oldest minutes dropped and the loss logged', async () => {
    const base = Date.parse('2020-01-01T00:00:00Z');
    let clock = base;
    const logs: Record<string, unknown>[] = [];
    const { service } = secondService({ now: () => new Date(clock), logs });
    const actor = await t.platform.identity.resolveUserActor(c.citizen!.userId);
    const secret = 'a token that is kept in memory too long';
    for (let minute = 0; minute <= 100_000; minute++) {
      clock = base + minute * 60_000;
      service.recordTokenUse(secret, actor, '10.5.0.1');
    }
    await withTokenUsesAway(async () => {
      await expect(service.flushTokenUses()).rejects.toThrow();
    });
    await service.flushTokenUses();
    const fingerprint = createHash('sha256').update(secret).digest('hex').slice(0, 16);
    const db = t.platform.db.kysely;
    const written = await sql<{ n: number; first: Date }>`
      SELECT count(*) AS n, min(minute) AS first FROM security_monitoring_token_uses
      WHERE token = ${fingerprint}`.execute(db);
    expect(Number(written.rows[0]!.n)).toBe(100_000);
    expect(new Date(written.rows[0]!.first).getTime()).toBe(base + 60_000);
    expect(logs.find((l) => l.droppedKeys !== undefined)).toMatchObject({ droppedKeys: 1, droppedUses: 1 });
    await sql`DELETE FROM security_monitoring_token_uses WHERE token = ${fingerprint}`.execute(db);
  }, 120_000);
});

describe('an evaluation that finds only what it already raised', () => {
  it('does not look up the recipients; a new alert does', async () => {
    const { service, calls } = secondService();
    const before = (await alerts()).length;
    expect(before).toBeGreaterThan(0);
    expect((await service.evaluate()).alerts).toBe(0);
    expect(calls.listUsers).toBe(0);
    for (let i = 1; i <= 4; i++) await failSignIn('citizen', `10.4.0.${i}`);
    expect((await service.evaluate()).alerts).toBe(1);
    expect(calls.listUsers).toBeGreaterThan(0);
    expect(await alerts()).toHaveLength(before + 1);
  });
});

describe('escalation', () => {
  it('opens one incident when two people escalate the same alert at once, and both answers name it', async () => {
    const [alert] = await ofRule('sensitive.fields');
    expect(alert!.state).toBe('open');
    const url = `/api/v1/security/alerts/${alert!.id}/escalate`;
    const answers = await Promise.all([call(c.security, 'POST', url, {}), call(c.operator, 'POST', url, {})]);
    const named = answers.map((r) => {
      const body = r.json() as { incidentId?: string; code?: string };
      // The later one either finds the incident the first opened, or is told the alert is escalated to it.
      if (r.statusCode === 409) expect(body.code).toBe('SECURITY_ALERT_STATE');
      else expect(r.statusCode, r.body).toBe(200);
      return body.incidentId;
    });
    expect(named[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(named[1]).toBe(named[0]);
    const again = await call(c.security, 'POST', url, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SECURITY_ALERT_STATE', incidentId: named[0] });
    const incidents = (await call(c.security, 'GET', '/api/v1/security/incidents')).json() as {
      items: { id: string; fromAlertId: string | null }[];
    };
    expect(incidents.items.filter((i) => i.fromAlertId === alert!.id).map((i) => i.id)).toEqual([named[0]]);
  });

  it('is open to operators, who record the incident for the organisation concerned', async () => {
    const [alert] = await ofRule('volume.user', c['company-admin']!.userId);
    const escalated = await call(c.operator, 'POST', `/api/v1/security/alerts/${alert!.id}/escalate`, {});
    expect(escalated.statusCode, escalated.body).toBe(200);
    const view = escalated.json() as AlertView;
    expect(view).toMatchObject({ state: 'escalated', handledBy: `user:${c.operator!.userId}` });
    const incident = await call(c.operator, 'GET', `/api/v1/security/incidents/${view.incidentId}`);
    expect(incident.json()).toMatchObject({ organizationId: transport.id, fromAlertId: alert!.id });
    // Escalation does not make operators managers of incidents otherwise.
    const edit = await t.platform.app.inject({
      method: 'PATCH',
      url: `/api/v1/security/incidents/${view.incidentId}`,
      headers: headers(c.operator, {}),
      payload: { title: 'x' },
    });
    expect(edit.statusCode, edit.body).toBe(403);
  });
});
