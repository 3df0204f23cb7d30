import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Config, loadConfig } from '../../packages/server/src/kernel/config/index.ts';
import { createDb, type Db } from '../../packages/server/src/kernel/db/index.ts';
import { createLogger, createPlatform, type Platform } from '../../packages/server/src/platform/index.ts';
import { workDir } from './paths.ts';

export type Engine = 'pglite' | 'postgres';

export const ENGINE_LABEL: Record<Engine, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };

export interface ThrowawayDb {
  engine: Engine;
  db: Db;
  /** Where the platform keeps its files (signing key); removed by dispose. */
  dataDir: string;
  dispose(): Promise<void>;
}

const cleanups = new Set<() => Promise<void>>();

/**
 * Runs `cleanup` (temporary files, say) with the throwaway databases if the run is interrupted; the
 * returned function runs it now and forgets it.
 */
export function atDispose(cleanup: () => Promise<void>): () => Promise<void> {
  const once = async () => {
    cleanups.delete(once);
    await cleanup();
  };
  cleanups.add(once);
  return once;
}

/** Drops every throwaway database still open (Ctrl-C, or a benchmark that threw). */
export async function disposeAll(): Promise<void> {
  for (const cleanup of [...cleanups]) await cleanup().catch(() => undefined);
}

/** True when the PostgreSQL server answers and lets us create databases. */
export async function postgresReachable(adminUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const row = await client.query<{ ok: boolean }>(
      'SELECT rolcreatedb OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user',
    );
    return row.rows[0]?.ok === true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A fresh, empty database: PGlite in a data directory under bench/.work (as `npm start` keeps it on
 * disk), or a throwaway database on the PostgreSQL server, dropped by dispose.
 */
export async function throwawayDatabase(
  engine: Engine,
  options: { adminUrl: string; poolSize?: number },
): Promise<ThrowawayDb> {
  const name = `datapolis_bench_${randomBytes(6).toString('hex')}`;
  const dataDir = workDir(name);
  let db: Db;
  let drop: () => Promise<void>;
  if (engine === 'pglite') {
    db = await createDb({ kind: 'pglite', dataDir });
    drop = async () => undefined;
  } else {
    const admin = new pg.Client({ connectionString: options.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(options.adminUrl);
    url.pathname = `/${name}`;
    db = await createDb({ kind: 'postgres', url: url.toString(), poolSize: options.poolSize ?? 10 });
    drop = async () => {
      const client = new pg.Client({ connectionString: options.adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    cleanups.delete(dispose);
    await db.close().catch(() => undefined);
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  cleanups.add(dispose);
  return { engine, db, dataDir, dispose };
}

export interface BenchPlatformOptions {
  logLevel?: Config['logLevel'];
  /** Log file; /dev/null when unset. Logs never go to the console during a benchmark. */
  logFile?: string;
  /** Configuration variables set over the benchmark's own (`DATAPOLIS_RATE_LIMIT`, say). */
  env?: Record<string, string>;
}

/** The whole platform (migrations, ledger, identity, HTTP app) on a throwaway database. */
export async function benchPlatform(
  database: ThrowawayDb,
  options: BenchPlatformOptions = {},
): Promise<Platform> {
  const level = options.logLevel ?? 'silent';
  const config = loadConfig({
    DATAPOLIS_DATA_DIR: join(database.dataDir, 'files'),
    DATAPOLIS_LOG_LEVEL: level,
    DATAPOLIS_DEMO: 'false',
    DATAPOLIS_PORT: '0',
    DATAPOLIS_HOST: '127.0.0.1',
    // The default (600 a minute per address) would answer 429 to a load test from one address; the limiter
    // itself still runs on every request.
    DATAPOLIS_RATE_LIMIT: '1000000',
    DATAPOLIS_DB_POOL_SIZE: '10',
    ...options.env,
  });
  // The production logger, pointed at a file instead of stdout.
  const logger = createLogger(config, options.logFile ?? '/dev/null');
  return createPlatform(config, { db: database.db, logger });
}
