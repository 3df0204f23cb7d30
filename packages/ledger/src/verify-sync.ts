// Synchronous proof verification with node:crypto; the algorithms themselves are in verify-core.ts.
import { nodeHash } from './hash.ts';
import { consistencySteps, inclusionSteps, runSteps } from './verify-core.ts';

/** RFC 9162 §2.1.3.2: true when `proof` shows `leafHash` at `leafIndex` in the tree of `treeSize` with `rootHash`. */
export function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  return runSteps(inclusionSteps(leafHash, leafIndex, treeSize, proof, rootHash), nodeHash);
}

/**
 * RFC 9162 §2.1.4.2: true when `proof` shows the tree of `oldSize` with `oldRoot` is a prefix of the tree of
 * `newSize` with `newRoot`. Equal sizes need an empty proof and equal roots; oldSize 0 needs an empty proof
 * and the empty-tree root.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  return runSteps(consistencySteps(oldSize, newSize, oldRoot, newRoot, proof), nodeHash);
}
