import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_PROBE } from '../src/kernel/db/copy.ts';
import type { Db } from '../src/kernel/db/index.ts';
import { freshDatabase, usePostgres } from './support/test-platform.ts';

type Query = (this: unknown, ...args: unknown[]) => unknown;

/** The arguments pg's own `Client#query` receives while `fn` runs. */
async function clientQueryCalls(fn: () => Promise<unknown>): Promise<unknown[][]> {
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  const calls: unknown[][] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    calls.push(args);
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return calls;
}

describe.skipIf(!usePostgres)('statements on PostgreSQL', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await freshDatabase());
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  it('reach pg through its callback form, in and out of a transaction, with their values', async () => {
    const calls = await clientQueryCalls(async () => {
      const plain = await sql<{ n: number }>`SELECT ${41}::int + 1 AS n`.execute(db.kysely);
      expect(plain.rows).toEqual([{ n: 42 }]);
      await db.kysely.transaction().execute(async (trx) => {
        const inside = await sql<{ s: string }>`SELECT ${'x'}::text || 'y' AS s`.execute(trx);
        expect(inside.rows).toEqual([{ s: 'xy' }]);
      });
    });
    const texts = calls.map((args) => String(args[0]).trim().toLowerCase());
    expect(texts).toEqual([
      expect.stringContaining('select $1::int + 1'),
      'begin',
      expect.stringContaining("select $1::text || 'y'"),
      'commit',
    ]);
    for (const args of calls) expect(typeof args.at(-1)).toBe('function');
    expect(calls[0]![1]).toEqual([41]);
  });

  it("fails with pg's error, its code and a stack that leads back to the caller", async () => {
    async function readMissingTable() {
      return await sql`SELECT * FROM no_such_table_here`.execute(db.kysely);
    }
    const error = await readMissingTable().then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.code).toBe('42P01');
    expect(error?.message).toContain('no_such_table_here');
    expect(error?.stack).toContain('readMissingTable');
  });

  it('keeps the connection usable after a failed statement', async () => {
    await expect(sql`SELECT 1/0`.execute(db.kysely)).rejects.toMatchObject({ code: '22012' });
    const after = await sql<{ ok: boolean }>`SELECT true AS ok`.execute(db.kysely);
    expect(after.rows).toEqual([{ ok: true }]);
  });

  it('sends a statement outside a transaction straight to the pool, and those of a transaction through Kysely', async () => {
    const pool = db.pool!;
    const original = pool.query.bind(pool);
    const pooled: string[] = [];
    pool.query = ((text: string, ...rest: unknown[]) => {
      pooled.push(String(text));
      return (original as (...args: unknown[]) => unknown)(text, ...rest);
    }) as typeof pool.query;
    try {
      await sql`SELECT ${'root'}::text AS at`.execute(db.kysely);
      await db.kysely.transaction().execute(async (trx) => {
        await sql`SELECT ${'transaction'}::text AS at`.execute(trx);
      });
      await db.kysely.connection().execute(async (connection) => {
        await sql`SELECT ${'connection'}::text AS at`.execute(connection);
      });
    } finally {
      pool.query = original as typeof pool.query;
    }
    expect(pooled).toEqual([expect.stringContaining('SELECT $1::text AS at')]);
  });

  it('answers as Kysely does: rows, and the number of rows a write changed', async () => {
    await sql`CREATE TABLE pool_path (id int PRIMARY KEY, name text)`.execute(db.kysely);
    const run = async (executor: typeof db.kysely) => {
      const inserted = await sql`INSERT INTO pool_path VALUES (1, 'a'), (2, 'b')`.execute(executor);
      const updated = await sql`UPDATE pool_path SET name = 'c' WHERE id = 2`.execute(executor);
      const read = await sql`SELECT id, name FROM pool_path ORDER BY id`.execute(executor);
      const deleted = await sql`DELETE FROM pool_path`.execute(executor);
      const duplicate = await sql`INSERT INTO pool_path VALUES (1, 'a'), (1, 'a')`.execute(executor).then(
        () => undefined,
        (error: { code?: string }) => error.code,
      );
      return { inserted, updated, read, deleted, duplicate };
    };
    const root = await run(db.kysely);
    // The same statements through Kysely's own path, on a connection of their own.
    const throughKysely = await db.kysely.connection().execute((connection) => run(connection));
    expect(root).toEqual(throughKysely);
    expect(root.inserted.numAffectedRows).toBe(2n);
    expect(root.updated.numAffectedRows).toBe(1n);
    expect(root.read.rows).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'c' },
    ]);
    expect(root.read.numAffectedRows).toBeUndefined();
    expect(root.duplicate).toBe('23505');
    await sql`DROP TABLE pool_path`.execute(db.kysely);
  });

  it('keeps a transaction on its one connection while statements outside it run beside', async () => {
    const pid = async (executor: typeof db.kysely) =>
      (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(executor)).rows[0]!.pid;
    const pids = await db.kysely.transaction().execute(async (trx) => {
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [inside] = await Promise.all([pid(trx), pid(db.kysely), pid(db.kysely)]);
        seen.push(inside);
      }
      return seen;
    });
    expect(new Set(pids).size).toBe(1);
  });

  it('hands the pg client to a statement that asks for it, outside a transaction too', async () => {
    const probe = await sql.raw<{ client?: unknown }>(CLIENT_PROBE).execute(db.kysely);
    expect(probe.rows[0]?.client).toBeInstanceOf(pg.Client);
  });

  it("keeps a connection that sat idle past pg's default of 10 s: no cold server process for the next caller", async () => {
    const pid = async () =>
      (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db.kysely)).rows[0]!.pid;
    const before = await pid();
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    expect(await pid()).toBe(before);
  }, 20_000);
});
