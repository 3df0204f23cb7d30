import { sql, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import type { Db } from '../db/index.ts';

export type EventHandler = (payload: string) => void;

export type EventBus = ReturnType<typeof createEventBus>;

/**
 * Tells every process of the platform that something changed, through PostgreSQL's LISTEN/NOTIFY:
 * a notification sent in a transaction is delivered only if it commits. Processes use it to drop cached
 * state (signed-in users, token scopes); losing one only means waiting for the cache to expire.
 */
export function createEventBus(db: Db, logger: Logger) {
  const handlers = new Map<string, Set<EventHandler>>();
  /** Called when notifications may have been missed (the listening connection was lost). */
  const resetHandlers = new Set<() => void>();
  let client: pg.PoolClient | undefined;
  let stopped = false;
  let unsubscribePglite: (() => Promise<void>)[] = [];

  function dispatch(channel: string, payload: string): void {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        logger.error({ err: error, channel }, 'event handler failed');
      }
    }
  }

  async function listenPostgres(): Promise<void> {
    if (db.pool === undefined || stopped) return;
    try {
      client = await db.pool.connect();
      client.on('notification', (message) => dispatch(message.channel, message.payload ?? ''));
      client.on('error', (error) => {
        logger.warn({ err: error }, 'event listener connection lost; reconnecting');
        client?.release(true);
        client = undefined;
        for (const reset of resetHandlers) reset();
        setTimeout(() => void listenPostgres(), 1000).unref();
      });
      for (const channel of handlers.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      logger.warn({ err: error }, 'cannot listen for events yet; retrying');
      client?.release(true);
      client = undefined;
      setTimeout(() => void listenPostgres(), 1000).unref();
    }
  }

  return {
    /** Register before start(). Channel names are plain identifiers. */
    subscribe(channel: string, handler: EventHandler, onReset?: () => void): void {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Bad channel name ${channel}.`);
      const set = handlers.get(channel) ?? new Set<EventHandler>();
      set.add(handler);
      handlers.set(channel, set);
      if (onReset !== undefined) resetHandlers.add(onReset);
    },

    /** Sends in the caller's transaction: delivered to every process (this one included) on commit. */
    async publish(trx: Transaction<Database>, channel: string, payload: string): Promise<void> {
      await sql`SELECT pg_notify(${channel}, ${payload})`.execute(trx);
    },

    async start(): Promise<void> {
      stopped = false;
      if (db.pglite !== undefined) {
        for (const channel of handlers.keys()) {
          unsubscribePglite.push(await db.pglite.listen(channel, (payload) => dispatch(channel, payload)));
        }
        return;
      }
      await listenPostgres();
    },

    async stop(): Promise<void> {
      stopped = true;
      for (const unsubscribe of unsubscribePglite) await unsubscribe().catch(() => undefined);
      unsubscribePglite = [];
      client?.release();
      client = undefined;
    },
  };
}
