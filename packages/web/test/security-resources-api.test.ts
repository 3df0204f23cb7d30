// What the pages send, against the real platform: the wizard's request is accepted and makes a
// de-identified table, the search fills in levels the server accepts, and refusals come back with the
// codes the pages explain in the reader's language.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Caller,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from '../../server/test/support/catalog-fixtures.ts';
import { drainJobs, tableWithRows } from '../../server/test/support/tables.ts';
import { startTestPlatform, type TestPlatform } from '../../server/test/support/test-platform.ts';
import { ApiError } from '../src/api/client.ts';
import {
  derivationRequest,
  initialWizard,
  searchRequest,
  serverProblemStep,
  withField,
  withLevels,
} from '../src/features/security-resources/deid-wizard.ts';
import { readHierarchyText } from '../src/features/security-resources/hierarchy-file.ts';
import { problemText } from '../src/features/security-resources/problem-text.ts';
import { createResourceSecurityApi } from '../src/features/security-resources/resources-api.ts';
import { riskMeasures, verdict } from '../src/features/security-resources/risk-display.ts';
import { scanRows } from '../src/features/security-resources/scan-rows.ts';

let t: TestPlatform;
let base: string;
let table: string;
let entryCode: string;
const callers: Record<string, Caller> = {};
const realFetch = globalThis.fetch;

/** Fetch as `caller` would from the page: the session cookie travels with every request. */
function apiAs(name: string) {
  const caller = callers[name]!;
  globalThis.fetch = ((input: string, init: RequestInit = {}) =>
    realFetch(input, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), cookie: caller.cookie },
    })) as typeof fetch;
  return createResourceSecurityApi({ language: 'en', csrfToken: caller.csrf, base });
}

/** 80 residents: district, age, sex, a phone number and a diagnosis. */
function residents(): string {
  const districts = ['东城区', '西城区', '朝阳区', '海淀区'];
  const lines = ['district,age,sex,phone,diagnosis'];
  for (let i = 0; i < 80; i++)
    lines.push(
      [
        districts[i % 4],
        20 + ((i * 7) % 50),
        i % 2 === 0 ? '男' : '女',
        `139${String(10_000_000 + i * 7919).slice(0, 8)}`,
        ['感冒', '高血压', '糖尿病'][i % 3],
      ].join(','),
    );
  return lines.join('\n');
}

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  for (const name of ['operator', 'transport-admin', 'transport-editor', 'citizen'])
    callers[name] = await t.login(name);
  const transport = await organizationByCode(t, 'bjjtw');
  const entry = await publishEntry(
    t,
    callers['transport-editor']!,
    callers['transport-admin']!,
    callers.operator!,
    sampleEntry(transport, { title: { zh: '居民就诊抽样' }, openType: 'not_open', shareType: 'not_shared' }),
  );
  entryCode = entry.code;
  table = await tableWithRows(t, callers['transport-editor']!, entry.code, residents(), 'residents');
  await t.platform.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.platform.app.server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  globalThis.fetch = realFetch;
  await t?.close();
});

