import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

export interface NodeRef {
  level: number;
  index: number;
}

export interface StoredNode extends NodeRef {
  hash: Uint8Array;
}

export interface EntryRow {
  idx: number;
  entry: string;
  leaf_hash: Uint8Array;
  recorded_at: Date;
}

export interface TreeHeadRow {
  tree_size: number;
  root_hash: Uint8Array;
  signed_at: Date;
  key_id: string;
  signature: Uint8Array;
}

type Executor = Kysely<Database> | Transaction<Database>;

// Any constant works; it only has to be the same in every process that appends.
const APPEND_LOCK_KEY = 7_302_016_001;

/** The only SQL of the transparency log. */
export const ledgerRepository = {
  /** Serialises appends across processes until the transaction ends, so the tree never forks. */
  async lockForAppend(trx: Transaction<Database>): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`.execute(trx);
  },

  async size(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('ledger_entries')
      .select(sql<number>`coalesce(max(idx) + 1, 0)`.as('size'))
      .executeTakeFirstOrThrow();
    return Number(row.size);
  },

  /** Reads perfect nodes: level 0 from the entries, higher levels from ledger_nodes, in one round trip. */
  async nodes(db: Executor, refs: readonly NodeRef[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    if (refs.length === 0) return found;
    const leaves = refs.filter((r) => r.level === 0).map((r) => r.index);
    const inner = refs.filter((r) => r.level > 0);
    const parts = [];
    if (leaves.length > 0) {
      parts.push(
        sql`SELECT 0::int AS level, idx, leaf_hash AS hash FROM ledger_entries WHERE idx IN (${sql.join(leaves)})`,
      );
    }
    if (inner.length > 0) {
      const pairs = sql.join(inner.map((r) => sql`(${r.level}::int, ${r.index}::bigint)`));
      parts.push(
        sql`SELECT level::int AS level, idx, hash FROM ledger_nodes WHERE (level, idx) IN (${pairs})`,
      );
    }
    const result = await sql<{
      level: number;
      idx: number;
      hash: Uint8Array;
    }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
    for (const row of result.rows) found.set(nodeKey(Number(row.level), Number(row.idx)), row.hash);
    return found;
  },

  // Rows go in as arrays through unnest(): one statement and three parameters for a whole batch, which
  // PostgreSQL parses once (a multi-row VALUES list would need three parameters a row).
  async insertEntries(
    trx: Transaction<Database>,
    rows: { idx: number; entry: string; leaf_hash: Uint8Array }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      INSERT INTO ledger_entries (idx, entry, leaf_hash)
      SELECT * FROM unnest(${rows.map((r) => r.idx)}::bigint[], ${rows.map((r) => r.entry)}::text[], ${rows.map((r) => r.leaf_hash)}::bytea[])`.execute(
      trx,
    );
  },

  async insertNodes(trx: Transaction<Database>, nodes: readonly StoredNode[]): Promise<void> {
    if (nodes.length === 0) return;
    await sql`
      INSERT INTO ledger_nodes (level, idx, hash)
      SELECT * FROM unnest(${nodes.map((n) => n.level)}::smallint[], ${nodes.map((n) => n.index)}::bigint[], ${nodes.map((n) => n.hash)}::bytea[])`.execute(
      trx,
    );
  },

  async entries(db: Executor, offset: number, limit: number, order: 'asc' | 'desc'): Promise<EntryRow[]> {
    return db
      .selectFrom('ledger_entries')
      .selectAll()
      .orderBy('idx', order)
      .offset(offset)
      .limit(limit)
      .execute();
  },

  async entriesFrom(db: Executor, fromIndex: number, limit: number): Promise<EntryRow[]> {
    return db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('idx', '>=', fromIndex)
      .orderBy('idx', 'asc')
      .limit(limit)
      .execute();
  },

  async entry(db: Executor, index: number): Promise<EntryRow | undefined> {
    return db.selectFrom('ledger_entries').selectAll().where('idx', '=', index).executeTakeFirst();
  },

  async nodesFrom(db: Executor, level: number, fromIndex: number, limit: number): Promise<StoredNode[]> {
    const rows = await db
      .selectFrom('ledger_nodes')
      .select(['level', 'idx', 'hash'])
      .where('level', '=', level)
      .where('idx', '>=', fromIndex)
      .orderBy('idx')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ level: r.level, index: r.idx, hash: r.hash }));
  },

  async maxNodeLevel(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('ledger_nodes')
      .select(sql<number>`coalesce(max(level), 0)`.as('level'))
      .executeTakeFirstOrThrow();
    return Number(row.level);
  },

  async latestTreeHead(db: Executor): Promise<TreeHeadRow | undefined> {
    return db
      .selectFrom('ledger_tree_heads')
      .selectAll()
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  async treeHead(db: Executor, treeSize: number): Promise<TreeHeadRow | undefined> {
    return db
      .selectFrom('ledger_tree_heads')
      .selectAll()
      .where('tree_size', '=', treeSize)
      .executeTakeFirst();
  },

  async treeHeads(db: Executor): Promise<TreeHeadRow[]> {
    return db.selectFrom('ledger_tree_heads').selectAll().orderBy('tree_size').execute();
  },

  async insertTreeHead(db: Executor, row: TreeHeadRow): Promise<void> {
    await db
      .insertInto('ledger_tree_heads')
      .values(row)
      .onConflict((oc) => oc.column('tree_size').doNothing())
      .execute();
  },

  async registerKey(db: Executor, keyId: string, publicKeyPem: string): Promise<void> {
    await db
      .insertInto('ledger_keys')
      .values({ key_id: keyId, public_key_pem: publicKeyPem })
      .onConflict((oc) => oc.column('key_id').doNothing())
      .execute();
  },

  async keys(db: Executor): Promise<{ key_id: string; public_key_pem: string }[]> {
    return db.selectFrom('ledger_keys').select(['key_id', 'public_key_pem']).execute();
  },
};

export function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}
