import { randomUUID } from 'node:crypto';
import type { LedgerRecordInput } from '../../packages/server/src/kernel/audit/index.ts';
import type { UserActor } from '../../packages/server/src/kernel/auth/index.ts';

/** A signed-in user as services see one; the log keeps only its id. */
export function benchActor(): UserActor {
  return {
    kind: 'user',
    userId: randomUUID(),
    username: 'bench-operator',
    platformRoles: ['operator'],
    memberships: new Map(),
    via: 'session',
    scopes: undefined,
  };
}

/** The log entry a service would write for a one-row change: the object, the new state (hashed only). */
export function accountEntry(row: { id: number; balance: number }): LedgerRecordInput {
  return {
    action: 'bench.account.updated',
    objects: [{ type: 'bench-account', id: String(row.id) }],
    content: { id: row.id, balance: row.balance, currency: 'CNY' },
    details: { fields: ['balance'] },
  };
}

/** A cheap, reproducible random sequence (mulberry32), so runs pick the same indexes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}
