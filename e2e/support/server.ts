import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { REPO_ROOT } from './paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory with the demo city already loaded, made once by the global setup. */
    e2eTemplateDataDir: string | undefined;
  }
}

export const DEMO_PASSWORD = 'demo-Passw0rd!';

export interface RunningServer {
  baseUrl: string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once no process of the group is left. npm exits on SIGTERM at once, while the server it started
 * is still closing its database; removing the data directory before then fails.
 */
async function groupEnded(pgid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/**
 * Starts the real server on a free port with a fresh data directory and the demo city loaded: a copy of the
 * global setup's template when there is one (loading the demo city takes most of a start), else loaded now.
 */
export async function startServer(
  options: { template?: boolean; keepDataDir?: boolean } = {},
): Promise<RunningServer & { dataDir: string }> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'datapolis-e2e-'));
  const template = options.template === false ? undefined : inject('e2eTemplateDataDir');
  if (template !== undefined) await cp(template, dataDir, { recursive: true });
  const child = spawn('npm', ['exec', '--', 'node', 'packages/server/src/cli/main.ts', 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATAPOLIS_PORT: String(port),
      DATAPOLIS_HOST: '127.0.0.1',
      DATAPOLIS_DATA_DIR: dataDir,
      DATAPOLIS_DEMO_PASSWORD: DEMO_PASSWORD,
    },
    // Own process group, so stopping it also stops the node process npm starts.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = exited(child);

  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 10_000);
      await exit;
      await groupEnded(child.pid);
      clearTimeout(timer);
    }
    if (options.keepDataDir !== true) await rm(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`server exited with code ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/v1/ready`);
      if (response.status === 200) return { baseUrl, stop, dataDir };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await stop();
  throw new Error(`server not ready after 150 s:\n${output}`);
}

/**
 * Loads the demo city once into a data directory that each file's server then starts from a copy of. The
 * server stops cleanly first: its background jobs finish or are handed back, so a copy starts as a restart.
 */
export async function makeTemplateDataDir(): Promise<string> {
  const server = await startServer({ template: false, keepDataDir: true });
  await server.stop();
  return server.dataDir;
}
