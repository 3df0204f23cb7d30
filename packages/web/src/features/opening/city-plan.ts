import type { CityPlan, ItemProgress, PlanTotals } from './opening-types.ts';

/** The four kinds of progress, in the order the chart stacks them and the tables list them. */
export const PROGRESS_ORDER: readonly ItemProgress[] = [
  'opened_on_time',
  'opened_late',
  'overdue',
  'planned',
];

const TOTAL_KEYS: Record<ItemProgress, keyof Omit<PlanTotals, 'items'>> = {
  opened_on_time: 'openedOnTime',
  opened_late: 'openedLate',
  overdue: 'overdue',
  planned: 'planned',
};

/** Colours that stay apart for the common colour-vision deficiencies; the table beside says the same. */
export const PROGRESS_COLOURS: Record<ItemProgress, string> = {
  opened_on_time: '#237804',
  opened_late: '#d48806',
  overdue: '#a8071a',
  planned: '#1d39c4',
};

export function totalOf(totals: PlanTotals, progress: ItemProgress): number {
  return totals[TOTAL_KEYS[progress]];
}

/** Share of the planned items already opened (on time or late), 0 to 1; 0 for an empty plan. */
export function openedShare(totals: PlanTotals): number {
  return totals.items === 0 ? 0 : (totals.openedOnTime + totals.openedLate) / totals.items;
}

/** Sums item progress into totals, for a list the server did not total (a filtered list). */
export function totalsOf(items: readonly { progress: ItemProgress }[]): PlanTotals {
  const totals: PlanTotals = { items: 0, openedOnTime: 0, openedLate: 0, overdue: 0, planned: 0 };
  for (const item of items) {
    totals.items += 1;
    totals[TOTAL_KEYS[item.progress]] += 1;
  }
  return totals;
}

export interface OrganizationRow {
  organizationId: string;
  name: string;
  lang: string;
  totals: PlanTotals;
}

/** Organisations with most planned items first, then by name, so the chart and its table agree. */
export function organizationRows(
  plan: CityPlan,
  nameOf: (name: CityPlan['organizations'][number]['organizationName']) => { text: string; lang: string },
): OrganizationRow[] {
  return plan.organizations
    .map((o) => {
      const name = nameOf(o.organizationName);
      return { organizationId: o.organizationId, name: name.text, lang: name.lang, totals: o.totals };
    })
    .sort((a, b) => b.totals.items - a.totals.items || a.name.localeCompare(b.name));
}

/**
 * A horizontal stacked bar per organisation: opened on time, opened late, overdue, planned. Organisation
 * names on the category axis read from top to bottom in the order of the table.
 */
export function progressChartOption(
  rows: readonly OrganizationRow[],
  labels: Record<ItemProgress, string>,
  animation = true,
): Record<string, unknown> {
  const top = [...rows].reverse();
  return {
    animation,
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, data: PROGRESS_ORDER.map((p) => labels[p]) },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: top.map((r) => r.name),
      axisLabel: { width: 200, overflow: 'truncate' },
    },
    series: PROGRESS_ORDER.map((p) => ({
      name: labels[p],
      type: 'bar',
      stack: 'items',
      itemStyle: { color: PROGRESS_COLOURS[p] },
      data: top.map((r) => totalOf(r.totals, p)),
    })),
  };
}

/** The chart in words for screen readers: the city totals. */
export function totalsSentence(
  totals: PlanTotals,
  labels: Record<ItemProgress, string>,
  itemsLabel: string,
  separator: string,
): string {
  return [
    `${itemsLabel} ${totals.items}`,
    ...PROGRESS_ORDER.map((p) => `${labels[p]} ${totalOf(totals, p)}`),
  ].join(separator);
}

/** Years the plan page offers: five back from the next one. */
export function yearChoices(now: Date = new Date()): number[] {
  const next = now.getFullYear() + 1;
  return Array.from({ length: 6 }, (_, i) => next - i);
}

/** A year from the address, when it is one a plan can have. */
export function parseYear(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{4}$/.test(value)) return undefined;
  const year = Number(value);
  return year >= 2000 && year <= 2100 ? year : undefined;
}

/** The items table: filtered by progress and organisation ('all' for any), by planned date then code. */
export function cityItemRows(
  items: CityPlan['items'],
  progress: ItemProgress | 'all',
  organizationId: string | 'all',
): CityPlan['items'] {
  return items
    .filter((i) => progress === 'all' || i.progress === progress)
    .filter((i) => organizationId === 'all' || i.organizationId === organizationId)
    .sort((a, b) => a.plannedDate.localeCompare(b.plannedDate) || a.entryCode.localeCompare(b.entryCode));
}
