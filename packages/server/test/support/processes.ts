// Child processes for tests that run the real command line or server: `datapolis` commands, and
// serve-with-test-jobs.ts servers that print "listening <address>" once they accept requests.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { DEMO_PASSWORD, ROOT } from './test-platform.ts';

const CLI = join(ROOT, 'packages/server/src/cli/main.ts');
const SERVE_WITH_TEST_JOBS = join(ROOT, 'packages/server/test/support/serve-with-test-jobs.ts');

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/**
 * The environment of a child: this one's, minus any Datapolis or test database settings, logging
 * warnings only unless `extra` says otherwise.
 */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value === undefined ||
      key.startsWith('DATAPOLIS_') ||
      key.startsWith('TEST_') ||
      key === 'DATABASE_URL'
    )
      continue;
    env[key] = value;
  }
  // The demo catalog takes seconds to load; the tests that read it ask for it.
  return { ...env, DATAPOLIS_LOG_LEVEL: 'warn', DATAPOLIS_DEMO_CATALOG: 'false', ...extra };
}

/** Runs one `datapolis` command to its end. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  address: string;
  /** Every line the server printed on stdout up to now. */
  lines: string[];
  /** Asks the server to stop (SIGTERM) and resolves with how it exited. */
  stop(): Promise<Exit>;
  /** Kills the server outright (SIGKILL), as a crash would, and resolves with how it exited. */
  kill(): Promise<Exit>;
}

const started = new Set<ChildProcess>();

/**
 * Starts `datapolis serve` with the test job kinds (serve-with-test-jobs.ts) and resolves once it
 * listens; `name` tells servers apart in the error when one does not start.
 */
export function startServerProcess(env: Record<string, string>, name?: string): Promise<ServerProcess> {
  const which = name === undefined ? 'the server' : `server ${name}`;
  const child = spawn(process.execPath, [SERVE_WITH_TEST_JOBS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const signal = (how: NodeJS.Signals) => {
    child.kill(how);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${which} did not start within 90 s: ${stderr}`));
    }, 90_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /^listening (\S+)$/.exec(line);
      if (match !== null) {
        clearTimeout(timer);
        resolve({
          address: match[1]!,
          lines,
          stop: () => signal('SIGTERM'),
          kill: () => signal('SIGKILL'),
        });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${which} exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
}

/** Kills every server this file started that is still running; for afterAll. */
export function killServerProcesses(): void {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export interface Session {
  /** The Cookie header value, `dp_session=…`. */
  cookie: string;
  csrf: string;
  userId: string;
}

/** Signs a demo user in over HTTP. */
export async function signIn(address: string, username: string): Promise<Session> {
  const response = await fetch(`${address}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('dp_session='));
  expect(cookie).toBeDefined();
  const body = (await response.json()) as { csrfToken: string; user: { id: string } };
  return { cookie: cookie!, csrf: body.csrfToken, userId: body.user.id };
}

/** Asks `check` every 50 ms until it says yes; gives up with an error naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string | (() => string),
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`gave up waiting: ${typeof what === 'string' ? what : what()}`);
    await sleep(50);
  }
}
