import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/kernel/db/index.ts';
import { childEnv, runCli } from './support/processes.ts';
import { DEMO_PASSWORD, usePostgres } from './support/test-platform.ts';

/** A failed command: exit code 1 and exactly one readable line on stderr. */
function expectOneLineFailure(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^datapolis: /);
  expect(lines[0]).toMatch(pattern);
}

/** What must survive a backup: the log (every leaf hash, in order) and the accounts. */
async function fingerprint(dataDir: string) {
  const db = await createDb({ kind: 'pglite', dataDir });
  try {
    const ledger = await sql<{ entries: number; leaves: string }>`
      SELECT count(*)::int AS entries, coalesce(md5(string_agg(encode(leaf_hash, 'hex'), '' ORDER BY idx)), '') AS leaves
      FROM ledger_entries`.execute(db.kysely);
    const users = await db.kysely
      .selectFrom('identity_users')
      .select('username')
      .orderBy('username')
      .execute();
    return { ...ledger.rows[0]!, users: users.map((u) => u.username) };
  } finally {
    await db.close();
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'datapolis-backup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Backup and restore copy the embedded database's data dir; PostgreSQL has pg_dump and pg_restore.
describe.skipIf(usePostgres)('backup and restore of the embedded database', () => {
  const source = join(tmp, 'source');
  const target = join(tmp, 'target');
  const file = join(tmp, 'city.dpbackup');

  beforeAll(async () => {
    const seeded = await runCli(
      ['seed-demo'],
      childEnv({ DATAPOLIS_DATA_DIR: source, DATAPOLIS_DEMO_PASSWORD: DEMO_PASSWORD }),
    );
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('Demo city loaded');
    const backup = await runCli(['backup', file], childEnv({ DATAPOLIS_DATA_DIR: source }));
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backup written to .+ \(\d+ bytes\)/);
  });

  it('restores into a new data dir that verifies and holds the same log and accounts', async () => {
    const restored = await runCli(['restore', file], childEnv({ DATAPOLIS_DATA_DIR: target }));
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`Restored ${file} into ${target}`);
    // The signing key travels with the backup, so the restored platform signs as the old one did.
    expect(readFileSync(join(target, 'ledger-signing-key.pem'), 'utf8')).toBe(
      readFileSync(join(source, 'ledger-signing-key.pem'), 'utf8'),
    );

    const verify = await runCli(['ledger', 'verify'], childEnv({ DATAPOLIS_DATA_DIR: target }));
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^OK: \d+ entries/);

    const before = await fingerprint(source);
    const after = await fingerprint(target);
    expect(before.entries).toBeGreaterThan(0);
    expect(before.users).toContain('operator');
    expect(after).toEqual(before);
  });

  it('refuses to restore over a data dir that already holds a database', async () => {
    const files = () => readdirSync(join(source, 'pgdata'), { recursive: true }).map(String).sort();
    const before = files();
    const result = await runCli(['restore', file], childEnv({ DATAPOLIS_DATA_DIR: source }));
    expectOneLineFailure(result, /already holds a database/);
    // Refused before anything was written: the database that was there is untouched.
    expect(files()).toEqual(before);
  });

  it('refuses a file that is not a backup, and a truncated one, leaving the data dir empty', async () => {
    const notBackup = join(tmp, 'notes.txt');
    writeFileSync(notBackup, 'just some notes\n');
    const empty = join(tmp, 'empty');
    expectOneLineFailure(
      await runCli(['restore', notBackup], childEnv({ DATAPOLIS_DATA_DIR: empty })),
      /is not a Datapolis backup/,
    );
    expectOneLineFailure(
      await runCli(['restore', join(tmp, 'missing.dpbackup')], childEnv({ DATAPOLIS_DATA_DIR: empty })),
      /No backup file/,
    );
    const truncated = join(tmp, 'truncated.dpbackup');
    const bytes = readFileSync(file);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
    expectOneLineFailure(
      await runCli(['restore', truncated], childEnv({ DATAPOLIS_DATA_DIR: empty })),
      /truncated/,
    );
    expect(!existsSync(join(empty, 'pgdata')) || readdirSync(join(empty, 'pgdata')).length === 0).toBe(true);
  });
});

describe('backup and restore with PostgreSQL', () => {
  // The message comes before any connection is tried, so an unreachable URL shows it just as well.
  const url = usePostgres ? process.env.DATABASE_URL! : 'postgres://postgres@127.0.0.1:1/nowhere';

  it('backup says to use pg_dump', async () => {
    const result = await runCli(
      ['backup', join(tmp, 'never-written')],
      childEnv({ DATAPOLIS_DATA_DIR: join(tmp, 'pg-backup'), DATABASE_URL: url }),
    );
    expectOneLineFailure(result, /pg_dump/);
    expect(existsSync(join(tmp, 'never-written'))).toBe(false);
  });

  it('restore says to use pg_restore', async () => {
    const result = await runCli(
      ['restore', join(tmp, 'whatever')],
      childEnv({ DATAPOLIS_DATA_DIR: join(tmp, 'pg-restore'), DATABASE_URL: url }),
    );
    expectOneLineFailure(result, /pg_restore/);
  });
});
