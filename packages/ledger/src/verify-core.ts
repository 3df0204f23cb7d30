// The RFC 9162 proof verification algorithms, written once and shared by the synchronous (node:crypto) and
// asynchronous (WebCrypto) verifiers. Each algorithm is a generator that yields the (left, right) pairs it
// needs hashed as SHA-256(0x01 || left || right) and receives the digest back, so it is independent of how
// (and whether synchronously) hashing happens. No node: imports here.
import { bytesEqual, fromHex, isHash, isTreeIndex } from './encoding.ts';
import { isPowerOfTwo } from './tree-math.ts';

export const HASH_SIZE = 32;

/** SHA-256 of the empty string: the root of the empty tree. */
export const EMPTY_ROOT_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_ROOT = fromHex(EMPTY_ROOT_HEX);

export type HashPair = readonly [left: Uint8Array, right: Uint8Array];
export type VerificationSteps = Generator<HashPair, boolean, Uint8Array>;

/** Drives a verification with a synchronous node hash function. */
export function runSteps(
  steps: VerificationSteps,
  hashNode: (left: Uint8Array, right: Uint8Array) => Uint8Array,
) {
  let step = steps.next();
  while (!step.done) step = steps.next(hashNode(step.value[0], step.value[1]));
  return step.value;
}

/** Drives a verification with an asynchronous node hash function. */
export async function runStepsAsync(
  steps: VerificationSteps,
  hashNode: (left: Uint8Array, right: Uint8Array) => Promise<Uint8Array>,
): Promise<boolean> {
  let step = steps.next();
  while (!step.done) step = steps.next(await hashNode(step.value[0], step.value[1]));
  return step.value;
}

const isOdd = (n: number): boolean => n % 2 === 1;
// Arithmetic rather than >>> so sizes beyond 2^32 stay exact (up to Number.MAX_SAFE_INTEGER).
const half = (n: number): number => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: verify an inclusion proof of `leafHash` at `leafIndex` in the tree of `treeSize`. */
export function* inclusionSteps(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): VerificationSteps {
  if (!isTreeIndex(leafIndex) || !isTreeIndex(treeSize) || leafIndex >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(rootHash) || !proof.every(isHash)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = yield [p, r];
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = yield [r, p];
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(r, rootHash);
}

/**
 * RFC 9162 §2.1.4.2: verify a consistency proof between the tree of `oldSize` with root `oldRoot` and the
 * tree of `newSize` with root `newRoot`. The RFC only defines 0 < oldSize < newSize; for equal sizes the
 * proof must be empty and the roots equal, and the empty tree (whose root must be SHA-256 of the empty
 * string) is consistent with every tree through an empty proof.
 */
export function* consistencySteps(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): VerificationSteps {
  if (!isTreeIndex(oldSize) || !isTreeIndex(newSize) || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && bytesEqual(oldRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;
  // A power-of-two old tree is itself a node of the new tree, so its root starts the path.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = yield [c, fr];
      sr = yield [c, sr];
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = yield [sr, c];
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}
