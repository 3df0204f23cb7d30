import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type AxeSummary, axeViolations, settle, textOf, useServerAndBrowser } from './support/browser.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';

const app = useServerAndBrowser();

const BUS_ROUTES = '北京市公交线路';
// Unique to this run, so the searches below find only the entry the test made.
const NEW_TITLE = '北京市公交站点客流统计（测试）';

/** The catalog pages must pass axe-core without any violation, whatever its impact. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `catalog-${name}.png`), fullPage: true });
  const violations: AxeSummary[] = await axeViolations(page);
  expect(violations, `axe violations on ${name}`).toEqual([]);
}

const results = (page: Page) => page.locator('[data-testid="catalog-result"]');

describe('public catalog search and entry page', () => {
  it('finds 北京市公交线路 for 公交, narrows with facets in the address, and goes back', async () => {
    const { context, page } = await app.open('/catalog', 'zh-CN');
    expect(await textOf(page.locator('h1'))).toBe(text('zh-CN', 'catalog.search.title'));
    await page.getByLabel(text('zh-CN', 'catalog.search.label')).fill('公交');
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]q=%E5%85%AC%E4%BA%A4/);
    await results(page).filter({ hasText: BUS_ROUTES }).first().waitFor();
    const total = await results(page).count();
    expect(total).toBeGreaterThan(1);
    await expectAccessible(page, 'search-zh-CN');

    // One provider's box narrows the results and lands in the address.
    const providers = page.locator('[data-testid="facet-organization"]');
    // The box follows the address, so it is ticked once the navigation is done.
    await providers.getByRole('checkbox', { name: /北京市交通委员会/ }).click();
    await page.waitForURL(/organization=bjjtw/);
    await expect.poll(() => results(page).count()).toBeLessThan(total);
    expect(await textOf(page.locator('[data-testid="catalog-total"]'))).toContain(
      String(await results(page).count()),
    );
    // A second facet (open type) narrows further, and both stay in the address.
    const openTypes = page.locator('[data-testid="facet-openType"]');
    await openTypes.getByRole('checkbox').first().click();
    await page.waitForURL(/organization=bjjtw.*openType=/);
    await expect.poll(() => page.getByRole('checkbox', { checked: true }).count()).toBe(2);

    // The back button returns to the earlier searches.
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('openType='));
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('organization='));
    await expect.poll(() => results(page).count()).toBe(total);
    await context.close();
  });

  it('shows the information items and history of an entry, and verifies its proof in the browser', async () => {
    const { context, page } = await app.open('/catalog?q=%E5%85%AC%E4%BA%A4', 'zh-CN');
    await page.getByRole('link', { name: BUS_ROUTES, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: BUS_ROUTES }).waitFor();
    await settle(page);
    const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(code).toMatch(/^\d-\d{2}-\d{3}-\d{3}-\d{6}$/);

    const items = page.locator('[data-testid="information-items"] .ant-table-row');
    expect(await items.count()).toBeGreaterThan(3);
    expect(await textOf(page.locator('[data-testid="information-items"] thead'))).toContain(
      text('zh-CN', 'catalog.item.personalInfo'),
    );
    expect(await textOf(page.locator('[data-testid="metadata-table"]'))).toContain(code);
    await expectAccessible(page, 'entry-zh-CN');

    // The DCAT download links work and the entry address itself speaks Turtle.
    const turtle = await page.locator('[data-testid="dcat-links"] a').first().getAttribute('href');
    const dcat = await context.request.get(turtle ?? '');
    expect(dcat.status()).toBe(200);
    expect(dcat.headers()['content-type']).toContain('text/turtle');
    const negotiated = await context.request.get(`/catalog/entries/${code}`, {
      headers: { accept: 'text/turtle' },
    });
    expect(negotiated.status()).toBe(200);
    expect(await negotiated.text()).toContain('dcat:Dataset');

    await page.getByRole('tab', { name: text('zh-CN', 'catalog.entry.tabs.history') }).click();
    await page.waitForURL(/tab=history/);
    const versions = page.locator('[data-testid="versions"] .ant-table-row');
    await versions.first().waitFor();
    await expectAccessible(page, 'history-zh-CN');
    await versions
      .first()
      .getByRole('button', { name: new RegExp(text('zh-CN', 'catalog.history.verify')) })
      .click();
    const dialog = page.getByRole('dialog');
    const summary = dialog.locator('[data-testid="proof-summary"]');
    await summary.waitFor({ timeout: 20_000 });
    expect(await summary.getAttribute('data-outcome')).toBe('ok');
    for (const check of ['content', 'signature', 'leaf', 'inclusion']) {
      expect(await dialog.locator(`[data-testid="check-${check}"]`).getAttribute('data-status')).toBe('ok');
    }
    expect(Number(await textOf(dialog.locator('[data-testid="proof-log-index"]')))).toBeGreaterThanOrEqual(0);
    await expectAccessible(page, 'proof-zh-CN');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await context.close();
  });

  it('shows English titles after switching the language to English', async () => {
    const { context, page } = await app.open('/catalog?q=%E5%85%AC%E4%BA%A4', 'zh-CN');
    const found = await (await context.request.get('/api/v1/catalog/entries?q=%E5%85%AC%E4%BA%A4')).json();
    const english: string = found.items.find((i: { title: { zh: string } }) => i.title.zh === BUS_ROUTES)
      .title.en;
    expect(english).toBeTruthy();
    await results(page).filter({ hasText: BUS_ROUTES }).first().waitFor();

    await page.getByRole('combobox', { name: text('zh-CN', 'header.language') }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await expect.poll(() => textOf(page.locator('h1'))).toBe(text('en', 'catalog.search.title'));
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const link = page.getByRole('link', { name: english, exact: true });
    await link.waitFor();
    expect(await link.getAttribute('lang')).toBe('en');
    expect(await textOf(page.locator('[data-testid="facet-theme"] legend'))).toBe(
      text('en', 'catalog.facets.theme'),
    );
    await expectAccessible(page, 'search-en');
    await context.close();
  });
});

describe('compiling, submitting and reviewing a catalog entry', () => {
  // The steps run in order on one server: the editor's draft is what the admin submits and the operator approves.
  let code = '';

  it('lets a transport editor draft an entry, showing a server message next to the field until it is fixed', async () => {
    const { context, page } = await app.open('/catalog/new', 'zh-CN', 'transport-editor');
    expect(await textOf(page.locator('h1'))).toBe(text('zh-CN', 'catalog.editor.newTitle'));
    await expectAccessible(page, 'editor-new-zh-CN');

    const label = (key: string) => page.getByLabel(text('zh-CN', `catalog.fields.${key}`), { exact: true });
    await label('title_zh').fill(NEW_TITLE);
    await label('summary_zh').fill('太短了');
    await label('theme').click();
    await page.locator('.ant-select-item-option', { hasText: '交通服务' }).click();
    await label('keywords').click();
    await page.keyboard.type('客流');
    await page.keyboard.press('Enter');
    await label('formats').click();
    await page.locator('.ant-select-item-option', { hasText: 'CSV' }).click();
    await page.keyboard.press('Escape');
    // Open to everyone, so that the public search finds it once published.
    const profile = await (await context.request.get('/api/v1/catalog/profile')).json();
    const openLabel = profile.codeLists.openTypes.find((c: { code: string }) => c.code === 'unconditional')
      .label.zh;
    await page.getByRole('radio', { name: openLabel, exact: true }).check();
    await page.getByRole('button', { name: text('zh-CN', 'catalog.editor.addItem') }).click();
    // Adding a row puts the focus in its name.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe('entry_informationItems_0_name');
    await page.keyboard.type('stop_id');

    // The standard wants at least 10 characters of summary: the server says so under the field.
    const summary = label('summary_zh');
    const help = page.locator('#entry_summary_zh_help');
    await help.waitFor({ timeout: 10_000 });
    expect(await textOf(help)).toContain('10');
    expect(await summary.getAttribute('aria-invalid')).toBe('true');
    expect(await summary.getAttribute('aria-describedby')).toContain('entry_summary_zh_help');
    expect(await textOf(page.locator('[data-testid="editor-problems"]'))).toContain(await textOf(help));
    await expectAccessible(page, 'editor-error-zh-CN');

    await summary.fill('全市公交站点每日上下车客流量统计，按线路和站点汇总，用于线网优化。');
    await help.waitFor({ state: 'detached', timeout: 10_000 });
    await page
      .locator('[data-testid="editor-status"]', { hasText: text('zh-CN', 'catalog.editor.status.valid') })
      .waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: text('zh-CN', 'catalog.editor.saveDraft') }).click();
    await page.waitForURL(/\/catalog\/entries\/\d-\d{2}-\d{3}-\d{3}-\d{6}$/);
    code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.getByRole('heading', { level: 1, name: NEW_TITLE }).waitFor();
    const working = page.locator('[data-testid="working-copy"]');
    await working.waitFor();
    expect(await textOf(working)).toContain(text('zh-CN', 'catalog.states.entry.draft'));
    await context.close();
  });

  it('lets the transport admin submit the catalog', async () => {
    expect(code).not.toBe('');
    const { context, page } = await app.open(
      '/catalog/institutions/bjjtw?tab=entries',
      'zh-CN',
      'transport-admin',
    );
    const row = page.locator('[data-testid="institution-entries"] .ant-table-row', { hasText: code });
    await row.waitFor();
    expect(await textOf(row)).toContain(text('zh-CN', 'catalog.states.entry.draft'));
    await expectAccessible(page, 'institution-entries-zh-CN');

    await page.getByRole('button', { name: text('zh-CN', 'catalog.submit.button') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(text('zh-CN', 'catalog.submit.comment')).fill('第一批交通目录');
    await dialog.getByRole('button', { name: text('zh-CN', 'catalog.submit.confirm') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => textOf(row)).toContain(text('zh-CN', 'catalog.states.entry.submitted'));

    // The quality dashboard draws its chart (ECharts, loaded on demand) with the numbers beside it.
    await page.getByRole('tab', { name: text('zh-CN', 'catalog.institution.tabs.quality') }).click();
    await page.locator('[data-testid="state-chart"] svg').waitFor();
    expect(await page.locator('[data-testid="todo"] li').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'dashboard-zh-CN');
    await context.close();
  });

  it('lets the operator find the submission in the review queue and approve it', async () => {
    const { context, page } = await app.open('/', 'zh-CN', 'operator');
    await page
      .getByRole('navigation')
      .getByRole('link', { name: text('zh-CN', 'catalog.nav.review') })
      .click();
    await page.getByRole('heading', { level: 1, name: text('zh-CN', 'catalog.review.title') }).waitFor();
    await settle(page);
    const row = page.locator('[data-testid="review-queue"] .ant-table-row', { hasText: '北京市交通委员会' });
    await row.waitFor();
    await expectAccessible(page, 'review-queue-zh-CN');

    await row.getByRole('link').click();
    await page
      .getByRole('heading', { level: 1, name: text('zh-CN', 'catalog.review.submissionTitle') })
      .waitFor();
    const entries = page.locator('[data-testid="submission-entries"]');
    await entries.locator('.ant-table-row', { hasText: code }).waitFor();
    expect(await textOf(entries)).toContain(NEW_TITLE);
    await expectAccessible(page, 'submission-zh-CN');

    await page.getByRole('button', { name: text('zh-CN', 'catalog.review.approve') }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByRole('button', { name: text('zh-CN', 'catalog.review.approve') }).click();
    await page.waitForURL(/\/catalog\/review$/);
    await settle(page);
    await expect
      .poll(() =>
        page.locator('[data-testid="review-queue"] .ant-table-row', { hasText: '北京市交通委员会' }).count(),
      )
      .toBe(0);
    await context.close();
  });

  it('finds the approved entry in the public search', async () => {
    const { context, page } = await app.open(`/catalog?q=${encodeURIComponent('客流统计')}`, 'zh-CN');
    await page.getByRole('link', { name: NEW_TITLE, exact: true }).waitFor();
    await page.getByRole('link', { name: NEW_TITLE, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: NEW_TITLE }).waitFor();
    await settle(page);
    expect(await textOf(page.locator('[data-testid="information-items"]'))).toContain('stop_id');
    await context.close();
  });
});

describe('objections and import', () => {
  it('lets a signed-in citizen file an objection against a published entry', async () => {
    const found = await (
      await fetch(`${app.server.baseUrl}/api/v1/catalog/entries?q=%E5%85%AC%E4%BA%A4`)
    ).json();
    const entry = found.items.find((i: { title: { zh: string } }) => i.title.zh === BUS_ROUTES);
    const { context, page } = await app.open(
      `/catalog/entries/${entry.code}?tab=objections`,
      'zh-CN',
      'citizen',
    );
    await page.getByLabel(text('zh-CN', 'catalog.objections.field')).fill('更新周期');
    await page
      .getByLabel(text('zh-CN', 'catalog.objections.message'))
      .fill('线路数据已经超过更新周期，请尽快更新。');
    await page.getByRole('button', { name: text('zh-CN', 'catalog.objections.file') }).click();
    const row = page.locator('[data-testid="objections"] .ant-table-row', { hasText: '尽快更新' });
    await row.waitFor();
    expect(await textOf(row)).toContain(text('zh-CN', 'catalog.states.objection.open'));
    await expectAccessible(page, 'objections-zh-CN');
    await context.close();
  });

  it('imports a small Turtle catalog with a progress bar and a report', async () => {
    const turtle = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://open.example.gov.cn/catalog> a dcat:Catalog ;
  dct:title "示例交通目录"@zh ;
  dcat:dataset <https://open.example.gov.cn/dataset/taxi-stands>, <https://open.example.gov.cn/dataset/untitled> .

<https://open.example.gov.cn/dataset/taxi-stands> a dcat:Dataset ;
  dct:title "北京市出租车候客点"@zh, "Beijing taxi stands"@en ;
  dct:description "全市出租车候客点的位置、泊位数量和开放时间。"@zh ;
  dcat:keyword "出租车"@zh, "候客点"@zh ;
  dct:issued "2024-01-15"^^xsd:date ;
  dcat:distribution [ a dcat:Distribution ;
    dct:title "候客点（CSV）"@zh ;
    dcat:downloadURL <https://open.example.gov.cn/files/taxi-stands.csv> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .

<https://open.example.gov.cn/dataset/untitled> a dcat:Dataset ;
  dcat:keyword "无标题"@zh .
`;
    const { context, page } = await app.open('/catalog/import', 'zh-CN', 'transport-admin');
    expect(await textOf(page.locator('h1'))).toBe(text('zh-CN', 'catalog.import.title'));
    await expectAccessible(page, 'import-zh-CN');
    await page.getByRole('radio', { name: text('zh-CN', 'catalog.import.sourceFile') }).check();
    await page
      .getByLabel(text('zh-CN', 'catalog.import.file'))
      .setInputFiles({ name: 'catalog.ttl', mimeType: 'text/turtle', buffer: Buffer.from(turtle) });
    await page.getByRole('button', { name: text('zh-CN', 'catalog.import.start') }).click();

    const progress = page.getByRole('progressbar', { name: text('zh-CN', 'catalog.import.progressLabel') });
    await progress.waitFor();
    expect(await progress.isVisible()).toBe(true);
    const report = page.locator('[data-testid="import-report"]');
    await report.waitFor({ timeout: 30_000 });
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    expect(await textOf(page.locator('[data-testid="import-status"]'))).toBe(
      text('zh-CN', 'catalog.import.progress.succeeded'),
    );
    const figures = await textOf(report);
    expect(figures).toContain(text('zh-CN', 'catalog.import.report.done', { created: 1, updated: 0 }));
    // The record without a title is reported with its reason; the other one imported, with repairs listed.
    const problems = page.locator('[data-testid="import-problems"] .ant-table-row');
    expect(await problems.count()).toBe(1);
    expect(await textOf(problems)).toContain('https://open.example.gov.cn/dataset/untitled');
    expect(figures).toContain(text('zh-CN', 'catalog.import.report.repairsTitle'));
    await expectAccessible(page, 'import-report-zh-CN');

    // The harvested entry is a draft of the institution now.
    await page.getByRole('link', { name: text('zh-CN', 'catalog.import.report.seeEntries') }).click();
    await page
      .locator('[data-testid="institution-entries"] .ant-table-row', { hasText: '北京市出租车候客点' })
      .waitFor();
    await context.close();
  });
});

describe('a submission the catalog standard refuses', () => {
  // Last in the file: it extends the standard, which then holds for the rest of this server's life.
  it('lists the problems per entry, and the editor shows and takes the new field', async () => {
    const api = async (username: string) => {
      const context = await app.context('zh-CN', username);
      const session = await (await context.request.get('/api/v1/auth/session')).json();
      return { context, headers: { 'x-csrf-token': session.csrfToken as string } };
    };
    // A valid draft, made while the standard does not yet ask for a budget code.
    const editor = await api('transport-editor');
    const found = await (
      await editor.context.request.get('/api/v1/catalog/entries?q=%E5%85%AC%E4%BA%A4')
    ).json();
    const source = found.items.find((i: { title: { zh: string } }) => i.title.zh === BUS_ROUTES);
    const detail = await (await editor.context.request.get(`/api/v1/catalog/entries/${source.code}`)).json();
    const { code: _code, sourceUri: _source, ...metadata } = detail.entry.metadata;
    const created = await editor.context.request.post('/api/v1/catalog/entries', {
      headers: editor.headers,
      data: { ...metadata, title: { zh: '北京市公交线路（预算测试）' } },
    });
    expect(created.status()).toBe(201);
    const draft = (await created.json()).code as string;
    await editor.context.close();

    const operator = await api('operator');
    const extended = await operator.context.request.put('/api/v1/catalog/profile', {
      headers: operator.headers,
      data: {
        rules: [
          {
            path: 'extras.budgetCode',
            label: { zh: '预算编码', en: 'Budget code', fr: 'Code budgétaire' },
            required: true,
            type: 'text',
          },
        ],
      },
    });
    expect(extended.status()).toBe(200);
    await operator.context.close();

    const { context, page } = await app.open(
      '/catalog/institutions/bjjtw?tab=entries',
      'zh-CN',
      'transport-admin',
    );
    await page.getByRole('button', { name: text('zh-CN', 'catalog.submit.button') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: text('zh-CN', 'catalog.submit.confirm') }).click();
    const problems = dialog.locator('[data-testid="submit-problems"]');
    await problems.waitFor();
    expect(await textOf(problems)).toContain(draft);
    expect(await textOf(problems)).toContain('预算编码');
    await expectAccessible(page, 'submit-refused-zh-CN');
    await problems.getByRole('link', { name: draft }).click();

    // The editor of the draft shows the operator's field with the standard's message, and saves once filled.
    await page.waitForURL(new RegExp(`/catalog/entries/${draft}/edit$`));
    await settle(page);
    const budget = page.getByLabel('预算编码', { exact: true });
    await budget.waitFor();
    await expect.poll(() => budget.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'editor-extras-zh-CN');
    await budget.fill('JT-2026-001');
    await page
      .locator('[data-testid="editor-status"]', { hasText: text('zh-CN', 'catalog.editor.status.valid') })
      .waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: text('zh-CN', 'catalog.editor.saveVersion') }).click();
    await page.waitForURL(new RegExp(`/catalog/entries/${draft}$`));
    await settle(page);
    expect(await textOf(page.locator('[data-testid="metadata-table"]'))).toContain('JT-2026-001');
    await context.close();
  });
});
