// Shapes of the scans, risk assessments and derivations of a data table (/api/v1/security); kept by hand
// like the datastore's.

export const SCENARIOS = ['internal-sharing', 'data-zone', 'conditional-opening', 'public-release'] as const;
/** A use the de-identified data is assessed for, loosest first; each has its own thresholds. */
export type Scenario = (typeof SCENARIOS)[number];

export type WorkState = 'queued' | 'running' | 'done' | 'failed';

export type PersonalInfo = 'none' | 'personal' | 'sensitive';

export interface RecognizerFinding {
  recognizer: string;
  matches: number;
  /** matches / values scanned */
  share: number;
  /** 0..1 */
  confidence: number;
  /** Already masked by the server. */
  examples: string[];
}

export interface ColumnScan {
  name: string;
  valuesScanned: number;
  /** Best first. */
  findings: RecognizerFinding[];
  holds?: string;
  proposal: { personalInfo: PersonalInfo; grade: string; reason: string };
}

export interface ScanReport {
  rowsScanned: number;
  columns: ColumnScan[];
}

export interface ScanView {
  id: string;
  resourceId: string;
  entryCode: string;
  version: number | null;
  sample: number | null;
  state: WorkState;
  jobId: string | null;
  report: ScanReport | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface RiskThresholds {
  k: number;
  maxProsecutor: number;
  maxJournalist: number;
  maxMarketer: number;
  maxUniqueShare: number;
  l?: number;
  t?: number;
}

export interface RecordRisk {
  highest: number;
  average: number;
  recordsAtRisk: number;
  threshold: number;
}

export interface RiskReport {
  records: number;
  classes: number;
  k: number;
  averageClassSize: number;
  uniqueShare: number;
  prosecutor: RecordRisk;
  journalist: RecordRisk & { model: string; population: number };
  marketer: number;
  lDiversity?: Record<string, { distinct: number; entropy: number }>;
  tCloseness?: Record<string, number>;
  scenario?: Scenario;
  thresholds?: RiskThresholds;
  pass?: boolean;
  failures: string[];
  notes: string[];
}

export interface RiskRequest {
  resourceId: string;
  quasiIdentifiers: string[];
  sensitive?: string[];
  scenario?: Scenario;
}

export type HierarchySpec =
  | { csv: string }
  | { ranges: number[] }
  | { dates: ('month' | 'year' | 'decade')[] }
  | { regions: true };

export type TransformSpec =
  | { kind: 'keep' }
  | { kind: 'drop' }
  | { kind: 'mask'; keepStart?: number; keepEnd?: number; char?: string }
  | { kind: 'hash'; length?: number }
  | { kind: 'generalize'; hierarchy: HierarchySpec; level: number }
  | { kind: 'range'; width: number; origin?: number }
  | { kind: 'truncate-date'; unit: 'year' | 'month' | 'day' }
  | { kind: 'noise'; distribution: 'laplace' | 'gaussian' | 'uniform'; scale: number; round?: number }
  | { kind: 'suppress' };

export interface SearchRequest {
  resourceId: string;
  hierarchies: Record<string, HierarchySpec>;
  k: number;
  l?: number;
  sensitive?: string[];
  maxSuppression: number;
}

export interface SearchResult {
  levels: Record<string, number>;
  recordsSuppressed: number;
  infoLoss: number;
  nodesChecked: number;
  latticeSize: number;
  report: RiskReport;
}

export interface DerivationRequest {
  sourceResourceId: string;
  target: { entryCode: string; name: string; description?: string };
  fields: Record<string, TransformSpec>;
  suppression?: { k: number; maxShare: number };
  risk: { quasiIdentifiers: string[]; sensitive?: string[]; scenario: Scenario };
}

export interface DerivationView {
  id: string;
  sourceResourceId: string;
  sourceVersion: number | null;
  target: { entryCode: string; name: string; resourceId: string | null; version: number | null };
  state: WorkState;
  jobId: string | null;
  rows: number | null;
  recordsSuppressed: number | null;
  risk: { quasiIdentifiers: string[]; sensitive?: string[]; scenario: Scenario } | null;
  report: RiskReport | null;
  scenarios: Partial<Record<Scenario, boolean>> | null;
  /** The strictest scenario passed, `none`, or null when the table holds no personal information. */
  clearance: string | null;
  lineage: unknown;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}
