// The log's tree stored as perfect nodes: node (level, index) is the RFC 9162 hash of leaves
// [index * 2^level, (index + 1) * 2^level), level 0 being the leaf hashes. A perfect node never changes
// once its last leaf is appended, so it can be stored permanently; any aligned power-of-two subtree is then
// one read and every root or proof needs O(log n) reads.
import { isHash } from './encoding.ts';
import { emptyRoot, nodeHash } from './hash.ts';
import {
  assertTreeIndex,
  consistencyRanges,
  forEachRangePiece,
  inclusionRanges,
  type LeafRange,
  type NodeCoordinate,
} from './tree-math.ts';

export type { NodeCoordinate } from './tree-math.ts';

/** A stored perfect node. */
export interface PerfectNode extends NodeCoordinate {
  readonly hash: Uint8Array;
}

/** Reads one stored perfect node; should throw if it is not there. */
export type GetNode = (level: number, index: number) => Uint8Array;

function readNode(getNode: GetNode, level: number, index: number): Uint8Array {
  const hash = getNode(level, index);
  if (!isHash(hash)) throw new Error(`node (${level}, ${index}) is not a 32-byte hash`);
  return hash;
}

function rangeHash(range: LeafRange, getNode: GetNode): Uint8Array {
  let hash: Uint8Array | undefined;
  forEachRangePiece(range[0], range[1], (level, index) => {
    const piece = readNode(getNode, level, index);
    hash = hash === undefined ? piece : nodeHash(piece, hash);
  });
  // Ranges are never empty: proofs contain no empty ranges and rootAt handles size 0 itself.
  return hash!;
}

function rangesCoordinates(ranges: readonly LeafRange[]): NodeCoordinate[] {
  const coordinates: NodeCoordinate[] = [];
  for (const [start, end] of ranges) {
    forEachRangePiece(start, end, (level, index) => coordinates.push({ level, index }));
  }
  return coordinates;
}

/** Root of the tree of `size` leaves (RFC 9162 MTH), from at most log2(size) + 1 perfect nodes. */
export function rootAt(size: number, getNode: GetNode): Uint8Array {
  assertTreeIndex(size, 'size');
  return size === 0 ? emptyRoot() : rangeHash([0, size], getNode);
}

/** The perfect nodes {@link rootAt} reads for `size`. */
export function rootCoordinates(size: number): NodeCoordinate[] {
  assertTreeIndex(size, 'size');
  return rangesCoordinates([[0, size]]);
}

/** RFC 9162 §2.1.3.1 inclusion proof (audit path) for the leaf at `leafIndex` in the tree of `treeSize`. */
export function inclusionProof(leafIndex: number, treeSize: number, getNode: GetNode): Uint8Array[] {
  return inclusionRanges(leafIndex, treeSize).map((range) => rangeHash(range, getNode));
}

/** The perfect nodes {@link inclusionProof} reads. */
export function inclusionProofCoordinates(leafIndex: number, treeSize: number): NodeCoordinate[] {
  return rangesCoordinates(inclusionRanges(leafIndex, treeSize));
}

/**
 * RFC 9162 §2.1.4.1 consistency proof between the trees of `oldSize` and `newSize` leaves. Empty when
 * oldSize is 0 or equal to newSize (the RFC defines proofs only for 0 < oldSize < newSize).
 */
export function consistencyProof(oldSize: number, newSize: number, getNode: GetNode): Uint8Array[] {
  return consistencyRanges(oldSize, newSize).map((range) => rangeHash(range, getNode));
}

/** The perfect nodes {@link consistencyProof} reads. */
export function consistencyProofCoordinates(oldSize: number, newSize: number): NodeCoordinate[] {
  return rangesCoordinates(consistencyRanges(oldSize, newSize));
}

/** A getter over a set of fetched nodes, e.g. the rows of one query for a proof's coordinates. */
export function nodeGetter(nodes: Iterable<PerfectNode>): GetNode {
  // One map per level keeps keys numeric: no string building per lookup.
  const levels: Map<number, Uint8Array>[] = [];
  for (const node of nodes) {
    let level = levels[node.level];
    if (level === undefined) {
      level = new Map();
      levels[node.level] = level;
    }
    level.set(node.index, node.hash);
  }
  return (level, index) => {
    const hash = levels[level]?.get(index);
    if (hash === undefined) throw new Error(`node (${level}, ${index}) was not fetched`);
    return hash;
  };
}

