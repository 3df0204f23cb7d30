// Full independent audit of a log dump: recomputes every leaf hash, checks the index sequence, rebuilds the
// tree and checks every signed tree head. Streaming: memory is the frontier (O(log n) hashes), the list of
// index gaps still open, and the problems found.
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { bytesEqual, fromBase64, isTreeIndex, toBase64, toHex } from './encoding.ts';
import { hashEntryJson } from './hash.ts';
import { MerkleFrontier } from './merkle-tree.ts';
import { treeHeadVerifier } from './signing.ts';
import type { SignedTreeHead } from './tree-head.ts';

/** One stored log entry. */
export interface AuditEntry {
  readonly index: number;
  /** The entry exactly as stored: its RFC 8785 canonical JSON string. */
  readonly entryJson: string;
  /** The stored leaf hash, as hex (either case) or bytes. */
  readonly leafHash: string | Uint8Array;
}

export type AuditProblemKind =
  | 'altered'
  | 'missing'
  | 'reordered'
  | 'duplicate'
  | 'bad-root'
  | 'bad-signature'
  | 'not-canonical';

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  /** The entry concerned, for entry-level problems. */
  readonly index?: number;
  /** The tree head concerned, for tree-head problems. */
  readonly treeSize?: number;
  readonly message: string;
}

export interface AuditReport {
  /** True when nothing at all was found. */
  readonly ok: boolean;
  /** Number of entries read. */
  readonly size: number;
  /** Base64 root of the tree rebuilt from the entries read. */
  readonly rootHash: string;
  readonly problems: AuditProblem[];
  /** Problems found beyond maxProblems and therefore not listed. */
  readonly omittedProblems: number;
}

export interface AuditOptions {
  /** The stored signed tree heads, in any order. */
  readonly treeHeads: Iterable<SignedTreeHead>;
  /** The log's Ed25519 public key (SPKI PEM or KeyObject). */
  readonly publicKeyPem: string | KeyObject;
  /** Also require every entryJson to be canonical JSON (default true). */
  readonly checkCanonical?: boolean;
  /** Stop listing problems after this many, counting the rest in omittedProblems (default 1000). */
  readonly maxProblems?: number;
}

export interface AuditInput extends AuditOptions {
  /** The entries in index order. */
  readonly entries: Iterable<AuditEntry>;
}

export interface AsyncAuditInput extends AuditOptions {
  readonly entries: Iterable<AuditEntry> | AsyncIterable<AuditEntry>;
}

/**
 * Audits a whole log. The tree is rebuilt from the entries in the order given, each leaf hash recomputed
 * from entryJson (the stored leafHash is only compared, never trusted), so any removed, reordered or
 * duplicated entry also shows up as 'bad-root' for the tree heads after it.
 */
export function auditLog(input: AuditInput): AuditReport {
  const auditor = new LogAuditor(input);
  for (const entry of input.entries) auditor.add(entry);
  return auditor.finish();
}

/** {@link auditLog} over an async stream, e.g. rows read from a database cursor. */
export async function auditLogAsync(input: AsyncAuditInput): Promise<AuditReport> {
  const auditor = new LogAuditor(input);
  for await (const entry of input.entries) auditor.add(entry);
  return auditor.finish();
}

/** The incremental form of {@link auditLog}: add entries in order, then finish. */
export class LogAuditor {
  readonly #frontier = new MerkleFrontier();
  readonly #heads: SignedTreeHead[];
  #nextHead = 0;
  readonly #verifySignature: (sth: SignedTreeHead) => boolean;
  readonly #checkCanonical: boolean;
  readonly #maxProblems: number;
  readonly #problems: AuditProblem[] = [];
  #omittedProblems = 0;
  // One past the largest index seen, and the ranges [start, end) below it not seen yet. An index that
  // later fills a gap was reordered; one that is neither new nor in a gap is a duplicate.
  #nextIndex = 0;
  readonly #gaps: [start: number, end: number][] = [];
  #finished = false;

