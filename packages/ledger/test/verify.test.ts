import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  nodeGetter,
  type PerfectNode,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';
import {
  hashEntryJsonAsync,
  leafHashAsync,
  nodeHashAsync,
  verifyConsistencyAsync,
  verifyInclusionAsync,
} from '../src/verify.ts';
import { ReferenceTree } from './reference-tree.ts';

const N = 40;
const frontier = new MerkleFrontier();
const created: PerfectNode[] = [];
const leaves: Uint8Array[] = [];
const roots: Uint8Array[] = [frontier.root()];
for (let i = 0; i < N; i++) {
  const leaf = leafHash(new TextEncoder().encode(`entry ${i}`));
  leaves.push(leaf);
  created.push(...frontier.append(leaf));
  roots.push(frontier.root());
}
const getNode = nodeGetter(created);
const ref = new ReferenceTree(leaves);

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

function withFlippedElement(proof: Uint8Array[], element: number, bit: number): Uint8Array[] {
  return proof.map((hash, i) => (i === element ? flipBit(hash, bit) : hash));
}

describe('verifyInclusion', () => {
  it('accepts every correct proof and rejects flipped bits, wrong leaves, indexes and roots', () => {
    for (let size = 1; size <= N; size++) {
      const root = roots[size]!;
      for (let index = 0; index < size; index++) {
        const leaf = leaves[index]!;
        const proof = inclusionProof(index, size, getNode);
        expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        for (let element = 0; element < proof.length; element++) {
          const bit = (index * 31 + element * 7) % 256;
          expect(verifyInclusion(leaf, index, size, withFlippedElement(proof, element, bit), root)).toBe(
            false,
          );
        }
        expect(verifyInclusion(flipBit(leaf, index % 256), index, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flipBit(root, 255 - (index % 256)))).toBe(false);
        for (let other = 0; other < size; other++) {
          if (other !== index) expect(verifyInclusion(leaf, other, size, proof, root)).toBe(false);
        }
        if (proof.length > 0)
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, [...proof, leaf], root)).toBe(false);
      }
    }
  });

  it('rejects a wrong tree size unless the proof has the same shape in both trees', () => {
    // RFC 9162 proofs do not bind the tree size on their own (the signed tree head does): the same hash
    // chain is valid for every size in which the leaf's path has the same sides. Anything else must fail.
    for (let size = 1; size <= N; size++) {
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, size, getNode);
        const sides = ref.pathSides(index, size);
        for (let claimed = 0; claimed <= N + 2; claimed++) {
          if (claimed === size) continue;
          const sameShape = index < claimed && ref.pathSides(index, claimed) === sides;
          expect(verifyInclusion(leaves[index]!, index, claimed, proof, roots[size]!)).toBe(sameShape);
        }
      }
    }
  });

  it('rejects malformed input instead of throwing', () => {
    const proof = inclusionProof(3, 10, getNode);
    expect(verifyInclusion(leaves[3]!, 10, 10, proof, roots[10]!)).toBe(false);
    expect(verifyInclusion(leaves[3]!, -1, 10, proof, roots[10]!)).toBe(false);
    expect(verifyInclusion(leaves[3]!, 3.5, 10, proof, roots[10]!)).toBe(false);
    expect(verifyInclusion(leaves[3]!, 3, Number.NaN, proof, roots[10]!)).toBe(false);
    expect(verifyInclusion(leaves[3]!.subarray(1), 3, 10, proof, roots[10]!)).toBe(false);
    expect(verifyInclusion(leaves[3]!, 3, 10, [...proof.slice(1), new Uint8Array(33)], roots[10]!)).toBe(
      false,
    );
    expect(verifyInclusion(leaves[0]!, 0, 1, [], leaves[0]!)).toBe(true);
  });
});

