import type { LocalizedText, OpeningHistory, OpenType } from '../catalog/index.ts';

export type PlanState = 'draft' | 'submitted' | 'returned' | 'approved';
export type PlanOpenType = 'unconditional' | 'conditional';
export type ItemProgress = 'opened_on_time' | 'opened_late' | 'overdue' | 'planned';

export const PROGRESS_KINDS: readonly ItemProgress[] = [
  'opened_on_time',
  'opened_late',
  'overdue',
  'planned',
];

/** What an institution writes for one item of its plan. */
export interface PlanItemInput {
  entryCode: string;
  openType: PlanOpenType;
  condition?: string | null | undefined;
  plannedDate: string;
}

/** An item as stored: the condition only on conditional items. */
export interface StoredItem {
  entryCode: string;
  openType: PlanOpenType;
  condition: string | null;
  plannedDate: string;
}

export interface PlanItem extends StoredItem {
  entryTitle: LocalizedText;
  progress: ItemProgress;
  openedAt: string | null;
}

export interface Plan {
  id: string;
  organizationId: string;
  organizationName: LocalizedText;
  year: number;
  state: PlanState;
  comment: string | null;
  items: PlanItem[];
  approvedItems: PlanItem[] | null;
  submittedAt: string | null;
  approvedAt: string | null;
  updatedAt: string;
}

export interface ProgressTotals {
  items: number;
  openedOnTime: number;
  openedLate: number;
  overdue: number;
  planned: number;
}

export interface CityPlan {
  year: number;
  totals: ProgressTotals;
  organizations: { organizationId: string; organizationName: LocalizedText; totals: ProgressTotals }[];
  items: (PlanItem & { organizationId: string })[];
}

/**
 * Plans are kept in the city's calendar: a planned date is a day in Beijing (UTC+8 all year, no daylight
 * saving), so an entry published at 23:30 Beijing time on the planned day is on time.
 */
const CITY_UTC_OFFSET_MS = 8 * 3_600_000;

/** The day (`YYYY-MM-DD`) an instant falls on in the city. */
export function cityDate(instant: Date): string {
  return new Date(instant.getTime() + CITY_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** How open an open type is: an unconditional opening fulfils a conditional plan item too. */
const OPENNESS: Record<OpenType, number> = { not_open: 0, conditional: 1, unconditional: 2 };

/**
 * When the item's entry was opened as planned: it must be published now with the planned open type or a
 * more open one, and the answer is the first publication that was; null while it is not.
 */
export function openedAt(
  item: Pick<StoredItem, 'openType'>,
  history: OpeningHistory | undefined,
): Date | null {
  if (history === undefined || !history.published) return null;
  const wanted = OPENNESS[item.openType];
  if (OPENNESS[history.openType] < wanted) return null;
  return history.publications.find((p) => OPENNESS[p.openType] >= wanted)?.publishedAt ?? null;
}

/** Opened by the end of the planned day is on time; not opened and the planned day gone is overdue. */
export function progressOf(plannedDate: string, opened: Date | null, today: string): ItemProgress {
  if (opened !== null) return cityDate(opened) <= plannedDate ? 'opened_on_time' : 'opened_late';
  return plannedDate < today ? 'overdue' : 'planned';
}

export function emptyTotals(): ProgressTotals {
  return { items: 0, openedOnTime: 0, openedLate: 0, overdue: 0, planned: 0 };
}

export function addToTotals(totals: ProgressTotals, progress: ItemProgress): void {
  totals.items += 1;
  if (progress === 'opened_on_time') totals.openedOnTime += 1;
  else if (progress === 'opened_late') totals.openedLate += 1;
  else if (progress === 'overdue') totals.overdue += 1;
  else totals.planned += 1;
}

/** A real calendar day, written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}