  constructor(options: AuditOptions) {
    this.#verifySignature = treeHeadVerifier(options.publicKeyPem);
    this.#checkCanonical = options.checkCanonical ?? true;
    this.#maxProblems = options.maxProblems ?? 1000;
    const heads: SignedTreeHead[] = [];
    for (const head of options.treeHeads) {
      if (isTreeIndex(head.treeSize)) {
        heads.push(head);
      } else {
        this.#report({
          kind: 'bad-signature',
          message: `tree head with invalid treeSize ${String(head.treeSize)}`,
        });
      }
    }
    this.#heads = heads.sort((a, b) => a.treeSize - b.treeSize);
    this.#checkHeads();
  }

  add(entry: AuditEntry): void {
    if (this.#finished) throw new Error('LogAuditor: add after finish');
    const position = this.#frontier.size;
    const { index } = entry;
    const at = isTreeIndex(index) ? index : position;
    if (!isTreeIndex(index)) {
      this.#report({
        kind: 'reordered',
        index: position,
        message: `entry at position ${position} has index ${String(index)}`,
      });
    } else if (index === this.#nextIndex) {
      this.#nextIndex++;
    } else if (index > this.#nextIndex) {
      this.#gaps.push([this.#nextIndex, index]);
      this.#nextIndex = index + 1;
    } else if (this.#fillGap(index)) {
      this.#report({
        kind: 'reordered',
        index,
        message: `entry ${index} comes after entry ${this.#nextIndex - 1}`,
      });
    } else {
      this.#report({ kind: 'duplicate', index, message: `entry ${index} appears more than once` });
    }

    const leaf = hashEntryJson(entry.entryJson);
    const stored = entry.leafHash;
    const matches =
      typeof stored === 'string' ? toHex(leaf) === stored.toLowerCase() : bytesEqual(leaf, stored);
    if (!matches) {
      this.#report({
        kind: 'altered',
        index: at,
        message: `entry ${at} does not hash to its stored leaf hash`,
      });
    }
    if (this.#checkCanonical) this.#checkCanonicalJson(entry.entryJson, at);

    this.#frontier.append(leaf);
    this.#checkHeads();
  }

  finish(): AuditReport {
    if (!this.#finished) {
      this.#finished = true;
      for (const [start, end] of this.#gaps) {
        const message =
          end - start === 1 ? `entry ${start} is missing` : `entries ${start} to ${end - 1} are missing`;
        this.#report({ kind: 'missing', index: start, message });
      }
      const size = this.#frontier.size;
      for (; this.#nextHead < this.#heads.length; this.#nextHead++) {
        const head = this.#heads[this.#nextHead]!;
        this.#checkSignature(head);
        this.#report({
          kind: 'missing',
          treeSize: head.treeSize,
          message: `tree head for size ${head.treeSize} but the log has only ${size} entries`,
        });
      }
    }
    return {
      ok: this.#problems.length === 0 && this.#omittedProblems === 0,
      size: this.#frontier.size,
      rootHash: toBase64(this.#frontier.root()),
      problems: this.#problems,
      omittedProblems: this.#omittedProblems,
    };
  }

  #fillGap(index: number): boolean {
    for (let i = 0; i < this.#gaps.length; i++) {
      const [start, end] = this.#gaps[i]!;
      if (index < start || index >= end) continue;
      const pieces: [number, number][] = [];
      if (start < index) pieces.push([start, index]);
      if (index + 1 < end) pieces.push([index + 1, end]);
      this.#gaps.splice(i, 1, ...pieces);
      return true;
    }
    return false;
  }

  #checkCanonicalJson(entryJson: string, index: number): void {
    let canonical: string;
    try {
      canonical = canonicalJson(JSON.parse(entryJson));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#report({
        kind: 'not-canonical',
        index,
        message: `entry ${index} is not valid canonical JSON: ${reason}`,
      });
      return;
    }
    if (canonical !== entryJson) {
      this.#report({
        kind: 'not-canonical',
        index,
        message: `entry ${index} is not in RFC 8785 canonical form`,
      });
    }
  }

  // Checks every tree head whose size the rebuilt tree has just reached.
  #checkHeads(): void {
    const size = this.#frontier.size;
    while (this.#nextHead < this.#heads.length && this.#heads[this.#nextHead]!.treeSize === size) {
      const head = this.#heads[this.#nextHead++]!;
      this.#checkSignature(head);
      const actual = this.#frontier.root();
      let claimed: Uint8Array | undefined;
      try {
        claimed = fromBase64(head.rootHash);
      } catch {
        claimed = undefined;
      }
      if (claimed === undefined || !bytesEqual(claimed, actual)) {
        this.#report({
          kind: 'bad-root',
          treeSize: size,
          message: `tree head for size ${size} has root ${String(head.rootHash)}, the entries give ${toBase64(actual)}`,
        });
      }
    }
  }

  #checkSignature(head: SignedTreeHead): void {
    if (!this.#verifySignature(head)) {
      this.#report({
        kind: 'bad-signature',
        treeSize: head.treeSize,
        message: `tree head for size ${head.treeSize} (keyId ${String(head.keyId)}) does not verify with the log's key`,
      });
    }
  }

  #report(problem: AuditProblem): void {
    if (this.#problems.length < this.#maxProblems) this.#problems.push(problem);
    else this.#omittedProblems++;
  }
}
