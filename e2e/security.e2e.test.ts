import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type AxeSummary, axeViolations, settle, useServerAndBrowser } from './support/browser.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';
import { DEMO_PASSWORD } from './support/server.ts';

const app = useServerAndBrowser();

const en = (key: string, values: Record<string, string | number> = {}) => text('en', key, values);

async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `security-${name}.png`), fullPage: true });
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

/** Check digit of a resident identity number (ISO 7064 MOD 11-2). */
function residentId(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body17 + '10X98765432'[sum % 11]!;
}

// The table the first tests make; the wizard de-identifies it.
let tableId = '';
let tableEntry = '';

describe('the security officer finds personal data in a table and assesses it', () => {
  it('has a table of the transport bureau with identity numbers and phones in it', async () => {
    const search = (await (
      await fetch(`${app.server.baseUrl}/api/v1/catalog/entries?organization=bjjtw&limit=50`)
    ).json()) as { items: { code: string; grade: string }[] };
    const entry = search.items.find((i) => i.grade !== 'important' && i.grade !== 'core');
    expect(entry).toBeDefined();
    const editor = await session('transport-editor');
    const created = await editor('POST', '/api/v1/datastore/resources', {
      entryCode: entry!.code,
      name: '实名乘客抽样（测试）',
    });
    expect(created.status).toBe(201);
    tableId = ((await created.json()) as { id: string }).id;
    tableEntry = entry!.code;
    const lines = ['district,age,sex,id_number,phone'];
    for (let i = 0; i < 40; i++)
      lines.push(
        [
          ['东城区', '西城区', '朝阳区', '海淀区'][i % 4],
          20 + ((i * 7) % 50),
          i % 2 === 0 ? '男' : '女',
          residentId(
            `1101011990${String(1 + (i % 9)).padStart(2, '0')}1${i % 10}${String(100 + i).slice(-3)}`,
          ),
          `139${String(10_000_000 + i * 7919).slice(0, 8)}`,
        ].join(','),
      );
    const uploaded = await editor(
      'POST',
      '/api/v1/datastore/uploads?filename=riders.csv',
      lines.join('\n'),
      'text/csv',
    );
    expect(uploaded.status).toBe(201);
    const load = await editor('POST', `/api/v1/datastore/resources/${tableId}/loads`, {
      uploadId: ((await uploaded.json()) as { id: string }).id,
    });
    expect(load.status).toBe(202);
    const { jobId } = (await load.json()) as { jobId: string };
    await expect
      .poll(
        async () =>
          ((await (await editor('GET', `/api/v1/jobs/${jobId}`)).json()) as { status: string }).status,
        {
          timeout: 20_000,
        },
      )
      .toBe('succeeded');
  });

  it('scans it from the table page and sees what each column holds', async () => {
    const { page } = await app.open(`/data/${tableId}`, 'en', 'security');
    await page.getByRole('link', { name: en('securityResources.link') }).click();
    await page.waitForURL(/\/security\/resources\//);
    await settle(page);
    await expectAccessible(page, 'scan-en');
    await page.getByRole('button', { name: en('securityResources.scan.start'), exact: true }).click();
    const report = page.getByRole('table', { name: en('securityResources.scan.caption') });
    await report.waitFor({ timeout: 30_000 });
    const idRow = report.getByRole('row').filter({ hasText: 'id_number' });
    await expect.poll(() => idRow.textContent()).toMatch(/identity|Identity/);
    // Examples are masked: no whole identity number is on the page.
    expect(await page.locator('main').textContent()).not.toMatch(/\d{17}[\dX]/);
    await expectAccessible(page, 'scan-report-en');
  });

  it('assesses the re-identification risk of the table as it is', async () => {
    const { page } = await app.open(`/security/resources/${tableId}?tab=risk`, 'en', 'security');
    for (const field of ['district', 'age', 'sex']) {
      const box = page.getByRole('group', {
        name: new RegExp(en('securityResources.fields.quasiIdentifiers'), 'i'),
      });
      await box.getByRole('checkbox', { name: field, exact: true }).check();
    }
    await page.getByRole('button', { name: en('securityResources.risk.assess') }).click();
    await page
      .getByRole('heading', { name: en('securityResources.report.title') })
      .waitFor({ timeout: 20_000 });
    // Every record is alone in its class: it fails, and says why.
    await expect.poll(() => page.locator('main').textContent()).toMatch(/k/);
    await expectAccessible(page, 'risk-en');
  });
});

describe('the provider makes a de-identified table in the wizard', () => {
  it('transforms fields, names the quasi-identifiers, and gets the table with its risk report', async () => {
    const editor = await session('transport-editor');
    expect(tableId, 'the table of the first tests').not.toBe('');
    const source = { id: tableId, entryCode: tableEntry };
    const { page } = await app.open(
      `/security/resources/${source.id}?tab=deidentify`,
      'en',
      'transport-editor',
    );
    const choose = async (field: string, transform: string) => {
      await page
        .getByRole('combobox', { name: en('securityResources.wizard.transformOf', { field }) })
        .click();
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
        .filter({ hasText: en(`securityResources.transforms.${transform}`) })
        .first()
        .click();
    };
    await choose('id_number', 'hash');
    await choose('phone', 'drop');
    await choose('age', 'range');
    await page.getByTestId('plan-age').getByLabel(en('securityResources.wizard.width')).fill('25');
    await expectAccessible(page, 'wizard-step1-en');
    await page.getByRole('button', { name: en('securityResources.wizard.next') }).click();
    const qis = page.getByRole('group', {
      name: new RegExp(en('securityResources.fields.quasiIdentifiers'), 'i'),
    });
    for (const field of ['district', 'age', 'sex'])
      await qis.getByRole('checkbox', { name: field, exact: true }).check();
    await page.getByRole('button', { name: en('securityResources.wizard.next') }).click();
    await page.getByLabel(en('securityResources.wizard.entryCode')).fill(source.entryCode);
    await page.getByLabel(en('securityResources.wizard.name')).fill('实名乘客抽样（去标识化）');
    await expectAccessible(page, 'wizard-step3-en');
    await page.getByRole('button', { name: en('securityResources.wizard.submit') }).click();
    await page
      .getByRole('heading', {
        name: en('securityResources.derivation.title', { name: '实名乘客抽样（去标识化）' }),
      })
      .waitFor({ timeout: 60_000 });
    await page
      .getByRole('link', {
        name: en('securityResources.derivation.open', { name: '实名乘客抽样（去标识化）' }),
      })
      .waitFor({
        timeout: 60_000,
      });
    await expectAccessible(page, 'wizard-result-en');
    // The new table holds pseudonyms and no phone numbers.
    const made = (await (
      await editor('GET', `/api/v1/security/derivations?resourceId=${source.id}`)
    ).json()) as {
      items: { state: string; target: { resourceId: string } }[];
    };
    expect(made.items[0]?.state).toBe('done');
    const rows = (await (
      await editor('GET', `/api/v1/datastore/${made.items[0]!.target.resourceId}/records?limit=5`)
    ).json()) as { fields: { id: string }[]; records: Record<string, unknown>[] };
    expect(rows.records).toHaveLength(5);
    expect(Object.keys(rows.records[0]!)).not.toContain('phone');
    expect(String(rows.records[0]!.id_number)).not.toMatch(/^\d{17}[\dX]$/);
  });
});

describe('the security pages in every language', () => {
  const pages = [
    '/security',
    '/security/alerts',
    '/security/incidents',
    '/security/transfers',
    '/security/important-data',
  ];
  for (const lang of ['zh-CN', 'en', 'fr'] as const)
    it(`are accessible in ${lang}`, async () => {
      const context = await app.context(lang, 'security');
      try {
        for (const path of pages) {
          const page = await context.newPage();
          await page.goto(path);
          await settle(page);
          expect(await page.locator('h1').count(), path).toBe(1);
          expect(await page.locator('html').getAttribute('lang')).toBe(lang);
          await expectAccessible(page, `${path.replaceAll('/', '_')}-${lang}`);
          await page.close();
        }
      } finally {
        await context.close();
      }
    });
});
