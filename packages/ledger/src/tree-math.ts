// Pure index arithmetic for the RFC 9162 tree, shared by proof generation and verification. Sizes and
// indexes are plain numbers; the arithmetic avoids 32-bit bitwise operators so everything up to
// Number.MAX_SAFE_INTEGER stays exact.
import { isTreeIndex } from './encoding.ts';

/** Coordinates of a perfect node: the hash of leaves [index * 2^level, (index + 1) * 2^level). */
export interface NodeCoordinate {
  readonly level: number;
  readonly index: number;
}

/** A half-open range of leaves [start, end) whose RFC 9162 hash is one element of a proof. */
export type LeafRange = readonly [start: number, end: number];

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/** The k of RFC 9162 §2.1.1: the largest power of two strictly smaller than n (n >= 2). */
export function largestPowerOfTwoBelow(n: number): number {
  if (n <= 2 ** 32) return 2 ** (31 - Math.clz32(n - 1));
  let k = 2 ** 32;
  while (k * 2 < n) k *= 2;
  return k;
}

export function assertTreeIndex(value: number, name: string): void {
  if (!isTreeIndex(value)) throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
}

/**
 * Visits the perfect nodes that make up the leaf range [start, end), right to left. The ranges that occur
 * in RFC 9162 trees start at a multiple of the largest power of two not above their length, so the pieces
 * follow the binary digits of the length: one aligned perfect node per set bit, largest first. The range's
 * hash is the right fold of the pieces, hash(p0, hash(p1, ... p_last)), which is why they are visited from
 * the right.
 */
export function forEachRangePiece(
  start: number,
  end: number,
  visit: (level: number, index: number) => void,
): void {
  let remaining = end - start;
  let right = end;
  let level = 0;
  let width = 1;
  while (remaining > 0) {
    if (remaining % 2 === 1) {
      right -= width;
      visit(level, right / width);
    }
    remaining = Math.floor(remaining / 2);
    level++;
    width *= 2;
  }
}

/** The leaf ranges whose hashes form the RFC 9162 §2.1.3.1 inclusion path, in proof order (leaf upwards). */
export function inclusionRanges(leafIndex: number, treeSize: number): LeafRange[] {
  assertTreeIndex(leafIndex, 'leafIndex');
  assertTreeIndex(treeSize, 'treeSize');
  if (leafIndex >= treeSize)
    throw new RangeError(`leafIndex ${leafIndex} is outside a tree of size ${treeSize}`);
  // PATH(m, D[s:e]) recurses into one half and appends the other half's hash, so walking from the root
  // down yields the path in reverse.
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const split = start + largestPowerOfTwoBelow(end - start);
    if (leafIndex < split) {
      ranges.push([split, end]);
      end = split;
    } else {
      ranges.push([start, split]);
      start = split;
    }
  }
  return ranges.reverse();
}

/** The leaf ranges whose hashes form the RFC 9162 §2.1.4.1 consistency proof, in proof order. */
export function consistencyRanges(oldSize: number, newSize: number): LeafRange[] {
  assertTreeIndex(oldSize, 'oldSize');
  assertTreeIndex(newSize, 'newSize');
  if (oldSize > newSize) throw new RangeError(`oldSize ${oldSize} is larger than newSize ${newSize}`);
  // Sizes outside 0 < m < n have no RFC proof; the verifier expects an empty one.
  if (oldSize === 0 || oldSize === newSize) return [];
  // SUBPROOF(m, D[s:e], b), walked from the root down (so reversed at the end), as in inclusionRanges.
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = newSize;
  let complete = true;
  while (oldSize !== end) {
    const split = start + largestPowerOfTwoBelow(end - start);
    if (oldSize <= split) {
      ranges.push([split, end]);
      end = split;
    } else {
      ranges.push([start, split]);
      start = split;
      complete = false;
    }
  }
  if (!complete) ranges.push([start, end]);
  return ranges.reverse();
}
