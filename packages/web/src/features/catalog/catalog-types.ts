// Shapes of the catalog API (packages/server/src/modules/catalog/catalog.schemas.ts), kept by hand.

/** Chinese is the reference language; English and French are optional translations. */
export interface LocalizedText {
  zh: string;
  en?: string;
  fr?: string;
}

export const CLASSIFICATIONS = ['base', 'thematic', 'departmental'] as const;
export const SHARE_TYPES = ['unconditional', 'conditional', 'not_shared'] as const;
export const OPEN_TYPES = ['unconditional', 'conditional', 'not_open'] as const;
export const UPDATE_CYCLES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
  'irregular',
] as const;
/** Highest first, as GB/T 43697-2024 orders them. */
export const GRADES = ['core', 'important', 'general-4', 'general-3', 'general-2', 'general-1'] as const;
export const PERSONAL_INFO = ['none', 'personal', 'sensitive'] as const;
export const FIELD_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'time',
  'year',
  'geopoint',
  'geojson',
  'object',
  'array',
] as const;
export const DISTRIBUTION_KINDS = ['file', 'api', 'datastore'] as const;
export const ENTRY_STATES = ['draft', 'submitted', 'returned', 'published', 'retired'] as const;

export type Classification = (typeof CLASSIFICATIONS)[number];
export type ShareType = (typeof SHARE_TYPES)[number];
export type OpenType = (typeof OPEN_TYPES)[number];
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];
export type Grade = (typeof GRADES)[number];
export type PersonalInfo = (typeof PERSONAL_INFO)[number];
export type FieldType = (typeof FIELD_TYPES)[number];
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];
export type EntryState = (typeof ENTRY_STATES)[number];

export interface InformationItem {
  name: string;
  title?: LocalizedText;
  type: FieldType;
  description?: string;
  grade: Grade;
  personalInfo: PersonalInfo;
}

export interface Distribution {
  id: string;
  kind: DistributionKind;
  title: LocalizedText;
  format: string;
  url?: string;
  mediaType?: string;
  byteSize?: number;
  description?: string;
}

export interface EntryMetadata {
  code?: string;
  title: LocalizedText;
  summary: LocalizedText;
  organizationId: string;
  providerCreditCode: string;
  classification: Classification;
  theme: string;
  keywords: string[];
  formats: string[];
  informationItems: InformationItem[];
  shareType: ShareType;
  shareCondition?: string;
  shareMethod?: string;
  openType: OpenType;
  openCondition?: string;
  updateCycle: UpdateCycle;
  releaseDate?: string;
  lastUpdate?: string;
  relatedCodes: string[];
  license?: string;
  contactPoint?: { name: string; email?: string; phone?: string };
  spatialCoverage?: string;
  temporalCoverage?: { start?: string; end?: string };
  grade: Grade;
  distributions: Distribution[];
  extras?: Record<string, string | number | boolean | string[]>;
  sourceUri?: string;
}

export interface Provider {
  id: string;
  code: string;
  name: string;
  nameEn?: string;
  creditCode: string;
}

export interface CatalogRecord {
  id: string;
  code: string;
  state: EntryState;
  version: number;
  metadata: EntryMetadata;
  provider: Provider;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  usageCount: number;
}

export interface QualityIssue {
  kind: string;
  severity: number;
  amount?: number;
}

export interface QualityReport {
  score: number;
  completeness: number;
  fieldsDescribed: number;
  hasLicense: boolean;
  hasContact: boolean;
  timely: boolean;
  daysOverdue: number;
  issues: QualityIssue[];
}

export interface EntryDetail {
  entry: CatalogRecord;
  published: boolean;
  working?: { version: number; state: EntryState; metadata: EntryMetadata };
  returned?: { submissionId: string; comment?: string; entryComment?: string; at: string };
  quality: QualityReport;
  can: { edit: boolean; submit: boolean; answerObjections: boolean; fileObjection: boolean };
}

export interface FacetValue {
  value: string;
  count: number;
}

export const FACET_NAMES = [
  'organization',
  'theme',
  'format',
  'openType',
  'shareType',
  'grade',
  'updateCycle',
  'license',
  'keyword',
] as const;
export type FacetName = (typeof FACET_NAMES)[number];

export interface EntrySummary {
  id: string;
  code: string;
  version: number;
  title: LocalizedText;
  summary: LocalizedText;
  provider: Provider;
  theme: string;
  keywords: string[];
  formats: string[];
  openType: string;
  shareType: string;
  grade: string;
  updateCycle: string;
  license?: string;
  lastUpdate?: string;
  publishedAt: string;
  updatedAt: string;
  usageCount: number;
  qualityScore: number;
}

