import type { ColumnType, Generated } from 'kysely';
import type { RouteReason, TransferRoute, TransferRules, TransferState } from './transfers.model.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** One request to transfer data abroad (Art. 48), with the route computed when it was submitted. */
export interface SecurityTransfersTable {
  id: Generated<string>;
  organization_id: string;
  entry_codes: string[];
  /** Important data by the catalog's grades of the entries. */
  graded_important: boolean;
  /** Declared by the requester (data not yet graded, or graded too low). */
  declared_important: boolean;
  recipient: string;
  country: string;
  purpose: string;
  people_count: number;
  sensitive_people_count: number;
  state: TransferState;
  /** The calendar year (Beijing) whose cumulative counts the transfer belongs to; set on submission. */
  year: number | null;
  route: TransferRoute | null;
  route_reasons: ColumnType<RouteReason[] | null, string | null | undefined, string | null>;
  cumulative_people: number | null;
  cumulative_sensitive_people: number | null;
  decision_comment: string | null;
  decision_reference: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  submitted_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

/** A personal information protection impact assessment (PIPL Art. 55-56): kept at least three years. */
export interface SecurityTransferAssessmentsTable {
  id: Generated<string>;
  transfer_id: string;
  text: string;
  attachments: Json<{ name: string; mediaType: string; size: number; sha256: string }[]>;
  created_by: string;
  created_at: Generated<Date>;
  /** A date column read back as text (YYYY-MM-DD). */
  retain_until: ColumnType<string, string, string>;
}

export interface SecurityTransferRulesTable {
  id: number;
  rules: Json<TransferRules>;
  updated_by: string;
  updated_at: Timestamp;
}

export interface TransferTables {
  security_transfers: SecurityTransfersTable;
  security_transfer_assessments: SecurityTransferAssessmentsTable;
  security_transfer_rules: SecurityTransferRulesTable;
}
