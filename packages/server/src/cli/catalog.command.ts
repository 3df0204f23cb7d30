import { createWriteStream, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ANONYMOUS, systemActor } from '../kernel/auth/index.ts';
import {
  DCAT_FORMATS,
  type DcatFormat,
  type EntryMetadata,
  type HarvestPayload,
  harvest,
  parseDcat,
  serializeCatalog,
} from '../modules/catalog/index.ts';
import { print, withPlatform } from './context.ts';

const IMPORT_FORMATS = ['ttl', 'jsonld', 'rdf', 'nt', 'datajson'] as const;

function formatOption(value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value))
    throw new Error(`--format must be one of ${allowed.join(', ')}, not "${value}".`);
  return value;
}

function readSource(source: string): { url?: string; content?: string } {
  if (/^https?:\/\//.test(source)) return { url: source };
  try {
    return { content: readFileSync(source, 'utf8') };
  } catch (error) {
    throw new Error(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
}

export function catalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('The public data catalog');

  catalog
    .command('import')
    .description(
      'Harvest a DCAT catalog (Turtle, RDF/XML, JSON-LD, data.json) from a file or URL into an institution',
    )
    .argument('<source>', 'file path or http(s) URL')
    .requiredOption('--organization <code>', 'code of the institution the records belong to')
    .option('--format <format>', `one of ${IMPORT_FORMATS.join(', ')} (detected when left out)`)
    .option('--publish', 'publish the imported records at once (operator import)')
    .option('--json', 'print the full report as JSON')
    .action(
      async (
        source: string,
        options: { organization: string; format?: string; publish?: boolean; json?: boolean },
      ) => {
        const format = formatOption(options.format, IMPORT_FORMATS) as HarvestPayload['format'];
        const input = readSource(source);
        const report = await withPlatform(async (platform) => {
          const org = await platform.catalog.organizationByCode(options.organization);
          if (org === undefined) throw new Error(`no organisation has the code "${options.organization}".`);
          const bar = new SingleBar({
            format: 'importing [{bar}] {value}/{total} records',
            stream: process.stderr,
            hideCursor: true,
          });
          let started = false;
          try {
            return await harvest(
              platform.catalog,
              {
                organizationId: org.id,
                publish: options.publish === true,
                lang: 'en',
                ...input,
                ...(format === undefined ? {} : { format }),
              },
              async (done, total) => {
                if (!started) {
                  bar.start(total, 0);
                  started = true;
                }
                bar.update(done);
              },
            );
          } finally {
            if (started) bar.stop();
          }
        });
        if (options.json === true) print(JSON.stringify(report, null, 2));
        else {
          print(
            `${report.records} records: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.problems.length} not imported, ${report.repaired} repaired.`,
          );
          for (const p of report.problems.slice(0, 20))
            print(`  not imported: ${p.title ?? p.sourceUri ?? '?'}: ${p.reason}`);
          if (report.problems.length > 20) print(`  … and ${report.problems.length - 20} more (use --json).`);
        }
        if (report.fatal !== undefined) throw new Error(`nothing imported: ${report.fatal}`);
      },
    );

  catalog
    .command('export')
    .description('Write the catalog as DCAT-AP 3 (what the public sees, unless --all)')
    .requiredOption('--format <format>', `one of ${DCAT_FORMATS.join(', ')}`)
    .option('--output <file>', 'write to a file instead of standard output')
    .option(
      '--base-url <url>',
      'public address of this platform, for the IRIs (default: DATAPOLIS_PUBLIC_URL)',
    )
    .option('--all', 'include entries that are not open (for the platform operator)')
    .action(async (options: { format: string; output?: string; baseUrl?: string; all?: boolean }) => {
      const format = formatOption(options.format, DCAT_FORMATS) as DcatFormat;
      await withPlatform(async (platform) => {
        const actor = options.all === true ? systemActor('cli') : ANONYMOUS;
        const publisher = await platform.catalog.organizationByCode('bjbdc');
        const chunks = serializeCatalog(format, platform.catalog.published(actor), {
          baseUrl:
            options.baseUrl ??
            platform.config.publicUrl ??
            `http://${platform.config.host}:${platform.config.port}`,
          catalogTitle: {
            zh: '公共数据目录',
            en: 'Public data catalog',
            fr: 'Catalogue des données publiques',
          },
          catalogDescription: {
            zh: '全市公共数据资源目录。',
            en: "The city's catalog of public data resources.",
          },
          publisher: publisher ?? { id: 'platform', code: 'platform', name: 'Datapolis', creditCode: '' },
        });
        const out =
          options.output === undefined
            ? new Writable({
                write: (chunk, _enc, done) =>
                  process.stdout.write(chunk) ? done() : process.stdout.once('drain', done),
              })
            : createWriteStream(options.output);
        await pipeline(chunks, out);
      });
    });

  catalog
    .command('validate')
    .description('Check entries against the catalog standard: a JSON file of entries, or a DCAT document')
    .argument('<file>', 'a .json file (one entry or a list), or .ttl/.rdf/.jsonld/.nt')
    .option('--lang <lang>', 'language of the messages: zh, en or fr', 'en')
    .action(async (file: string, options: { lang: string }) => {
      const lang = formatOption(options.lang, ['zh', 'en', 'fr']) as 'zh' | 'en' | 'fr';
      const { content } = readSource(file);
      const text = content ?? '';
      let entries: { label: string; metadata: EntryMetadata; harvested: boolean }[];
      const ext = extname(file).toLowerCase();
      let asJson: unknown;
      if (ext === '.json') {
        try {
          asJson = JSON.parse(text);
        } catch (error) {
          throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
        }
      }
      const isEntryJson =
        asJson !== undefined &&
        (Array.isArray(asJson) ||
          (typeof asJson === 'object' && asJson !== null && 'informationItems' in asJson));
      if (isEntryJson) {
        const list = (Array.isArray(asJson) ? asJson : [asJson]) as EntryMetadata[];
        entries = list.map((metadata, i) => ({
          label: metadata?.title?.zh ?? `#${i + 1}`,
          metadata,
          harvested: false,
        }));
      } else {
        const parsed = await parseDcat(text, { baseIri: `file://${file}` });
        if (parsed.fatal !== undefined) throw new Error(`${file}: ${parsed.fatal}`);
        for (const s of parsed.skipped) print(`cannot map ${s.title ?? s.sourceUri ?? '?'}: ${s.reason}`);
        entries = parsed.records.map((r) => ({
          label: r.metadata.title.zh,
          metadata: {
            ...r.metadata,
            organizationId: '00000000-0000-4000-8000-000000000000',
            providerCreditCode: '',
          } as EntryMetadata,
          harvested: true,
        }));
      }
      const results = await withPlatform(async (platform) =>
        Promise.all(
          entries.map(async (e) => ({
            label: e.label,
            result: await platform.catalog.validate(e.metadata, lang, e.harvested),
          })),
        ),
      );
      let invalid = 0;
      for (const { label, result } of results) {
        // Harvested records get the provider's credit code when imported; it is not theirs to carry.
        const errors = result.errors.filter(
          (e) => !(entries[0]?.harvested === true && e.path === '/providerCreditCode'),
        );
        if (errors.length === 0) continue;
        invalid += 1;
        for (const e of errors) print(`${label}: ${e.path}: ${e.message}`);
      }
      print(`${results.length - invalid} of ${results.length} entries meet the catalog standard.`);
      if (invalid > 0) throw new Error(`${invalid} entries do not meet the catalog standard.`);
    });
}
