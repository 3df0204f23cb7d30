import {
  canonicalJson,
  generateSigningKey,
  hashEntryJson,
  inclusionProof,
  keyId,
  nodeHash,
  publicKeySpkiBase64,
  rootAt,
  signTreeHead,
  toBase64,
} from '@datapolis/ledger';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry, SignedTreeHead } from '../src/api/types.ts';
import { type LedgerSource, verifyEntry } from '../src/features/audit/verify-entry.ts';

// A real little log built with the ledger library, served to the verifier as the API would.
const key = generateSigningKey();
const entries: LedgerEntry[] = Array.from({ length: 7 }, (_, index) => {
  const entry = canonicalJson({
    v: 1,
    time: new Date(Date.UTC(2025, 0, 1, 0, index)).toISOString(),
    actor: { type: 'user', id: `u${index}` },
    action: 'organizations.organization.created',
    objects: [{ type: 'organization', id: `org-${index}` }],
  });
  return { index, entry, leafHash: toBase64(hashEntryJson(entry)), recordedAt: new Date().toISOString() };
});
const leaves = entries.map((e) => hashEntryJson(e.entry));

function getNode(level: number, index: number): Uint8Array {
  if (level === 0) return leaves[index]!;
  return nodeHash(getNode(level - 1, 2 * index), getNode(level - 1, 2 * index + 1));
}

function source(treeSize: number, signingKey = key): LedgerSource {
  const sth = signTreeHead(
    { treeSize, rootHash: rootAt(treeSize, getNode), timestamp: new Date() },
    signingKey.privateKeyPem,
  );
  return {
    treeHead: async () => sth as SignedTreeHead,
    publicKey: async () => ({
      algorithm: 'Ed25519',
      keyId: keyId(key.publicKeyPem),
      publicKeySpki: publicKeySpkiBase64(key.publicKeyPem),
      publicKeyPem: key.publicKeyPem,
    }),
    inclusionProof: async (index, size) => ({
      index,
      treeSize: size,
      leafHash: toBase64(leaves[index]!),
      auditPath: inclusionProof(index, size, getNode).map(toBase64),
    }),
  };
}

describe('verifying a log entry in the browser', () => {
  it('passes all three checks for an honest entry', async () => {
    for (const entry of entries) {
      const result = await verifyEntry(entry, source(entries.length));
      expect([result.signature.status, result.leafHash.status, result.inclusion.status]).toEqual([
        'ok',
        'ok',
        'ok',
      ]);
      expect(result.computedLeafHash).toBe(entry.leafHash);
    }
  });

  it('fails the text and inclusion checks when one character of the entry changed', async () => {
    const original = entries[3]!;
    const tampered = { ...original, entry: original.entry.replace('org-3', 'org-9') };
    const result = await verifyEntry(tampered, source(entries.length));
    expect(result.signature.status).toBe('ok');
    expect(result.leafHash.status).toBe('fail');
    expect(result.inclusion.status).toBe('fail');
  });

  it('fails the signature check when the tree head was signed by another key', async () => {
    const result = await verifyEntry(entries[0]!, source(entries.length, generateSigningKey()));
    expect(result.signature.status).toBe('fail');
  });

  it('says the inclusion cannot be proven yet for an entry newer than the signed tree head', async () => {
    const result = await verifyEntry(entries[6]!, source(5));
    expect(result.inclusion.status).toBe('skipped');
    expect(result.leafHash.status).toBe('ok');
  });
});
