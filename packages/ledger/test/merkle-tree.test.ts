import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  consistencyProofCoordinates,
  emptyRoot,
  fromHex,
  type GetNode,
  inclusionProof,
  inclusionProofCoordinates,
  leafHash,
  MerkleFrontier,
  type NodeCoordinate,
  nodeGetter,
  nodeHash,
  type PerfectNode,
  rootAt,
  rootCoordinates,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';
import { ReferenceTree, refLeafHash } from './reference-tree.ts';

const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map(toHex);

function leafData(i: number): Uint8Array {
  return new TextEncoder().encode(`leaf ${i}`);
}

/** Appends `count` leaves, keeping every perfect node the frontier reports. */
function buildStore(count: number): { nodes: Map<string, Uint8Array>; getNode: GetNode; ref: ReferenceTree } {
  const frontier = new MerkleFrontier();
  const all: PerfectNode[] = [];
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const leaf = leafHash(leafData(i));
    leaves.push(leaf);
    all.push(...frontier.append(leaf));
  }
  const nodes = new Map(all.map((n) => [`${n.level}/${n.index}`, n.hash]));
  return { nodes, getNode: nodeGetter(all), ref: new ReferenceTree(leaves) };
}

function recording(getNode: GetNode): { getNode: GetNode; reads: NodeCoordinate[] } {
  const reads: NodeCoordinate[] = [];
  return {
    reads,
    getNode: (level, index) => {
      reads.push({ level, index });
      return getNode(level, index);
    },
  };
}

const N = 70;
const store = buildStore(N);

