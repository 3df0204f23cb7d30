// Run by `npm start` before the server: rebuilds the web app only when a source is newer than the build,
// so a fresh checkout works out of the box and a restart costs nothing.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = join(webDir, 'dist', 'index.html');
const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(webDir, p));

async function mtimeOrUndefined(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Newest modification time under `path` (a file or a directory tree); 0 when it does not exist. */
async function newestMtime(path: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    newest = Math.max(newest, await newestMtime(join(path, entry.name)));
  }
  return newest;
}

export async function buildIfStale(): Promise<'built' | 'fresh'> {
  const builtAt = await mtimeOrUndefined(builtIndex);
  const sourcesAt = Math.max(...(await Promise.all(sources.map(newestMtime))));
  if (builtAt !== undefined && builtAt >= sourcesAt) {
    console.log('web: build is up to date (packages/web/dist)');
    return 'fresh';
  }
  const started = performance.now();
  // Callers such as a test runner may have set NODE_ENV=test, which would give React and antd their
  // development builds; this script always builds for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `web: ${builtAt === undefined ? 'no build found' : 'sources changed'}, built packages/web/dist in ${seconds}s`,
  );
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildIfStale();
  } catch (error) {
    console.error('web: build failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
