// Shapes of the opening API (annual opening plans, Art. 18), kept by hand from the HTTP contract.
import type { LocalizedText } from '../catalog/catalog-types.ts';

export const PLAN_STATES = ['draft', 'submitted', 'returned', 'approved'] as const;
export const ITEM_PROGRESS = ['opened_on_time', 'opened_late', 'overdue', 'planned'] as const;
export const PLAN_OPEN_TYPES = ['unconditional', 'conditional'] as const;

export type PlanState = (typeof PLAN_STATES)[number];
export type ItemProgress = (typeof ITEM_PROGRESS)[number];
export type PlanOpenType = (typeof PLAN_OPEN_TYPES)[number];

export interface PlanItem {
  entryCode: string;
  entryTitle: LocalizedText;
  openType: PlanOpenType;
  condition: string | null;
  plannedDate: string;
  progress: ItemProgress;
  openedAt: string | null;
}

export interface Plan {
  id: string;
  organizationId: string;
  organizationName: LocalizedText | string;
  year: number;
  state: PlanState;
  /** The operator's comment when the plan was returned. */
  comment: string | null;
  items: PlanItem[];
  /** What the city-wide plan shows (the last approved items) while an amendment is in review. */
  approvedItems: PlanItem[] | null;
  submittedAt: string | null;
  approvedAt: string | null;
  updatedAt: string;
}

export interface PlanTotals {
  items: number;
  openedOnTime: number;
  openedLate: number;
  overdue: number;
  planned: number;
}

export interface CityPlan {
  year: number;
  totals: PlanTotals;
  organizations: { organizationId: string; organizationName: LocalizedText | string; totals: PlanTotals }[];
  items: (PlanItem & { organizationId: string })[];
}

export interface PlanItemInput {
  entryCode: string;
  openType: PlanOpenType;
  condition?: string;
  plannedDate: string;
}
