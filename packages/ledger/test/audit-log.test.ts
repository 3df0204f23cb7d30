import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  type AuditProblemKind,
  auditLog,
  auditLogAsync,
  canonicalJson,
  generateSigningKey,
  hashEntryJson,
  LogAuditor,
  MerkleFrontier,
  type SignedTreeHead,
  signTreeHead,
  toBase64,
  toHex,
} from '../src/index.ts';

const keys = generateSigningKey();
const SIZE = 40;
const HEAD_SIZES = [0, 1, 7, 16, 25, 33, 40];

function makeLog(
  size = SIZE,
  headSizes = HEAD_SIZES,
): { entries: AuditEntry[]; treeHeads: SignedTreeHead[] } {
  const entries: AuditEntry[] = [];
  const treeHeads: SignedTreeHead[] = [];
  const frontier = new MerkleFrontier();
  const sign = () =>
    treeHeads.push(
      signTreeHead(
        {
          treeSize: frontier.size,
          rootHash: frontier.root(),
          timestamp: new Date(1_700_000_000_000 + frontier.size),
        },
        keys.privateKeyPem,
      ),
    );
  if (headSizes.includes(0)) sign();
  for (let index = 0; index < size; index++) {
    const entryJson = canonicalJson({
      index,
      kind: 'permit.issued',
      subject: `é-${index}`,
      amount: index * 1.5,
    });
    const leaf = hashEntryJson(entryJson);
    entries.push({ index, entryJson, leafHash: toHex(leaf) });
    frontier.append(leaf);
    if (headSizes.includes(frontier.size)) sign();
  }
  return { entries, treeHeads };
}

function kinds(report: { problems: readonly { kind: AuditProblemKind }[] }): AuditProblemKind[] {
  return [...new Set(report.problems.map((p) => p.kind))].sort();
}

