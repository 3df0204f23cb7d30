// Browser-safe verification (`@datapolis/ledger/verify`): only globalThis.crypto.subtle, no node: imports,
// directly or through any file imported here.
import { fromBase64 } from './encoding.ts';
import { keyIdFromSpkiDigest, type SignedTreeHead, treeHeadMessage } from './tree-head.ts';
import { consistencySteps, HASH_SIZE, inclusionSteps, runStepsAsync } from './verify-core.ts';

export { canonicalBytes, canonicalJson } from './canonical-json.ts';
export { bytesEqual, fromBase64, fromHex, toBase64, toHex } from './encoding.ts';
export {
  KEY_ID_BYTES,
  keyIdFromSpkiDigest,
  type SignedTreeHead,
  TREE_HEAD_VERSION,
  type TreeHead,
  treeHeadMessage,
} from './tree-head.ts';
export { EMPTY_ROOT_HEX } from './verify-core.ts';

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  if (value === undefined)
    throw new Error('WebCrypto (crypto.subtle) is not available; a secure context is required');
  return value;
}

async function sha256Async(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

/** SHA-256(0x00 || entry), with WebCrypto. */
export function leafHashAsync(entry: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(1 + entry.length);
  input.set(entry, 1);
  return sha256Async(input);
}

/** SHA-256(0x01 || left || right), with WebCrypto. */
export function nodeHashAsync(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return Promise.reject(new Error('nodeHash: children must be 32 bytes'));
  }
  const input = new Uint8Array(1 + 2 * HASH_SIZE);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + HASH_SIZE);
  return sha256Async(input);
}

/** Leaf hash of an entry's stored canonical JSON string, hashed exactly as given. */
export function hashEntryJsonAsync(entryJson: string): Promise<Uint8Array> {
  return leafHashAsync(encoder.encode(entryJson));
}

/** RFC 9162 §2.1.3.2 inclusion proof verification with WebCrypto. */
export function verifyInclusionAsync(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): Promise<boolean> {
  return runStepsAsync(inclusionSteps(leafHash, leafIndex, treeSize, proof, rootHash), nodeHashAsync);
}

/** RFC 9162 §2.1.4.2 consistency proof verification with WebCrypto. */
export function verifyConsistencyAsync(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<boolean> {
  return runStepsAsync(consistencySteps(oldSize, newSize, oldRoot, newRoot, proof), nodeHashAsync);
}

/** Key id (see KEY_ID_BYTES) of a public key given as base64 SPKI DER. */
export async function keyIdAsync(publicKeySpkiBase64: string): Promise<string> {
  return keyIdFromSpkiDigest(await sha256Async(fromBase64(publicKeySpkiBase64)));
}

/**
 * Verifies an STH's Ed25519 signature with WebCrypto against a public key given as base64 SPKI DER (the
 * form publicKeySpkiBase64 produces and /api/v1/ledger/public-key serves). Also requires the STH's keyId to
 * name that key. A malformed STH resolves to false; a malformed key rejects.
 */
export async function verifyTreeHeadSignatureAsync(
  sth: SignedTreeHead,
  publicKeySpkiBase64: string,
): Promise<boolean> {
  const spki = fromBase64(publicKeySpkiBase64);
  const key = await subtle().importKey('spki', spki, { name: 'Ed25519' }, false, ['verify']);
  if (sth.keyId !== keyIdFromSpkiDigest(await sha256Async(spki))) return false;
  let message: Uint8Array<ArrayBuffer>;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    message = treeHeadMessage(sth);
    signature = fromBase64(sth.signature);
  } catch {
    return false;
  }
  if (signature.length !== 64) return false;
  return subtle().verify({ name: 'Ed25519' }, key, signature, message);
}

/** Root hash of a signed tree head as bytes (STHs carry it as base64). */
export function treeHeadRoot(sth: Pick<SignedTreeHead, 'rootHash'>): Uint8Array {
  return fromBase64(sth.rootHash);
}
