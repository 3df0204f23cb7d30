/**
 * The catalog entry as the national cataloguing guide describes a data resource, and the code lists it
 * uses. This is the document every module reads; the metadata profile (catalog.profile.ts) says which
 * fields are required and which values are allowed, so that an operator can extend it without code.
 */

/** Localised text: Chinese is the reference language; English and French are optional translations. */
export interface LocalizedText {
  zh: string;
  en?: string;
  fr?: string;
}

export const RESOURCE_CLASSIFICATIONS = ['base', 'thematic', 'departmental'] as const;
export type ResourceClassification = (typeof RESOURCE_CLASSIFICATIONS)[number];

export const SHARE_TYPES = ['unconditional', 'conditional', 'not_shared'] as const;
export type ShareType = (typeof SHARE_TYPES)[number];

export const OPEN_TYPES = ['unconditional', 'conditional', 'not_open'] as const;
export type OpenType = (typeof OPEN_TYPES)[number];

export const UPDATE_CYCLES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
  'irregular',
] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];

/** Data grades, highest first (GB/T 43697-2024: core, important, then general levels 4 to 1). */
export const GRADES = ['core', 'important', 'general-4', 'general-3', 'general-2', 'general-1'] as const;
export type Grade = (typeof GRADES)[number];

export const PERSONAL_INFO = ['none', 'personal', 'sensitive'] as const;
export type PersonalInfo = (typeof PERSONAL_INFO)[number];

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
export type FieldType = (typeof FIELD_TYPES)[number];

export const DISTRIBUTION_KINDS = ['file', 'api', 'datastore'] as const;
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

/** An information item: one field of the data resource. */
export interface InformationItem {
  name: string;
  title?: LocalizedText;
  type: FieldType;
  description?: string;
  grade: Grade;
  personalInfo: PersonalInfo;
}

/** A distribution: a file, an API endpoint or a datastore table. */
export interface Distribution {
  /** Stable within the entry; generated when not given. */
  id: string;
  kind: DistributionKind;
  title: LocalizedText;
  format: string;
  /** Where it is: the download or access URL; for datastore tables, filled in by the datastore. */
  url?: string;
  mediaType?: string;
  byteSize?: number;
  description?: string;
}

export interface ContactPoint {
  name: string;
  email?: string;
  phone?: string;
}

export interface TemporalCoverage {
  start?: string;
  end?: string;
}

/**
 * The metadata of one catalog entry. `code` and `organizationId` identify it; everything else is what the
 * provider institution declares and the profile checks.
 */
export interface EntryMetadata {
  /** Resource code `C-II-HHH-SSS-NNNNNN` (class, item, heading, sub-heading, sequence). */
  code?: string;
  title: LocalizedText;
  summary: LocalizedText;
  /** The provider institution (an organisation id). */
  organizationId: string;
  /** The provider's unified social credit code (GB 32100-2015), checked against its check character. */
  providerCreditCode: string;
  classification: ResourceClassification;
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
  /** ISO dates (YYYY-MM-DD). */
  releaseDate?: string;
  lastUpdate?: string;
  relatedCodes: string[];
  license?: string;
  contactPoint?: ContactPoint;
  spatialCoverage?: string;
  temporalCoverage?: TemporalCoverage;
  /**
   * The dataset's grade. Derived: the highest grade of its information items, or the declared grade when
   * it is higher (or when there are no items).
   */
  grade: Grade;
  distributions: Distribution[];
  /** Operator-defined fields of an extended profile, by field name. */
  extras?: Record<string, string | number | boolean | string[]>;
  /** Where a harvested entry came from (its dataset IRI), so that a re-harvest updates it. */
  sourceUri?: string;
}

/** Index of a grade in GRADES: lower is higher. */
export function gradeRank(grade: Grade): number {
  return GRADES.indexOf(grade);
}

/** The higher of two grades. */
export function higherGrade(a: Grade, b: Grade): Grade {
  return gradeRank(a) <= gradeRank(b) ? a : b;
}

/** The dataset takes the highest grade of its fields; a declared grade may only raise it. */
export function derivedGrade(declared: Grade, items: readonly InformationItem[]): Grade {
  return items.reduce((grade, item) => higherGrade(grade, item.grade), declared);
}

/** Resource-code classes: 1 base, 2 thematic, 3 departmental (the guide's order). */
export const CLASSIFICATION_CLASS: Record<ResourceClassification, string> = {
  base: '1',
  thematic: '2',
  departmental: '3',
};

export const RESOURCE_CODE_PATTERN = /^[1-3]-\d{2}-\d{3}-\d{3}-\d{6}$/;

export const ENTRY_STATES = ['draft', 'submitted', 'returned', 'published', 'retired'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

/** The provider institution as the catalog shows it. */
export interface ProviderRef {
  id: string;
  code: string;
  name: string;
  nameEn?: string;
  creditCode: string;
}

/** One entry as readers get it: the metadata of one version, with its identity and dates. */
export interface CatalogRecord {
  id: string;
  code: string;
  state: EntryState;
  /** The version these metadata are. */
  version: number;
  metadata: EntryMetadata;
  provider: ProviderRef;
  createdAt: string;
  updatedAt: string;
  /** When the first version was published (undefined while never published). */
  publishedAt?: string;
  /** Downloads and API calls counted by the opening module; 0 until it counts. */
  usageCount: number;
}