describe('the pages against the platform', () => {
  it('reads a finished scan into rows', async () => {
    const api = apiAs('transport-editor');
    const asked = await api.scan({ resourceId: table, sample: 50 });
    expect(asked.state).toBe('queued');
    await drainJobs(t);
    const job = await api.job(asked.jobId!);
    expect(job.status).toBe('succeeded');
    const done = await api.scanById(asked.id);
    const phone = scanRows(done.report).find((r) => r.name === 'phone');
    expect(done.report?.rowsScanned).toBe(50);
    expect(phone?.holds).toBe('mobile');
    expect(phone?.best?.examples[0]).toMatch(/\*/);
    expect((await api.scans(table)).items.map((s) => s.id)).toContain(asked.id);
  });

  it('shows the risk of the table as it is against the scenario', async () => {
    const api = apiAs('transport-editor');
    const report = await api.risk({
      resourceId: table,
      quasiIdentifiers: ['district', 'age', 'sex'],
      sensitive: ['diagnosis'],
      scenario: 'public-release',
    });
    expect(verdict(report)).toBe('fail');
    expect(riskMeasures(report).find((m) => m.key === 'k')).toMatchObject({ limit: 10, pass: false });
  });

  it('makes a de-identified table from the wizard’s request, with the levels the search found', async () => {
    const api = apiAs('transport-editor');
    const hierarchy = readHierarchyText('东城区;城区;*\n西城区;城区;*\n朝阳区;城区;*\n海淀区;城区;*\n');
    expect(hierarchy.ok).toBe(true);
    if (!hierarchy.ok) return;
    let state = initialWizard(
      ['district', 'age', 'sex', 'phone', 'diagnosis'],
      entryCode,
      '抽样（去标识化）',
    );
    state = withField(state, 'phone', { kind: 'hash' });
    state = withField(state, 'age', {
      kind: 'generalize',
      hierarchy: 'ranges',
      ranges: '10, 20, 40',
      level: 0,
    });
    state = withField(state, 'district', {
      kind: 'generalize',
      hierarchy: 'csv',
      csv: { name: 'district.csv', text: hierarchy.file.csv, levels: hierarchy.file.levels },
      level: 0,
    });
    state = { ...state, quasiIdentifiers: ['district', 'age', 'sex'], scenario: 'data-zone' };
    const thresholds = await api.thresholds();
    const asked = searchRequest(table, state, thresholds['data-zone']);
    expect(asked.ok).toBe(true);
    if (!asked.ok) return;
    const found = await api.search(asked.request);
    expect(found.report.k).toBeGreaterThanOrEqual(3);
    state = withLevels(state, found.levels);
    const built = derivationRequest(table, state);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const made = await api.derive(built.request);
    await drainJobs(t);
    const done = await api.derivation(made.id);
    expect(done.state, done.error ?? '').toBe('done');
    expect(done.report?.k).toBeGreaterThanOrEqual(3);
    // The search reaches k; whether the other thresholds pass is the report's to say, and the scenario agrees.
    expect(riskMeasures(done.report!).find((m) => m.key === 'k')?.pass).toBe(true);
    expect(done.scenarios?.['data-zone']).toBe(done.report?.pass);
    expect(done.target.resourceId).not.toBeNull();
    expect((await api.derivations(table)).items.map((d) => d.id)).toContain(made.id);
  });

  it('gets refusals back with codes the pages explain and paths they place', async () => {
    const api = apiAs('transport-editor');
    const base = initialWizard(['district', 'age'], entryCode, 'x');
    const built = derivationRequest(table, { ...base, quasiIdentifiers: ['district'] });
    if (!built.ok) throw new Error('the plan should be complete');
    const unknownField = await api
      // The phone numbers are dropped: personal information must be transformed or assessed.
      .derive({ ...built.request, fields: { phone: { kind: 'drop' }, passport: { kind: 'drop' } } })
      .catch((e: unknown) => e);
    expect(unknownField).toBeInstanceOf(ApiError);
    expect(problemText(unknownField)).toEqual({
      key: 'securityResources.problems.VALIDATION_FAILED',
      withDetail: true,
    });
    expect((unknownField as ApiError).errors.map((e) => serverProblemStep(e.path))).toEqual([
      { step: 0, at: 'passport' },
    ]);
    const badHierarchy = await api
      .search({ resourceId: table, hierarchies: { age: { ranges: [10, 15] } }, k: 2, maxSuppression: 0 })
      .catch((e: unknown) => e);
    expect(problemText(badHierarchy)?.key).toBe('securityResources.problems.DEID_BAD_HIERARCHY');
    const citizen = await apiAs('citizen')
      .scan({ resourceId: table })
      .catch((e: unknown) => e);
    expect((citizen as ApiError).status).toBe(403);
  });
});
