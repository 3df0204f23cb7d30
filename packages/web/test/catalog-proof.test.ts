import { createHash } from 'node:crypto';
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
import type { EntryMetadata, VersionProof } from '../src/features/catalog/catalog-types.ts';
import {
  overallOutcome,
  recordedFacts,
  sha256Hex,
  verifyVersion,
} from '../src/features/catalog/version-proof.ts';

const CODE = '2-04-001-001-000001';
const metadata = {
  code: CODE,
  title: { zh: '北京市公交线路', en: 'Beijing bus lines' },
  summary: { zh: '全市公交线路的走向、站点和首末班时间。' },
  keywords: ['公交'],
} as unknown as EntryMetadata;
const contentHash = createHash('sha256').update(canonicalJson(metadata)).digest('hex');

// A small real log: the catalog version is entry 3, recorded as the catalog service records it.
const key = generateSigningKey();
const texts = Array.from({ length: 6 }, (_, index) =>
  canonicalJson({
    v: 1,
    time: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(),
    actor: { type: 'user', id: `u${index}` },
    action: index === 3 ? 'catalog.entry.published' : 'identity.organization.created',
    objects: [{ type: 'catalog-entry', id: `e${index}` }],
    ...(index === 3 ? { hashes: { content: contentHash }, details: { code: CODE, version: 2 } } : {}),
  }),
);
const leaves = texts.map((t) => hashEntryJson(t));
const getNode = (level: number, index: number): Uint8Array =>
  level === 0 ? leaves[index]! : nodeHash(getNode(level - 1, 2 * index), getNode(level - 1, 2 * index + 1));

function proofFor(index: number, entryText = texts[index]!): VersionProof {
  const size = texts.length;
  const sth = signTreeHead(
    { treeSize: size, rootHash: rootAt(size, getNode), timestamp: new Date() },
    key.privateKeyPem,
  );
  return {
    version: 2,
    contentHash,
    ledgerEntry: {
      index,
      leafHash: toBase64(leaves[index]!),
      entry: entryText,
      recordedAt: new Date().toISOString(),
    },
    treeHead: { ...sth, timestamp: String(sth.timestamp) },
    inclusion: {
      index,
      treeSize: size,
      leafHash: toBase64(leaves[index]!),
      auditPath: inclusionProof(index, size, getNode).map(toBase64),
    },
  };
}

const sources = {
  publicKey: async () => ({
    algorithm: 'Ed25519' as const,
    keyId: keyId(key.publicKeyPem),
    publicKeySpki: publicKeySpkiBase64(key.publicKeyPem),
    publicKeyPem: key.publicKeyPem,
  }),
  inclusionProof: async () => {
    throw new Error('the proof that came with the version should have been used');
  },
};

describe('verifying a catalog version in the browser', () => {
  it('computes the same content hash as the server', async () => {
    expect(await sha256Hex(canonicalJson(metadata))).toBe(contentHash);
  });

  it('reads the hash, code and version the log entry records', () => {
    expect(recordedFacts(texts[3]!)).toEqual({ contentHash, code: CODE, version: 2 });
    expect(recordedFacts('not json')).toEqual({});
  });

  it('passes all four checks for an honest version', async () => {
    const result = await verifyVersion(proofFor(3), CODE, metadata, sources);
    expect(
      [result.content, result.signature, result.leafHash, result.inclusion].map((c) => c.status),
    ).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(result.computedContentHash).toBe(contentHash);
    expect(overallOutcome(result)).toBe('ok');
  });

  it('fails the content check when the metadata shown differ from what was logged', async () => {
    const changed = { ...metadata, title: { zh: '北京市地铁线路' } } as EntryMetadata;
    const result = await verifyVersion(proofFor(3), CODE, changed, sources);
    expect(result.content.status).toBe('fail');
    expect(result.inclusion.status).toBe('ok');
    expect(overallOutcome(result)).toBe('fail');
  });

  it('fails when the proof points at a log entry about something else', async () => {
    const result = await verifyVersion(proofFor(2), CODE, metadata, sources);
    expect(result.content.status).toBe('fail');
  });

  it('fails the leaf and inclusion checks when the log entry text was altered', async () => {
    const tampered = texts[3]!.replace('u3', 'u9');
    const result = await verifyVersion(proofFor(3, tampered), CODE, metadata, sources);
    expect(result.leafHash.status).toBe('fail');
    expect(result.inclusion.status).toBe('fail');
  });
});
