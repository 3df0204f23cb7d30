import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bytesEqual,
  fromBase64,
  hashEntryJson,
  publicKeyPemFromPrivate,
  type SignedTreeHead,
  verifyInclusion,
  verifyTreeHead,
} from '@datapolis/ledger';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/kernel/config/index.ts';
import { createPlatform } from '../src/platform/index.ts';
import { childEnv, runCli } from './support/processes.ts';
import { freshDatabase, usePostgres } from './support/test-platform.ts';

const stderrLines = (stderr: string) => stderr.split('\n').filter((l) => l !== '');

let dataDir: string;
let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'datapolis-cli-'));
  env = childEnv({ DATAPOLIS_DATA_DIR: dataDir });
  if (usePostgres) {
    const database = await freshDatabase();
    await database.db.close();
    env.DATABASE_URL = database.url!;
    dropDatabase = database.drop;
  }
});
afterAll(async () => {
  await dropDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the datapolis command', () => {
  it('prints help with every command and exits 0', async () => {
    const result = await runCli(['--help'], env);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'seed-demo', 'backup', 'restore', 'user', 'token', 'ledger']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('refuses an unknown command', async () => {
    const result = await runCli(['frobnicate'], env);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('stops at once on a bad configuration with one line naming the variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'datapolis-cli-bad-'));
    try {
      const result = await runCli(['serve'], { ...env, DATAPOLIS_DATA_DIR: dir, DATAPOLIS_PORT: 'abc' });
      expect(result.code).toBe(1);
      const lines = stderrLines(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^datapolis: DATAPOLIS_PORT /);
      expect(lines[0]).toContain('"abc"');
      // It stopped before opening a database.
      expect(existsSync(join(dir, 'pgdata'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates a user and an API token that works as a Bearer token', async () => {
    const created = await runCli(
      ['user', 'create', '--username', 'cli-auditor', '--display-name', 'CLI Auditor', '--roles', 'auditor'],
      { ...env, DATAPOLIS_NEW_PASSWORD: 'cli-Passw0rd-long' },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created user cli-auditor \([0-9a-f-]{36}\)\.$/m);

    const missing = await runCli(
      ['token', 'create', '--username', 'nobody', '--name', 'x', '--scopes', 'users:read'],
      env,
    );
    expect(missing.code).toBe(1);
    expect(stderrLines(missing.stderr)).toEqual(['datapolis: No user named nobody.']);

    const issued = await runCli(
      [
        'token',
        'create',
        '--username',
        'cli-auditor',
        '--name',
        'ci',
        '--scopes',
        'ledger:entries:read',
        '--days',
        '7',
      ],
      env,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const lines = issued.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    const token = lines[0]!;

    // The CLI has exited: the platform may open the same database now.
    const platform = await createPlatform(
      loadConfig({ ...env, DATAPOLIS_LOG_LEVEL: 'silent', DATAPOLIS_JOBS: 'false' }),
      { logger: pino({ level: 'silent' }) },
    );
    try {
      await platform.app.ready();
      const entries = await platform.app.inject({
        url: '/api/v1/ledger/entries',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(entries.statusCode, entries.body).toBe(200);
      expect(entries.json().total).toBeGreaterThanOrEqual(2);
      // The token carries only the scope it was given, though the auditor could list users.
      const users = await platform.app.inject({
        url: '/api/v1/users',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(users.statusCode).toBe(403);
      const forged = await platform.app.inject({
        url: '/api/v1/ledger/entries',
        headers: { authorization: `Bearer ${token.slice(0, -2)}xx` },
      });
      expect(forged.statusCode).toBe(401);
      expect((await platform.app.inject({ url: '/api/v1/ledger/entries' })).statusCode).toBe(401);
    } finally {
      await platform.stop();
    }
  });

  it('prints an inclusion proof that verifies against the signed tree head it prints', async () => {
    const result = await runCli(['ledger', 'proof', '0'], env);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as {
      entry: string;
      treeHead: SignedTreeHead;
      proof: { index: number; treeSize: number; leafHash: string; auditPath: string[] };
    };
    expect(JSON.parse(printed.entry)).toMatchObject({ action: 'identity.user.created' });
    const { proof, treeHead } = printed;
    expect(proof.index).toBe(0);
    expect(proof.treeSize).toBe(treeHead.treeSize);
    expect(treeHead.treeSize).toBeGreaterThanOrEqual(2);
    expect(proof.auditPath.length).toBeGreaterThan(0);

    const leaf = fromBase64(proof.leafHash);
    expect(bytesEqual(leaf, hashEntryJson(printed.entry))).toBe(true);
    const path = proof.auditPath.map(fromBase64);
    const root = fromBase64(treeHead.rootHash);
    expect(verifyInclusion(leaf, 0, treeHead.treeSize, path, root)).toBe(true);
    const bent = path.map((node, i) => (i === 0 ? node.map((byte, j) => (j === 0 ? byte ^ 1 : byte)) : node));
    expect(verifyInclusion(leaf, 0, treeHead.treeSize, bent, root)).toBe(false);

    // The head is signed by the key the platform keeps in its data dir.
    const publicKeyPem = publicKeyPemFromPrivate(
      readFileSync(join(dataDir, 'ledger-signing-key.pem'), 'utf8'),
    );
    expect(verifyTreeHead(treeHead, publicKeyPem)).toBe(true);
  });
});
