import type { ColumnType, Generated } from 'kysely';
import type { LocalizedText } from '../catalog/index.ts';
import type {
  ApplicantKind,
  ApplicationKind,
  ApplicationState,
  GrantState,
  HistoryAction,
  Operation,
} from './access.model.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** One application for conditional access; the content the applicant declared is kept as sent. */
export interface AccessApplicationsTable {
  id: Generated<string>;
  kind: ApplicationKind;
  entry_id: string;
  entry_code: string;
  entry_title: Json<LocalizedText>;
  provider_organization_id: string;
  grade: string;
  needs_centre: boolean;
  applicant_user_id: string;
  applicant_username: string;
  applicant_kind: ApplicantKind;
  applicant_organization_id: string | null;
  applicant_name: string;
  applicant_credit_code: string | null;
  purpose: string;
  scenario: string;
  fields: string[];
  operations: Operation[];
  /** Plain dates, YYYY-MM-DD. */
  period_start: string;
  period_end: string;
  security_measures: string;
  terms_version: string;
  terms_hash: string;
  terms_accepted_at: Date;
  /** SHA-256 of the canonical JSON of what was declared: the log carries this, never the texts. */
  content_hash: string;
  state: ApplicationState;
  review_deadline: Date;
  /** Who approved for the provider: the centre's approval must come from someone else. */
  provider_approved_by: string | null;
  grant_id: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface AccessApplicationEventsTable {
  id: Generated<string>;
  application_id: string;
  at: Generated<Date>;
  actor_user_id: string;
  actor_username: string;
  action: HistoryAction;
  comment: string | null;
  /** What a narrowing approval changed (fields, periodEnd before), kept for the record. */
  details: Json<Record<string, unknown>> | null;
}

export interface AccessGrantsTable {
  id: Generated<string>;
  application_id: string;
  kind: ApplicationKind;
  entry_code: string;
  entry_title: Json<LocalizedText>;
  provider_organization_id: string;
  grantee_user_id: string;
  grantee_username: string;
  grantee_organization_id: string | null;
  fields: string[];
  operations: Operation[];
  valid_from: Date;
  valid_until: Date;
  state: GrantState;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoked_reason: string | null;
  created_at: Generated<Date>;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  params: Json<Record<string, string>>;
  link: string | null;
  created_at: Generated<Date>;
  read_at: Date | null;
}

export interface AccessTables {
  access_applications: AccessApplicationsTable;
  access_application_events: AccessApplicationEventsTable;
  access_grants: AccessGrantsTable;
  access_notifications: NotificationsTable;
}
