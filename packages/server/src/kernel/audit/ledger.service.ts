import { createHash } from 'node:crypto';
import {
  bytesEqual,
  canonicalJson,
  consistencyProof,
  consistencyProofCoordinates,
  hashEntryJson,
  inclusionProof,
  inclusionProofCoordinates,
  LogAuditor,
  MerkleFrontier,
  rootAt,
  rootCoordinates,
  signTreeHead,
  toBase64,
} from '@datapolis/ledger';
import type { Kysely, Transaction } from 'kysely';
import { type Actor, actorRef } from '../auth/index.ts';
import type { Database } from '../db/database.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import {
  type EntryRow,
  type NodeRef,
  nodeKey,
  ledgerRepository as repo,
  type TreeHeadRow,
} from './ledger.repository.ts';
import type { SigningKey } from './signing-key.ts';

export interface ObjectRef {
  type: string;
  id: string;
}

/** What a module says about one state change. Personal data goes in `content`, which is only hashed. */
export interface LedgerRecordInput {
  /** `module.entity.pastTense`, e.g. identity.user.created */
  action: string;
  objects: ObjectRef[];
  /** The new state (or what was removed); the log keeps its SHA-256, never the content itself. */
  content?: unknown;
  /** Small, non-personal facts worth reading in the log itself (a role name, a status). */
  details?: Record<string, unknown>;
}

export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
}

export interface LedgerEntryView {
  index: number;
  leafHash: string;
  entry: string;
  recordedAt: string;
}

export interface VerifyReport {
  ok: boolean;
  size: number;
  treeHeadsChecked: number;
  nodesChecked: number;
  problems: { kind: string; index?: number; treeSize?: number; message: string }[];
}

const ACTION_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-zA-Z0-9-]*){2,}$/;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function treeHeadView(row: TreeHeadRow): SignedTreeHead {
  return {
    treeSize: row.tree_size,
    rootHash: toBase64(row.root_hash),
    timestamp: row.signed_at.toISOString(),
    keyId: row.key_id,
    signature: toBase64(row.signature),
  };
}

function entryView(row: EntryRow): LedgerEntryView {
  return {
    index: row.idx,
    leafHash: toBase64(row.leaf_hash),
    entry: row.entry,
    recordedAt: row.recorded_at.toISOString(),
  };
}

export interface LedgerDeps {
  db: Kysely<Database>;
  signingKey: SigningKey;
  now?: () => Date;
}

export type Ledger = ReturnType<typeof createLedger>;

