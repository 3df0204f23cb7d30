import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '../src/modules/access/index.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

/** The local SMTP sink: every message it kept, and the codes it answers the next recipients with. */
let sink: SmtpSink;
let received: ReceivedMail[];
let refuseWith: number[];
let t: TestPlatform;
let citizen: Caller;
let admin: Caller;
let entryCode: string;
let termsVersion: string;

async function inject(caller: Caller, url: string, payload: unknown) {
  return t.platform.app.inject({
    method: 'POST',
    url,
    headers: headers(caller),
    payload: payload as Record<string, unknown>,
  });
}

async function runJobs(): Promise<void> {
  while (await t.platform.jobs.runOnce()) {
    // until the queue has nothing due
  }
}

async function mailJobs() {
  const result = await sql<{ id: string; status: string; attempts: number; last_error: string | null }>`
    SELECT id, status, attempts, last_error FROM kernel_jobs WHERE kind = 'access.mail' ORDER BY created_at, id`.execute(
    t.platform.db.kysely,
  );
  return result.rows;
}

async function applyAndApprove(): Promise<Application> {
  const applied = await inject(citizen, '/api/v1/access/applications', {
    kind: 'open',
    entryCode,
    applicantKind: 'individual',
    applicantName: '李四',
    purpose: '城市交通研究',
    scenario: '学术研究',
    fields: ['route_name'],
    operations: ['records'],
    periodStart: new Date().toISOString().slice(0, 10),
    periodEnd: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    securityMeasures: '加密存储',
    termsVersion,
    acceptTerms: true,
  });
  expect(applied.statusCode, applied.body).toBe(201);
  const id = (applied.json() as Application).id;
  const approved = await inject(admin, `/api/v1/access/applications/${id}/review`, { decision: 'approve' });
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json() as Application;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  ({ received, refuseWith } = sink);
  const port = sink.port;
  t = await startTestPlatform({
    DATAPOLIS_SMTP_URL: `smtp://127.0.0.1:${port}`,
    DATAPOLIS_MAIL_FROM: 'Datapolis Test <no-reply@test.invalid>',
    DATAPOLIS_PUBLIC_URL: 'https://data.city.example',
  });
  citizen = await t.login('citizen');
  admin = await t.login('transport-admin');
  const editor = await t.login('transport-editor');
  const operator = await t.login('operator');
  const bjjtw = await organizationByCode(t, 'bjjtw');
  entryCode = (
    await publishEntry(
      t,
      editor,
      admin,
      operator,
      sampleEntry(bjjtw, { openType: 'conditional', openCondition: '用于科研', grade: 'general-2' }),
    )
  ).code;
  const terms = await t.platform.app.inject({ method: 'GET', url: '/api/v1/access/terms' });
  termsVersion = (terms.json() as { version: string }).version;
});

afterAll(async () => {
  await t.close();
  await sink?.close();
});

describe('mail to the applicant', () => {
  let application: Application;

  it('is sent through the configured SMTP server, in Chinese with English below', async () => {
    application = await applyAndApprove();
    // Queued with the approval; nothing is sent before a worker runs the job.
    expect(received).toHaveLength(0);
    expect((await mailJobs()).map((j) => j.status)).toEqual(['queued']);
    await runJobs();
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.to).toEqual(['citizen@demo.datapolis.invalid']);
    expect(mail.from).toBe('no-reply@test.invalid');
    expect(mail.headers.get('from')).toContain('Datapolis Test');
    expect(mail.headers.get('subject')).toBe(
      '[Datapolis] 您的数据使用申请已批准 / Your data access application is approved',
    );
    expect(mail.text).toContain(`您对“北京市公交线路”（${entryCode}）的申请已批准。`);
    expect(mail.text).toContain(`Your application for "Beijing bus routes" (${entryCode}) is approved.`);
    expect(mail.text.indexOf('申请已批准')).toBeLessThan(mail.text.indexOf('is approved'));
    expect(mail.text).toContain(`https://data.city.example/access/applications/${application.id}`);
    expect((await mailJobs()).map((j) => j.status)).toEqual(['succeeded']);
  });

  it('is retried when the server refuses for now, and delivered later', async () => {
    refuseWith.push(451);
    const revoked = await inject(admin, `/api/v1/access/grants/${application.grantId}/revoke`, {
      reason: '数据用途变更',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await runJobs();
    const waiting = (await mailJobs()).at(-1)!;
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting.last_error).toContain('451');
    expect(received).toHaveLength(1);

    // The retry waits out its back-off; bring it forward instead of sleeping.
    await sql`UPDATE kernel_jobs SET run_at = now() WHERE id = ${waiting.id}`.execute(t.platform.db.kysely);
    await runJobs();
    expect(received).toHaveLength(2);
    expect(received[1]!.headers.get('subject')).toContain('授权已被撤销');
    expect(received[1]!.text).toContain('理由：数据用途变更');
    expect(received[1]!.text).toContain('Reason: 数据用途变更');
    expect((await mailJobs()).at(-1)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('gives up at once when the server refuses the address for good', async () => {
    refuseWith.push(550);
    await applyAndApprove();
    await runJobs();
    const failed = (await mailJobs()).at(-1)!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.last_error).toContain('550');
    expect(received).toHaveLength(2);
    // The in-app notice is there whatever happened to the mail.
    const notices = await t.platform.app.inject({
      method: 'GET',
      url: '/api/v1/notifications?unread=true',
      headers: headers(citizen),
    });
    expect((notices.json() as { items: { kind: string }[] }).items[0]?.kind).toBe('application.approved');
  });
});
