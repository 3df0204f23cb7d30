import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { systemActor } from '../kernel/auth/index.ts';
import { print, withPlatform } from './context.ts';

const LOAD_FORMATS = ['csv', 'tsv', 'xlsx', 'json', 'ndjson', 'geojson'] as const;
const DUMP_FORMATS = ['csv', 'json', 'xlsx'] as const;

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, not "${value}".`);
  return value as T;
}

export function datastoreCommands(program: Command): void {
  const datastore = program.command('datastore').description('Data tables behind catalog entries');
  const actor = systemActor('cli');

  datastore
    .command('load')
    .description('Validate a file and load it as the new version of a data table (all or nothing)')
    .argument('<file>', 'CSV, TSV, XLSX, JSON, NDJSON or GeoJSON, optionally .gz or .zip')
    .option('--resource <id>', 'the data table to load into')
    .option('--entry <code>', 'create a new data table under this catalog entry (with --name)')
    .option('--name <name>', 'name of the new data table')
    .option('--format <format>', `one of ${LOAD_FORMATS.join(', ')} (from the file name when left out)`)
    .option('--encoding <encoding>', 'text encoding, e.g. utf-8 or gb18030 (detected when left out)')
    .option('--delimiter <char>', 'CSV delimiter (detected when left out)')
    .option('--json', 'print the validation report as JSON')
    .action(
      async (
        file: string,
        options: {
          resource?: string;
          entry?: string;
          name?: string;
          format?: string;
          encoding?: string;
          delimiter?: string;
          json?: boolean;
        },
      ) => {
        const format = oneOf(options.format, LOAD_FORMATS, '--format');
        let size: number;
        try {
          size = statSync(file).size;
        } catch (error) {
          throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
        }
        if (options.resource === undefined && options.entry === undefined)
          throw new Error('give --resource <id>, or --entry <code> and --name to create a data table.');
        const result = await withPlatform(async (platform) => {
          const id =
            options.resource ??
            (
              await platform.datastore.createResource(actor, {
                entryCode: options.entry!,
                name: options.name ?? basename(file),
              })
            ).id;
          const bar = new SingleBar({
            format: 'loading [{bar}] {percentage}% | {message}',
            stream: process.stderr,
            hideCursor: true,
          });
          bar.start(size, 0, { message: 'uploading' });
          try {
            const loaded = await platform.datastore.loadNow(
              actor,
              id,
              createReadStream(file),
              basename(file),
              {
                ...(format === undefined ? {} : { format }),
                ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
                ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
              },
              async (done, _total, message) => {
                bar.update(done, { message });
              },
            );
            bar.update(size, { message: loaded.state });
            return { id, ...loaded };
          } finally {
            bar.stop();
          }
        });
        const report = result.report;
        if (options.json === true) print(JSON.stringify(report ?? null, null, 2));
        if (result.state === 'live') {
          print(`Loaded ${result.rows ?? 0} rows as version ${result.version} of data table ${result.id}.`);
          return;
        }
        if (options.json !== true && report !== undefined) {
          for (const e of report.errors.slice(0, 20)) {
            const where = [
              e.rowNumber === undefined ? '' : `row ${e.rowNumber}`,
              e.fieldNumber === undefined ? '' : `field ${e.fieldNumber}`,
            ]
              .filter((s) => s !== '')
              .join(', ');
            print(`  ${e.type}${where === '' ? '' : ` (${where})`}: ${e.message}`);
          }
          if (report.errorCount > 20) print(`  … and ${report.errorCount - 20} more.`);
        }
        throw new Error(
          `${file} is not valid (${report?.errorCount ?? 0} errors); nothing was loaded and version ${result.version} is marked failed.`,
        );
      },
    );

  datastore
    .command('dump')
    .description('Write a whole data table as CSV, JSON or XLSX (streamed)')
    .argument('<resource>', 'data table id')
    .option('--format <format>', `one of ${DUMP_FORMATS.join(', ')}`, 'csv')
    .option('--data-version <n>', 'a version of the table other than the live one')
    .option('--output <file>', 'write to a file instead of standard output')
    .action(async (resource: string, options: { format: string; dataVersion?: string; output?: string }) => {
      const format = oneOf(options.format, DUMP_FORMATS, '--format')!;
      const version = options.dataVersion === undefined ? undefined : Number(options.dataVersion);
      if (version !== undefined && (!Number.isInteger(version) || version < 1))
        throw new Error('--data-version must be a positive whole number.');
      await withPlatform(async (platform) => {
        const out = await platform.datastore.stream(
          actor,
          resource,
          { format, ...(version === undefined ? {} : { version }) },
          'download',
        );
        const target =
          options.output === undefined
            ? new Writable({
                write(chunk, _encoding, callback) {
                  if (process.stdout.write(chunk)) callback();
                  else process.stdout.once('drain', () => callback());
                },
              })
            : createWriteStream(options.output);
        await pipeline(out.body, target);
      });
    });
}
