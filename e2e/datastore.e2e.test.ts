import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeSummary, axeViolations, settle, textOf, useServerAndBrowser } from './support/browser.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';

const app = useServerAndBrowser();

/** English page texts, from the same catalog the pages use. */
const en = (key: string, values: Record<string, string | number> = {}) => text('en', key, values);

const BUS_ROUTES = '北京市公交线路';
const BUS_STOPS = '北京市公交站点';
const TABLE_NAME = '公交线路日客流（测试）';

const HEADER = '线路,区域,日期,客流量,备注';
const ROWS = [
  '1路,东城区,2024-01-01,1200,正常运营',
  '1路,东城区,2024-01-02,1350,',
  '52路,西城区,2024-01-01,800,节假日加车',
  '52路,西城区,2024-01-02,760,',
  '300路,朝阳区,2024-01-01,2100,内环',
  '300路,朝阳区,2024-01-02,2250,',
  '快速公交1线,朝阳区,2024-01-01,1800,',
  '特8路,海淀区,2024-01-01,640,',
];
/** The second version adds a day of 运通101线 and comes in GBK, as many older systems still export. */
const GBK_ROWS = [...ROWS, '运通101线,丰台区,2024-01-02,930,临时绕行'];
/** A row with one cell too many and one with too few: the load must refuse it. */
const INVALID = [HEADER, '1路,东城区,2024-01-03,1300,,多余', '52路,西城区', ''].join('\n');

