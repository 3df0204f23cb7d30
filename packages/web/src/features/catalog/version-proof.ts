import { canonicalJson, toHex } from '@datapolis/ledger/verify';
import type { InclusionProof, LedgerPublicKey } from '../../api/types.ts';
import {
  type CheckResult,
  type LedgerSource,
  type Verification,
  verifyEntry,
} from '../audit/verify-entry.ts';
import type { EntryMetadata, VersionProof } from './catalog-types.ts';

export interface VersionVerification extends Verification {
  /** The log entry names this entry and version and commits to the hash of exactly these metadata. */
  content: CheckResult;
  computedContentHash: string | undefined;
}

export interface ProofSources {
  publicKey(): Promise<LedgerPublicKey>;
  /** Only asked when the proof was not made for the tree head it came with. */
  inclusionProof(index: number, treeSize: number): Promise<InclusionProof>;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return toHex(new Uint8Array(digest));
}

interface RecordedFacts {
  contentHash?: string;
  code?: string;
  version?: number;
}

/** What a catalog log entry says about the version: its content hash, resource code and version number. */
export function recordedFacts(entryText: string): RecordedFacts {
  try {
    const value: unknown = JSON.parse(entryText);
    if (typeof value !== 'object' || value === null) return {};
    const entry = value as {
      hashes?: { content?: unknown };
      details?: { code?: unknown; version?: unknown };
    };
    const facts: RecordedFacts = {};
    if (typeof entry.hashes?.content === 'string') facts.contentHash = entry.hashes.content;
    if (typeof entry.details?.code === 'string') facts.code = entry.details.code;
    if (typeof entry.details?.version === 'number') facts.version = entry.details.version;
    return facts;
  } catch {
    return {};
  }
}

async function checkContent(
  proof: VersionProof,
  code: string,
  metadata: EntryMetadata | undefined,
): Promise<{ result: CheckResult; computed: string | undefined }> {
  const facts = recordedFacts(proof.ledgerEntry.entry);
  if (facts.contentHash !== proof.contentHash)
    return {
      result: { status: 'fail', reason: 'the log entry records another content hash' },
      computed: undefined,
    };
  if (facts.version !== undefined && facts.version !== proof.version)
    return {
      result: { status: 'fail', reason: `the log entry is about version ${facts.version}` },
      computed: undefined,
    };
  if (facts.code !== undefined && facts.code !== code)
    return {
      result: { status: 'fail', reason: `the log entry is about entry ${facts.code}` },
      computed: undefined,
    };
  if (metadata === undefined)
    return { result: { status: 'skipped', reason: 'metadata not available' }, computed: undefined };
  let computed: string;
  try {
    computed = await sha256Hex(canonicalJson(metadata));
  } catch (error) {
    return {
      result: { status: 'fail', reason: error instanceof Error ? error.message : String(error) },
      computed: undefined,
    };
  }
  return computed === proof.contentHash
    ? { result: { status: 'ok' }, computed }
    : {
        result: { status: 'fail', reason: 'the metadata do not hash to the recorded content hash' },
        computed,
      };
}

/**
 * Checks one version of an entry in the browser: the three checks of any log entry (signed tree head,
 * leaf hash, inclusion proof), plus that the entry commits to the SHA-256 of the version's metadata
 * as this browser computes it.
 */
export async function verifyVersion(
  proof: VersionProof,
  code: string,
  metadata: EntryMetadata | undefined,
  sources: ProofSources,
): Promise<VersionVerification> {
  const ledgerSource: LedgerSource = {
    treeHead: async () => proof.treeHead,
    publicKey: () => sources.publicKey(),
    inclusionProof: (index, treeSize) =>
      index === proof.inclusion.index && treeSize === proof.inclusion.treeSize
        ? Promise.resolve(proof.inclusion)
        : sources.inclusionProof(index, treeSize),
  };
  const [verification, content] = await Promise.all([
    verifyEntry(proof.ledgerEntry, ledgerSource),
    checkContent(proof, code, metadata),
  ]);
  return { ...verification, content: content.result, computedContentHash: content.computed };
}

/** All checks passed, one failed, or some could not run yet. */
export function overallOutcome(v: VersionVerification): 'ok' | 'fail' | 'partial' {
  const all = [v.signature, v.leafHash, v.inclusion, v.content];
  if (all.some((c) => c.status === 'fail')) return 'fail';
  if (all.every((c) => c.status === 'ok')) return 'ok';
  return 'partial';
}
