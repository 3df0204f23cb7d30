import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: session ids, API tokens, CSRF tokens. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are stored only as this hash; it is enough because they carry 256 bits of entropy. */
export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/**
 * The same hash as base64 text, made in one call: the key of per-process caches of resolved secrets, looked up
 * on every authenticated request (several times cheaper than secretHash and a conversion).
 */
export function secretHashKey(secret: string): string {
  return hash('sha256', secret, 'base64');
}

/**
 * A short name for a secret in alerts and logs, which cannot be used as the secret: the first 16 hex digits
 * of its SHA-256.
 */
export function secretFingerprint(secret: string): string {
  return hash('sha256', secret, 'hex').slice(0, 16);
}

/** The same fingerprint from the secret's secretHashKey, without hashing it again. */
export function fingerprintOfHashKey(hashKey: string): string {
  return Buffer.from(hashKey, 'base64').toString('hex', 0, 8);
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
