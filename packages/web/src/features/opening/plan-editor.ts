import type { FieldError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import type { LocalizedText } from '../catalog/catalog-types.ts';
import { pathSegments } from '../catalog/problem-paths.ts';
import type { ItemProgress, Plan, PlanItemInput, PlanOpenType, PlanState } from './opening-types.ts';

type Tone = 'green' | 'blue' | 'orange' | 'red' | 'purple' | 'grey';

const PLAN_TONES: Record<PlanState, Tone> = {
  draft: 'grey',
  submitted: 'blue',
  returned: 'orange',
  approved: 'green',
};
const PROGRESS_TONES: Record<ItemProgress, Tone> = {
  opened_on_time: 'green',
  opened_late: 'orange',
  overdue: 'red',
  planned: 'blue',
};

export function planTone(state: string): Tone {
  return PLAN_TONES[state as PlanState] ?? 'grey';
}

export function progressTone(progress: string): Tone {
  return PROGRESS_TONES[progress as ItemProgress] ?? 'grey';
}

/** One row of the plan editor. */
export interface EditorItem {
  entryCode: string;
  entryTitle: LocalizedText;
  openType: PlanOpenType;
  condition: string;
  plannedDate: string;
}

export function editorItemsOf(plan: Pick<Plan, 'items'>): EditorItem[] {
  return plan.items.map((item) => ({
    entryCode: item.entryCode,
    entryTitle: item.entryTitle,
    openType: item.openType,
    condition: item.condition ?? '',
    plannedDate: item.plannedDate,
  }));
}

/** Whether a catalog entry can go into an opening plan: core data is never opened (Art. 18). */
export function isPlannable(entry: { grade: string }): boolean {
  return entry.grade !== 'core';
}

/**
 * Adds a catalog entry to the plan (once): with the open type it already declares when that is one a plan
 * can hold, and the last day of the plan's year as the planned date.
 */
export function addEntry(
  items: readonly EditorItem[],
  entry: { code: string; title: LocalizedText; openType: string; grade: string },
  year: number,
): EditorItem[] {
  if (!isPlannable(entry) || items.some((i) => i.entryCode === entry.code)) return [...items];
  return [
    ...items,
    {
      entryCode: entry.code,
      entryTitle: entry.title,
      openType: entry.openType === 'conditional' ? 'conditional' : 'unconditional',
      condition: '',
      plannedDate: `${year}-12-31`,
    },
  ];
}

export function removeItem(items: readonly EditorItem[], entryCode: string): EditorItem[] {
  return items.filter((i) => i.entryCode !== entryCode);
}

export function updateItem(
  items: readonly EditorItem[],
  entryCode: string,
  change: Partial<Omit<EditorItem, 'entryCode' | 'entryTitle'>>,
): EditorItem[] {
  return items.map((i) => (i.entryCode === entryCode ? { ...i, ...change } : i));
}

export type ItemField = 'openType' | 'condition' | 'plannedDate' | 'entryCode';

export interface ItemProblem {
  entryCode: string;
  field: ItemField;
  /** A translation key under opening.editor.invalid, or the server's own words. */
  key?: string;
  message?: string;
}

/** What keeps the items from being saved: a real planned date, and the condition of a conditional item. */
export function validateItems(items: readonly EditorItem[]): ItemProblem[] {
  const problems: ItemProblem[] = [];
  for (const item of items) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(item.plannedDate) || Number.isNaN(Date.parse(item.plannedDate)))
      problems.push({ entryCode: item.entryCode, field: 'plannedDate', key: 'dateRequired' });
    if (item.openType === 'conditional' && item.condition.trim() === '')
      problems.push({ entryCode: item.entryCode, field: 'condition', key: 'conditionRequired' });
  }
  return problems;
}

/** The PUT body: a condition only for conditional items, trimmed. */
export function itemsRequest(items: readonly EditorItem[]): PlanItemInput[] {
  return items.map((item) => {
    const condition = item.condition.trim();
    return {
      entryCode: item.entryCode,
      openType: item.openType,
      ...(item.openType === 'conditional' && condition !== '' ? { condition } : {}),
      plannedDate: item.plannedDate,
    };
  });
}

/** Have the rows changed since the plan was loaded or saved? */
export function isDirty(items: readonly EditorItem[], plan: Pick<Plan, 'items'>): boolean {
  return JSON.stringify(itemsRequest(items)) !== JSON.stringify(itemsRequest(editorItemsOf(plan)));
}

/**
 * A refused save's messages on the rows they are about: `/items/2/plannedDate` is the third row's date;
 * a message naming no row stays on the whole plan.
 */
export function placeItemErrors(
  errors: readonly FieldError[],
  items: readonly EditorItem[],
): { rows: ItemProblem[]; general: string[] } {
  const rows: ItemProblem[] = [];
  const general: string[] = [];
  for (const error of errors) {
    const [head, index, field] = pathSegments(error.path);
    const item = head === 'items' && index !== undefined ? items[Number(index)] : undefined;
    if (item === undefined) {
      general.push(error.message);
      continue;
    }
    const known: ItemField[] = ['openType', 'condition', 'plannedDate', 'entryCode'];
    rows.push({
      entryCode: item.entryCode,
      field: known.includes(field as ItemField) ? (field as ItemField) : 'entryCode',
      message: error.message,
    });
  }
  return { rows, general };
}

function role(user: SessionUser | undefined, organizationId: string) {
  return user?.memberships.find((m) => m.organizationId === organizationId)?.role;
}

export interface PlanAbilities {
  edit: boolean;
  submit: boolean;
  review: boolean;
}

/**
 * Editors and admins change the items of a draft or returned plan, or amend an approved one; only admins
 * submit; the operator approves or returns a submitted plan.
 */
export function planAbilities(
  plan: Pick<Plan, 'organizationId' | 'state'>,
  user: SessionUser | undefined,
): PlanAbilities {
  const r = role(user, plan.organizationId);
  const staff = r === 'admin' || r === 'editor';
  return {
    edit: staff && plan.state !== 'submitted',
    submit: r === 'admin' && (plan.state === 'draft' || plan.state === 'returned'),
    review: (user?.platformRoles.includes('operator') ?? false) && plan.state === 'submitted',
  };
}

/** The review body, or the key of why it cannot go: returning a plan needs a comment. */
export function planReviewRequest(
  decision: 'approve' | 'return',
  comment: string | undefined,
):
  | { request: { decision: 'approve' | 'return'; comment?: string }; problem?: undefined }
  | { request?: undefined; problem: string } {
  const text = comment?.trim() ?? '';
  if (decision === 'return' && text === '') return { problem: 'commentRequired' };
  return { request: text === '' ? { decision } : { decision, comment: text } };
}