describe('RFC 6962 reference vectors', () => {
  // Leaves and expected hashes of the Certificate Transparency reference tests (transparency-dev/merkle).
  const inputs = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ];
  const roots = [
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  const nodeHashes = [
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
      '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
    ],
    [
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    ],
    [
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
    ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
  ];
  const frontier = new MerkleFrontier();
  const created: PerfectNode[] = [];
  const rootsSeen = [toHex(frontier.root())];
  for (const input of inputs) {
    created.push(...frontier.append(leafHash(fromHex(input))));
    rootsSeen.push(toHex(frontier.root()));
  }
  const getNode = nodeGetter(created);

  it('produces the reference roots for sizes 0..8', () => {
    expect(rootsSeen).toEqual(roots);
    for (let size = 0; size <= 8; size++) expect(toHex(rootAt(size, getNode))).toBe(roots[size]);
  });

  it('stores exactly the reference perfect nodes', () => {
    const byLevel: string[][] = [];
    for (const node of created) {
      const level = byLevel[node.level] ?? [];
      level[node.index] = toHex(node.hash);
      byLevel[node.level] = level;
    }
    expect(byLevel).toEqual(nodeHashes);
  });

  it('produces the reference inclusion proofs', () => {
    const vectors: [number, number, string[]][] = [
      [0, 1, []],
      [0, 2, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7']],
      [1, 2, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d']],
      [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
      [
        1,
        5,
        [
          '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        ],
      ],
      [
        0,
        8,
        [
          '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      ],
      [
        5,
        8,
        [
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      ],
    ];
    for (const [index, size, proof] of vectors) {
      expect(hex(inclusionProof(index, size, getNode))).toEqual(proof);
      const leaf = fromHex(nodeHashes[0]![index]!);
      expect(verifyInclusion(leaf, index, size, proof.map(fromHex), fromHex(roots[size]!))).toBe(true);
    }
  });

  it('produces the reference consistency proofs', () => {
    const vectors: [number, number, string[]][] = [
      [1, 1, []],
      [
        1,
        8,
        [
          '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      ],
      [
        6,
        8,
        [
          '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      ],
      [
        2,
        5,
        [
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        ],
      ],
    ];
    for (const [m, n, proof] of vectors) {
      expect(hex(consistencyProof(m, n, getNode))).toEqual(proof);
      expect(verifyConsistency(m, n, fromHex(roots[m]!), fromHex(roots[n]!), proof.map(fromHex))).toBe(true);
    }
  });
});

describe('perfect-node tree against the recursive reference (sizes up to 70)', () => {
  it('stores every perfect node and nothing else', () => {
    let expected = 0;
    for (let level = 0; 2 ** level <= N; level++) {
      const width = 2 ** level;
      for (let index = 0; (index + 1) * width <= N; index++) {
        expected++;
        expect(toHex(store.nodes.get(`${level}/${index}`)!)).toBe(
          toHex(store.ref.mth(index * width, (index + 1) * width)),
        );
      }
    }
    expect(store.nodes.size).toBe(expected);
  });

  it('computes every root, from the frontier and from stored nodes', () => {
    const frontier = new MerkleFrontier();
    for (let size = 0; size <= N; size++) {
      const expected = toHex(store.ref.mth(0, size));
      expect(toHex(frontier.root())).toBe(expected);
      const reads = recording(store.getNode);
      expect(toHex(rootAt(size, reads.getNode))).toBe(expected);
      expect(reads.reads).toEqual(rootCoordinates(size));
      if (size < N) frontier.append(store.ref.leaves[size]!);
    }
  });

  it('produces every inclusion proof and reads exactly the announced coordinates', () => {
    for (let size = 1; size <= N; size++) {
      for (let index = 0; index < size; index++) {
        const reads = recording(store.getNode);
        const proof = inclusionProof(index, size, reads.getNode);
        expect(hex(proof)).toEqual(hex(store.ref.path(index, 0, size)));
        expect(reads.reads).toEqual(inclusionProofCoordinates(index, size));
      }
    }
  });

  it('produces every consistency proof and reads exactly the announced coordinates', () => {
    for (let newSize = 0; newSize <= N; newSize++) {
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const reads = recording(store.getNode);
        const proof = consistencyProof(oldSize, newSize, reads.getNode);
        const expected = oldSize === 0 || oldSize === newSize ? [] : store.ref.proof(oldSize, newSize);
        expect(hex(proof)).toEqual(hex(expected));
        expect(reads.reads).toEqual(consistencyProofCoordinates(oldSize, newSize));
      }
    }
  });

  it('agrees with the reference on random proofs in a larger tree', () => {
    const big = buildStore(3000);
    let seed = 42;
    const random = (below: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    for (let i = 0; i < 300; i++) {
      const size = 1 + random(3000);
      const index = random(size);
      expect(hex(inclusionProof(index, size, big.getNode))).toEqual(hex(big.ref.path(index, 0, size)));
      const oldSize = 1 + random(size);
      const expected = oldSize === size ? [] : big.ref.proof(oldSize, size);
      expect(hex(consistencyProof(oldSize, size, big.getNode))).toEqual(hex(expected));
      expect(toHex(rootAt(size, big.getNode))).toBe(toHex(big.ref.mth(0, size)));
    }
  });

  it('rejects out-of-range arguments', () => {
    expect(() => inclusionProof(5, 5, store.getNode)).toThrow(RangeError);
    expect(() => inclusionProof(-1, 5, store.getNode)).toThrow(RangeError);
    expect(() => inclusionProof(0, 0, store.getNode)).toThrow(RangeError);
    expect(() => inclusionProof(1.5, 5, store.getNode)).toThrow(RangeError);
    expect(() => consistencyProof(6, 5, store.getNode)).toThrow(RangeError);
    expect(() => rootAt(-1, store.getNode)).toThrow(RangeError);
    expect(() => rootAt(N + 1, store.getNode)).toThrow(/not fetched/);
  });
});

describe('MerkleFrontier', () => {
  it('reports the new perfect nodes on append', () => {
    const frontier = new MerkleFrontier();
    const a = refLeafHash(Uint8Array.of(1));
    const b = refLeafHash(Uint8Array.of(2));
    const c = refLeafHash(Uint8Array.of(3));
    expect(frontier.append(a)).toEqual([{ level: 0, index: 0, hash: a }]);
    const second = frontier.append(b);
    expect(second.map(({ level, index }) => [level, index])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(toHex(second[1]!.hash)).toBe(toHex(nodeHash(a, b)));
    expect(frontier.append(c).map(({ level, index }) => [level, index])).toEqual([[0, 2]]);
    expect(frontier.size).toBe(3);
    expect(toHex(frontier.root())).toBe(toHex(nodeHash(nodeHash(a, b), c)));
  });

  it('has the empty-tree root when empty', () => {
    expect(toHex(new MerkleFrontier().root())).toBe(toHex(emptyRoot()));
  });

  it('lists frontier coordinates by set bits of the size, highest first', () => {
    expect(MerkleFrontier.frontierCoordinates(0)).toEqual([]);
    expect(MerkleFrontier.frontierCoordinates(1)).toEqual([{ level: 0, index: 0 }]);
    expect(MerkleFrontier.frontierCoordinates(6)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
    ]);
    expect(MerkleFrontier.frontierCoordinates(13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(MerkleFrontier.frontierCoordinates(2 ** 40 + 1)).toEqual([
      { level: 40, index: 0 },
      { level: 0, index: 2 ** 40 },
    ]);
  });

  it('resumes from stored frontier nodes at every size and continues identically', () => {
    const live = new MerkleFrontier();
    for (let size = 0; size <= N; size++) {
      const resumed = MerkleFrontier.fromGetter(size, store.getNode);
      expect(resumed.size).toBe(size);
      expect(toHex(resumed.root())).toBe(toHex(live.root()));
      expect(resumed.frontierNodes().map((n) => [n.level, n.index, toHex(n.hash)])).toEqual(
        live.frontierNodes().map((n) => [n.level, n.index, toHex(n.hash)]),
      );
      const copy = new MerkleFrontier(size, [...live.frontierNodes()].reverse());
      if (size < N) {
        const leaf = store.ref.leaves[size]!;
        const a = resumed.append(leaf);
        const b = copy.append(leaf);
        const c = live.append(leaf);
        expect(hex(a.map((n) => n.hash))).toEqual(hex(c.map((n) => n.hash)));
        expect(hex(b.map((n) => n.hash))).toEqual(hex(c.map((n) => n.hash)));
      }
    }
  });

  it('rejects a frontier with the wrong nodes', () => {
    const nodes = MerkleFrontier.fromGetter(6, store.getNode).frontierNodes();
    expect(() => new MerkleFrontier(6, nodes.slice(1))).toThrow(/needs 2 nodes/);
    expect(() => new MerkleFrontier(7, nodes)).toThrow();
    expect(() => new MerkleFrontier(6, [nodes[0]!, { ...nodes[1]!, index: 1 }])).toThrow(
      /needs node \(1, 2\)/,
    );
    expect(() => new MerkleFrontier(6, [nodes[0]!, { ...nodes[1]!, hash: new Uint8Array(31) }])).toThrow(
      /32-byte/,
    );
    expect(() => new MerkleFrontier().append(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});

describe('large trees', () => {
  // A tree whose leaves are all equal has one distinct node hash per level, so trees of any size can be
  // served without storing them.
  const levels = [leafHash(new Uint8Array(0))];
  for (let level = 1; level <= 53; level++) levels.push(nodeHash(levels[level - 1]!, levels[level - 1]!));
  const uniform: GetNode = (level, index) => {
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`bad index ${index}`);
    return levels[level]!;
  };

  const sizes = [1_000_000, 1_048_576, 1_048_577, 2 ** 32 + 3, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER];

  it('computes proofs that verify, with O(log n) reads inside the tree', () => {
    for (const size of sizes) {
      const root = rootAt(size, uniform);
      const logSize = Math.ceil(Math.log2(size));
      for (const index of [0, 1, Math.floor(size / 3), size - 2, size - 1]) {
        const coordinates = inclusionProofCoordinates(index, size);
        expect(coordinates.length).toBeLessThanOrEqual(2 * logSize + 1);
        for (const { level, index: i } of coordinates) expect((i + 1) * 2 ** level).toBeLessThanOrEqual(size);
        const proof = inclusionProof(index, size, uniform);
        expect(verifyInclusion(levels[0]!, index, size, proof, root)).toBe(true);
      }
      for (const oldSize of [1, 2, 3, 999_999, Math.floor(size / 2) + 1, size - 1]) {
        if (oldSize >= size) continue;
        const coordinates = consistencyProofCoordinates(oldSize, size);
        expect(coordinates.length).toBeLessThanOrEqual(2 * logSize + 2);
        for (const { level, index: i } of coordinates) expect((i + 1) * 2 ** level).toBeLessThanOrEqual(size);
        const proof = consistencyProof(oldSize, size, uniform);
        expect(verifyConsistency(oldSize, size, rootAt(oldSize, uniform), root, proof)).toBe(true);
      }
    }
  });

  it('computes a proof at 1,000,000 entries in well under a millisecond', () => {
    const size = 1_000_000;
    const rounds = 2000;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) {
      inclusionProof((i * 7919) % size, size, uniform);
      consistencyProof(1 + ((i * 104729) % (size - 1)), size, uniform);
    }
    const perPair = (performance.now() - start) / rounds;
    expect(perPair).toBeLessThan(0.5);
  });
});
