// Shapes of the usage API (how providers' data is read, Art. 18), kept by hand from the HTTP contract.
import type { LocalizedText } from '../catalog/catalog-types.ts';

/** How data left the platform: a page of rows, a whole-table download, an aggregate, an SQL query. */
export const USAGE_CHANNELS = ['records', 'download', 'aggregate', 'sql'] as const;
export type UsageChannel = (typeof USAGE_CHANNELS)[number];

/** Who read: `system` is an institution's business system, counted under that institution. */
export const CALLER_KINDS = ['institution', 'system', 'company', 'user', 'anonymous'] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

/** The periods the usage page offers, in days. */
export const USAGE_PERIODS = [7, 30, 90, 365] as const;
export type UsagePeriod = (typeof USAGE_PERIODS)[number];

export interface TopUsage {
  days: number;
  items: { entryCode: string; title: LocalizedText; organizationId: string; count: number }[];
}

export interface UsageEntry {
  entryCode: string;
  title: LocalizedText;
  count: number;
  /** Reads per channel; a channel nobody used is absent. */
  channels: Record<string, number>;
}

export interface UsageCaller {
  kind: string;
  organizationId: string | null;
  organizationName: string | null;
  count: number;
}

export interface OrganizationUsage {
  organizationId: string;
  days: number;
  /** The first day counted (YYYY-MM-DD, the city's calendar). */
  since: string;
  total: number;
  entries: UsageEntry[];
  callers: UsageCaller[];
  /** Only the days with reads, oldest first. */
  series: { day: string; count: number }[];
}