describe('verifyConsistency', () => {
  it('accepts every correct proof and rejects flipped bits, wrong roots, sizes and lengths', () => {
    for (let newSize = 1; newSize <= N; newSize++) {
      for (let oldSize = 1; oldSize < newSize; oldSize++) {
        const oldRoot = roots[oldSize]!;
        const newRoot = roots[newSize]!;
        const proof = consistencyProof(oldSize, newSize, getNode);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true);
        for (let element = 0; element < proof.length; element++) {
          const bit = (oldSize * 13 + element * 5) % 256;
          const tampered = withFlippedElement(proof, element, bit);
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, tampered)).toBe(false);
        }
        expect(verifyConsistency(oldSize, newSize, flipBit(oldRoot, 3), newRoot, proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, flipBit(newRoot, 200), proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, newRoot, oldRoot, proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof.slice(1))).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, [...proof, oldRoot])).toBe(false);
        expect(verifyConsistency(newSize, oldSize, newRoot, oldRoot, proof)).toBe(false);
        // The old size is bound through oldRoot; a different old size with the right root for it fails.
        for (let other = 1; other < newSize; other++) {
          if (other === oldSize) continue;
          const expectLength = ref.proof(other, newSize).length;
          if (expectLength !== proof.length) {
            expect(verifyConsistency(other, newSize, roots[other]!, newRoot, proof)).toBe(false);
          }
        }
        for (let other = oldSize + 1; other <= N; other++) {
          if (other === newSize) continue;
          if (ref.proof(oldSize, other).length !== proof.length) {
            expect(verifyConsistency(oldSize, other, oldRoot, newRoot, proof)).toBe(false);
          }
        }
      }
    }
  });

  it('handles equal sizes and the empty tree', () => {
    expect(verifyConsistency(5, 5, roots[5]!, roots[5]!, [])).toBe(true);
    expect(verifyConsistency(5, 5, roots[5]!, roots[6]!, [])).toBe(false);
    expect(verifyConsistency(5, 5, roots[5]!, roots[5]!, [roots[5]!])).toBe(false);
    expect(verifyConsistency(0, 7, emptyRoot(), roots[7]!, [])).toBe(true);
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [])).toBe(true);
    expect(verifyConsistency(0, 7, roots[1]!, roots[7]!, [])).toBe(false);
    expect(verifyConsistency(0, 7, emptyRoot(), roots[7]!, [roots[7]!])).toBe(false);
    expect(verifyConsistency(3, 7, roots[3]!, roots[7]!, [])).toBe(false);
    expect(verifyConsistency(-1, 7, roots[3]!, roots[7]!, [])).toBe(false);
  });
});

describe('WebCrypto verifiers', () => {
  it('hash like the node:crypto ones', async () => {
    const data = new TextEncoder().encode('{"a":"é"}');
    expect(toHex(await leafHashAsync(data))).toBe(toHex(leafHash(data)));
    expect(toHex(await hashEntryJsonAsync('{"a":"é"}'))).toBe(toHex(leafHash(data)));
    expect(toHex(await nodeHashAsync(leaves[0]!, leaves[1]!))).toBe(toHex(ref.mth(0, 2)));
  });

  it('agree with the synchronous verifiers on correct and tampered proofs', async () => {
    let checked = 0;
    for (let size = 1; size <= N; size += 3) {
      for (let index = 0; index < size; index += 2) {
        const proof = inclusionProof(index, size, getNode);
        const cases: [Uint8Array, number, number, Uint8Array[], Uint8Array][] = [
          [leaves[index]!, index, size, proof, roots[size]!],
          [leaves[index]!, (index + 1) % size, size, proof, roots[size]!],
          [leaves[index]!, index, size + 1, proof, roots[size]!],
          [
            leaves[index]!,
            index,
            size,
            proof.length > 0 ? withFlippedElement(proof, 0, 9) : proof,
            roots[size]!,
          ],
          [leaves[index]!, index, size, proof, roots[size === 1 ? 2 : size - 1]!],
        ];
        for (const args of cases) {
          expect(await verifyInclusionAsync(...args)).toBe(verifyInclusion(...args));
          checked++;
        }
      }
      for (let oldSize = 0; oldSize <= size; oldSize += 2) {
        const proof = consistencyProof(oldSize, size, getNode);
        const cases: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
          [oldSize, size, roots[oldSize]!, roots[size]!, proof],
          [oldSize, size + 1, roots[oldSize]!, roots[size]!, proof],
          [oldSize, size, roots[oldSize]!, flipBit(roots[size]!, 1), proof],
          [
            oldSize,
            size,
            roots[oldSize]!,
            roots[size]!,
            proof.length > 0 ? withFlippedElement(proof, 0, 77) : proof,
          ],
        ];
        for (const args of cases) {
          expect(await verifyConsistencyAsync(...args)).toBe(verifyConsistency(...args));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe('browser entry point', () => {
  it('does not import node modules, directly or transitively', () => {
    const src = join(dirname(fileURLToPath(import.meta.url)), '../src');
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(src, file), 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+'([^']+)'/gm)) {
        const target = match[1]!;
        expect(target.startsWith('.'), `${file} imports ${target}`).toBe(true);
        visit(target.replace(/^\.\//, ''));
      }
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, file).not.toMatch(/\bBuffer\b|\brequire\(|node:/);
    };
    visit('verify.ts');
    expect([...seen].sort()).toEqual([
      'canonical-json.ts',
      'encoding.ts',
      'tree-head.ts',
      'tree-math.ts',
      'verify-core.ts',
      'verify.ts',
    ]);
  });
});