export interface SearchResult {
  total: number;
  /** The total and the facet counts are estimates from a sample of the matches. */
  approximate?: boolean;
  offset: number;
  limit: number;
  items: EntrySummary[];
  /** Every facet the server counts; the page shows those of FACET_NAMES. */
  facets: Partial<Record<string, FacetValue[]>>;
}

export interface Version {
  version: number;
  action: string;
  actor: string;
  contentHash: string;
  ledgerIndex: number;
  createdAt: string;
  publishedAt?: string;
  publishLedgerIndex?: number;
  current: boolean;
}

export interface VersionContent {
  version: number;
  metadata: EntryMetadata;
  contentHash: string;
  createdAt: string;
}

export interface VersionProof {
  version: number;
  contentHash: string;
  ledgerEntry: { index: number; leafHash: string; entry: string; recordedAt: string };
  treeHead: { treeSize: number; rootHash: string; timestamp: string; keyId: string; signature: string };
  inclusion: { index: number; treeSize: number; leafHash: string; auditPath: string[] };
}

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

export interface Diff {
  from: number;
  to: number;
  changes: Change[];
}

export type ObjectionState = 'open' | 'accepted' | 'rejected';

export interface Objection {
  id: string;
  entryId: string;
  organizationId: string;
  field?: string;
  message: string;
  state: string;
  response?: string;
  createdAt: string;
  answeredAt?: string;
  responseHours?: number;
  reporterId?: string;
}

export interface Submission {
  id: string;
  organizationId: string;
  state: string;
  entries: { entryId: string; version: number }[];
  /** The institution's note with its submission. */
  comment?: string;
  /** The reviewer's comment with the decision. */
  reviewComment?: string;
  entryComments: { entryId: string; comment: string }[];
  submittedBy: string;
  submittedAt: string;
  reviewedBy?: string;
  reviewedAt?: string;
}

export interface SubmissionItem {
  entryId: string;
  code: string;
  version: number;
  title: LocalizedText;
  state: string;
  previousVersion?: number;
  problems: { path: string; message: string }[];
  quality: number;
}

export interface SubmissionDetail extends Submission {
  items: SubmissionItem[];
}

export interface Institution {
  id: string;
  code: string;
  name: string;
  nameEn?: string;
  creditCode: string;
  kind: string;
  listed: number;
  entries: number;
  quality: number | null;
}

export interface InstitutionEntry {
  id: string;
  code: string;
  title: LocalizedText;
  state: string;
  version: number;
  publishedVersion?: number;
  grade: string;
  openType: string;
  updatedAt: string;
  quality: number;
}

export interface TodoItem {
  entryId: string;
  code: string;
  title: LocalizedText;
  kind: string;
  severity: number;
  amount?: number;
}

export interface Dashboard {
  organization: Provider;
  entries: number;
  byState: Record<string, number>;
  score: number;
  overdue: number;
  openObjections: number;
  todo: TodoItem[];
}

export interface CodeListItem {
  code: string;
  label: { zh: string; en: string; fr: string };
}

export interface FieldRule {
  path: string;
  label: { zh: string; en: string; fr: string };
  required?: boolean;
  requiredWhen?: { path: string; values: string[] };
  codeList?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  localOnly?: boolean;
  type?: 'text' | 'number' | 'boolean' | 'date' | 'list';
}

export interface Profile {
  id: string;
  version: number;
  codeLists: Record<string, CodeListItem[]>;
  rules: FieldRule[];
}

export interface ValidationResult {
  valid: boolean;
  errors: { path: string; message: string }[];
  grade: string;
  quality: QualityReport;
}

export type HarvestFormat = 'ttl' | 'jsonld' | 'rdf' | 'nt' | 'datajson';
export const HARVEST_FORMATS: readonly HarvestFormat[] = ['ttl', 'jsonld', 'rdf', 'nt', 'datajson'];

export interface HarvestRequest {
  organizationId: string;
  url?: string;
  content?: string;
  format?: HarvestFormat;
  publish: boolean;
}

export interface HarvestReport {
  source: string;
  fatal?: string;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  repaired: number;
  problems: { sourceUri?: string; title?: string; reason: string }[];
  repairs: { sourceUri: string; repairs: string[] }[];
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  progress: { done: number; total: number | null; message: string | null };
  result: unknown;
  lastError: string | null;
  cancelRequested: boolean;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
