import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AxeSummary,
  axeViolations,
  isSerious,
  type Lang,
  settle,
  useServerAndBrowser,
} from './support/browser.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';

const LANGS: Lang[] = ['zh-CN', 'en', 'fr'];

// Each page with who must be signed in to see it; the operator sees every admin page and the audit log.
const PAGES: { name: string; path: string; signedIn: boolean }[] = [
  { name: 'home', path: '/', signedIn: false },
  { name: 'sign-in', path: '/sign-in', signedIn: false },
  { name: 'not-found', path: '/no-such-page', signedIn: false },
  { name: 'home (signed in)', path: '/', signedIn: true },
  { name: 'account', path: '/account', signedIn: true },
  { name: 'admin organisations', path: '/admin/organizations', signedIn: true },
  { name: 'admin users', path: '/admin/users', signedIn: true },
  { name: 'audit', path: '/audit', signedIn: true },
  { name: 'organisation members', path: 'members-of-own-organisation', signedIn: true },
  { name: 'city opening plan', path: '/opening', signedIn: false },
  { name: 'opening plans', path: '/opening/plans', signedIn: true },
  { name: 'my applications', path: '/access/applications', signedIn: true },
  { name: 'my grants', path: '/access/grants', signedIn: true },
  { name: 'access requests', path: '/access/review', signedIn: true },
  { name: 'centre review', path: '/access/centre', signedIn: true },
  { name: 'notifications', path: '/notifications', signedIn: true },
  { name: 'data usage', path: '/usage', signedIn: true },
  { name: 'business systems', path: '/sharing', signedIn: true },
];

const app = useServerAndBrowser();
const report: Record<string, AxeSummary[]> = {};

afterAll(async () => {
  await writeFile(join(ARTIFACTS_DIR, 'axe-report.json'), `${JSON.stringify(report, null, 2)}\n`);
});

describe.each(LANGS)('accessibility in %s', (lang) => {
  let anonymous: BrowserContext;
  let operator: BrowserContext;

  beforeAll(async () => {
    anonymous = await app.context(lang);
    operator = await app.context(lang, 'operator');
  });

  // The operator administers the big data centre; its members page has a real id in the path.
  async function ownOrganisationPath(): Promise<string> {
    const session = await (await operator.request.get('/api/v1/auth/session')).json();
    return `/admin/organizations/${session.user.memberships[0].organizationId}`;
  }

  afterAll(async () => {
    await anonymous?.close();
    await operator?.close();
  });

  it.each(PAGES)('$name has no serious or critical axe violation', async ({ name, path, signedIn }) => {
    const page = await (signedIn ? operator : anonymous).newPage();
    try {
      await page.goto(path === 'members-of-own-organisation' ? await ownOrganisationPath() : path);
      await settle(page);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.title()).not.toBe('');
      const violations = await axeViolations(page);
      report[`${lang} ${name}`] = violations;
      expect(violations.filter(isSerious)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
