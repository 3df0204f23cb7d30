import type { ColumnType, Generated } from 'kysely';
import type { EntryMetadata, EntryState } from './catalog.model.ts';
import type { ProfileExtension } from './catalog.profile.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/**
 * One row per catalog entry. `working` is the latest saved version (what editors see); `published` is the
 * version readers get, so that an edit in progress never changes what is served. The search and facet
 * columns are derived from `published` on every publication.
 */
export interface CatalogEntriesTable {
  id: Generated<string>;
  code: string;
  organization_id: string;
  state: EntryState;
  version: number;
  published_version: number | null;
  working: Json<EntryMetadata>;
  published: Json<EntryMetadata> | null;
  source_uri: string | null;
  /** Visible in search and exports: published at least once and not retired. */
  listed: Generated<boolean>;
  title_sort: string | null;
  open_type: string | null;
  share_type: string | null;
  grade: string | null;
  facet_terms: Generated<string[]>;
  last_update: string | null;
  update_cycle: string | null;
  usage_count: Generated<string>;
  quality_score: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  published_at: Date | null;
}

export interface CatalogEntryVersionsTable {
  entry_id: string;
  version: number;
  metadata: Json<EntryMetadata>;
  content_hash: string;
  ledger_index: string;
  action: string;
  actor: string;
  created_at: Generated<Date>;
  published_at: Date | null;
  publish_ledger_index: string | null;
}

export interface CatalogSubmissionsTable {
  id: Generated<string>;
  organization_id: string;
  state: 'pending' | 'approved' | 'returned';
  entries: Json<{ entryId: string; version: number }[]>;
  comment: string | null;
  review_comment: string | null;
  entry_comments: Json<{ entryId: string; comment: string }[]>;
  submitted_by: string;
  submitted_at: Generated<Date>;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

export interface CatalogObjectionsTable {
  id: Generated<string>;
  entry_id: string;
  organization_id: string;
  reporter_id: string;
  field: string | null;
  message: string;
  state: 'open' | 'accepted' | 'rejected';
  response: string | null;
  created_at: Generated<Date>;
  answered_at: Date | null;
}

export interface CatalogProfileVersionsTable {
  version: number;
  extension: Json<ProfileExtension>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface CatalogCodeSequencesTable {
  prefix: string;
  last: number;
}

export interface CatalogLinkChecksTable {
  entry_id: string;
  distribution_id: string;
  url: string;
  ok: boolean;
  status: number | null;
  error: string | null;
  checked_at: Generated<Date>;
}

export interface CatalogTables {
  catalog_link_checks: CatalogLinkChecksTable;
  catalog_entries: CatalogEntriesTable;
  catalog_entry_versions: CatalogEntryVersionsTable;
  catalog_submissions: CatalogSubmissionsTable;
  catalog_objections: CatalogObjectionsTable;
  catalog_profile_versions: CatalogProfileVersionsTable;
  catalog_code_sequences: CatalogCodeSequencesTable;
}