describe('auditLog', () => {
  it('passes an intact log', () => {
    const log = makeLog();
    const report = auditLog({ ...log, publicKeyPem: keys.publicKeyPem });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.size).toBe(SIZE);
    expect(report.rootHash).toBe(log.treeHeads.at(-1)!.rootHash);
  });

  it('accepts tree heads in any order and uppercase or byte leaf hashes', () => {
    const log = makeLog();
    const entries = log.entries.map((e, i) =>
      i % 2 === 0
        ? { ...e, leafHash: (e.leafHash as string).toUpperCase() }
        : { ...e, leafHash: hashEntryJson(e.entryJson) },
    );
    const report = auditLog({
      entries,
      treeHeads: [...log.treeHeads].reverse(),
      publicKeyPem: keys.publicKeyPem,
    });
    expect(report.ok).toBe(true);
  });

  it('catches an altered entry', () => {
    const log = makeLog();
    const entries = [...log.entries];
    entries[10] = {
      ...entries[10]!,
      entryJson: entries[10]!.entryJson.replace('"amount":15', '"amount":16'),
    };
    const report = auditLog({ entries, treeHeads: log.treeHeads, publicKeyPem: keys.publicKeyPem });
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.kind === 'altered')).toEqual([
      { kind: 'altered', index: 10, message: expect.stringContaining('entry 10') },
    ]);
    // Every tree head covering entry 10 no longer matches; the earlier ones still do.
    expect(report.problems.filter((p) => p.kind === 'bad-root').map((p) => p.treeSize)).toEqual([
      16, 25, 33, 40,
    ]);
    expect(kinds(report)).toEqual(['altered', 'bad-root']);
  });

  it('catches an entry rewritten together with its stored leaf hash', () => {
    const log = makeLog();
    const entries = [...log.entries];
    const entryJson = canonicalJson({ index: 30, kind: 'permit.revoked' });
    entries[30] = { index: 30, entryJson, leafHash: toHex(hashEntryJson(entryJson)) };
    const report = auditLog({ entries, treeHeads: log.treeHeads, publicKeyPem: keys.publicKeyPem });
    expect(kinds(report)).toEqual(['bad-root']);
    expect(report.problems.map((p) => p.treeSize)).toEqual([33, 40]);
  });

  it('catches a removed entry', () => {
    const log = makeLog();
    const entries = log.entries.filter((e) => e.index !== 20);
    const report = auditLog({ entries, treeHeads: log.treeHeads, publicKeyPem: keys.publicKeyPem });
    expect(report.size).toBe(SIZE - 1);
    expect(report.problems).toContainEqual({ kind: 'missing', index: 20, message: 'entry 20 is missing' });
    expect(report.problems).toContainEqual({
      kind: 'missing',
      treeSize: 40,
      message: expect.stringContaining('39'),
    });
    expect(kinds(report)).toEqual(['bad-root', 'missing']);
  });

  it('catches a truncated log', () => {
    const log = makeLog();
    const report = auditLog({
      entries: log.entries.slice(0, 30),
      treeHeads: log.treeHeads,
      publicKeyPem: keys.publicKeyPem,
    });
    expect(report.problems.map((p) => [p.kind, p.treeSize])).toEqual([
      ['missing', 33],
      ['missing', 40],
    ]);
  });

  it('catches two swapped entries', () => {
    const log = makeLog();
    const entries = [...log.entries];
    [entries[5], entries[6]] = [entries[6]!, entries[5]!];
    const report = auditLog({ entries, treeHeads: log.treeHeads, publicKeyPem: keys.publicKeyPem });
    expect(report.problems.filter((p) => p.kind !== 'bad-root')).toEqual([
      { kind: 'reordered', index: 5, message: 'entry 5 comes after entry 6' },
    ]);
    expect(report.problems.filter((p) => p.kind === 'bad-root').map((p) => p.treeSize)).toEqual([
      7, 16, 25, 33, 40,
    ]);
  });

  it('catches swapped contents under unchanged indexes', () => {
    const log = makeLog();
    const entries = [...log.entries];
    const [a, b] = [entries[3]!, entries[4]!];
    entries[3] = { ...b, index: 3 };
    entries[4] = { ...a, index: 4 };
    const report = auditLog({ entries, treeHeads: log.treeHeads, publicKeyPem: keys.publicKeyPem });
    expect(kinds(report)).toEqual(['bad-root']);
    expect(report.problems.map((p) => p.treeSize)).toEqual([7, 16, 25, 33, 40]);
  });

  it('catches a duplicated entry', () => {
    const log = makeLog();
    const entries = [...log.entries.slice(0, 12), log.entries[11]!, ...log.entries.slice(12)];
    const report = auditLog({ entries, treeHeads: log.treeHeads, publicKeyPem: keys.publicKeyPem });
    expect(report.problems.filter((p) => p.kind !== 'bad-root')).toEqual([
      { kind: 'duplicate', index: 11, message: 'entry 11 appears more than once' },
    ]);
  });

  it('catches a moved entry far away and a range of missing ones', () => {
    const log = makeLog();
    const entries = [
      ...log.entries.slice(0, 8),
      ...log.entries.slice(14, 30),
      log.entries[9]!,
      ...log.entries.slice(30),
    ];
    const report = auditLog({ entries, treeHeads: log.treeHeads, publicKeyPem: keys.publicKeyPem });
    const nonRoot = report.problems.filter((p) => p.kind !== 'bad-root' && p.treeSize === undefined);
    expect(nonRoot).toEqual([
      { kind: 'reordered', index: 9, message: 'entry 9 comes after entry 29' },
      { kind: 'missing', index: 8, message: 'entry 8 is missing' },
      { kind: 'missing', index: 10, message: 'entries 10 to 13 are missing' },
    ]);
  });

  it('catches a forged root, signed or not', () => {
    const log = makeLog();
    const forged = [...log.treeHeads];
    const i = forged.findIndex((h) => h.treeSize === 25);
    const fakeRoot = hashEntryJson('{"forged":true}');
    forged[i] = signTreeHead({ ...forged[i]!, rootHash: fakeRoot }, keys.privateKeyPem);
    let report = auditLog({ entries: log.entries, treeHeads: forged, publicKeyPem: keys.publicKeyPem });
    expect(report.problems).toEqual([
      { kind: 'bad-root', treeSize: 25, message: expect.stringContaining(toBase64(fakeRoot)) },
    ]);
    forged[i] = { ...log.treeHeads[i]!, rootHash: toBase64(fakeRoot) };
    report = auditLog({ entries: log.entries, treeHeads: forged, publicKeyPem: keys.publicKeyPem });
    expect(report.problems.map((p) => [p.kind, p.treeSize])).toEqual([
      ['bad-signature', 25],
      ['bad-root', 25],
    ]);
  });

  it('catches a bad signature and a foreign key', () => {
    const log = makeLog();
    const heads = [...log.treeHeads];
    const sig = Uint8Array.from(atob(heads[2]!.signature), (c) => c.charCodeAt(0));
    sig[10]! ^= 0x40;
    heads[2] = { ...heads[2]!, signature: toBase64(sig) };
    let report = auditLog({ entries: log.entries, treeHeads: heads, publicKeyPem: keys.publicKeyPem });
    expect(report.problems).toEqual([
      {
        kind: 'bad-signature',
        treeSize: heads[2]!.treeSize,
        message: expect.stringContaining('does not verify'),
      },
    ]);
    report = auditLog({ ...log, publicKeyPem: generateSigningKey().publicKeyPem });
    expect(report.problems.map((p) => p.kind)).toEqual(HEAD_SIZES.map(() => 'bad-signature'));
  });

  it('flags entries that are not canonical JSON', () => {
    const log = makeLog(5, [5]);
    const entries = [...log.entries];
    const spaced = '{ "index": 2 }';
    entries[2] = { index: 2, entryJson: spaced, leafHash: toHex(hashEntryJson(spaced)) };
    entries[3] = { index: 3, entryJson: 'nope', leafHash: toHex(hashEntryJson('nope')) };
    const frontier = new MerkleFrontier();
    for (const e of entries) frontier.append(hashEntryJson(e.entryJson));
    const heads = [
      signTreeHead({ treeSize: 5, rootHash: frontier.root(), timestamp: new Date() }, keys.privateKeyPem),
    ];
    const report = auditLog({ entries, treeHeads: heads, publicKeyPem: keys.publicKeyPem });
    expect(report.problems.map((p) => [p.kind, p.index])).toEqual([
      ['not-canonical', 2],
      ['not-canonical', 3],
    ]);
    expect(
      auditLog({ entries, treeHeads: heads, publicKeyPem: keys.publicKeyPem, checkCanonical: false }).ok,
    ).toBe(true);
  });

  it('caps the problem list', () => {
    const log = makeLog();
    const entries = log.entries.map((e) => ({ ...e, leafHash: '00' }));
    const report = auditLog({
      entries,
      treeHeads: log.treeHeads,
      publicKeyPem: keys.publicKeyPem,
      maxProblems: 5,
    });
    expect(report.problems).toHaveLength(5);
    expect(report.omittedProblems).toBe(SIZE - 5);
    expect(report.ok).toBe(false);
  });

  it('streams from an async source and incrementally', async () => {
    const log = makeLog();
    async function* rows() {
      for (const entry of log.entries) yield entry;
    }
    const report = await auditLogAsync({
      entries: rows(),
      treeHeads: log.treeHeads,
      publicKeyPem: keys.publicKeyPem,
    });
    expect(report.ok).toBe(true);
    const auditor = new LogAuditor({ treeHeads: log.treeHeads, publicKeyPem: keys.publicKeyPem });
    for (const entry of log.entries) auditor.add(entry);
    expect(auditor.finish().ok).toBe(true);
    expect(() => auditor.add(log.entries[0]!)).toThrow(/after finish/);
  });

  it('handles a long log with memory independent of its length', () => {
    const size = 50_000;
    const frontier = new MerkleFrontier();
    const treeHeads: SignedTreeHead[] = [];
    function* entries(): Generator<AuditEntry> {
      for (let index = 0; index < size; index++) {
        const entryJson = `{"i":${index}}`;
        yield { index, entryJson, leafHash: toHex(hashEntryJson(entryJson)) };
      }
    }
    for (const entry of entries()) frontier.append(hashEntryJson(entry.entryJson));
    treeHeads.push(
      signTreeHead({ treeSize: size, rootHash: frontier.root(), timestamp: new Date() }, keys.privateKeyPem),
    );
    const report = auditLog({ entries: entries(), treeHeads, publicKeyPem: keys.publicKeyPem });
    expect(report.ok).toBe(true);
    expect(report.size).toBe(size);
  });
});
