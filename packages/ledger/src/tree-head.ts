// Signed tree head format, shared by the Node signer and the browser verifier. No node: imports here.
import { canonicalBytes } from './canonical-json.ts';
import { fromBase64, isHash, isTreeIndex, toBase64, toHex } from './encoding.ts';

/** A tree head before signing. */
export interface TreeHead {
  readonly treeSize: number;
  /** Root hash as bytes or as standard base64. */
  readonly rootHash: Uint8Array | string;
  /** A Date, or an ISO 8601 string which is signed exactly as given. */
  readonly timestamp: Date | string;
}

/** A signed tree head (STH) as stored and published. */
export interface SignedTreeHead {
  readonly treeSize: number;
  /** Standard base64 of the 32-byte root hash. */
  readonly rootHash: string;
  /** ISO 8601 timestamp, as produced by Date.prototype.toISOString. */
  readonly timestamp: string;
  /** Identifies the signing key, see KEY_ID_BYTES. */
  readonly keyId: string;
  /** Standard base64 of the 64-byte Ed25519 signature over treeHeadMessage(sth). */
  readonly signature: string;
}

/** Format version inside the signed message, so the format can change without ambiguity. */
export const TREE_HEAD_VERSION = 1;

/**
 * A key id is the lower-case hex of the first KEY_ID_BYTES bytes of SHA-256 over the key's SPKI DER
 * encoding. 16 bytes (128 bits) is plenty to tell keys apart; it is a label, not a security boundary, as
 * signatures are always checked against the full key.
 */
export const KEY_ID_BYTES = 16;

export function keyIdFromSpkiDigest(digest: Uint8Array): string {
  return toHex(digest.subarray(0, KEY_ID_BYTES));
}

/**
 * The bytes an STH signature covers: the RFC 8785 canonical JSON of
 * {"v":1,"treeSize":n,"rootHash":base64,"timestamp":iso}, i.e.
 * `{"rootHash":"...","timestamp":"...","treeSize":n,"v":1}`. Throws on a malformed head.
 */
export function treeHeadMessage(head: TreeHead): Uint8Array<ArrayBuffer> {
  if (!isTreeIndex(head.treeSize)) throw new Error('tree head: treeSize must be a non-negative safe integer');
  // Re-encoding a base64 root means only the hash bytes matter, not how the string was written.
  const root = typeof head.rootHash === 'string' ? fromBase64(head.rootHash) : head.rootHash;
  if (!isHash(root)) throw new Error('tree head: rootHash must be 32 bytes');
  let timestamp: string;
  if (typeof head.timestamp === 'string') {
    if (Number.isNaN(Date.parse(head.timestamp))) throw new Error('tree head: timestamp is not a date');
    timestamp = head.timestamp;
  } else {
    if (Number.isNaN(head.timestamp.getTime())) throw new Error('tree head: timestamp is an invalid Date');
    timestamp = head.timestamp.toISOString();
  }
  return canonicalBytes({
    v: TREE_HEAD_VERSION,
    treeSize: head.treeSize,
    rootHash: toBase64(root),
    timestamp,
  });
}
