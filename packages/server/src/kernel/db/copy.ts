import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './database.ts';

/**
 * A query text that the PostgreSQL connection wrapper answers itself with the pg client behind the
 * connection, so that COPY can run on the connection (and in the transaction) a Kysely call is using.
 */
export const CLIENT_PROBE = '/* datapolis: which client */ SELECT 1';

const ADAPTED = Symbol('datapolis: adapted pool client');

/**
 * Adapts a pooled pg client, once, for Kysely: its `query` answers CLIENT_PROBE with the client itself instead
 * of sending it to the server, and sends every other statement through pg's callback form. The client's own
 * `query` is replaced rather than the client wrapped: a proxy would sit on every property Kysely reads, on
 * every query.
 *
 * A statement text (with or without values, no callback: every query Kysely sends) goes to pg's callback form
 * under a promise of our own, not to pg's promise form. Measured on a process running catalog searches one
 * after the other (pg 8): with pg's promise form, each young-generation collection of V8 found 4 to 6 MB still
 * alive and paused the process 10 to 40 ms, a search's slowest calls; through the callback form, under 1 MB and
 * 3 to 5 ms. `pool.query`, which uses the callback form, did not have them.
 */
export function adaptPoolClient(client: pg.PoolClient): pg.PoolClient {
  const marked = client as pg.PoolClient & { [ADAPTED]?: true };
  if (marked[ADAPTED] === true) return client;
  // The class's own query, looked up on each call rather than kept: whatever wraps pg.Client's query (a
  // tracer, the benchmarks' statement capture) still sees every statement.
  const inherited = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown };
  const query = (config: unknown, ...rest: unknown[]) => {
    if (config === CLIENT_PROBE)
      return Promise.resolve({ rows: [{ client }], rowCount: 1, command: 'SELECT', fields: [] });
    if (typeof config !== 'string' || rest.length > 1 || typeof rest[0] === 'function')
      return inherited.query.call(client, config, ...rest);
    return new Promise((resolve, reject) => {
      inherited.query.call(client, config, rest[0], (error: Error | null, result: unknown) =>
        error ? reject(error) : resolve(result),
      );
    });
  };
  client.query = query as typeof client.query;
  marked[ADAPTED] = true;
  return client;
}

export type CopyValue = string | number | Uint8Array | null;

// COPY's text format: backslash, tab, newline and carriage return escaped; \N is NULL; bytea as \\x<hex>.
function field(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (value instanceof Uint8Array)
    return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/**
 * Bulk-writes rows with COPY FROM STDIN in the caller's transaction, on PostgreSQL. Returns false where
 * COPY is not available (PGlite), so the caller falls back to INSERT.
 */
export async function copyRows(
  trx: Transaction<Database>,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<boolean> {
  const probe = await sql.raw<{ client?: pg.PoolClient }>(CLIENT_PROBE).execute(trx);
  const client = probe.rows[0]?.client;
  if (client === undefined) return false;
  const quoted = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
  const target = `"${table.replaceAll('"', '""')}"`;
  const stream = client.query(copyFrom(`COPY ${target} (${quoted}) FROM STDIN`));
  // Lines are batched into chunks of about 64 KiB so the stream is not flooded with tiny writes.
  async function* lines() {
    let chunk = '';
    for (const row of rows) {
      chunk += `${row.map(field).join('\t')}\n`;
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
  await pipeline(Readable.from(lines()), stream);
  return true;
}
