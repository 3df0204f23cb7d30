import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One annual opening plan of one organisation (Art. 18): at most one per organisation and year. */
export interface OpeningPlansTable {
  id: Generated<string>;
  organization_id: string;
  year: number;
  state: 'draft' | 'submitted' | 'returned' | 'approved';
  /** The big data centre's comment at its last review (required when it returns a plan). */
  comment: string | null;
  created_by: string;
  reviewed_by: string | null;
  submitted_at: Date | null;
  /** Last approval; while it is set, the approved list serves the city-wide plan. */
  approved_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

/**
 * The items of a plan, twice: `working` is what the institution edits and submits, `approved` the list
 * the big data centre last approved, which keeps serving while an amendment is in review.
 */
export interface OpeningPlanItemsTable {
  plan_id: string;
  list: 'working' | 'approved';
  position: number;
  entry_code: string;
  open_type: 'unconditional' | 'conditional';
  condition: string | null;
  /** A `date` column: read back as text (`YYYY-MM-DD`), never through a JavaScript Date. */
  planned_date: ColumnType<string, string, string>;
}

export interface OpeningTables {
  opening_plans: OpeningPlansTable;
  opening_plan_items: OpeningPlanItemsTable;
}
