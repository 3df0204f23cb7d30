// The SQL a service sends, to run it directly as a baseline: either without sending it (a Kysely instance
// whose driver keeps the compiled query and answers with a fixed row), or as the driver receives it while
// the service runs.
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import pg from 'pg';
import type { Database, Db } from '../../packages/server/src/kernel/db/index.ts';

export interface CapturedQuery {
  sql: string;
  parameters: unknown[];
}

class CaptureConnection implements DatabaseConnection {
  captured: CapturedQuery[] = [];
  readonly #answer: (sql: string) => unknown[];
  constructor(answer: (sql: string) => unknown[]) {
    this.#answer = answer;
  }
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    this.captured.push({ sql: compiled.sql, parameters: [...compiled.parameters] });
    return Promise.resolve({ rows: this.#answer(compiled.sql) as R[] });
  }
  // biome-ignore lint/correctness/useYield: nothing to stream from a capture
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the capture driver does not stream');
  }
}

class CaptureDriver implements Driver {
  readonly #connection: CaptureConnection;
  constructor(connection: CaptureConnection) {
    this.#connection = connection;
  }
  init(): Promise<void> {
    return Promise.resolve();
  }
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(this.#connection);
  }
  beginTransaction(): Promise<void> {
    return Promise.resolve();
  }
  commitTransaction(): Promise<void> {
    return Promise.resolve();
  }
  rollbackTransaction(): Promise<void> {
    return Promise.resolve();
  }
  releaseConnection(): Promise<void> {
    return Promise.resolve();
  }
  destroy(): Promise<void> {
    return Promise.resolve();
  }
}

/** A Kysely that records every statement it is asked to run and answers each with `answer(sql)` as its rows. */
export function capturingKysely(answer: (sql: string) => unknown[]): {
  kysely: Kysely<Database>;
  take(): CapturedQuery[];
} {
  const connection = new CaptureConnection(answer);
  const kysely = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new CaptureDriver(connection),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return {
    kysely,
    take() {
      const list = connection.captured;
      connection.captured = [];
      return list;
    },
  };
}

/** Runs a captured statement on the driver: the pg pool, or PGlite itself. */
export async function rawQuery<T>(db: Db, query: CapturedQuery): Promise<T[]> {
  if (db.pglite !== undefined) return (await db.pglite.query<T>(query.sql, query.parameters)).rows;
  return (await db.pool!.query(query.sql, query.parameters)).rows as T[];
}

/**
 * The statements `fn` sends that name `table`, as the driver receives them (the service's own SQL and
 * parameters), while still running them.
 */
export async function captureStatements<T>(
  db: Db,
  table: string,
  fn: () => Promise<T>,
): Promise<{ result: T; statements: CapturedQuery[] }> {
  const statements: CapturedQuery[] = [];
  const keep = (text: unknown, values: unknown) => {
    if (typeof text === 'string' && text.includes(table))
      statements.push({ sql: text, parameters: Array.isArray(values) ? [...values] : [] });
  };
  type Query = (this: unknown, ...args: unknown[]) => unknown;
  if (db.pglite !== undefined) {
    type Transaction = (this: unknown, callback: (tx: { query: Query }) => unknown) => unknown;
    const pglite = db.pglite as unknown as { query: Query; transaction: Transaction };
    const original = pglite.query;
    const originalTransaction = pglite.transaction;
    pglite.query = function (this: unknown, ...args: unknown[]) {
      keep(args[0], args[1]);
      return original.apply(this, args);
    };
    // Inside a transaction Kysely's PGlite driver queries the transaction object instead.
    pglite.transaction = function (this: unknown, callback) {
      return originalTransaction.call(this, (tx) => {
        const txQuery = tx.query;
        tx.query = function (this: unknown, ...args: unknown[]) {
          keep(args[0], args[1]);
          return txQuery.apply(this, args);
        };
        return callback(tx);
      });
    };
    try {
      return { result: await fn(), statements };
    } finally {
      delete (pglite as { query?: Query }).query;
      delete (pglite as { transaction?: Transaction }).transaction;
      if (pglite.query !== original) pglite.query = original;
      if (pglite.transaction !== originalTransaction) pglite.transaction = originalTransaction;
    }
  }
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    keep(args[0], args[1]);
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), statements };
  } finally {
    proto.query = original;
  }
}
