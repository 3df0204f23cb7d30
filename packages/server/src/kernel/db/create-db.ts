import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { adaptPoolClient } from './copy.ts';
import type { Database } from './database.ts';
import { sendRootStatementsToPool } from './pool-statements.ts';

/** What the database underneath can do; services ask this instead of checking which engine it is. */
export interface DbCapabilities {
  /** Several connections at once (a pool). PGlite serves one query at a time. */
  concurrentConnections: boolean;
  /** COPY FROM STDIN through pg-copy-streams. */
  copyFromStdin: boolean;
  /** Only this process can open the database (embedded); no other worker can hold a job. */
  singleProcess: boolean;
  engine: 'pglite' | 'postgres';
}

export interface Db {
  kysely: Kysely<Database>;
  capabilities: DbCapabilities;
  /** The pg pool on PostgreSQL (COPY, benchmarks); undefined on PGlite. */
  pool: pg.Pool | undefined;
  /** The PGlite instance when embedded (backup, restore). */
  pglite: PGlite | undefined;
  close(): Promise<void>;
}

export type DbTarget =
  | { kind: 'pglite'; dataDir: string | undefined }
  | { kind: 'postgres'; url: string; poolSize: number };

// Kysely's PGlite driver hands every caller the same connection; a transaction there would swallow
// the queries of concurrent requests. This wrapper lends the connection to one caller at a time.
class ExclusivePgliteDriver implements Driver {
  readonly #inner: Driver;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(inner: Driver) {
    this.#inner = inner;
  }
  init(): Promise<void> {
    return this.#inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#inner.acquireConnection();
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.#inner.releaseConnection(connection);
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

class ExclusivePgliteDialect extends PGliteDialect {
  override createDriver(): Driver {
    return new ExclusivePgliteDriver(super.createDriver());
  }
}

// int8 and numeric come back as strings from pg; counts and sizes here fit in a JS number.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * How long the pool keeps a connection nobody uses (pg closes it after 10 s by default). A new connection is
 * a new server process with empty catalog caches: measured on the catalog's searches, the first statements
 * on one ran 5 times slower (a 20 ms search took 130 ms), so a connection used now and then, by the
 * statements a cache refresh sends every 10 s say, came back cold each time and made the slowest calls.
 */
const POOL_IDLE_TIMEOUT_MS = 10 * 60_000;

export async function createDb(target: DbTarget): Promise<Db> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize,
      idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
    });
    // An idle connection dropped by the server (restart, failover, shutdown) must not crash the process;
    // the pool opens a new one on next use, and queries in flight fail on their own.
    pool.on('error', () => undefined);
    // Kysely sees clients that answer CLIENT_PROBE, so COPY can join the transaction Kysely runs.
    const exposing = {
      connect: async () => adaptPoolClient(await pool.connect()),
      end: () => pool.end(),
    };
    const kysely = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: exposing as unknown as pg.Pool }),
    });
    sendRootStatementsToPool(kysely, pool);
    return {
      kysely,
      pool,
      pglite: undefined,
      capabilities: {
        concurrentConnections: true,
        copyFromStdin: true,
        singleProcess: false,
        engine: 'postgres',
      },
      close: () => kysely.destroy(),
    };
  }
  let pglite: PGlite;
  if (target.dataDir === undefined) {
    pglite = new PGlite({ parsers: { 20: (value: string) => Number(value) } });
  } else {
    const dir = join(target.dataDir, 'pgdata');
    mkdirSync(target.dataDir, { recursive: true });
    pglite = new PGlite(dir, { parsers: { 20: (value: string) => Number(value) } });
  }
  await pglite.waitReady;
  const kysely = new Kysely<Database>({ dialect: new ExclusivePgliteDialect({ pglite }) });
  return {
    kysely,
    pool: undefined,
    pglite,
    capabilities: {
      concurrentConnections: false,
      copyFromStdin: false,
      singleProcess: true,
      engine: 'pglite',
    },
    close: () => kysely.destroy(),
  };
}
