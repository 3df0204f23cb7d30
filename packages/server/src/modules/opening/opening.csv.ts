import type { CityPlan } from './opening.model.ts';

/** Column names of the city-wide plan's CSV, in English (values stay as the catalog holds them). */
export const CITY_CSV_COLUMNS = [
  'year',
  'organization_id',
  'organization_name',
  'organization_name_en',
  'entry_code',
  'entry_title',
  'entry_title_en',
  'open_type',
  'condition',
  'planned_date',
  'progress',
  'opened_at',
] as const;

/** RFC 4180: quoted when a value holds a comma, a quote, a line break or edge spaces. */
function field(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per approved item; UTF-8 with a byte-order mark so that spreadsheet programs read Chinese right. */
export function cityPlanCsv(plan: CityPlan): string {
  const names = new Map(plan.organizations.map((o) => [o.organizationId, o.organizationName]));
  const lines = [CITY_CSV_COLUMNS.join(',')];
  for (const item of plan.items) {
    const org = names.get(item.organizationId);
    lines.push(
      [
        plan.year,
        item.organizationId,
        org?.zh,
        org?.en,
        item.entryCode,
        item.entryTitle.zh,
        item.entryTitle.en,
        item.openType,
        item.condition,
        item.plannedDate,
        item.progress,
        item.openedAt,
      ]
        .map(field)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
