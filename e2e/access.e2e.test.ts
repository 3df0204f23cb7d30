import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type AxeSummary, axeViolations, settle, useServerAndBrowser } from './support/browser.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';
import { DEMO_PASSWORD } from './support/server.ts';

const app = useServerAndBrowser();

const en = (key: string, values: Record<string, string | number> = {}) => text('en', key, values);
const poll = <T>(value: () => T | Promise<T>, timeout = 10_000) => expect.poll(value, { timeout });

async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `access-${name}.png`), fullPage: true });
  const violations: AxeSummary[] = await axeViolations(page);
  expect(violations, `axe violations on ${name}`).toEqual([]);
}

/** An API session of a demo user, for the setting up that is not what this file proves. */
async function session(
  username: string,
): Promise<(method: string, path: string, body?: unknown, type?: string) => Promise<Response>> {
  const base = app.server.baseUrl;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return (method, path, body, type = 'application/json') =>
    fetch(`${base}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': type }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
}

interface Entry {
  code: string;
  title: { zh: string; en?: string };
  grade: string;
  informationItems: { name: string }[];
}

describe('conditional access, from the application to the revocation', () => {
  let entry: Entry;
  let tableId = '';
  let applicationId = '';

  it('has a conditionally opened entry of the transport bureau with data behind it', async () => {
    const search = (await (
      await fetch(
        `${app.server.baseUrl}/api/v1/catalog/entries?openType=conditional&organization=bjjtw&limit=50`,
      )
    ).json()) as { items: { code: string; grade: string }[] };
    const found = search.items.find((i) => i.grade !== 'important' && i.grade !== 'core');
    expect(found, 'a conditional, general-grade entry of the transport bureau').toBeDefined();
    const detail = (await (
      await fetch(`${app.server.baseUrl}/api/v1/catalog/entries/${found!.code}`)
    ).json()) as { entry: { code: string; metadata: Omit<Entry, 'code'> } };
    entry = { code: detail.entry.code, ...detail.entry.metadata };
    const names = entry.informationItems.map((i) => i.name);
    expect(names.length).toBeGreaterThanOrEqual(2);

    // The provider puts three rows behind it, one column per information item.
    const editor = await session('transport-editor');
    const created = await editor('POST', '/api/v1/datastore/resources', {
      entryCode: entry.code,
      name: '条件开放数据（测试）',
    });
    expect(created.status).toBe(201);
    tableId = ((await created.json()) as { id: string }).id;
    const csv = [
      names.join(','),
      ...[1, 2, 3].map((n) => names.map((name) => `${name}-${n}`).join(',')),
    ].join('\n');
    const uploaded = await editor('POST', '/api/v1/datastore/uploads?filename=data.csv', csv, 'text/csv');
    expect(uploaded.status).toBe(201);
    const load = await editor('POST', `/api/v1/datastore/resources/${tableId}/loads`, {
      uploadId: ((await uploaded.json()) as { id: string }).id,
      schema: { fields: names.map((name) => ({ name, type: 'string' })) },
    });
    expect(load.status).toBe(202);
    const { jobId } = (await load.json()) as { jobId: string };
    await poll(
      async () =>
        ((await (await editor('GET', `/api/v1/jobs/${jobId}`)).json()) as { status: string }).status,
      20_000,
    ).toBe('succeeded');
  });

  it('lets a citizen apply in the guided form, and refuses the rows until then', async () => {
    const { page } = await app.open(`/catalog/entries/${entry.code}`, 'en', 'citizen');
    const denied = await page.request.get(`/api/v1/datastore/${tableId}/records`);
    expect(denied.status()).toBe(403);
    expect(((await denied.json()) as { code: string }).code).toBe('DATASTORE_GRANT_REQUIRED');

    await page
      .getByRole('link', { name: en('access.requestAccess') })
      .or(page.getByRole('button', { name: en('access.requestAccess') }))
      .first()
      .click();
    await page.waitForURL(/\/access\/apply\//);
    await settle(page);
    await expectAccessible(page, 'apply-en');

    const next = () => page.getByRole('button', { name: en('access.apply.next') }).click();
    // Who you are: an individual, by name.
    await page.getByRole('radio', { name: en('access.applicantKinds.individual') }).check();
    await page.getByRole('textbox', { name: en('access.fields.personName') }).fill('王小明');
    await next();
    // Purpose and scenario.
    await page
      .getByRole('textbox', { name: en('access.fields.purpose') })
      .fill('研究公交线路与客流的关系，撰写硕士论文');
    await page
      .getByRole('textbox', { name: en('access.fields.scenario') })
      .fill('学术研究，仅在课题组内部使用');
    await next();
    // Fields and period: the first two fields, rows only.
    const names = entry.informationItems.map((i) => i.name);
    for (const name of names.slice(0, 2))
      await page.getByRole('checkbox', { name: new RegExp(name) }).check();
    await page.getByRole('checkbox', { name: en('access.operations.records') }).check();
    await next();
    await page
      .getByRole('textbox', { name: en('access.fields.securityMeasures') })
      .fill('数据存放在加密硬盘，仅两人可访问，项目结束后删除');
    await next();
    // The agreement is shown, and must be accepted.
    await page.getByRole('heading', { name: en('access.apply.termsTitle') }).waitFor();
    await page.getByRole('checkbox', { name: en('access.apply.acceptTerms') }).check();
    await next();
    await page.getByRole('button', { name: en('access.apply.submit') }).click();
    await page.waitForURL(/\/access\/applications\/[^/]+$/);
    applicationId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await settle(page);
    await page.getByText(en('access.states.submitted')).first().waitFor();
    await expectAccessible(page, 'application-en');
  });

  it('lets the transport bureau approve it from its review queue', async () => {
    const { page } = await app.open('/access/review', 'en', 'transport-admin');
    await expectAccessible(page, 'review-en');
    await page.locator(`a[href$="/access/applications/${applicationId}"]`).first().click();
    await page.waitForURL(/\/access\/applications\//);
    await settle(page);
    await page.getByRole('radio', { name: en('access.review.decisions.approve') }).check();
    await page.getByRole('button', { name: en('access.review.decisions.approve') }).click();
    // Approving asks for confirmation first.
    const confirm = page.getByRole('dialog').filter({ hasText: en('access.review.confirm.approve') });
    await confirm.getByRole('button', { name: en('access.review.decisions.approve') }).click();
    await page.getByText(en('access.states.approved')).first().waitFor();
  });

  it('lets the citizen read the granted fields, and only those', async () => {
    const { page } = await app.open(`/data/${tableId}`, 'en', 'citizen');
    const names = entry.informationItems.map((i) => i.name);
    const headers = await page.locator('[data-testid="records-table"] thead th').allTextContents();
    for (const name of names.slice(0, 2)) expect(headers.join(' ')).toContain(name);
    for (const name of names.slice(2)) expect(headers.join(' ')).not.toContain(name);
    const records = await page.request.get(`/api/v1/datastore/${tableId}/records`);
    expect(records.status()).toBe(200);
    expect(
      Object.keys(((await records.json()) as { records: Record<string, unknown>[] }).records[0] ?? {}).filter(
        (k) => k !== '_id',
      ),
    ).toEqual(names.slice(0, 2));
    // A use outside the grant is refused.
    expect((await page.request.get(`/api/v1/datastore/${tableId}/download`)).status()).toBe(403);
    await page.goto('/access/grants');
    await settle(page);
    await page.getByText(en('access.grantStates.active')).first().waitFor();
    await expectAccessible(page, 'grants-en');
  });

  it('lets the provider revoke the grant, after which the citizen is refused', async () => {
    const { page } = await app.open('/access/review', 'en', 'transport-admin');
    await page.getByRole('tab', { name: en('access.review.tabs.grants') }).click();
    await page
      .getByRole('button', { name: en('access.revoke.action') })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: en('access.revoke.reason') }).fill('用途与申请不符');
    await dialog.getByRole('button', { name: en('access.revoke.action') }).click();
    await page.getByText(en('access.revoke.done')).first().waitFor();

    const citizen = await app.open(`/data/${tableId}`, 'en', 'citizen');
    const refused = await citizen.page.request.get(`/api/v1/datastore/${tableId}/records`);
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('DATASTORE_GRANT_REVOKED');
    expect(await citizen.page.locator('[data-testid="records-table"] tbody tr.ant-table-row').count()).toBe(
      0,
    );
    await citizen.page.goto('/notifications');
    await settle(citizen.page);
    // The citizen is told, in the app: the revocation and its entry.
    await citizen.page
      .getByText(/was revoked/)
      .first()
      .waitFor();
    expect(await citizen.page.getByText(entry.code).count()).toBeGreaterThan(0);
    await expectAccessible(citizen.page, 'notifications-en');
  });
});
