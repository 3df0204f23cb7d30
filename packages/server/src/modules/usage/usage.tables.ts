import type { ColumnType } from 'kysely';

type Day = ColumnType<string, string, string>;
type Count = ColumnType<string, number, number>;

/**
 * Reads of an entry's data by others than its provider, counted per day, channel and kind of caller.
 * A row per combination keeps the table small: a busy entry adds a few rows a day, not one per call.
 */
export interface UsageDailyTable {
  day: Day;
  entry_code: string;
  /** The provider, so that an institution's usage view reads one index range. */
  organization_id: string;
  /** records, download, aggregate, sql */
  channel: string;
  /** anonymous, user (a person's account), institution (a member of a public institution), company */
  caller_kind: string;
  /** The caller's organisation when it has one ('' otherwise): who uses the data, for its provider. */
  caller_organization_id: string;
  count: Count;
}

export interface UsageTables {
  usage_daily: UsageDailyTable;
}
