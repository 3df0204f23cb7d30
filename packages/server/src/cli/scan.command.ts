import type { Command } from 'commander';
import type { SourceFormat } from '../modules/datastore/index.ts';
import {
  type ColumnScan,
  isScanError,
  type ScanReport,
  scanFile,
} from '../modules/security/discovery/index.ts';
import { print } from './context.ts';

const FORMATS: readonly SourceFormat[] = ['csv', 'tsv', 'xlsx', 'json', 'ndjson', 'geojson'];

function wholeNumber(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new Error(`${name} must be a whole number of at least ${min}, not "${value}".`);
  return Number(value);
}

/** Columns wide in the terminal: Han and full-width characters take two cells. */
function width(text: string): number {
  let w = 0;
  for (const c of text) {
    const code = c.codePointAt(0)!;
    w +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      code >= 0x20000
        ? 2
        : 1;
  }
  return w;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function columnRow(column: ColumnScan): string[] {
  const best = column.findings[0];
  const held =
    column.holds === undefined ? undefined : column.findings.find((f) => f.recognizer === column.holds);
  const shown = held ?? best;
  return [
    column.name,
    column.holds ?? (best === undefined ? '-' : `(${best.recognizer}?)`),
    shown === undefined ? '-' : `${(shown.share * 100).toFixed(1)} %`,
    shown === undefined ? '-' : shown.confidence.toFixed(2),
    `${column.proposal.personalInfo} / ${column.proposal.grade}`,
    shown === undefined ? '' : shown.examples.join(', '),
  ];
}

function printReport(file: string, report: ScanReport): void {
  print(
    `${file}: ${report.rowsScanned.toLocaleString('en-US')} rows, ${report.columns.length} columns scanned`,
  );
  print('');
  for (const line of table(
    ['column', 'holds', 'share', 'confidence', 'proposal', 'examples (masked)'],
    report.columns.map(columnRow),
  ))
    print(line);
  const flagged = report.columns.filter((c) => c.proposal.personalInfo !== 'none');
  if (flagged.length > 0) {
    print('');
    for (const column of flagged) print(`${column.name}: ${column.proposal.reason}`);
  }
}

export function scanCommands(program: Command): void {
  program
    .command('scan')
    .description('Look for personal and sensitive information in a table file (the file stays where it is)')
    .argument('<file>', 'CSV, TSV, XLSX, JSON, NDJSON or GeoJSON, optionally .gz or .zip')
    .option('--sample <rows>', 'scan only the first N rows')
    .option('--format <format>', `one of ${FORMATS.join(', ')} (from the file name when left out)`)
    .option('--encoding <encoding>', 'text encoding, e.g. utf-8 or gb18030 (detected when left out)')
    .option('--delimiter <char>', 'CSV delimiter (detected when left out)')
    .option('--sheet <sheet>', 'XLSX sheet, by 1-based number or name')
    .option('--examples <count>', 'masked examples per finding (default 3)')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        file: string,
        options: {
          sample?: string;
          format?: string;
          encoding?: string;
          delimiter?: string;
          sheet?: string;
          examples?: string;
          json?: boolean;
        },
      ) => {
        if (options.format !== undefined && !(FORMATS as readonly string[]).includes(options.format))
          throw new Error(`--format must be one of ${FORMATS.join(', ')}, not "${options.format}".`);
        const sample = wholeNumber(options.sample, '--sample', 1);
        const examples = wholeNumber(options.examples, '--examples', 0);
        const report = await scanFile(file, {
          ...(sample === undefined ? {} : { sample }),
          ...(examples === undefined ? {} : { examples }),
          ...(options.format === undefined ? {} : { format: options.format as SourceFormat }),
          ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
          ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
          ...(options.sheet === undefined
            ? {}
            : { sheet: /^\d+$/.test(options.sheet) ? Number(options.sheet) : options.sheet }),
        }).catch((error: unknown) => {
          // One readable line with the stable code, as the HTTP problem documents carry it.
          if (isScanError(error)) throw new Error(`${error.message} (${error.code})`);
          throw error;
        });
        if (options.json === true) print(JSON.stringify(report, null, 2));
        else printReport(file, report);
      },
    );
}
