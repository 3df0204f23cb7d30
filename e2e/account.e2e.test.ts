import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle, textOf, useServerAndBrowser } from './support/browser.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';

const app = useServerAndBrowser();

async function callWithToken(token: string): Promise<number> {
  const response = await fetch(`${app.server.baseUrl}/api/v1/me/tokens`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

describe('account and API tokens', () => {
  it('creates a token, shows it once, and revokes it', async () => {
    const { context, page } = await app.open('/account', 'en', 'citizen');
    expect(await textOf(page.locator('h1'))).toBe(text('en', 'account.title'));
    expect(await textOf(page.locator('main'))).toContain('citizen');

    await page.getByLabel(text('en', 'tokens.name')).fill('nightly export');
    await page.getByRole('checkbox', { name: /tokens:manage/ }).check();
    await page.getByRole('button', { name: text('en', 'tokens.create') }).click();

    const secretField = page.getByTestId('new-token');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret.length).toBeGreaterThan(30);
    expect(
      await textOf(page.getByRole('alert').filter({ hasText: text('en', 'tokens.createdTitle') })),
    ).toContain(text('en', 'tokens.createdWarning'));
    // The token really works, within the scope it was given.
    expect(await callWithToken(secret)).toBe(200);

    const row = page.locator('.ant-table-row', { hasText: 'nightly export' });
    await row.waitFor();
    expect(await textOf(row)).toContain(text('en', 'tokens.states.active'));
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'account-token-en.png'), fullPage: true });

    // Once acknowledged, the secret is gone from the page for good.
    await page.getByRole('button', { name: text('en', 'tokens.done') }).click();
    await secretField.waitFor({ state: 'detached' });
    await page.reload();
    await settle(page);
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    await row.getByRole('button', { name: new RegExp(`^${text('en', 'tokens.revoke')}`) }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await textOf(dialog)).toContain(
      text('en', 'tokens.revokeConfirmTitle', { name: 'nightly export' }),
    );
    await dialog.getByRole('button', { name: text('en', 'tokens.revoke') }).click();
    await expect.poll(() => textOf(row)).toContain(text('en', 'tokens.states.revoked'));
    expect(await callWithToken(secret)).toBe(401);
    await context.close();
  });

  it('refuses to create a token without a name, saying why next to the field', async () => {
    const { context, page } = await app.open('/account', 'fr', 'citizen');
    await page.getByRole('button', { name: text('fr', 'tokens.create') }).click();
    await page.getByText(text('fr', 'tokens.nameRequired')).waitFor();
    await page.getByText(text('fr', 'tokens.scopesRequired')).waitFor();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    await context.close();
  });
});