/**
 * The right edge of the tree: one perfect node per set bit of the size, which is all that is needed to
 * append leaves and to compute the current root.
 */
export class MerkleFrontier {
  // levels[l] is the frontier node at level l, present exactly when bit l of size is set.
  #levels: (Uint8Array | undefined)[] = [];
  #size = 0;
  #root: Uint8Array | undefined;

  /**
   * @param size number of leaves already in the tree
   * @param nodes the perfect nodes at {@link MerkleFrontier.frontierCoordinates}(size), in any order
   */
  constructor(size = 0, nodes: Iterable<PerfectNode> = []) {
    assertTreeIndex(size, 'size');
    const expected = MerkleFrontier.frontierCoordinates(size);
    const byLevel = new Map<number, PerfectNode>();
    for (const node of nodes) {
      if (byLevel.has(node.level)) throw new Error(`frontier: two nodes at level ${node.level}`);
      byLevel.set(node.level, node);
    }
    if (byLevel.size !== expected.length) {
      throw new Error(`frontier of size ${size} needs ${expected.length} nodes, got ${byLevel.size}`);
    }
    for (const { level, index } of expected) {
      const node = byLevel.get(level);
      if (node === undefined || node.index !== index) {
        throw new Error(`frontier of size ${size} needs node (${level}, ${index})`);
      }
      if (!isHash(node.hash)) throw new Error(`frontier node (${level}, ${index}) is not a 32-byte hash`);
      this.#levels[level] = node.hash;
    }
    this.#size = size;
  }

  /** Builds the frontier of `size` by reading its nodes through `getNode`. */
  static fromGetter(size: number, getNode: GetNode): MerkleFrontier {
    const nodes = MerkleFrontier.frontierCoordinates(size).map(({ level, index }) => ({
      level,
      index,
      hash: readNode(getNode, level, index),
    }));
    return new MerkleFrontier(size, nodes);
  }

  /** The coordinates of the frontier of a tree of `size` leaves, highest level first. */
  static frontierCoordinates(size: number): NodeCoordinate[] {
    assertTreeIndex(size, 'size');
    const coordinates: NodeCoordinate[] = [];
    let remaining = size;
    let level = 0;
    let width = 1;
    while (remaining > 0) {
      if (remaining % 2 === 1) coordinates.push({ level, index: Math.floor(size / width) - 1 });
      remaining = Math.floor(remaining / 2);
      level++;
      width *= 2;
    }
    return coordinates.reverse();
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Appends a leaf hash and returns the perfect nodes this creates: the leaf itself (level 0) and every
   * parent it completes, lowest first. The hash is kept by reference, not copied.
   */
  append(leafHash: Uint8Array): PerfectNode[] {
    if (!isHash(leafHash)) throw new Error('append: leaf hash must be 32 bytes');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('append: tree is full');
    let index = this.#size;
    let level = 0;
    let hash = leafHash;
    const created: PerfectNode[] = [{ level, index, hash }];
    // Binary increment: every frontier node below the first clear bit of size merges with the new node.
    let carry = this.#size;
    while (carry % 2 === 1) {
      hash = nodeHash(this.#levels[level]!, hash);
      this.#levels[level] = undefined;
      level++;
      index = (index - 1) / 2;
      carry = (carry - 1) / 2;
      created.push({ level, index, hash });
    }
    this.#levels[level] = hash;
    this.#size++;
    this.#root = undefined;
    return created;
  }

  /** RFC 9162 root of the current tree; SHA-256 of the empty string for the empty tree. */
  root(): Uint8Array {
    if (this.#root === undefined) {
      let hash: Uint8Array | undefined;
      for (const node of this.#levels) {
        if (node !== undefined) hash = hash === undefined ? node : nodeHash(node, hash);
      }
      this.#root = hash ?? emptyRoot();
    }
    return this.#root;
  }

  /** The perfect nodes that make up the right edge, highest level first (the frontierCoordinates order). */
  frontierNodes(): PerfectNode[] {
    return MerkleFrontier.frontierCoordinates(this.#size).map(({ level, index }) => ({
      level,
      index,
      hash: this.#levels[level]!,
    }));
  }
}
