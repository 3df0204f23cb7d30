import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { type Config, loadConfig } from '../../src/kernel/config/index.ts';
import { createDb, type Db } from '../../src/kernel/db/index.ts';
import { createPlatform, type Platform, type PlatformOptions } from '../../src/platform/index.ts';

export const DEMO_PASSWORD = 'demo-Passw0rd!';
export const usePostgres = process.env.TEST_DB === 'postgres';
export const ROOT = join(import.meta.dirname, '../../../..');

/** A fresh, empty database: PGlite in memory, or a throwaway database on the PostgreSQL server. */
export async function freshDatabase(): Promise<{
  db: Db;
  url: string | undefined;
  drop: () => Promise<void>;
}> {
  if (!usePostgres) {
    const db = await createDb({ kind: 'pglite', dataDir: undefined });
    return { db, url: undefined, drop: async () => undefined };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined)
    throw new Error('TEST_DB=postgres needs DATABASE_URL (a server where CREATE DATABASE works).');
  const name = `datapolis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await createDb({ kind: 'postgres', url: url.toString(), poolSize: 10 });
  return {
    db,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestPlatform {
  platform: Platform;
  config: Config;
  dataDir: string;
  /** Signs in through the API; returns the cookie header and the CSRF token. */
  login(username: string, password?: string): Promise<{ cookie: string; csrf: string; userId: string }>;
  /** Creates an API token for a demo user through the API. */
  token(username: string, scopes: string[], expiresInDays?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startTestPlatform(
  env: Record<string, string> = {},
  options: Omit<PlatformOptions, 'db'> & {
    seed?: boolean;
    seedCatalog?: boolean;
    /** false: the HTTP app is left unbooted, as a CLI command leaves it. */
    boot?: boolean;
  } = {},
): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'datapolis-test-'));
  const config = loadConfig({
    DATAPOLIS_DATA_DIR: dataDir,
    DATAPOLIS_DEMO_PASSWORD: DEMO_PASSWORD,
    DATAPOLIS_LOG_LEVEL: 'silent',
    DATAPOLIS_RATE_LIMIT: '100000',
    DATAPOLIS_RATE_LIMIT_ACCOUNT: '1000000',
    ...env,
  });
  const database = await freshDatabase();
  const platform = await createPlatform(config, {
    ...options,
    db: database.db,
    logger: options.logger ?? pino({ level: 'silent' }),
  });
  // The 300-entry demo catalog only where a test reads it: most files need the users and organisations alone.
  if (options.seed !== false) await platform.seedIfEmpty({ catalog: options.seedCatalog === true });
  if (options.boot !== false) await platform.app.ready();

  async function login(username: string, password = DEMO_PASSWORD) {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
    });
    if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === 'dp_session');
    const body = response.json() as { csrfToken: string; user: { id: string } };
    return { cookie: `dp_session=${cookie!.value}`, csrf: body.csrfToken, userId: body.user.id };
  }

  return {
    platform,
    config,
    dataDir,
    login,
    async token(username, scopes, expiresInDays = 30) {
      const session = await login(username);
      const response = await platform.app.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
        payload: { name: `test ${scopes.join(' ')}`, scopes, expiresInDays },
      });
      if (response.statusCode !== 201) throw new Error(`token for ${username} failed: ${response.body}`);
      return (response.json() as { token: string }).token;
    },
    async close() {
      await platform.stop();
      await database.db.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
