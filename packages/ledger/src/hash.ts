// RFC 9162 §2.1.1 hashing with node:crypto (synchronous). The browser-safe equivalents live in verify.ts.
import { createHash, hash as oneShotHash } from 'node:crypto';
import { canonicalBytes } from './canonical-json.ts';
import { fromHex } from './encoding.ts';
import { EMPTY_ROOT_HEX, HASH_SIZE } from './verify-core.ts';

export { fromBase64, fromHex, toBase64, toHex } from './encoding.ts';

const LEAF_PREFIX = new Uint8Array([0x00]);
const encoder = new TextEncoder();

// Reused input buffers: hashing is synchronous, so one buffer per module is safe and saves an allocation
// (and a copy of the prefix) per hash. Inputs larger than the cap are streamed instead of growing it.
const SCRATCH_CAP = 64 * 1024;
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;
let leafInput = new Uint8Array(4096);

function scratchFor(length: number): Uint8Array {
  if (length > leafInput.length)
    leafInput = new Uint8Array(Math.min(SCRATCH_CAP, 2 ** Math.ceil(Math.log2(length))));
  return leafInput;
}

const EMPTY_ROOT = fromHex(EMPTY_ROOT_HEX);

/** SHA-256 of `data`. In Node the result is a Buffer, which is a Uint8Array. */
export function sha256(data: Uint8Array): Uint8Array {
  return oneShotHash('sha256', data, 'buffer');
}

/** Root of the empty tree, SHA-256 of the empty string (RFC 9162 §2.1.1). A fresh copy on every call. */
export function emptyRoot(): Uint8Array {
  return EMPTY_ROOT.slice();
}

/** Leaf hash: SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Uint8Array {
  const length = entry.length + 1;
  if (length > SCRATCH_CAP) return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
  const input = scratchFor(length);
  input[0] = 0x00;
  input.set(entry, 1);
  return oneShotHash('sha256', input.subarray(0, length), 'buffer');
}

/** Interior node hash: SHA-256(0x01 || left || right). Both children must be 32-byte hashes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE)
    throw new Error('nodeHash: children must be 32 bytes');
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return oneShotHash('sha256', nodeInput, 'buffer');
}

/** Leaf hash of a JSON value: leafHash(canonicalBytes(value)). */
export function hashEntry(value: unknown): Uint8Array {
  return leafHash(canonicalBytes(value));
}

/**
 * Leaf hash of an entry already serialised as a string: SHA-256(0x00 || UTF-8(entryJson)). The string is
 * hashed exactly as given (it is not re-canonicalised), which is what an auditor needs for stored entries.
 */
export function hashEntryJson(entryJson: string): Uint8Array {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  const worstCase = 1 + 3 * entryJson.length;
  if (worstCase > SCRATCH_CAP)
    return createHash('sha256').update(LEAF_PREFIX).update(entryJson, 'utf8').digest();
  const input = scratchFor(worstCase);
  input[0] = 0x00;
  const { written } = encoder.encodeInto(entryJson, input.subarray(1));
  return oneShotHash('sha256', input.subarray(0, 1 + written), 'buffer');
}
