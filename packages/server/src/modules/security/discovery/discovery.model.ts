import type { Grade } from '../../catalog/index.ts';

/** What a column may hold, one recogniser each. */
export const RECOGNIZER_IDS = [
  'resident-id',
  'credit-code',
  'mobile',
  'email',
  'bank-card',
  'passport',
  'vehicle-plate',
  'ipv4',
  'ipv6',
  'coordinates',
  'person-name',
  'address',
] as const;
export type RecognizerId = (typeof RECOGNIZER_IDS)[number];

/** A column as the scanner sees it: its name, and the title and description a schema may give. */
export interface ScanField {
  name: string;
  title?: string;
  description?: string;
}

export interface ScanOptions {
  /** Masked examples kept per finding (default 3, 0 for none). */
  examples?: number;
}

/** One recogniser's result over one column. */
export interface RecognizerFinding {
  recognizer: RecognizerId;
  /** Non-empty values the recogniser accepted. */
  matches: number;
  /** matches / values scanned. */
  share: number;
  /** 0..1: the values' scores, raised by context words, combined with the share. */
  confidence: number;
  /** Masked, distinct, in the order met. */
  examples: string[];
}

/** What the scanner proposes for the catalog's information item; the data owner accepts or corrects it. */
export interface FieldProposal {
  personalInfo: 'none' | 'personal' | 'sensitive';
  grade: Grade;
  reason: string;
}

export interface ColumnScan {
  name: string;
  /** Non-empty values scanned. */
  valuesScanned: number;
  /** Best first. */
  findings: RecognizerFinding[];
  /** The best finding when its confidence reaches HOLD_CONFIDENCE. */
  holds?: RecognizerId;
  proposal: FieldProposal;
}

export interface ScanReport {
  rowsScanned: number;
  columns: ColumnScan[];
}
