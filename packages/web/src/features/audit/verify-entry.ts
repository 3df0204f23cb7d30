import {
  bytesEqual,
  fromBase64,
  hashEntryJsonAsync,
  toBase64,
  verifyInclusionAsync,
  verifyTreeHeadSignatureAsync,
} from '@datapolis/ledger/verify';
import type { InclusionProof, LedgerEntry, LedgerPublicKey, SignedTreeHead } from '../../api/types.ts';

export type CheckStatus = 'ok' | 'fail' | 'skipped';

export interface CheckResult {
  status: CheckStatus;
  /** Technical reason when the check could not run or failed, for the curious reader. */
  reason?: string;
}

export interface Verification {
  treeHead: SignedTreeHead;
  keyId: string;
  computedLeafHash: string;
  signature: CheckResult;
  leafHash: CheckResult;
  inclusion: CheckResult;
}

/** The three public documents a verification needs; injected so tests can serve them from a real log. */
export interface LedgerSource {
  treeHead(): Promise<SignedTreeHead>;
  publicKey(): Promise<LedgerPublicKey>;
  inclusionProof(index: number, treeSize: number): Promise<InclusionProof>;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Checks one log entry entirely on this machine, trusting the server for nothing but the data:
 * (1) the tree head is signed by the published key, (2) the entry text hashes to its leaf hash,
 * (3) that hash is in the signed tree. Check 3 uses the hash computed here, not the server's.
 */
export async function verifyEntry(entry: LedgerEntry, source: LedgerSource): Promise<Verification> {
  const [treeHead, key] = await Promise.all([source.treeHead(), source.publicKey()]);
  const sth = { ...treeHead, timestamp: String(treeHead.timestamp) };

  let signature: CheckResult;
  try {
    signature = (await verifyTreeHeadSignatureAsync(sth, key.publicKeySpki))
      ? { status: 'ok' }
      : { status: 'fail', reason: 'signature does not match the published key' };
  } catch (error) {
    signature = { status: 'fail', reason: reasonOf(error) };
  }

  const computed = await hashEntryJsonAsync(entry.entry);
  let leafHash: CheckResult;
  try {
    leafHash = bytesEqual(computed, fromBase64(entry.leafHash))
      ? { status: 'ok' }
      : { status: 'fail', reason: 'the entry text does not hash to the recorded leaf hash' };
  } catch (error) {
    leafHash = { status: 'fail', reason: reasonOf(error) };
  }

  let inclusion: CheckResult;
  if (entry.index >= sth.treeSize) {
    // Recorded after the latest signed tree head: it will be provable once the next head is signed.
    inclusion = { status: 'skipped', reason: 'entry is newer than the latest signed tree head' };
  } else {
    try {
      const proof = await source.inclusionProof(entry.index, sth.treeSize);
      const ok = await verifyInclusionAsync(
        computed,
        entry.index,
        sth.treeSize,
        proof.auditPath.map((h) => fromBase64(h)),
        fromBase64(sth.rootHash),
      );
      inclusion = ok
        ? { status: 'ok' }
        : { status: 'fail', reason: 'the audit path does not lead to the signed root hash' };
    } catch (error) {
      inclusion = { status: 'fail', reason: reasonOf(error) };
    }
  }

  return { treeHead, keyId: key.keyId, computedLeafHash: toBase64(computed), signature, leafHash, inclusion };
}
