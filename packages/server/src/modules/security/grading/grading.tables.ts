import type { ColumnType, Generated } from 'kysely';
import type { Grade } from '../../catalog/index.ts';
import type {
  DatasetGrading,
  GradingMatrix,
  GradingState,
  OfficerRole,
  ScannerProposal,
} from './grading.model.ts';

type Json<T> = ColumnType<T, string, string>;

/** A field's grading as stored: the assessment and the level the matrix of the day gave it. */
export type StoredField = {
  field: string;
  impact: string;
  harm: string;
  rationale: string;
  level: Grade;
};

/** Each replacement of the grading matrix; the highest version is in force (none: the standard's default). */
export interface SecurityGradingMatricesTable {
  version: number;
  matrix: Json<GradingMatrix>;
  created_by: string;
  created_at: Generated<Date>;
}

/** The current grading of one catalog entry (one per entry), and the last confirmed version of it. */
export interface SecurityGradingsTable {
  id: Generated<string>;
  entry_code: string;
  organization_id: string;
  state: GradingState;
  version: number;
  fields: Json<StoredField[]>;
  dataset: Json<DatasetGrading | null>;
  level: Grade;
  proposals: Json<ScannerProposal[]>;
  /** The security officer's comment when returning it. */
  comment: string | null;
  confirmed_version: number | null;
  confirmed_level: Grade | null;
  confirmed_by: string | null;
  /** Who confirmed, as people read it (the log keeps only the actor's id). */
  confirmed_by_name: string | null;
  confirmed_at: Date | null;
  updated_by: string;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Every version of every grading, with its rationale, as it was at each step. */
export interface SecurityGradingVersionsTable {
  grading_id: string;
  version: number;
  state: GradingState;
  fields: Json<StoredField[]>;
  dataset: Json<DatasetGrading | null>;
  level: Grade;
  proposals: Json<ScannerProposal[]>;
  comment: string | null;
  actor: string;
  ledger_index: ColumnType<string, number, number>;
  created_at: Generated<Date>;
}

/** Who holds each responsibility in an organisation, past and present (the open row is current). */
export interface SecurityOfficersTable {
  id: Generated<string>;
  organization_id: string;
  role: OfficerRole;
  user_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  appointed_by: string;
  appointed_at: Generated<Date>;
  ended_at: Date | null;
}

export interface SecurityGradingTables {
  security_grading_matrices: SecurityGradingMatricesTable;
  security_gradings: SecurityGradingsTable;
  security_grading_versions: SecurityGradingVersionsTable;
  security_officers: SecurityOfficersTable;
}
