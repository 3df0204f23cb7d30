// `npm run dev`: the server restarts on every change of its sources, and Vite serves the web app with hot
// reload on :5173, proxying /api to the server.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../../..');
const server = spawn(process.execPath, ['--watch', 'packages/server/src/cli/main.ts', 'serve'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DATAPOLIS_WEB_DIST: join(root, 'packages/web/.no-dist') },
});
const { createServer } = await import('vite');
const web = await createServer({
  configFile: join(root, 'packages/web/vite.config.ts'),
  server: { port: 5173 },
});
await web.listen();
web.printUrls();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.kill(signal);
    void web.close().then(() => process.exit(0));
  });
}
