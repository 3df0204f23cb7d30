import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fromBase64,
  generateSigningKey,
  keyId,
  leafHash,
  publicKeyPemFromPrivate,
  publicKeySpkiBase64,
  type SignedTreeHead,
  signTreeHead,
  toBase64,
  treeHeadMessage,
  treeHeadVerifier,
  verifyTreeHead,
} from '../src/index.ts';
import { keyIdAsync, treeHeadRoot, verifyTreeHeadSignatureAsync } from '../src/verify.ts';

const keys = generateSigningKey();
const other = generateSigningKey();
const rootHash = leafHash(new TextEncoder().encode('root'));
const timestamp = new Date('2025-03-04T05:06:07.089Z');
const sth = signTreeHead({ treeSize: 42, rootHash, timestamp }, keys.privateKeyPem);
const spki = publicKeySpkiBase64(keys.publicKeyPem);

function tampered(changes: Partial<SignedTreeHead>): SignedTreeHead {
  return { ...sth, ...changes };
}

function flipSignatureBit(signature: string, bit: number): string {
  const bytes = fromBase64(signature);
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return toBase64(bytes);
}

describe('signed tree heads', () => {
  it('signs the canonical message', () => {
    const message = new TextDecoder().decode(treeHeadMessage({ treeSize: 42, rootHash, timestamp }));
    expect(message).toBe(
      `{"rootHash":"${toBase64(rootHash)}","timestamp":"2025-03-04T05:06:07.089Z","treeSize":42,"v":1}`,
    );
    expect(sth).toEqual({
      treeSize: 42,
      rootHash: toBase64(rootHash),
      timestamp: '2025-03-04T05:06:07.089Z',
      keyId: keyId(keys.publicKeyPem),
      signature: expect.any(String),
    });
    expect(fromBase64(sth.signature)).toHaveLength(64);
    expect(treeHeadRoot(sth)).toEqual(new Uint8Array(rootHash));
    // The message does not depend on how the head was given.
    expect(treeHeadMessage(sth)).toEqual(treeHeadMessage({ treeSize: 42, rootHash, timestamp }));
  });

  it('derives the key id from the SPKI DER', async () => {
    const der = createPublicKey(keys.publicKeyPem).export({ type: 'spki', format: 'der' });
    const expected = createHash('sha256').update(der).digest('hex').slice(0, 32);
    expect(keyId(keys.publicKeyPem)).toBe(expected);
    expect(keyId(keys.privateKeyPem)).toBe(expected);
    expect(await keyIdAsync(spki)).toBe(expected);
    expect(spki).toBe(der.toString('base64'));
    expect(keyId(other.publicKeyPem)).not.toBe(expected);
    expect(publicKeyPemFromPrivate(keys.privateKeyPem)).toBe(keys.publicKeyPem);
  });

  it('verifies with node:crypto and WebCrypto', async () => {
    expect(verifyTreeHead(sth, keys.publicKeyPem)).toBe(true);
    expect(treeHeadVerifier(keys.publicKeyPem)(sth)).toBe(true);
    expect(await verifyTreeHeadSignatureAsync(sth, spki)).toBe(true);
    const empty = signTreeHead(
      { treeSize: 0, rootHash: toBase64(rootHash), timestamp: sth.timestamp },
      keys.privateKeyPem,
    );
    expect(verifyTreeHead(empty, keys.publicKeyPem)).toBe(true);
    expect(await verifyTreeHeadSignatureAsync(empty, spki)).toBe(true);
  });

  it('rejects tampering, in both verifiers', async () => {
    const forgeries: SignedTreeHead[] = [
      tampered({ treeSize: 43 }),
      tampered({ treeSize: 41 }),
      tampered({ rootHash: toBase64(leafHash(new TextEncoder().encode('other'))) }),
      tampered({ timestamp: '2025-03-04T05:06:07.090Z' }),
      tampered({ signature: flipSignatureBit(sth.signature, 0) }),
      tampered({ signature: flipSignatureBit(sth.signature, 511) }),
      tampered({ signature: sth.signature.slice(0, -4) }),
      tampered({ signature: 'not base64!' }),
      tampered({ rootHash: 'AAAA' }),
      tampered({ timestamp: 'yesterday' }),
      tampered({ keyId: keyId(other.publicKeyPem) }),
      signTreeHead({ treeSize: 42, rootHash, timestamp }, other.privateKeyPem),
      { ...signTreeHead({ treeSize: 42, rootHash, timestamp }, other.privateKeyPem), keyId: sth.keyId },
    ];
    for (const forgery of forgeries) {
      expect(verifyTreeHead(forgery, keys.publicKeyPem)).toBe(false);
      expect(await verifyTreeHeadSignatureAsync(forgery, spki)).toBe(false);
    }
    expect(verifyTreeHead(sth, other.publicKeyPem)).toBe(false);
    expect(await verifyTreeHeadSignatureAsync(sth, publicKeySpkiBase64(other.publicKeyPem))).toBe(false);
  });

  it('refuses malformed heads and keys when signing', () => {
    expect(() => signTreeHead({ treeSize: -1, rootHash, timestamp }, keys.privateKeyPem)).toThrow(/treeSize/);
    expect(() =>
      signTreeHead({ treeSize: 1, rootHash: rootHash.subarray(1), timestamp }, keys.privateKeyPem),
    ).toThrow(/32 bytes/);
    expect(() =>
      signTreeHead({ treeSize: 1, rootHash, timestamp: new Date(Number.NaN) }, keys.privateKeyPem),
    ).toThrow(/invalid Date/);
    expect(() => signTreeHead({ treeSize: 1, rootHash, timestamp }, keys.publicKeyPem)).toThrow();
    const ec = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => signTreeHead({ treeSize: 1, rootHash, timestamp }, ec.privateKey)).toThrow(/Ed25519/);
    expect(() => verifyTreeHead(sth, ec.publicKey)).toThrow(/Ed25519/);
  });
});
