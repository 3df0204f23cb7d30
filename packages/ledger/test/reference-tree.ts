// A direct transcription of the recursive RFC 9162 §2.1 definitions (MTH, PATH, PROOF/SUBPROOF), used as
// the oracle for the perfect-node implementation. Deliberately naive apart from memoising MTH.
import { createHash } from 'node:crypto';

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

export function refLeafHash(data: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0), data);
}

export function refNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(1), left, right);
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export class ReferenceTree {
  readonly leaves: Uint8Array[];
  readonly #memo = new Map<string, Uint8Array>();

  constructor(leafHashes: Uint8Array[]) {
    this.leaves = leafHashes;
  }

  /** MTH(D[start:end]). */
  mth(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return sha256();
    if (n === 1) return this.leaves[start]!;
    const key = `${start}:${end}`;
    let hash = this.#memo.get(key);
    if (hash === undefined) {
      const k = largestPowerOfTwoBelow(n);
      hash = refNodeHash(this.mth(start, start + k), this.mth(start + k, end));
      this.#memo.set(key, hash);
    }
    return hash;
  }

  /** PATH(m, D[start:end]) with m relative to start. */
  path(m: number, start: number, end: number): Uint8Array[] {
    const n = end - start;
    if (n <= 1) return [];
    const k = largestPowerOfTwoBelow(n);
    if (m < k) return [...this.path(m, start, start + k), this.mth(start + k, end)];
    return [...this.path(m - k, start + k, end), this.mth(start, start + k)];
  }

  /** Which side each PATH element is on ('L' = sibling on the left), in proof order. */
  pathSides(m: number, n: number): string {
    if (n <= 1) return '';
    const k = largestPowerOfTwoBelow(n);
    return m < k ? `${this.pathSides(m, k)}R` : `${this.pathSides(m - k, n - k)}L`;
  }

  /** SUBPROOF(m, D[start:end], b) with m relative to start. */
  subproof(m: number, start: number, end: number, b: boolean): Uint8Array[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...this.subproof(m, start, start + k, b), this.mth(start + k, end)];
    return [...this.subproof(m - k, start + k, end, false), this.mth(start, start + k)];
  }

  /** PROOF(m, D[n]) for 0 < m < n. */
  proof(m: number, n: number): Uint8Array[] {
    return this.subproof(m, 0, n, true);
  }
}