/** GBK bytes of a text. Node has no GBK encoder, so its table is read back from the GBK decoder. */
function gbk(source: string): Buffer {
  const decoder = new TextDecoder('gbk');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead += 1)
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(lead, trail));
      if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, [lead, trail]);
    }
  const bytes: number[] = [];
  for (const char of source) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = table.get(char);
      if (pair === undefined) throw new Error(`"${char}" has no GBK code`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

let files = '';
beforeAll(async () => {
  files = await mkdtemp(join(tmpdir(), 'datapolis-e2e-files-'));
  await writeFile(join(files, 'ridership.csv'), `${[HEADER, ...ROWS].join('\n')}\n`, 'utf8');
  const variant = gbk(`${[HEADER, ...GBK_ROWS].join('\r\n')}\r\n`);
  // Really GBK: these bytes are not UTF-8, so a UTF-8 reading would garble every Chinese cell.
  expect(new TextDecoder('utf-8', { fatal: false }).decode(variant)).not.toContain('东城区');
  await writeFile(join(files, 'ridership-gbk.csv'), variant);
  await writeFile(join(files, 'ridership-broken.csv'), INVALID, 'utf8');
});
afterAll(async () => {
  if (files) await rm(files, { recursive: true, force: true });
});

/** Waits for a state the server has to reach first: longer than expect.poll's one second. */
const poll = <T>(value: () => T | Promise<T>, timeout = 10_000) => expect.poll(value, { timeout });

/** The datastore pages must pass axe-core without any violation, whatever its impact. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `datastore-${name}.png`), fullPage: true });
  const violations: AxeSummary[] = await axeViolations(page);
  expect(violations, `axe violations on ${name}`).toEqual([]);
}

/** Picks an option of an Ant Design select by its visible text. */
async function choose(page: Page, combobox: Locator, option: string): Promise<void> {
  await combobox.click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .click();
}

const tableRows = (page: Page) => page.locator('[data-testid="records-table"] tbody tr.ant-table-row');

/** The texts of one column (0-based) of the rows shown. */
async function column(page: Page, index: number): Promise<string[]> {
  return tableRows(page).evaluateAll(
    (rows, i) => rows.map((row) => (row.children[i]?.textContent ?? '').trim()),
    index,
  );
}

/** The total under the filters; '' while the rows it stands for are still on their way. */
async function total(page: Page): Promise<string> {
  if ((await page.locator('[data-testid="records-table"] .ant-spin-spinning').count()) > 0) return '';
  return textOf(page.getByTestId('records-total'));
}

const rowsTotal = (count: number) =>
  en(count === 1 ? 'datastore.table.total_one' : 'datastore.table.total_other', { total: count });

async function progressValue(bar: Locator): Promise<string | null> {
  return bar.getAttribute('aria-valuenow');
}

/** Chooses a file and options on the upload page, starts the upload and waits for the load to end. */
async function uploadFile(
  page: Page,
  file: string,
  encoding: string | undefined,
  expected: 'succeeded' | 'failed',
): Promise<void> {
  await page.getByLabel(en('datastore.upload.file'), { exact: true }).setInputFiles(join(files, file));
  // Optional fields say so after their label: "Character encoding (optional)".
  if (encoding !== undefined)
    await choose(page, page.getByRole('combobox', { name: en('datastore.upload.encoding') }), encoding);
  expect(await page.getByRole('checkbox', { name: en('datastore.upload.header') }).isChecked()).toBe(true);
  await page.getByRole('button', { name: en('datastore.upload.start') }).click();

  const sent = page.getByRole('progressbar', { name: en('datastore.upload.progressLabel') });
  await sent.waitFor();
  await poll(() => progressValue(sent)).toBe('100');
  const status = page.getByTestId('load-status');
  await poll(() => status.getAttribute('data-job-status'), 20_000).toBe(expected);
  const loading = page.getByRole('progressbar', { name: en('datastore.load.progressLabel') });
  if (expected === 'succeeded') expect(await progressValue(loading)).toBe('100');
  expect(await textOf(status)).toBe(en(`datastore.load.status.${expected}`));
  expect(await page.getByRole('button', { name: en('datastore.load.cancel') }).count()).toBe(0);
}

/** A published entry of the demo catalog, found by its Chinese title. */
async function entry(title: string): Promise<{ code: string; title: { zh: string; en?: string } }> {
  const found = await (
    await fetch(`${app.server.baseUrl}/api/v1/catalog/entries?q=${encodeURIComponent(title)}`)
  ).json();
  const item = found.items.find((i: { title: { zh: string } }) => i.title.zh === title);
  if (item === undefined) throw new Error(`no entry ${title}`);
  return item;
}

describe('data tables behind a catalog entry', () => {
  // The steps run in order on one server: the table the editor makes is the one the others read.
  let tableId = '';

  it('lets a transport editor create a table from the entry page and load a CSV, then a GBK variant', async () => {
    const { code } = await entry(BUS_ROUTES);
    const { context, page } = await app.open(`/catalog/entries/${code}`, 'en', 'transport-editor');
    const section = page.getByTestId('entry-data-tables');
    await section.getByRole('heading', { level: 2, name: en('datastore.entry.title') }).waitFor();
    // The demo city already has one table behind this entry.
    await section.getByRole('link', { name: '公交线路', exact: true }).waitFor();

    await section.getByRole('button', { name: en('datastore.entry.new') }).click();
    const dialog = page.getByRole('dialog', { name: en('datastore.entry.createTitle') });
    await dialog.getByRole('textbox', { name: en('datastore.entry.name'), exact: true }).fill(TABLE_NAME);
    await dialog
      // The form marks it "(optional)" after its name.
      .getByRole('textbox', { name: en('datastore.entry.description') })
      .fill('各线路每日上车人次，按线路和区域统计。');
    await dialog.getByRole('button', { name: en('datastore.entry.create') }).click();
    await page.waitForURL(/\/data\/[a-z0-9]+\/upload$/);
    tableId = new URL(page.url()).pathname.split('/')[2] ?? '';
    await page
      .getByRole('heading', { level: 1, name: en('datastore.upload.title', { name: TABLE_NAME }) })
      .waitFor();
    await settle(page);
    await expectAccessible(page, 'upload-en');

    await uploadFile(page, 'ridership.csv', undefined, 'succeeded');
    await page.getByRole('heading', { level: 2, name: en('datastore.load.title', { version: 1 }) }).waitFor();
    await page
      .getByRole('alert')
      .filter({ hasText: en('datastore.load.succeededRows_other', { version: 1, rows: ROWS.length }) })
      .waitFor();
    await page.getByTestId('view-table').waitFor();
    await expectAccessible(page, 'upload-done-en');

    // The same page takes the next file: the GBK export, read as GBK.
    await page.getByRole('button', { name: en('datastore.upload.another') }).click();
    await uploadFile(page, 'ridership-gbk.csv', 'GBK', 'succeeded');
    await page
      .getByRole('alert')
      .filter({ hasText: en('datastore.load.succeededRows_other', { version: 2, rows: GBK_ROWS.length }) })
      .waitFor();
    const view = page.getByRole('link', { name: en('datastore.load.viewTable') });
    expect(await view.getAttribute('data-testid')).toBe('view-table');
    await view.click();
    await page.getByRole('heading', { level: 1, name: TABLE_NAME }).waitFor();
    await settle(page);
    await poll(() => total(page)).toBe(rowsTotal(GBK_ROWS.length));
    expect(await column(page, 1)).toContain('丰台区');
    expect(await column(page, 4)).toContain('临时绕行');
    await context.close();
  });

  it('sorts, filters and searches the rows', async () => {
    const { context, page } = await app.open(`/data/${tableId}`, 'en', 'transport-editor');
    expect(await textOf(page.locator('h1'))).toBe(TABLE_NAME);
    // The entry's name in the reader's language, after the page's label.
    const routes = await entry(BUS_ROUTES);
    const back = page.getByRole('link', {
      name: `${en('datastore.resource.backToEntry')}${en('common.labelSeparator')}${routes.title.en}`,
    });
    expect(await back.getAttribute('href')).toBe(`/catalog/entries/${routes.code}`);
    for (const format of ['csv', 'json', 'xlsx'])
      await page.getByRole('link', { name: en(`datastore.download.${format}`) }).waitFor();
    await page.getByRole('link', { name: en('datastore.upload.action') }).waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe(en('datastore.tabs.table'));
    await page.getByRole('heading', { level: 2, name: en('datastore.table.title') }).waitFor();
    await poll(() => total(page)).toBe(rowsTotal(GBK_ROWS.length));
    expect(await tableRows(page).count()).toBe(GBK_ROWS.length);
    await expectAccessible(page, 'table-en');

    // Sorting by ridership: ascending on the first click, descending on the second.
    const header = page.getByRole('columnheader', { name: '客流量' });
    await header.click();
    await poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    // Numbers sort as numbers, not as text (which would put 1200 before 640).
    await poll(() => column(page, 3)).toEqual([
      '640',
      '760',
      '800',
      '930',
      '1200',
      '1350',
      '1800',
      '2100',
      '2250',
    ]);
    await header.click();
    await poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await poll(async () => (await column(page, 3))[0]).toBe('2250');

    // An equality filter on a text column narrows the rows and the total.
    const filters = page.getByRole('group', { name: en('datastore.filters.title') });
    const columnChoice = filters.getByRole('combobox', { name: en('datastore.filters.column'), exact: true });
    await choose(page, columnChoice, '区域');
    await filters.getByRole('textbox', { name: en('datastore.filters.equals'), exact: true }).fill('朝阳区');
    await filters.getByRole('button', { name: en('datastore.filters.apply') }).click();
    await poll(() => total(page)).toBe(rowsTotal(3));
    expect(await column(page, 1)).toEqual(['朝阳区', '朝阳区', '朝阳区']);
    // Still in the chosen order.
    expect(await column(page, 3)).toEqual(['2250', '2100', '1800']);
    const chip = en('datastore.filters.equalsText', { field: '区域', value: '朝阳区' });
    await page.getByRole('button', { name: en('datastore.filters.remove', { name: chip }) }).click();
    await poll(() => total(page)).toBe(rowsTotal(GBK_ROWS.length));

    // A range filter on a number column.
    await choose(page, columnChoice, '客流量');
    await filters.getByRole('textbox', { name: en('datastore.filters.from') }).fill('800');
    await filters.getByRole('textbox', { name: en('datastore.filters.to') }).fill('1300');
    await filters.getByRole('button', { name: en('datastore.filters.apply') }).click();
    await poll(() => total(page)).toBe(rowsTotal(3));
    expect(await column(page, 3)).toEqual(['1200', '930', '800']);
    await page
      .getByRole('button', {
        name: en('datastore.filters.remove', {
          name: en('datastore.filters.betweenText', { field: '客流量', from: '800', to: '1300' }),
        }),
      })
      .click();
    await poll(() => total(page)).toBe(rowsTotal(GBK_ROWS.length));

    // Full text over every column finds part of a cell.
    await page.getByRole('searchbox', { name: en('datastore.table.search') }).fill('节假日');
    await page.getByRole('button', { name: en('common.search'), exact: true }).click();
    await poll(() => total(page)).toBe(rowsTotal(1));
    expect(await column(page, 0)).toEqual(['52路']);
    expect(await column(page, 4)).toEqual(['节假日加车']);
    await context.close();
  });

  it('charts the rows by district with the figures as a table', async () => {
    const { context, page } = await app.open(`/data/${tableId}?tab=chart`, 'en', 'transport-editor');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe(en('datastore.tabs.chart'));
    const chart = page.getByTestId('data-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('role')).toBe('img');

    await choose(
      page,
      page.getByRole('combobox', { name: en('datastore.chart.groupBy'), exact: true }),
      '区域',
    );
    const sum = en('datastore.chart.metrics.sum', { field: '客流量' });
    await choose(page, page.getByRole('combobox', { name: en('datastore.chart.metric'), exact: true }), sum);
    const kinds = page.getByRole('radiogroup', { name: en('datastore.chart.kind') });
    const pieRadio = page.getByRole('radio', { name: en('datastore.chart.kinds.pie') });
    const pie = kinds.getByRole('radio', { name: en('datastore.chart.kinds.pie') });
    // Button-style radios: the input is hidden under its label, which takes the click.
    await kinds.locator('label', { has: pieRadio }).click();
    expect(await pie.isChecked()).toBe(true);
    await poll(() => chart.getAttribute('aria-label')).toContain('朝阳区 6,150');
    const label = (await chart.getAttribute('aria-label')) ?? '';
    expect(label).toContain(en('datastore.chart.kinds.pie'));
    await chart.locator('svg').waitFor();

    await page.getByText(en('datastore.chart.showFigures'), { exact: true }).click();
    const figures = page.getByTestId('chart-figures');
    await figures.waitFor();
    const groups = await figures
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => Array.from(r.children, (c) => (c.textContent ?? '').trim())));
    expect(groups).toEqual([
      ['朝阳区', '6,150'],
      ['东城区', '2,550'],
      ['西城区', '1,560'],
      ['丰台区', '930'],
      ['海淀区', '640'],
    ]);
    expect(await textOf(figures.locator('thead'))).toContain(sum);
    await expectAccessible(page, 'chart-en');
    await context.close();
  });

  it('shows the columns and the validation report of the live version', async () => {
    const { context, page } = await app.open(`/data/${tableId}`, 'en', 'transport-editor');
    await page.getByRole('tab', { name: en('datastore.tabs.schema') }).click();
    await page.waitForURL(/tab=schema/);
    await page.getByRole('heading', { level: 2, name: en('datastore.schema.title') }).waitFor();
    const fields = page.getByTestId('schema-fields');
    const types = await fields
      .locator('tbody tr.ant-table-row')
      .evaluateAll((rows) => rows.map((r) => [r.children[0]?.textContent, r.children[2]?.textContent]));
    expect(types).toEqual([
      ['线路', en('datastore.fieldTypes.string')],
      ['区域', en('datastore.fieldTypes.string')],
      ['日期', en('datastore.fieldTypes.date')],
      ['客流量', en('datastore.fieldTypes.integer')],
      ['备注', en('datastore.fieldTypes.string')],
    ]);
    await page
      .getByRole('heading', { level: 2, name: en('datastore.schema.reportOfVersion', { version: 2 }) })
      .waitFor();
    const report = page.getByTestId('validation-report');
    await report.waitFor();
    expect(await textOf(report)).toContain(en('datastore.report.valid'));
    // The reading options the load used: the GBK export was read as GBK.
    expect(await textOf(report)).toContain('gbk');
    await context.close();
  });

  it('refuses an invalid file with its errors listed, and keeps the previous rows live', async () => {
    const { context, page } = await app.open(`/data/${tableId}`, 'en', 'transport-editor');
    await page.getByRole('link', { name: en('datastore.upload.action') }).click();
    await page
      .getByRole('heading', { level: 1, name: en('datastore.upload.title', { name: TABLE_NAME }) })
      .waitFor();
    await uploadFile(page, 'ridership-broken.csv', undefined, 'failed');
    await page
      .getByRole('alert')
      .filter({ hasText: en('datastore.load.failed', { version: 3 }) })
      .waitFor();
    const report = page.getByTestId('load-report');
    await report.waitFor();
    const errors = await report
      .getByTestId('load-report-errors')
      .locator('tbody tr.ant-table-row')
      .evaluateAll((rows) => rows.map((r) => Array.from(r.children, (c) => (c.textContent ?? '').trim())));
    expect(errors.map((e) => [e[0], e[2]])).toEqual(
      expect.arrayContaining([
        ['2', en('datastore.errorTypes.extra-cell')],
        ['3', en('datastore.errorTypes.missing-cell')],
      ]),
    );
    expect(errors.some((e) => e[4] === '多余')).toBe(true);
    await expectAccessible(page, 'upload-failed-en');

    await page.getByRole('link', { name: en('datastore.upload.backToTable') }).click();
    await page.getByRole('heading', { level: 1, name: TABLE_NAME }).waitFor();
    await settle(page);
    await poll(() => total(page)).toBe(rowsTotal(GBK_ROWS.length));
    expect(await column(page, 1)).toContain('丰台区');

    await page.getByRole('tab', { name: en('datastore.tabs.versions') }).click();
    const versions = page.getByTestId('versions-table').locator('tbody tr.ant-table-row');
    await poll(() => versions.count()).toBe(3);
    const states = await versions.evaluateAll((rows) =>
      rows.map((r) => [(r.children[0]?.textContent ?? '').trim(), (r.children[1]?.textContent ?? '').trim()]),
    );
    expect(states).toEqual([
      [en('datastore.versions.versionN', { version: 3 }), en('datastore.versionStates.failed')],
      [en('datastore.versions.versionN', { version: 2 }), en('datastore.versionStates.live')],
      [en('datastore.versions.versionN', { version: 1 }), en('datastore.versionStates.superseded')],
    ]);
    await context.close();
  });

  it('sets up a scheduled intake that only the table’s managers see', async () => {
    const { context, page } = await app.open(`/data/${tableId}`, 'en', 'transport-editor');
    await page.getByRole('tab', { name: en('datastore.tabs.intake') }).click();
    await page.waitForURL(/tab=intake/);
    const panel = page.getByTestId('data-intake');
    await panel.getByRole('heading', { level: 2, name: en('datastore.intake.title') }).waitFor();
    // None yet: the explanation and an empty form with the defaults.
    await panel
      .getByRole('alert')
      .filter({ hasText: en('datastore.intake.noneTitle') })
      .waitFor();
    expect(await textOf(panel.getByTestId('intake-none'))).toContain(en('datastore.intake.none'));
    expect(await panel.getByTestId('intake-status').count()).toBe(0);
    const url = page.getByRole('textbox', { name: en('datastore.intake.url') });
    const format = page.getByRole('combobox', { name: en('datastore.intake.format') });
    const frequency = page.getByRole('combobox', { name: en('datastore.intake.frequency') });
    const enabled = page.getByRole('switch', { name: en('datastore.intake.enabled') });
    // The form item around a control: its value, help and errors.
    const fieldOf = (control: Locator) => panel.locator('.ant-form-item').filter({ has: control });
    expect(await url.inputValue()).toBe('');
    expect(await textOf(fieldOf(format))).toContain(en('datastore.intake.formats.auto'));
    expect(await textOf(fieldOf(frequency))).toContain(en('datastore.intake.frequencies.daily'));
    expect(await enabled.isChecked()).toBe(true);
    await settle(page);
    await expectAccessible(page, 'intake-empty-en');

    // The server refuses an address it cannot pull; its reason shows on the field.
    await url.fill('ftp://127.0.0.1/none.csv');
    await panel.getByRole('button', { name: en('datastore.intake.save') }).click();
    await fieldOf(url)
      .getByText(en('datastore.intake.invalid.url', { reason: 'Invalid scheme' }))
      .waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');

    // An address the platform will not reach: it is kept, and its failed pulls show here.
    const address = 'http://127.0.0.1:9/none.csv';
    await url.fill(address);
    await choose(page, format, en('datastore.intake.formats.csv'));
    await choose(page, frequency, en('datastore.intake.frequencies.custom'));
    const minutes = page.getByRole('spinbutton', { name: en('datastore.intake.intervalMinutes') });
    await minutes.fill('90');
    // Saved from the keyboard: Enter in the address field submits the form.
    await url.focus();
    await page.keyboard.press('Enter');
    await page.getByText(en('datastore.intake.saved')).waitFor();
    await panel.getByTestId('intake-status').waitFor();
    expect(await panel.getByTestId('intake-none').count()).toBe(0);

    await page.reload();
    await settle(page);
    await panel.getByTestId('intake-status').waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe(en('datastore.tabs.intake'));
    expect(await url.inputValue()).toBe(address);
    expect(await textOf(fieldOf(format))).toContain(en('datastore.intake.formats.csv'));
    expect(await textOf(fieldOf(frequency))).toContain(en('datastore.intake.frequencies.custom'));
    expect(await minutes.inputValue()).toBe('90');
    expect(await enabled.isChecked()).toBe(true);
    // Not pulled yet, or pulled once and failed (the schedule may already have run): never loaded.
    const status = panel.getByTestId('intake-last-status');
    const state = await status.getAttribute('data-status');
    expect(['never', 'failed']).toContain(state);
    expect(await textOf(status)).toBe(en(`datastore.intake.statuses.${state}`));
    if (state === 'failed') {
      await panel
        .getByRole('alert')
        .filter({ hasText: en('datastore.intake.failedTitle') })
        .waitFor();
      expect(Number(await textOf(panel.getByTestId('intake-failures')))).toBeGreaterThan(0);
    } else expect(await textOf(panel.getByTestId('intake-failures'))).toBe('0');
    const levels = await page
      .locator('h1, h2, h3, h4, h5, h6')
      .evaluateAll((headings) => headings.map((h) => Number(h.tagName.slice(1))));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => {
      if (i > 0)
        expect(level, `heading ${i + 1} of ${levels.join(',')}`).toBeLessThanOrEqual(
          (levels[i - 1] ?? 1) + 1,
        );
    });
    await expectAccessible(page, 'intake-en');
    await context.close();

    // Visitors neither see the tab nor reach the intake through the address or the API.
    const visitor = await app.open(`/data/${tableId}?tab=intake`, 'en');
    await visitor.page.getByRole('heading', { level: 1, name: TABLE_NAME }).waitFor();
    expect(await visitor.page.getByRole('tab', { name: en('datastore.tabs.intake') }).count()).toBe(0);
    expect(await visitor.page.getByRole('tab', { selected: true }).textContent()).toBe(
      en('datastore.tabs.table'),
    );
    expect(await visitor.page.getByTestId('data-intake').count()).toBe(0);
    const api = await visitor.context.request.get(`/api/v1/datastore/resources/${tableId}/intake`);
    expect([401, 403]).toContain(api.status());
    await visitor.context.close();
  });
});

