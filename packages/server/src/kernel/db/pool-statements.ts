import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type pg from 'pg';
import { CLIENT_PROBE } from './copy.ts';

/**
 * Sends each statement made on the root Kysely instance (not in a transaction, not on a reserved connection)
 * straight to `pool.query`, as one statement on any connection of the pool: what Kysely does too, through
 * about fifteen promise steps (runtime driver, connection provider, abort checks, result plugins). Measured on
 * PostgreSQL with eight statements in flight, those steps cost 7 µs of CPU per statement (55.8 against
 * 49.5 µs). ADR 0011.
 *
 * Kysely gives a transaction and `connection()` executors of their own (`withConnectionProvider`), so their
 * statements still go through Kysely on the one connection they hold. Statements with an abort signal, under a
 * plugin, or asking for the pg client (CLIENT_PROBE) take Kysely's path too. The result and errors are
 * Kysely's: the same rows, `numAffectedRows` for writes, and a pg error whose stack leads back to the caller.
 */
export function sendRootStatementsToPool<DB>(kysely: Kysely<DB>, pool: pg.Pool): void {
  const executor = kysely.getExecutor();
  const throughKysely = executor.executeQuery.bind(executor);
  executor.executeQuery = async <R>(
    compiled: CompiledQuery<R>,
    options?: Parameters<typeof executor.executeQuery>[1],
  ): Promise<QueryResult<R>> => {
    if (options?.signal !== undefined || executor.plugins.length > 0 || compiled.sql === CLIENT_PROBE) {
      return throughKysely(compiled, options);
    }
    let result: pg.QueryResult;
    try {
      result = await pool.query(compiled.sql, compiled.parameters as unknown[]);
    } catch (error) {
      // As Kysely does: the stack of a pg error starts in the socket's callback; add the caller's.
      if (error instanceof Error && error.stack !== undefined) {
        const here = new Error().stack;
        if (here !== undefined) error.stack += `\n${here.split('\n').slice(1).join('\n')}`;
      }
      throw error;
    }
    const { command, rowCount, rows } = result;
    if (command === 'ROLLBACK' || command === 'COMMIT') return { rows: [{ command }] as R[] };
    // Kysely's own shape, with the key present (undefined) on reads.
    return {
      numAffectedRows:
        command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE'
          ? BigInt(rowCount ?? 0)
          : undefined,
      rows: (rows ?? []) as R[],
    } as QueryResult<R>;
  };
}