export function createLedger(deps: LedgerDeps) {
  const { db, signingKey } = deps;
  const now = deps.now ?? (() => new Date());

  function buildEntry(actor: Actor, input: LedgerRecordInput, time: string): Record<string, unknown> {
    if (!ACTION_PATTERN.test(input.action)) {
      throw new Error(`Ledger action "${input.action}" is not of the form module.entity.pastTense.`);
    }
    const entry: Record<string, unknown> = {
      v: 1,
      time,
      actor: actorRef(actor),
      action: input.action,
      objects: input.objects,
    };
    if (input.content !== undefined) entry.hashes = { content: sha256Hex(canonicalJson(input.content)) };
    if (input.details !== undefined) entry.details = input.details;
    return entry;
  }

  async function fetchNodes(executor: Kysely<Database> | Transaction<Database>, refs: readonly NodeRef[]) {
    const { size, nodes } = await repo.nodesAndSize(executor, refs);
    const getNode = (level: number, index: number): Uint8Array => {
      const hash = nodes.get(nodeKey(level, index));
      if (hash === undefined) throw new Error(`Ledger node ${level}:${index} is missing from the database.`);
      return hash;
    };
    return { size, getNode };
  }

  /**
   * Appends entries in the caller's transaction: if the transaction rolls back, the entries go too,
   * and if the append fails, the caller's change fails with it.
   */
  async function recordMany(
    trx: Transaction<Database>,
    items: readonly { actor: Actor; input: LedgerRecordInput }[],
  ): Promise<{ firstIndex: number; count: number }> {
    if (items.length === 0) return { firstIndex: -1, count: 0 };
    const time = now().toISOString();
    const entries = items.map((item) => canonicalJson(buildEntry(item.actor, item.input, time)));
    // Three round trips: the lock (its own statement, so the next one sees what the previous holder
    // committed), the size with its frontier, and the writes.
    await repo.lockForAppend(trx);
    const { size, nodes } = await repo.sizeAndFrontier(trx);
    const frontier = new MerkleFrontier(size, nodes);
    const leafHashes: Uint8Array[] = [];
    const innerNodes: { level: number; index: number; hash: Uint8Array }[] = [];
    for (const entry of entries) {
      const created = frontier.append(hashEntryJson(entry));
      leafHashes.push(created[0]!.hash);
      for (let i = 1; i < created.length; i += 1) innerNodes.push(created[i]!);
    }
    await repo.appendBatch(trx, size, entries, leafHashes, innerNodes);
    return { firstIndex: size, count: entries.length };
  }

  async function record(trx: Transaction<Database>, actor: Actor, input: LedgerRecordInput): Promise<number> {
    const { firstIndex } = await recordMany(trx, [{ actor, input }]);
    return firstIndex;
  }

  async function rootOf(size: number): Promise<Uint8Array> {
    const { getNode } = await fetchNodes(db, rootCoordinates(size));
    return rootAt(size, getNode);
  }

  /** Signs a tree head for the current size unless the latest one already covers it. */
  async function signLatest(): Promise<SignedTreeHead> {
    const size = await repo.size(db);
    const latest = await repo.latestTreeHead(db);
    if (latest !== undefined && latest.tree_size >= size) return treeHeadView(latest);
    const root = await rootOf(size);
    const signed = signTreeHead(
      { treeSize: size, rootHash: root, timestamp: now().toISOString() },
      signingKey.privateKeyPem,
    );
    await repo.registerKey(db, signingKey.keyId, signingKey.publicKeyPem);
    await repo.insertTreeHead(db, {
      tree_size: size,
      root_hash: root,
      signed_at: new Date(signed.timestamp),
      key_id: signed.keyId,
      signature: Buffer.from(signed.signature, 'base64'),
    });
    // Another process may have signed the same size first; serve whichever head was stored.
    const stored = await repo.treeHead(db, size);
    return treeHeadView(stored!);
  }

  async function treeHead(treeSize: number): Promise<SignedTreeHead> {
    const row = await repo.treeHead(db, treeSize);
    if (row === undefined) {
      throw new NotFoundError('LEDGER_TREE_HEAD_NOT_FOUND', `No signed tree head for tree size ${treeSize}.`);
    }
    return treeHeadView(row);
  }

  // Proofs read their nodes and the log's size in one query; a size beyond the log is refused before
  // any node is used (its nodes would simply be missing).
  async function nodesWithin(treeSize: number, refs: NodeRef[]) {
    const { size, getNode } = await fetchNodes(db, refs);
    if (treeSize > size) {
      throw new ValidationError(`The log holds ${size} entries; tree size ${treeSize} does not exist yet.`, [
        { path: 'treeSize', message: `must be at most ${size}` },
      ]);
    }
    return getNode;
  }

  async function proveInclusion(index: number, treeSize: number) {
    if (index >= treeSize) {
      throw new ValidationError('The entry index must be smaller than the tree size.', [
        { path: 'index', message: `must be less than treeSize (${treeSize})` },
      ]);
    }
    const getNode = await nodesWithin(treeSize, [
      { level: 0, index },
      ...inclusionProofCoordinates(index, treeSize),
    ]);
    const path = inclusionProof(index, treeSize, getNode);
    return { index, treeSize, leafHash: toBase64(getNode(0, index)), auditPath: path.map(toBase64) };
  }

  async function proveConsistency(first: number, second: number) {
    if (first > second) {
      throw new ValidationError('The first tree size must not exceed the second.', [
        { path: 'first', message: `must be at most second (${second})` },
      ]);
    }
    const getNode = await nodesWithin(second, consistencyProofCoordinates(first, second));
    return { first, second, proof: consistencyProof(first, second, getNode).map(toBase64) };
  }

  async function listEntries(offset: number, limit: number, order: 'asc' | 'desc') {
    const [rows, total] = await Promise.all([repo.entries(db, offset, limit, order), repo.size(db)]);
    return { items: rows.map(entryView), total };
  }

  async function getEntry(index: number): Promise<LedgerEntryView> {
    const row = await repo.entry(db, index);
    if (row === undefined)
      throw new NotFoundError('LEDGER_ENTRY_NOT_FOUND', `No log entry has index ${index}.`);
    return entryView(row);
  }

  /**
   * Recomputes the whole tree from the stored entries and checks every leaf hash, every stored inner
   * node and every signed tree head. Reads in pages so a million entries need little memory.
   */
  async function verify(onProgress?: (done: number, total: number) => void): Promise<VerifyReport> {
    const total = await repo.size(db);
    const heads = (await repo.treeHeads(db)).map(treeHeadView);
    const keys = await repo.keys(db);
    const problems: VerifyReport['problems'] = [];
    // One auditor per signing key (a key may have been rotated); each checks the heads it signed.
    const auditors = keys.map(
      (key) =>
        new LogAuditor({
          treeHeads: heads.filter((h) => h.keyId === key.key_id),
          publicKeyPem: key.public_key_pem,
        }),
    );
    for (const head of heads) {
      if (!keys.some((k) => k.key_id === head.keyId)) {
        problems.push({
          kind: 'bad-signature',
          treeSize: head.treeSize,
          message: `Tree head ${head.treeSize} names an unknown key.`,
        });
      }
    }
    // The inner nodes that proofs are built from are rebuilt too and compared with the stored ones.
    const rebuilt = new MerkleFrontier();
    const expected = new Map<number, { index: number; hash: Uint8Array }[]>();
    const storedNext = new Map<number, number>();
    let nodesChecked = 0;
    async function compareNodes(final: boolean): Promise<void> {
      for (const [level, queue] of expected) {
        if (queue.length === 0 || (!final && queue.length < 1000)) continue;
        const from = storedNext.get(level) ?? 0;
        const stored = await repo.nodesFrom(db, level, from, queue.length + 1);
        const byIndex = new Map(stored.map((n) => [n.index, n.hash]));
        for (const node of queue) {
          const hash = byIndex.get(node.index);
          nodesChecked += 1;
          if (hash === undefined) {
            problems.push({
              kind: 'missing-node',
              index: node.index,
              message: `Inner node ${level}:${node.index} is missing.`,
            });
          } else if (!bytesEqual(hash, node.hash)) {
            problems.push({
              kind: 'altered-node',
              index: node.index,
              message: `Inner node ${level}:${node.index} does not match the entries below it.`,
            });
          }
        }
        storedNext.set(level, queue[queue.length - 1]!.index + 1);
        queue.length = 0;
      }
    }
    const pageSize = 10_000;
    let from = 0;
    for (;;) {
      const rows = await repo.entriesFrom(db, from, pageSize);
      if (rows.length === 0) break;
      for (const row of rows) {
        const entry = { index: row.idx, entryJson: row.entry, leafHash: row.leaf_hash };
        for (const auditor of auditors) auditor.add(entry);
        for (const node of rebuilt.append(hashEntryJson(row.entry))) {
          if (node.level === 0) continue;
          let queue = expected.get(node.level);
          if (queue === undefined) {
            queue = [];
            expected.set(node.level, queue);
          }
          queue.push({ index: node.index, hash: node.hash });
        }
      }
      await compareNodes(false);
      from = rows[rows.length - 1]!.idx + 1;
      onProgress?.(Math.min(from, total), total);
    }
    await compareNodes(true);
    let size = rebuilt.size;
    if (auditors.length === 0 && total > 0 && heads.length > 0) {
      problems.push({ kind: 'bad-signature', message: 'Tree heads exist but no signing key is registered.' });
    }
    for (const auditor of auditors) {
      const report = auditor.finish();
      size = report.size;
      for (const p of report.problems) problems.push({ ...p });
    }
    return { ok: problems.length === 0, size, treeHeadsChecked: heads.length, nodesChecked, problems };
  }

  return {
    record,
    recordMany,
    signLatest,
    treeHead,
    proveInclusion,
    proveConsistency,
    listEntries,
    getEntry,
    verify,
    size: () => repo.size(db),
    publicKey: () => ({
      algorithm: 'Ed25519' as const,
      keyId: signingKey.keyId,
      publicKeySpki: signingKey.publicKeySpki,
      publicKeyPem: signingKey.publicKeyPem,
    }),
  };
}
