import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_PASSWORD, type RunningServer, startServer } from './server.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Browser locale per catalog; the app picks its language from navigator.languages. */
export const BROWSER_LOCALES = { 'zh-CN': 'zh-CN', en: 'en-US', fr: 'fr-FR' } as const;
export type Lang = keyof typeof BROWSER_LOCALES;

export function newContext(browser: Browser, baseURL: string, lang: Lang = 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    locale: BROWSER_LOCALES[lang],
    reducedMotion: 'reduce',
    viewport: { width: 1280, height: 900 },
  });
}

/** Signs in through the API; the session cookie lands in the context, as after a form sign-in. */
export async function signInViaApi(context: BrowserContext, username: string): Promise<void> {
  const response = await context.request.post('/api/v1/auth/login', {
    data: { username, password: DEMO_PASSWORD },
  });
  if (!response.ok())
    throw new Error(`sign-in of ${username} failed: ${response.status()} ${await response.text()}`);
}

/** Waits until the page has rendered its content: one h1 and no loading indicator. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('h1').first().waitFor();
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 15_000 });
}

export interface ServerAndBrowser {
  /** The server this file's tests run against (available from beforeAll on). */
  readonly server: RunningServer;
  /** A new context in `lang`, signed in through the API as `username` when one is given. */
  context(lang: Lang, username?: string): Promise<BrowserContext>;
  /** Such a context with one page that has opened `path` and settled. */
  open(path: string, lang: Lang, username?: string): Promise<{ context: BrowserContext; page: Page }>;
}

/** Starts the server and Chromium before the file's tests, and closes both after them. */
export function useServerAndBrowser(): ServerAndBrowser {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const started = () => {
    if (server === undefined || browser === undefined)
      throw new Error('the server and browser start in beforeAll');
    return { server, browser };
  };
  const context = async (lang: Lang, username?: string) => {
    const { server, browser } = started();
    const created = await newContext(browser, server.baseUrl, lang);
    if (username !== undefined) await signInViaApi(created, username);
    return created;
  };
  return {
    get server() {
      return started().server;
    },
    context,
    async open(path, lang, username) {
      const opened = await context(lang, username);
      const page = await opened.newPage();
      await page.goto(path);
      await settle(page);
      return { context: opened, page };
    },
  };
}

export interface AxeSummary {
  id: string;
  impact: string | null | undefined;
  nodes: number;
  help: string;
  targets: string[];
}

/** Runs axe-core with the WCAG 2.2 AA rule set and returns every violation found. */
export async function axeViolations(page: Page): Promise<AxeSummary[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.length,
    help: v.help,
    targets: v.nodes
      .slice(0, 5)
      .map((n) => `${n.target.join(' ')} | ${n.failureSummary ?? ''}`.slice(0, 400)),
  }));
}

export const isSerious = (v: AxeSummary) => v.impact === 'serious' || v.impact === 'critical';

/** Text content of the first match, trimmed; '' when missing. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.first().textContent()) ?? '').trim();
}

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
export async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const matched = await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    if (matched) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
