import type { GradingService } from './grading.service.ts';

/** Column names of the important-data catalog's CSV, in English; values stay as recorded. */
export const IMPORTANT_DATA_CSV_COLUMNS = [
  'organization_code',
  'organization_name',
  'entry_code',
  'entry_title',
  'dataset_level',
  'dataset_impact',
  'dataset_harm',
  'dataset_rationale',
  'field',
  'field_title',
  'field_level',
  'impact',
  'harm',
  'rationale',
  'contact_name',
  'contact_email',
  'contact_phone',
  'security_officer',
  'security_officer_email',
  'security_officer_phone',
  'confirmed_by',
  'confirmed_at',
] as const;

/**
 * RFC 4180 quoting; a leading =, +, - or @ is prefixed with an apostrophe so that a spreadsheet never
 * runs a value as a formula.
 */
function cell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per field of each important or core entry; UTF-8 with a byte-order mark for spreadsheets. */
export function importantDataCsv(report: Awaited<ReturnType<GradingService['importantData']>>): string {
  const lines = [IMPORTANT_DATA_CSV_COLUMNS.join(',')];
  const officer = report.securityOfficer;
  for (const item of report.items) {
    for (const field of item.fields) {
      lines.push(
        [
          report.organization.code,
          report.organization.name,
          item.entryCode,
          item.entryTitle.zh,
          item.level,
          item.dataset?.impact,
          item.dataset?.harm,
          item.dataset?.rationale,
          field.field,
          field.title?.zh,
          field.level,
          field.impact,
          field.harm,
          field.rationale,
          item.contact?.name,
          item.contact?.email,
          item.contact?.phone,
          officer?.name,
          officer?.email,
          officer?.phone,
          item.confirmedBy,
          item.confirmedAt,
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
