import type { Generated } from 'kysely';

export interface LedgerTables {
  ledger_entries: { idx: number; entry: string; leaf_hash: Uint8Array; recorded_at: Generated<Date> };
  ledger_nodes: { level: number; idx: number; hash: Uint8Array };
  ledger_keys: { key_id: string; public_key_pem: string; created_at: Generated<Date> };
  ledger_tree_heads: {
    tree_size: number;
    root_hash: Uint8Array;
    signed_at: Date;
    key_id: string;
    signature: Uint8Array;
  };
}
