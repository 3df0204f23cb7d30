import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle, textOf, useServerAndBrowser } from './support/browser.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';

const app = useServerAndBrowser();

describe('home page and languages', () => {
  it('explains the platform and shows what it holds, in the browser language', async () => {
    const { context, page } = await app.open('/', 'zh-CN');
    expect(await textOf(page.locator('h1'))).toBe(text('zh-CN', 'home.heading'));
    expect(await page.title()).toContain(text('zh-CN', 'home.title'));
    const body = await textOf(page.locator('main'));
    expect(body).toContain(text('zh-CN', 'home.intro'));
    expect(body).toContain(text('zh-CN', 'home.figures.organizations'));
    expect(body).toContain(text('zh-CN', 'modules.catalog.name'));
    expect(body).toContain(text('zh-CN', 'home.coming'));
    // The demo city has nine organisations; the figure comes from the live API.
    const organisations = page.locator('.ant-statistic').first();
    await expect.poll(() => textOf(organisations)).toMatch(/9/);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'home-zh-CN.png'), fullPage: true });
    await context.close();
  });

  it('switches language from the header, updates <html lang> and remembers the choice', async () => {
    const { context, page } = await app.open('/', 'zh-CN');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await page.getByRole('combobox', { name: text('zh-CN', 'header.language') }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await expect.poll(() => textOf(page.locator('h1'))).toBe(text('en', 'home.heading'));
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await textOf(page.getByRole('navigation'))).toContain(text('en', 'nav.home'));
    await expect.poll(() => page.title()).toContain(text('en', 'home.title'));

    await page.getByRole('combobox', { name: text('en', 'header.language') }).click();
    await page.getByRole('option', { name: 'Français' }).click();
    await expect.poll(() => textOf(page.locator('h1'))).toBe(text('fr', 'home.heading'));
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');

    await page.reload();
    await settle(page);
    expect(await textOf(page.locator('h1'))).toBe(text('fr', 'home.heading'));
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await context.close();
  });

  it('picks French or English from the browser languages on a first visit', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const { context, page } = await app.open('/', lang);
      expect(await textOf(page.locator('h1'))).toBe(text(lang, 'home.heading'));
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await context.close();
    }
  });

  it('shows a page-not-found page for an unknown address', async () => {
    const context = await app.context('en');
    const page = await context.newPage();
    const response = await page.goto('/nothing/here');
    expect(response?.status()).toBe(200);
    await settle(page);
    expect(await textOf(page.locator('h1'))).toBe(text('en', 'notFound.title'));
    expect(await page.title()).toContain(text('en', 'notFound.title'));
    await context.close();
  });
});
