// Where the platform's log lines go: batched, yet never held back for long, and never lost at exit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_CHARS, FLUSH_MS, logDestination } from '../src/platform/log-destination.ts';

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

/** Runs `lines` in a Node process of its own, with pino and logDestination imported. */
function runScript(lines: string[]): { status: number; stderr: string } {
  const module = join(import.meta.dirname, '../src/platform/log-destination.ts');
  const script = [
    "import pino from 'pino';",
    `const { logDestination } = await import(${JSON.stringify(module)});`,
    ...lines,
  ].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
  });
  return { status: result.status ?? -1, stderr: result.stderr };
}

describe('log destination', () => {
  it('writes lines in batches, in place, once 64 KiB are waiting', () => {
    const file = join(dir, 'batch.log');
    const destination = logDestination(file);
    const logger = pino({ level: 'info' }, destination);
    logger.info('first');
    // One short line waits for more (or for the timer).
    expect(read(file)).toBe('');
    const padding = 'x'.repeat(200);
    let lines = 1;
    while (lines * 250 < BATCH_CHARS) {
      logger.info({ i: lines, padding }, 'more');
      lines += 1;
    }
    // Written synchronously, once the batch was full: no turn of the event loop was needed.
    const written = read(file);
    expect(written.length).toBeGreaterThanOrEqual(BATCH_CHARS);
    expect(written.startsWith('{"level":30')).toBe(true);
    expect(written).toContain('"msg":"first"');
    logger.info('after the batch');
    expect(read(file)).not.toContain('after the batch');
    // logger.flush() writes what waits.
    logger.flush();
    expect(read(file).endsWith('"msg":"after the batch"}\n')).toBe(true);
    expect(read(file).split('\n').length - 1).toBe(lines + 1);
    destination.end();
  });

  it('drops a batch it cannot write instead of failing the caller, and says so once on standard error', () => {
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    const { status, stderr } = runScript([
      "const logger = pino({ level: 'info' }, logDestination('/dev/full'));",
      "const padding = 'x'.repeat(1000);",
      "for (let i = 0; i < 200; i++) logger.error({ i, padding }, 'disk full');",
      'logger.flush();',
      "console.log('still running');",
    ]);
    expect(status).toBe(0);
    expect(stderr.match(/log lines could not be written \(ENOSPC\)/g)).toHaveLength(1);
  });

  it("writes a quiet server's last line within about a second", async () => {
    const file = join(dir, 'quiet.log');
    const destination = logDestination(file);
    pino({ level: 'info' }, destination).warn('the only line');
    expect(await eventually(() => read(file).includes('the only line'), FLUSH_MS * 5)).toBe(true);
    destination.end();
  });

  it('writes what is still waiting when the process exits', () => {
    const file = join(dir, 'exit.log');
    const { status } = runScript([
      `pino({ level: 'info' }, logDestination(${JSON.stringify(file)})).error('last words');`,
      'process.exit(3);',
    ]);
    expect(status).toBe(3);
    expect(read(file)).toContain('"msg":"last words"');
  });
});
