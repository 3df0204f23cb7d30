import { type CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { copyRows } from '../db/index.ts';

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

/** From this many rows a batch is written with COPY where the database has it. */
const COPY_FROM_ROWS = 256;

// Any constant works; it only has to be the same in every process that appends.
const APPEND_LOCK_KEY = 7_302_016_001;

/**
 * The read of one entry, built and compiled once per database handle: it serves every `GET
 * /ledger/entries/:index`, and building the statement again cost more than running it through Kysely.
 */
const entryQueries = new WeakMap<Executor, CompiledQuery<EntryRow>>();

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

  /**
   * Reads perfect nodes (level 0 from the entries, higher levels from ledger_nodes) and the current size
   * of the log, in one round trip and one query text whatever the number of nodes.
   */
  async nodesAndSize(
    db: Executor,
    refs: readonly NodeRef[],
  ): Promise<{ size: number; nodes: Map<string, Uint8Array> }> {
    const leaves = refs.filter((r) => r.level === 0).map((r) => r.index);
    const inner = refs.filter((r) => r.level > 0);
    const result = await sql<{ level: number; idx: number; hash: Uint8Array | null }>`
      SELECT 0 AS level, idx, leaf_hash AS hash FROM ledger_entries WHERE idx = ANY(${leaves}::bigint[])
      UNION ALL
      SELECT n.level::int, n.idx, n.hash FROM ledger_nodes n
        JOIN unnest(${inner.map((r) => r.level)}::smallint[], ${inner.map((r) => r.index)}::bigint[]) AS q(level, idx)
          ON n.level = q.level AND n.idx = q.idx
      UNION ALL
      SELECT -1, coalesce(max(idx) + 1, 0), NULL FROM ledger_entries`.execute(db);
    const nodes = new Map<string, Uint8Array>();
    let size = 0;
    for (const row of result.rows) {
      if (row.hash === null) size = Number(row.idx);
      else nodes.set(nodeKey(Number(row.level), Number(row.idx)), row.hash);
    }
    return { size, nodes };
  },

  /**
   * The log's size and the perfect nodes of its right edge (the frontier an append starts from), in one
   * query: for every bit l set in the size n, the node at level l with index (n >> l) - 1.
   */
  async sizeAndFrontier(trx: Transaction<Database>): Promise<{ size: number; nodes: StoredNode[] }> {
    const result = await sql<{ level: number; idx: number; hash: Uint8Array | null }>`
      WITH s AS (SELECT coalesce(max(idx) + 1, 0)::bigint AS n FROM ledger_entries),
      f AS (
        SELECT l AS level, (s.n >> l) - 1 AS idx FROM s, generate_series(0, 62) AS l
        WHERE ((s.n >> l) & 1::bigint) = 1
      )
      SELECT -1 AS level, s.n AS idx, NULL::bytea AS hash FROM s
      UNION ALL
      SELECT 0, e.idx, e.leaf_hash FROM f JOIN ledger_entries e ON f.level = 0 AND e.idx = f.idx
      UNION ALL
      SELECT f.level, n.idx, n.hash FROM f JOIN ledger_nodes n ON f.level > 0 AND n.level = f.level AND n.idx = f.idx`.execute(
      trx,
    );
    let size = 0;
    const nodes: StoredNode[] = [];
    for (const row of result.rows) {
      if (row.hash === null) size = Number(row.idx);
      else nodes.push({ level: Number(row.level), index: Number(row.idx), hash: row.hash });
    }
    return { size, nodes };
  },

  /**
   * Writes a batch's entries and new inner nodes. Small batches go in one statement: the entries as one JSON
   * array (serialised natively on both sides), hashes as one binary string cut into 32-byte slices in SQL
   * (arrays of strings or buffers would be escaped element by element in JavaScript). Large batches go
   * through COPY where the database has it.
   */
  async appendBatch(
    trx: Transaction<Database>,
    firstIndex: number,
    entries: readonly string[],
    leafHashes: readonly Uint8Array[],
    nodes: readonly StoredNode[],
  ): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length >= COPY_FROM_ROWS) {
      const entryRows = entries.map((entry, i) => [firstIndex + i, entry, leafHashes[i]!] as const);
      if (await copyRows(trx, 'ledger_entries', ['idx', 'entry', 'leaf_hash'], entryRows)) {
        const nodeRows = nodes.map((n) => [n.level, n.index, n.hash] as const);
        await copyRows(trx, 'ledger_nodes', ['level', 'idx', 'hash'], nodeRows);
        return;
      }
    }
    await sql`
      WITH appended AS (
        INSERT INTO ledger_entries (idx, entry, leaf_hash)
        SELECT ${firstIndex}::bigint + t.n - 1, t.entry, substring(${Buffer.concat(leafHashes)}::bytea FROM ((t.n - 1) * 32 + 1)::int FOR 32)
        FROM json_array_elements_text(${JSON.stringify(entries)}::json) WITH ORDINALITY AS t(entry, n)
      )
      INSERT INTO ledger_nodes (level, idx, hash)
      SELECT t.level, t.idx, substring(${Buffer.concat(nodes.map((n) => n.hash))}::bytea FROM ((t.n - 1) * 32 + 1)::int FOR 32)
      FROM unnest(${nodes.map((n) => n.level)}::smallint[], ${nodes.map((n) => n.index)}::bigint[]) WITH ORDINALITY AS t(level, idx, n)`.execute(
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
    let query = entryQueries.get(db);
    if (query === undefined) {
      query = db.selectFrom('ledger_entries').selectAll().where('idx', '=', 0).compile();
      entryQueries.set(db, query);
    }
    // The same statement with this index as its one parameter.
    return (await db.executeQuery<EntryRow>({ ...query, parameters: [index] })).rows[0];
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
