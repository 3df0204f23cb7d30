import { systemActor } from '../../kernel/auth/index.ts';
import { DatapolisError } from '../../kernel/errors.ts';
import type { JobContext, Jobs } from '../../kernel/jobs/index.ts';
import { fetchOutbound, readTextCapped } from '../../lib/outbound.ts';
import type { EntryMetadata } from './catalog.model.ts';
import type { Language } from './catalog.profile.ts';
import type { CatalogService } from './catalog.service.ts';
import { type DcatFormat, parseDcat } from './dcat/index.ts';

export const HARVEST_JOB = 'catalog.harvest';

/** Harvested catalogs larger than this are refused before parsing. */
const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;

export interface HarvestPayload {
  organizationId: string;
  publish: boolean;
  lang: Language;
  url?: string;
  content?: string;
  format?: DcatFormat | 'datajson';
}

export interface HarvestReport {
  source: string;
  /** Set when the document itself could not be read: then nothing was imported. */
  fatal?: string;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  repaired: number;
  problems: { sourceUri?: string; title?: string; reason: string }[];
  repairs: { sourceUri: string; repairs: string[] }[];
}

async function download(
  url: string,
  allowPrivate: boolean,
): Promise<{ text: string; contentType: string | undefined }> {
  const response = await fetchOutbound(url, { timeoutMs: 60_000, allowPrivate });
  if (!response.ok) {
    await response.body?.cancel();
    throw new DatapolisError('CATALOG_HARVEST_FETCH_FAILED', 502, `${url} answered ${response.status}.`);
  }
  const text = await readTextCapped(response, MAX_DOWNLOAD_BYTES);
  return { text, contentType: response.headers.get('content-type') ?? undefined };
}

/**
 * Reads a DCAT document and imports each record on its own: a record that cannot be mapped or does not
 * meet the standard is reported with the reason, and the others still import. A document that cannot be
 * parsed at all imports nothing.
 */
export async function harvest(
  catalog: CatalogService,
  payload: HarvestPayload,
  onProgress: (done: number, total: number) => Promise<void>,
  options: { allowPrivate: boolean } = { allowPrivate: false },
): Promise<HarvestReport> {
  const source = payload.url ?? 'uploaded document';
  const report: HarvestReport = {
    source,
    records: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    repaired: 0,
    problems: [],
    repairs: [],
  };
  let text: string;
  let contentType: string | undefined;
  try {
    if (payload.url !== undefined)
      ({ text, contentType } = await download(payload.url, options.allowPrivate));
    else text = payload.content ?? '';
  } catch (error) {
    return { ...report, fatal: error instanceof Error ? error.message : String(error) };
  }
  const parsed = await parseDcat(text, {
    // Datasets identified only by an identifier get IRIs under this base: one per institution, so uploads
    // to different institutions never take each other's records.
    baseIri: payload.url ?? `urn:datapolis:harvest:${payload.organizationId}:upload`,
    ...(payload.format === undefined ? {} : { format: payload.format }),
    ...(contentType === undefined ? {} : { contentType }),
  });
  if (parsed.fatal !== undefined) return { ...report, fatal: parsed.fatal };
  report.records = parsed.records.length + parsed.skipped.length;
  for (const skipped of parsed.skipped) report.problems.push(skipped);
  const actor = systemActor('catalog-harvest');
  let done = 0;
  for (const record of parsed.records) {
    try {
      const metadata = {
        ...record.metadata,
        organizationId: payload.organizationId,
        providerCreditCode: '',
        sourceUri: record.sourceUri,
      } as EntryMetadata;
      const result = await catalog.upsertHarvested(actor, payload.organizationId, metadata, {
        publish: payload.publish,
        lang: payload.lang,
      });
      report[result.outcome] += 1;
      if (record.repairs.length > 0) {
        report.repaired += 1;
        report.repairs.push({ sourceUri: record.sourceUri, repairs: record.repairs });
      }
    } catch (error) {
      report.problems.push({
        sourceUri: record.sourceUri,
        title: record.metadata.title.zh,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    done += 1;
    if (done % 20 === 0 || done === parsed.records.length) await onProgress(done, parsed.records.length);
  }
  return report;
}

export const LINK_CHECK_JOB = 'catalog.link-check';

export function registerHarvestJob(
  jobs: Jobs,
  catalog: CatalogService,
  options: { allowPrivate: boolean },
): void {
  jobs.register(HARVEST_JOB, async (ctx: JobContext<HarvestPayload>) =>
    harvest(catalog, ctx.payload, (done, total) => ctx.progress(done, total, 'importing records'), options),
  );
  jobs.register(LINK_CHECK_JOB, async (ctx: JobContext<{ organizationId?: string }>) =>
    catalog.checkLinks(systemActor('catalog-link-check'), ctx.payload.organizationId, (done, total) =>
      ctx.progress(done, total, 'checking links'),
    ),
  );
}
