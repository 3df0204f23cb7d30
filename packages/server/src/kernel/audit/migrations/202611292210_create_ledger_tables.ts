import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per log entry; `entry` is the exact canonical JSON that was hashed, so an auditor can rehash it.
  await sql`
    CREATE TABLE ledger_entries (
      idx bigint PRIMARY KEY CHECK (idx >= 0),
      entry text NOT NULL,
      leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // Perfect subtree hashes above the leaves: node (level, idx) covers leaves [idx*2^level, (idx+1)*2^level).
  // They make every proof O(log n) reads instead of rehashing the tree.
  await sql`
    CREATE TABLE ledger_nodes (
      level smallint NOT NULL CHECK (level > 0),
      idx bigint NOT NULL,
      hash bytea NOT NULL,
      PRIMARY KEY (level, idx)
    )`.execute(db);
  await sql`
    CREATE TABLE ledger_keys (
      key_id text PRIMARY KEY,
      public_key_pem text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE ledger_tree_heads (
      tree_size bigint PRIMARY KEY,
      root_hash bytea NOT NULL,
      signed_at timestamptz NOT NULL,
      key_id text NOT NULL REFERENCES ledger_keys (key_id),
      signature bytea NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE ledger_tree_heads, ledger_keys, ledger_nodes, ledger_entries`.execute(db);
}
