import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tabTo, textOf, useServerAndBrowser } from './support/browser.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';
import { DEMO_PASSWORD } from './support/server.ts';

const app = useServerAndBrowser();

describe('signing in and out', () => {
  it('signs in and out with the keyboard only', async () => {
    const { context, page } = await app.open('/', 'en');

    // The first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      text('en', 'header.skipToContent'),
    );

    await tabTo(page, 'a[href^="/sign-in"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: text('en', 'auth.title') }).waitFor();
    // The user name field has focus as soon as the page opens.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).toBe('username');
    await page.keyboard.type('transport-admin');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('password');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');

    const menu = page.getByTestId('user-menu');
    await menu.waitFor();
    expect(await textOf(menu)).toContain('Transport Admin');
    await page.getByRole('heading', { level: 1, name: text('en', 'home.heading') }).waitFor();

    await tabTo(page, '[data-testid="user-menu"]');
    await page.keyboard.press('Enter');
    // The menu takes focus when it opens; the arrow keys move through it to "Sign out".
    const focusedMenuItem = () =>
      page.evaluate(() =>
        document.activeElement?.getAttribute('role') === 'menuitem'
          ? document.activeElement.textContent
          : null,
      );
    await expect.poll(focusedMenuItem).toBe(text('en', 'notifications.title'));
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedMenuItem).toBe(text('en', 'nav.account'));
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedMenuItem).toBe(text('en', 'header.signOut'));
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: text('en', 'header.signIn') }).waitFor();
    const session = await (await context.request.get('/api/v1/auth/session')).json();
    expect(session.authenticated).toBe(false);
    await context.close();
  });

  it('shows a readable error for a wrong password', async () => {
    const { context, page } = await app.open('/sign-in', 'zh-CN');
    await page.getByLabel(text('zh-CN', 'auth.username')).fill('operator');
    await page.getByLabel(text('zh-CN', 'auth.password')).fill('not-the-password');
    await page.getByRole('button', { name: text('zh-CN', 'auth.submit') }).click();
    const alert = page.getByRole('alert').filter({ hasText: text('zh-CN', 'auth.invalidCredentials') });
    await alert.waitFor();
    expect(page.url()).toMatch(/\/sign-in$/);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'sign-in-error-zh-CN.png') });
    await context.close();
  });

  it('asks for sign-in, then returns to the page that needed it', async () => {
    const context = await app.context('en');
    const page = await context.newPage();
    await page.goto('/account');
    await page.getByRole('heading', { level: 1, name: text('en', 'auth.title') }).waitFor();
    expect(page.url()).toContain('/sign-in?next=%2Faccount');
    await page.getByLabel(text('en', 'auth.username')).fill('citizen');
    await page.getByLabel(text('en', 'auth.password')).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: text('en', 'auth.submit') }).click();
    await page.getByRole('heading', { level: 1, name: text('en', 'account.title') }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    await context.close();
  });

  it('hides admin navigation from a citizen and refuses the admin pages', async () => {
    const { context, page } = await app.open('/', 'en', 'citizen');
    const nav = page.getByRole('navigation', { name: text('en', 'nav.label') });
    const links = await nav.getByRole('link').allTextContents();
    expect(links).toEqual([
      text('en', 'nav.home'),
      text('en', 'catalog.nav.catalog'),
      text('en', 'opening.nav.cityPlan'),
      text('en', 'access.nav.applications'),
      text('en', 'access.nav.grants'),
      text('en', 'nav.account'),
    ]);

    for (const path of ['/admin/users', '/admin/organizations']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: text('en', 'forbidden.title') }).waitFor();
      expect(await page.title()).toContain(text('en', 'forbidden.title'));
    }
    await context.close();
  });

  it('shows the operator every admin page in the navigation', async () => {
    const { context, page } = await app.open('/', 'en', 'operator');
    const links = await page
      .getByRole('navigation', { name: text('en', 'nav.label') })
      .getByRole('link')
      .allTextContents();
    expect(links).toEqual([
      text('en', 'nav.home'),
      text('en', 'catalog.nav.catalog'),
      text('en', 'catalog.nav.review'),
      text('en', 'catalog.nav.mine'),
      text('en', 'opening.nav.cityPlan'),
      text('en', 'access.nav.applications'),
      text('en', 'access.nav.grants'),
      text('en', 'access.nav.review'),
      text('en', 'access.nav.centre'),
      text('en', 'opening.nav.plans'),
      text('en', 'usage.nav.usage'),
      text('en', 'clients.nav.sharing'),
      text('en', 'securityGrading.nav'),
      text('en', 'nav.organizations'),
      text('en', 'nav.users'),
      text('en', 'nav.audit'),
      text('en', 'nav.account'),
    ]);
    await context.close();
  });
});