describe('data tables for visitors', () => {
  it('shows a GeoJSON table on the map', async () => {
    const { code } = await entry(BUS_STOPS);
    const { context, page } = await app.open(`/catalog/entries/${code}`, 'en');
    const section = page.getByTestId('entry-data-tables');
    // Visitors see the tables but cannot add one.
    await section.getByRole('link', { name: '公交站点', exact: true }).click();
    expect(await section.getByRole('button', { name: en('datastore.entry.new') }).count()).toBe(0);
    await page.getByRole('heading', { level: 1, name: '公交站点' }).waitFor();
    await settle(page);
    expect(await page.getByRole('link', { name: en('datastore.upload.action') }).count()).toBe(0);

    await page.getByRole('tab', { name: en('datastore.tabs.map') }).click();
    await page.waitForURL(/tab=map/);
    const map = page.getByTestId('data-map');
    await map.waitFor();
    expect(await map.getAttribute('role')).toBe('img');
    await map.locator('svg').waitFor();
    const summary = await textOf(page.getByTestId('map-summary'));
    expect(summary).toContain(en('datastore.map.summary', { points: '800', lines: '0', areas: '0' }));
    await context.close();
  });

  it('downloads the editor’s table as CSV, JSON and Excel', async () => {
    const found = await (
      await fetch(`${app.server.baseUrl}/api/v1/datastore/resources?entry=${(await entry(BUS_ROUTES)).code}`)
    ).json();
    const table = found.items.find((r: { name: string }) => r.name === TABLE_NAME);
    expect(table).toBeDefined();
    const { context, page } = await app.open(`/data/${table.id}`, 'en');
    await poll(() => total(page)).toBe(rowsTotal(GBK_ROWS.length));
    const types = {
      csv: 'text/csv',
      json: 'application/json',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    };
    for (const [format, type] of Object.entries(types)) {
      const href = await page
        .getByRole('link', { name: en(`datastore.download.${format}`) })
        .getAttribute('href');
      const response = await context.request.get(href ?? '');
      expect(response.status(), format).toBe(200);
      expect(response.headers()['content-type'], format).toContain(type);
      if (format === 'csv') {
        const body = await response.text();
        expect(body).toContain('客流量');
        expect(body).toContain('临时绕行');
      }
    }

    // Once in Chinese: the tabs follow the language.
    await page.getByRole('combobox', { name: en('header.language') }).click();
    await page.getByRole('option', { name: '简体中文' }).click();
    await page.getByRole('tab', { name: text('zh-CN', 'datastore.tabs.table') }).waitFor();
    expect(text('zh-CN', 'datastore.tabs.table')).toBe('数据表');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await context.close();
  });
});
