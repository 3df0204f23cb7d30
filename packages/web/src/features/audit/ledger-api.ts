import { api } from '../../api/client.ts';
import type { InclusionProof, LedgerEntry, LedgerPublicKey, Page, SignedTreeHead } from '../../api/types.ts';
import type { LedgerSource } from './verify-entry.ts';

export const ledgerApi = {
  entries: (offset: number, limit: number, signal?: AbortSignal) =>
    api.get<Page<LedgerEntry>>('/api/v1/ledger/entries', { offset, limit, order: 'desc' }, signal),
  treeHead: () => api.get<SignedTreeHead>('/api/v1/ledger/sth'),
  publicKey: () => api.get<LedgerPublicKey>('/api/v1/ledger/public-key'),
  inclusionProof: (index: number, treeSize: number) =>
    api.get<InclusionProof>('/api/v1/ledger/proof/inclusion', { index, treeSize }),
};

export const httpLedgerSource: LedgerSource = {
  treeHead: ledgerApi.treeHead,
  publicKey: ledgerApi.publicKey,
  inclusionProof: ledgerApi.inclusionProof,
};

export interface ParsedEntry {
  time?: string;
  actor?: { type: string; id: string };
  action?: string;
  objects: { type: string; id: string }[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isRef(value: unknown): value is { type: string; id: string } {
  return isRecord(value) && typeof value.type === 'string' && typeof value.id === 'string';
}

/** Reads the canonical entry text for display; a malformed entry still shows (and fails verification). */
export function parseEntry(text: string): ParsedEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { objects: [] };
  }
  if (!isRecord(value)) return { objects: [] };
  const parsed: ParsedEntry = {
    objects: Array.isArray(value.objects) ? value.objects.filter(isRef) : [],
  };
  if (typeof value.time === 'string') parsed.time = value.time;
  if (isRef(value.actor)) parsed.actor = value.actor;
  if (typeof value.action === 'string') parsed.action = value.action;
  return parsed;
}

/** Pretty form of the canonical text, for reading only; hashes are always over the original text. */
export function prettyEntry(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
