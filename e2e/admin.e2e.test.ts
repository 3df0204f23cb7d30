import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeViolations, isSerious, settle, textOf, useServerAndBrowser } from './support/browser.ts';
import { creditCode } from './support/credit-code.ts';
import { text } from './support/i18n.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';

const app = useServerAndBrowser();

describe('administration of organisations and users', () => {
  it('lets the operator create an organisation and add a member with a role', async () => {
    const { context, page } = await app.open('/admin/organizations', 'zh-CN', 'operator');
    await page.locator('.ant-table-row').first().waitFor();
    expect(await textOf(page.locator('.ant-table-tbody'))).toContain('北京市交通委员会');

    await page
      .getByRole('button', { name: text('zh-CN', 'organizations.create') })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect((await axeViolations(page)).filter(isSerious)).toEqual([]);
    await dialog.getByLabel(text('zh-CN', 'organizations.code'), { exact: true }).fill('bjcsglw');
    await dialog
      .getByLabel(text('zh-CN', 'organizations.name'), { exact: true })
      .fill('北京市城市管理委员会');
    await dialog
      .getByLabel(text('zh-CN', 'organizations.nameEn'))
      .fill('Beijing Municipal Commission of Urban Management');
    await dialog.getByLabel(text('zh-CN', 'organizations.creditCode')).fill(creditCode('11110000000024567'));
    await dialog.getByRole('button', { name: text('zh-CN', 'organizations.create') }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.locator('.ant-table-row', { hasText: '北京市城市管理委员会' });
    await row.waitFor();
    expect(await textOf(row)).toContain(text('zh-CN', 'organizations.kinds.institution'));
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'admin-organizations-zh-CN.png'), fullPage: true });

    await row.getByRole('link', { name: '北京市城市管理委员会', exact: true }).click();
    await page
      .getByRole('heading', {
        level: 1,
        name: text('zh-CN', 'members.titleNamed', { name: '北京市城市管理委员会' }),
      })
      .waitFor();
    await settle(page);

    // Pick the user by typing part of the name, then give them the editor role.
    await page.getByLabel(text('zh-CN', 'members.user')).click();
    await page.keyboard.type('citizen');
    await page.locator('.ant-select-item-option', { hasText: '(citizen)' }).click();
    await page.getByLabel(text('zh-CN', 'members.role'), { exact: true }).click();
    await page.locator('.ant-select-item-option', { hasText: text('zh-CN', 'memberRoles.editor') }).click();
    await page.getByRole('button', { name: text('zh-CN', 'members.add') }).click();

    const memberRow = page.locator('.ant-table-row', { hasText: 'citizen' });
    await memberRow.waitFor();
    expect(await textOf(memberRow)).toContain(text('zh-CN', 'memberRoles.editor'));
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'admin-members-zh-CN.png'), fullPage: true });

    // The citizen now sees the membership on their own account page.
    const citizen = await app.context('zh-CN', 'citizen');
    const session = await (await citizen.request.get('/api/v1/auth/session')).json();
    expect(session.user.memberships).toEqual([
      expect.objectContaining({ organizationName: '北京市城市管理委员会', role: 'editor' }),
    ]);
    await citizen.close();
    await context.close();
  });

  it('lets the operator create a user with a platform role', async () => {
    const { context, page } = await app.open('/admin/users', 'en', 'operator');
    await page.locator('.ant-table-row').first().waitFor();

    await page
      .getByRole('button', { name: text('en', 'users.create') })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel(text('en', 'users.username')).fill('li.na');
    await dialog.getByLabel(text('en', 'users.displayName')).fill('Li Na');
    await dialog.getByLabel(text('en', 'users.email')).fill('li.na@example.org');
    await dialog.getByLabel(text('en', 'users.password')).fill('correct-Horse-42');
    await dialog.getByRole('checkbox', { name: text('en', 'platformRoles.statistician') }).check();
    await dialog.getByRole('button', { name: text('en', 'users.create') }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page
      .getByRole('searchbox')
      .or(page.getByPlaceholder(text('en', 'users.search')))
      .first()
      .fill('li.na');
    await page.keyboard.press('Enter');
    const row = page.locator('.ant-table-row', { hasText: 'li.na' });
    await row.waitFor();
    expect(await textOf(row)).toContain(text('en', 'platformRoles.statistician'));
    await context.close();
  });

  it('shows a clear error when the organisation data is refused by the server', async () => {
    const { context, page } = await app.open('/admin/organizations', 'en', 'operator');
    await page
      .getByRole('button', { name: text('en', 'organizations.create') })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(text('en', 'organizations.code'), { exact: true }).fill('broken');
    await dialog.getByLabel(text('en', 'organizations.name'), { exact: true }).fill('Broken code bureau');
    // Right length, wrong check character.
    await dialog.getByLabel(text('en', 'organizations.creditCode')).fill('111100000000245670');
    await dialog.getByRole('button', { name: text('en', 'organizations.create') }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.isVisible()).toBe(true);
    await context.close();
  });
});
