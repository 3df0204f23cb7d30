// Where the platform's log lines go: batched, yet never held back for long, and never lost at exit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { FLUSH_MS, logDestination } from '../src/platform/log-destination.ts';

const dir = mkdtempSync(join(tmpdir(), 'datapolis-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

async function eventually(check: () => boolean, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('log destination', () => {
  it('writes lines in batches, in place, once 4 KiB are waiting', () => {
    const file = join(dir, 'batch.log');
    const destination = logDestination(file);
    const logger = pino({ level: 'info' }, destination);
    logger.info('first');
    // One short line waits for more (or for the timer).
    expect(read(file)).toBe('');
    for (let i = 0; i < 40; i++) logger.info({ i, padding: 'x'.repeat(100) }, 'more');
    // Written synchronously: no turn of the event loop was needed.
    const written = read(file);
    expect(written.length).toBeGreaterThanOrEqual(4096);
    expect(written.startsWith('{"level":30')).toBe(true);
    expect(written).toContain('"msg":"first"');
    destination.destroy();
  });

  it("writes a quiet server's last line within about a second", async () => {
    const file = join(dir, 'quiet.log');
    const destination = logDestination(file);
    pino({ level: 'info' }, destination).warn('the only line');
    expect(await eventually(() => read(file).includes('the only line'), FLUSH_MS * 5)).toBe(true);
    destination.destroy();
  });

  it('writes what is still waiting when the process exits', () => {
    const file = join(dir, 'exit.log');
    const module = join(import.meta.dirname, '../src/platform/log-destination.ts');
    const script = [
      "import pino from 'pino';",
      `const { logDestination } = await import(${JSON.stringify(module)});`,
      `pino({ level: 'info' }, logDestination(${JSON.stringify(file)})).error('last words');`,
      'process.exit(3);',
    ].join('\n');
    let code = 0;
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: join(import.meta.dirname, '..'),
        stdio: 'pipe',
      });
    } catch (error) {
      code = (error as { status: number }).status;
    }
    expect(code).toBe(3);
    expect(read(file)).toContain('"msg":"last words"');
  });
});
