// Ed25519 signed tree heads with node:crypto. The browser verifier is verifyTreeHeadSignatureAsync.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { fromBase64, toBase64 } from './encoding.ts';
import { sha256 } from './hash.ts';
import { keyIdFromSpkiDigest, type SignedTreeHead, type TreeHead, treeHeadMessage } from './tree-head.ts';

export interface SigningKeyPair {
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
}

/** A fresh Ed25519 key pair. */
export function generateSigningKey(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

function ed25519PublicKey(key: string | KeyObject): KeyObject {
  const object =
    typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  if (object.asymmetricKeyType !== 'ed25519') throw new Error('expected an Ed25519 key');
  return object;
}

function ed25519PrivateKey(key: string | KeyObject): KeyObject {
  const object = typeof key === 'string' ? createPrivateKey(key) : key;
  if (object.type !== 'private' || object.asymmetricKeyType !== 'ed25519') {
    throw new Error('expected an Ed25519 private key');
  }
  return object;
}

function spkiDer(key: KeyObject): Uint8Array {
  return key.export({ type: 'spki', format: 'der' });
}

/** SPKI PEM of the public half of a private key. */
export function publicKeyPemFromPrivate(privateKeyPem: string | KeyObject): string {
  return createPublicKey(ed25519PrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** Key id of a public (or private) key: hex of the first 16 bytes of SHA-256 over its SPKI DER. */
export function keyId(publicKeyPem: string | KeyObject): string {
  return keyIdFromSpkiDigest(sha256(spkiDer(ed25519PublicKey(publicKeyPem))));
}

/** Base64 of the SPKI DER encoding: the form verifyTreeHeadSignatureAsync takes and the server publishes. */
export function publicKeySpkiBase64(publicKeyPem: string | KeyObject): string {
  return toBase64(spkiDer(ed25519PublicKey(publicKeyPem)));
}

/** Signs a tree head with an Ed25519 private key (PKCS#8 PEM or KeyObject). */
export function signTreeHead(head: TreeHead, privateKeyPem: string | KeyObject): SignedTreeHead {
  const privateKey = ed25519PrivateKey(privateKeyPem);
  const message = treeHeadMessage(head);
  const rootHash =
    typeof head.rootHash === 'string' ? toBase64(fromBase64(head.rootHash)) : toBase64(head.rootHash);
  const timestamp = typeof head.timestamp === 'string' ? head.timestamp : head.timestamp.toISOString();
  return {
    treeSize: head.treeSize,
    rootHash,
    timestamp,
    keyId: keyId(privateKey),
    signature: toBase64(sign(null, message, privateKey)),
  };
}

/**
 * A verifier bound to one public key, for checking many tree heads without re-parsing the key. See
 * {@link verifyTreeHead}.
 */
export function treeHeadVerifier(publicKeyPem: string | KeyObject): (sth: SignedTreeHead) => boolean {
  const publicKey = ed25519PublicKey(publicKeyPem);
  const expectedKeyId = keyId(publicKey);
  return (sth) => {
    if (sth.keyId !== expectedKeyId) return false;
    let message: Uint8Array;
    let signature: Uint8Array;
    try {
      message = treeHeadMessage(sth);
      signature = fromBase64(sth.signature);
    } catch {
      return false;
    }
    return signature.length === 64 && verify(null, message, publicKey, signature);
  };
}

/**
 * True when the STH's signature is valid for `publicKeyPem` and its keyId names that key. A malformed STH
 * gives false; a malformed key throws, as that is a configuration error rather than a bad tree head.
 */
export function verifyTreeHead(sth: SignedTreeHead, publicKeyPem: string | KeyObject): boolean {
  return treeHeadVerifier(publicKeyPem)(sth);
}
