import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it("keeps a connection that sat idle past pg's default of 10 s: no cold server process for the next caller", async () => {
    const pid = async () =>
      (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db.kysely)).rows[0]!.pid;
    const before = await pid();
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    expect(await pid()).toBe(before);
  }, 20_000);
});
