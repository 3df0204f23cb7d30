// The SQL a service would send, without sending it: a Kysely instance whose driver keeps the compiled query
// and answers with a fixed row. Used to run the repository's own statement directly as a baseline.
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
import type { Database } from '../../packages/server/src/kernel/db/index.ts';

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
