import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalBytes,
  EMPTY_ROOT_HEX,
  emptyRoot,
  fromBase64,
  fromHex,
  hashEntry,
  hashEntryJson,
  leafHash,
  nodeHash,
  sha256,
  toBase64,
  toHex,
} from '../src/index.ts';

const sha = (...parts: Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest('hex');
};

describe('hashing', () => {
  it('domain-separates leaves and nodes (RFC 9162 §2.1.1)', () => {
    expect(toHex(leafHash(new Uint8Array(0)))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    const data = new TextEncoder().encode('hello');
    expect(toHex(leafHash(data))).toBe(sha(Uint8Array.of(0), data));
    const left = leafHash(Uint8Array.of(1));
    const right = leafHash(Uint8Array.of(2));
    expect(toHex(nodeHash(left, right))).toBe(sha(Uint8Array.of(1), left, right));
    expect(toHex(nodeHash(right, left))).not.toBe(toHex(nodeHash(left, right)));
    expect(() => nodeHash(left, right.subarray(1))).toThrow(/32 bytes/);
  });

  it('returns independent results although it reuses input buffers', () => {
    const a = leafHash(Uint8Array.of(1));
    const b = leafHash(Uint8Array.of(2));
    const ab = nodeHash(a, b);
    const ba = nodeHash(b, a);
    expect(toHex(a)).toBe(sha(Uint8Array.of(0, 1)));
    expect(toHex(ab)).toBe(sha(Uint8Array.of(1), a, b));
    expect(toHex(ba)).toBe(sha(Uint8Array.of(1), b, a));
  });

  it('hashes large entries the same as small ones would', () => {
    const big = new Uint8Array(200_000).map((_, i) => i % 251);
    expect(toHex(leafHash(big))).toBe(sha(Uint8Array.of(0), big));
    const text = `{"t":"${'é€😀x'.repeat(20_000)}"}`;
    expect(toHex(hashEntryJson(text))).toBe(sha(Uint8Array.of(0), new TextEncoder().encode(text)));
    const medium = `{"t":"${'é'.repeat(3000)}"}`;
    expect(toHex(hashEntryJson(medium))).toBe(sha(Uint8Array.of(0), new TextEncoder().encode(medium)));
  });

  it('hashes entries through canonical JSON', () => {
    const value = { b: 2, a: [1, 'é'] };
    expect(toHex(hashEntry(value))).toBe(toHex(leafHash(canonicalBytes(value))));
    expect(toHex(hashEntry({ a: [1, 'é'], b: 2 }))).toBe(toHex(hashEntry(value)));
    expect(toHex(hashEntryJson('{"a":[1,"é"],"b":2}'))).toBe(toHex(hashEntry(value)));
  });

  it('has the empty-tree root', () => {
    expect(toHex(emptyRoot())).toBe(EMPTY_ROOT_HEX);
    expect(toHex(sha256(new Uint8Array(0)))).toBe(EMPTY_ROOT_HEX);
    const copy = emptyRoot();
    copy[0] = 0;
    expect(toHex(emptyRoot())).toBe(EMPTY_ROOT_HEX);
  });
});

describe('encoding helpers', () => {
  it('round-trips hex and base64', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromHex(toHex(bytes))).toEqual(bytes);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
    for (let n = 0; n < 6; n++) {
      const part = bytes.subarray(250 - n, 250);
      expect(toBase64(part)).toBe(Buffer.from(part).toString('base64'));
      expect(fromBase64(toBase64(part))).toEqual(new Uint8Array(part));
    }
    expect(toHex(fromHex('ABcd'))).toBe('abcd');
    const large = new Uint8Array(100_000).fill(7);
    expect(fromBase64(toBase64(large))).toEqual(large);
  });

  it('rejects malformed input', () => {
    expect(() => fromHex('abc')).toThrow(/invalid hex/);
    expect(() => fromHex('zz')).toThrow(/invalid hex/);
    expect(() => fromBase64('AAA')).toThrow(/invalid base64/);
    expect(() => fromBase64('AA AA')).toThrow(/invalid base64/);
    expect(() => fromBase64('-_8=')).toThrow(/invalid base64/);
    expect(() => fromBase64('A===')).toThrow(/invalid base64/);
    expect(fromBase64('')).toEqual(new Uint8Array(0));
  });
});
