import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeViolations, isSerious, settle, textOf, useServerAndBrowser } from './support/browser.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';

const app = useServerAndBrowser();

describe('transparency log audit page', () => {
  it('lets an auditor verify an entry in the browser, with all three checks passing', async () => {
    const { context, page } = await app.open('/', 'zh-CN', 'auditor');
    await page
      .getByRole('navigation')
      .getByRole('link', { name: text('zh-CN', 'nav.audit') })
      .click();
    await page.getByRole('heading', { level: 1, name: text('zh-CN', 'audit.title') }).waitFor();
    await settle(page);
    expect(page.url()).toMatch(/\/audit$/);
    expect(await page.title()).toContain(text('zh-CN', 'audit.title'));

    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    // The demo city's seed is on the log: organisations created by the system actor.
    await expect.poll(() => textOf(page.locator('.ant-table-tbody'))).toContain('identity.');

    // Verify an older entry (a seeded organisation), not only the newest one.
    await rows
      .nth(5)
      .getByRole('button', { name: text('zh-CN', 'audit.verify') })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    for (const check of ['signature', 'leaf', 'inclusion']) {
      const item = dialog.locator(`[data-testid="check-${check}"]`);
      await item.waitFor();
      expect(await item.getAttribute('data-status')).toBe('ok');
      expect(await textOf(item)).toContain(text('zh-CN', 'audit.status.ok'));
    }
    expect(await textOf(dialog.locator('[data-testid="verify-summary"]'))).toContain(
      text('zh-CN', 'audit.allPassed'),
    );
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'audit-verify-zh-CN.png') });
    expect((await axeViolations(page)).filter(isSerious)).toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'audit-zh-CN.png'), fullPage: true });
    await context.close();
  });

  it('keeps the entries from people without the right to read them', async () => {
    const { context, page } = await app.open('/audit', 'en', 'citizen');
    expect(await textOf(page.locator('h1'))).toBe(text('en', 'forbidden.title'));
    await context.close();
  });
});
