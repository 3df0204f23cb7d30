import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { Ledger } from '../../kernel/audit/index.ts';
import { type Actor, can, requirePermission, systemActor, type UserActor } from '../../kernel/auth/index.ts';
import type { Database, Db } from '../../kernel/db/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../kernel/errors.ts';
import type { EventBus } from '../../kernel/events/index.ts';
import {
  JobCancelledError,
  type JobContext,
  JobFailedForGoodError,
  type Jobs,
} from '../../kernel/jobs/index.ts';
import type { BlobStore, StoredBlob } from '../../kernel/storage/index.ts';
import type { CatalogService, EntryAccessFacts, LocalizedText } from '../catalog/index.ts';
import type { UsageChannel, UsageEvent } from '../usage/index.ts';
import { csvStream, jsonStream, ndjsonStream, xlsxStream } from './datastore.export.ts';
import { newId } from './datastore.ids.ts';
import { createIntake } from './datastore.intake.ts';
import { analyzeTable, dropTable, loadTable } from './datastore.loader.ts';
import type {
  ReadOptions,
  SourceFormat,
  TableFieldType,
  TableSchema,
  ValidationReport,
} from './datastore.model.ts';
import {
  type GrantOperation,
  type GrantRefusal,
  grantDecision,
  grantKinds,
  logsReads,
  type ReadDecision,
  type ReadGrant,
  type ReleaseRefusal,
  type RowAccess,
  releaseCleared,
  rowAccess,
  scenarioNeeded,
} from './datastore.policy.ts';
import {
  afterCursor,
  aggregateSelect,
  andAll,
  type Cursor,
  decodeCursor,
  encodeCursor,
  type FilterSpec,
  orderBy,
  outputValue,
  parseAggregate,
  parseSort,
  type SortKey,
  selectList,
  whereClause,
} from './datastore.query.ts';
import { readCache } from './datastore.read-cache.ts';
import { type ResourceRow, datastoreRepository as repo, type VersionRow } from './datastore.repository.ts';
import { splitUpload } from './datastore.split-upload.ts';
import { checkSelect, SqlRefusedError } from './datastore.sql-guard.ts';
import type { ColumnInfo, LoadOptions, VersionState } from './datastore.tables.ts';
import { detectCompression } from './tabular/index.ts';
import { checkSchema } from './validation/index.ts';

export const LOAD_JOB = 'datastore.load';

const FORMATS: readonly SourceFormat[] = ['csv', 'tsv', 'xlsx', 'json', 'ndjson', 'geojson'];
/** Above this many rows a filtered total is estimated unless the caller asks for the exact count. */
const EXACT_TOTAL_ROWS = 1_000_000;
const SQL_ROW_CAP = 10_000;
const SQL_TIMEOUT_MS = 10_000;
const DOWNLOAD_BATCH = 5_000;
const RESOURCE_CHANGED = 'datastore_resource_changed';

export interface DatastoreDeps {
  db: Db;
  ledger: Ledger;
  jobs: Jobs;
  store: BlobStore;
  catalog: Pick<CatalogService, 'accessFacts'>;
  /** Organisation kinds by id (institution or company): shared data goes to institutions only. */
  organizationKinds(): Promise<Map<string, string>>;
  /**
   * The caller's grants of conditional access to an entry, in any state (the access module). Asked only
   * when the entry's terms allow access on conditions and nothing else lets the caller in; without it,
   * conditional terms read as closed.
   */
  grants?(actor: UserActor, entryCode: string): Promise<ReadGrant[]>;
  /** Counts reads for the providers' usage view. */
  usage?: { count(event: UsageEvent): Promise<void> };
  /** Tells the other processes when a table's live version changes. */
  events?: Pick<EventBus, 'subscribe' | 'publish'>;
  uploadLimitBytes: number;
  outboundAllowPrivate: boolean;
}

export interface DatastoreField {
  name: string;
  type: TableFieldType;
  title?: string;
  description?: string;
}

export interface ResourceView {
  id: string;
  entryCode: string;
  entryName: LocalizedText;
  organizationId: string;
  name: string;
  description: string | null;
  liveVersion: number | null;
  rowCount: number | null;
  fields: DatastoreField[];
  geo: { kind: 'geojson'; field: string } | { kind: 'latlon'; lat: string; lon: string } | null;
  createdAt: string;
  updatedAt: string;
  /** `conditional`: rows are read under a grant of conditional access, held or to apply for. */
  access: { read: boolean; manage: boolean; conditional: boolean };
  /** A de-identified table of personal information: the strictest scenario it is cleared for. */
  releaseClearance: string | null;
}

export interface RecordsParams {
  filters?: Record<string, FilterSpec>;
  q?: string;
  fields?: string[];
  sort?: string;
  limit?: number;
  offset?: number;
  cursor?: string;
  total?: 'exact' | 'estimated' | 'none';
  version?: number;
}

export interface RecordsPage {
  resource: string;
  version: number;
  fields: DatastoreField[];
  records: Record<string, unknown>[];
  total: number | null;
  totalExact: boolean;
  limit: number;
  offset: number;
  nextCursor: string | null;
}

function tableOf(resourceId: string, version: number): string {
  return `datastore."r_${resourceId}_v${version}"`;
}

function iso(date: Date | string | null): string | null {
  if (date === null) return null;
  return date instanceof Date ? date.toISOString() : new Date(date).toISOString();
}

/** An uploaded file's name as kept: no path separators, at most 255 characters. */
function uploadName(filename: string): string {
  const clean = filename.replace(/[\\/]/g, '_').trim().slice(0, 255);
  if (clean === '')
    throw new ValidationError('Give the file name.', [{ path: '/filename', message: 'Required' }]);
  return clean;
}

function formatOf(filename: string, given: string | undefined): SourceFormat | undefined {
  if (given !== undefined) return given as SourceFormat;
  const name = filename.toLowerCase().replace(/\.(gz|zip)$/, '');
  const ext = extname(name).slice(1);
  if (ext === 'txt') return 'csv';
  if (ext === 'jsonl') return 'ndjson';
  return FORMATS.includes(ext as SourceFormat) ? (ext as SourceFormat) : undefined;
}

function geoOf(fields: DatastoreField[]): ResourceView['geo'] {
  const geojson = fields.find((f) => f.type === 'geojson' || (f.type === 'object' && f.name === 'geometry'));
  if (geojson !== undefined) return { kind: 'geojson', field: geojson.name };
  const names = fields.map((f) => f.name);
  const lat = names.find((n) => /^(lat|latitude|纬度|y)$/i.test(n));
  const lon = names.find((n) => /^(lon|lng|long|longitude|经度|x)$/i.test(n));
  return lat !== undefined && lon !== undefined ? { kind: 'latlon', lat, lon } : null;
}

/**
 * Log entries of reads, written together: while one batch commits, the next gathers, and each caller waits
 * for the commit of its own entry. A read changes no state, so its entry needs no transaction of its own;
 * one transaction per read would let the log's append lock cap the reads a second.
 */
function groupCommit(kysely: Db['kysely'], ledger: Ledger) {
  type Item = {
    actor: Actor;
    input: Parameters<Ledger['record']>[2];
    done: () => void;
    failed: (error: unknown) => void;
  };
  let queue: Item[] = [];
  let writing = false;
  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, 1_000);
      queue = queue.slice(batch.length);
      try {
        await kysely.transaction().execute((trx) => ledger.recordMany(trx, batch));
        for (const item of batch) item.done();
      } catch (error) {
        for (const item of batch) item.failed(error);
      }
    }
    writing = false;
  }
  return {
    append(actor: Actor, input: Item['input']): Promise<void> {
      return new Promise((done, failed) => {
        queue.push({ actor, input, done, failed });
        if (!writing) void drain();
      });
    },
  };
}

export function createDatastoreService(deps: DatastoreDeps) {
  const { db, ledger, jobs, store } = deps;
  const kysely = db.kysely;

  // Entry terms change rarely and are read on every query: a few seconds of staleness is acceptable.
  const factsCache = new Map<string, { at: number; facts: EntryAccessFacts | undefined }>();
  async function factsOf(entryCode: string): Promise<EntryAccessFacts | undefined> {
    const hit = factsCache.get(entryCode);
    if (hit !== undefined && Date.now() - hit.at < 5_000) return hit.facts;
    const facts = await deps.catalog.accessFacts(entryCode);
    factsCache.set(entryCode, { at: Date.now(), facts });
    return facts;
  }
  let kinds: { at: number; map: Map<string, string> } | undefined;
  async function organizationKinds(): Promise<Map<string, string>> {
    if (kinds !== undefined && Date.now() - kinds.at < 5_000) return kinds.map;
    kinds = { at: Date.now(), map: await deps.organizationKinds() };
    return kinds.map;
  }

  // Every read looks its resource and version up; they change only when another version goes live, the table
  // goes offline, a version is pruned or its rows are written through CKAN. Reads keep them a few seconds, and
  // each such change makes every process forget them (this one inside the transaction, the others on its
  // notification). The version row carries the schema, columns and report: parsing it costs more than the
  // page it serves.
  const resources = readCache<ResourceRow & object>(5_000);
  const versionRows = readCache<VersionRow>(5_000);
  // Totals too: counting the matches of a filter is most of a small query's cost, and the same filters come
  // again and again (an app polling a district, a portal's facets). A total is kept a few seconds and
  // forgotten with its table's rows; one counted while the table changed is not kept.
  const totals = readCache<Promise<{ total: number | null; exact: boolean }>>(5_000);
  let tableChanges = 0;
  function forgetTable(id: string): void {
    tableChanges++;
    for (const cache of [resources, versionRows, totals]) cache.forgetTable(id);
  }
  deps.events?.subscribe(RESOURCE_CHANGED, forgetTable, () => {
    tableChanges++;
    for (const cache of [resources, versionRows, totals]) cache.clear();
  });
  async function tableChanged(trx: Transaction<Database>, id: string): Promise<void> {
    forgetTable(id);
    await deps.events?.publish(trx, RESOURCE_CHANGED, id);
  }
  async function versionForRead(resourceId: string, n: number): Promise<VersionRow | undefined> {
    const key = `${resourceId}:${n}`;
    const hit = versionRows.get(key);
    if (hit !== undefined) return hit;
    const row = await repo.version(kysely, resourceId, n);
    // Only served versions are kept: a loading one is about to change.
    if (row !== undefined && (row.state === 'live' || row.state === 'superseded')) versionRows.set(key, row);
    return row;
  }
  async function resourceForRead(id: string): Promise<ResourceRow> {
    const hit = resources.get(id);
    if (hit !== undefined) return hit;
    const row = await repo.resourceById(kysely, id);
    if (row !== undefined) resources.set(id, row);
    return row;
  }
  async function setLive(trx: Transaction<Database>, id: string, n: number | null): Promise<void> {
    await repo.setLive(trx, id, n);
    await tableChanged(trx, id);
  }

  async function accessTo(actor: Actor, resource: ResourceRow & object): Promise<ReadDecision> {
    /** A de-identified table goes only where its risk assessment lets it. */
    const cleared = (decision: ReadDecision): ReadDecision =>
      releaseCleared(resource.release_clearance, scenarioNeeded(decision, []))
        ? decision
        : { access: 'none', refusal: 'release-not-cleared' };
    const facts = await factsOf(resource.entry_code);
    if (facts === undefined) return { access: 'none' };
    const orgKinds = await organizationKinds();
    const terms = { ...facts, organizationId: resource.organization_id };
    const isInstitution = (id: string) => orgKinds.get(id) === 'institution';
    const access = rowAccess(actor, terms, isInstitution);
    if (access !== 'none') {
      const decision = cleared({ access });
      if (decision.access !== 'none' || access !== 'open') return decision;
      // A table not cleared for the public may still be cleared for sharing between institutions.
      const shared = rowAccess(actor, { ...terms, openType: 'not_open' }, isInstitution);
      return shared === 'none' ? decision : cleared({ access: shared });
    }
    const kinds = grantKinds(actor, terms, isInstitution);
    if (kinds.length === 0) return { access: 'none' };
    // Grants are read on every call, uncached: a revoked grant stops the very next read.
    const held =
      actor.kind === 'user' && deps.grants !== undefined ? await deps.grants(actor, resource.entry_code) : [];
    const now = new Date();
    const decision = grantDecision(kinds, held, now);
    if (decision.access !== 'granted' || resource.release_clearance === null) return decision;
    // Only the grants of a kind the table is cleared for let the caller in: an opening grant needs
    // conditional-opening clearance even when the caller also could hold a sharing grant.
    const usable = kinds.filter(
      (kind) =>
        releaseCleared(resource.release_clearance, scenarioNeeded(decision, [kind])) &&
        grantDecision([kind], held, now).access === 'granted',
    );
    return usable.length === 0
      ? { access: 'none', refusal: 'release-not-cleared' }
      : grantDecision(usable, held, now);
  }

  const REFUSALS: Record<
    GrantRefusal | ReleaseRefusal | 'operation-not-granted' | 'field-not-granted',
    string
  > = {
    'release-not-cleared':
      'This table is de-identified personal information whose re-identification risk has not passed the assessment this use needs.',
    'grant-required':
      'This table is opened or shared on conditions: apply for access to its catalog entry, and read it once a grant is approved.',
    'grant-not-started': 'Your grant for this table begins later: read it from the start of its period.',
    'grant-expired': 'Your grant for this table has ended: apply again to read it.',
    'grant-revoked': 'Your grant for this table was revoked by its provider.',
    'operation-not-granted': 'Your grant does not cover this use of the table.',
    'field-not-granted': 'Your grant does not cover these fields',
  };

  /**
   * Refuses a read that only a grant could allow. Signed-in callers' refusals go on the log: a grant used
   * past its end, for another use or for fields it does not cover is worth tracing.
   */
  async function refuse(
    actor: Actor,
    resourceId: string,
    reason: keyof typeof REFUSALS,
    details: Record<string, unknown> = {},
  ): Promise<never> {
    const code = `DATASTORE_${reason.toUpperCase().replaceAll('-', '_')}`;
    // Signing in would not help there: nobody but the provider and oversight reads an uncleared table.
    if (actor.kind !== 'user' && reason === 'release-not-cleared')
      throw new ForbiddenError(REFUSALS[reason], code);
    if (actor.kind !== 'user') throw new UnauthenticatedError(`Sign in: ${REFUSALS[reason]}`, code);
    await kysely
      .transaction()
      .execute((trx) => record(trx, actor, 'datastore.read.refused', resourceId, { reason, ...details }));
    const fields = details.fields as string[] | undefined;
    throw new ForbiddenError(
      fields === undefined ? REFUSALS[reason] : `${REFUSALS[reason]}: ${fields.join(', ')}.`,
      code,
    );
  }

  /** The columns a caller may see: all of them, or under a grant those of the granted fields. */
  function visibleColumns(columns: ColumnInfo[], decision: ReadDecision): ColumnInfo[] {
    if (decision.access !== 'granted' || decision.scope === undefined) return columns;
    const granted = decision.scope.fields;
    return columns.filter((c) => granted.has(c.field));
  }

  /** Refuses, and logs, a query that names fields outside the caller's grant. */
  async function requireGranted(
    actor: Actor,
    resourceId: string,
    named: readonly ColumnInfo[],
    visible: readonly ColumnInfo[],
  ): Promise<void> {
    const hidden = [...new Set(named.filter((c) => !visible.includes(c)).map((c) => c.field))];
    if (hidden.length > 0) await refuse(actor, resourceId, 'field-not-granted', { fields: hidden });
  }

  function canManage(actor: Actor, resource: { organization_id: string }): boolean {
    return can(actor, 'datastore:manage', { organizationId: resource.organization_id });
  }

  function notFound(id: string): NotFoundError {
    return new NotFoundError('DATASTORE_RESOURCE_NOT_FOUND', `No data table ${id} is visible to you.`);
  }

  /** The resource if the caller may see it at all: read its rows, manage it, or apply for a grant to it. */
  async function visibleResource(actor: Actor, id: string) {
    const resource = await resourceForRead(id);
    if (resource === undefined) throw notFound(id);
    const decision = await accessTo(actor, resource);
    const manage = canManage(actor, resource);
    if (decision.access === 'none' && !manage && decision.refusal === undefined) throw notFound(id);
    return { resource, access: decision.access, decision, manage };
  }

  /** The resource if the caller may read its rows for `operation`. */
  async function readable(actor: Actor, id: string, operation: GrantOperation) {
    const seen = await visibleResource(actor, id);
    if (seen.access === 'none') {
      // Managers who are not the provider (an operator acting for it) still read what they manage.
      if (seen.manage) return { ...seen, access: 'oversight' as RowAccess };
      return refuse(actor, id, seen.decision.refusal ?? 'grant-required');
    }
    if (seen.access === 'granted' && !seen.decision.scope?.operations.has(operation))
      await refuse(actor, id, 'operation-not-granted', { operation });
    return seen;
  }

  async function liveOrVersion(resource: ResourceRow & object, n: number | undefined): Promise<VersionRow> {
    const wanted = n ?? resource.live_version;
    if (wanted === null || wanted === undefined)
      throw new NotFoundError('DATASTORE_NO_DATA', `Data table ${resource.id} has no data loaded yet.`);
    const version = await versionForRead(resource.id, wanted);
    if (version === undefined || (version.state !== 'live' && version.state !== 'superseded'))
      throw new NotFoundError(
        'DATASTORE_VERSION_NOT_FOUND',
        `Data table ${resource.id} has no queryable version ${wanted}.`,
      );
    return version;
  }

  function fieldsOf(version: Pick<VersionRow, 'schema'> | undefined): DatastoreField[] {
    return (version?.schema?.fields ?? []).map((f) => ({
      name: f.name,
      type: f.type,
      ...(f.title === undefined ? {} : { title: f.title }),
      ...(f.description === undefined ? {} : { description: f.description }),
    }));
  }

  async function view(
    actor: Actor,
    resource: ResourceRow & object,
    known?: ReadDecision,
  ): Promise<ResourceView> {
    const facts = await factsOf(resource.entry_code);
    const live =
      resource.live_version === null
        ? undefined
        : await repo.version(kysely, resource.id, resource.live_version);
    const decision = known ?? (await accessTo(actor, resource));
    const reads = decision.access;
    // Field-level grants hide the other fields, their names included.
    const granted = decision.access === 'granted' ? decision.scope?.fields : undefined;
    const fields = fieldsOf(live).filter((f) => granted === undefined || granted.has(f.name));
    return {
      id: resource.id,
      entryCode: resource.entry_code,
      entryName: facts?.title ?? { zh: resource.entry_code },
      organizationId: resource.organization_id,
      name: resource.name,
      description: resource.description,
      liveVersion: resource.live_version,
      rowCount: live?.rows ?? null,
      fields,
      geo: geoOf(fields),
      createdAt: iso(resource.created_at)!,
      updatedAt: iso(resource.updated_at)!,
      access: {
        read: reads !== 'none' || canManage(actor, resource),
        manage: canManage(actor, resource),
        conditional: decision.refusal !== undefined || reads === 'granted',
      },
      releaseClearance: resource.release_clearance,
    };
  }

  async function record(
    executor: Parameters<Ledger['record']>[0],
    actor: Actor,
    action: string,
    resourceId: string,
    details: Record<string, unknown>,
    content?: unknown,
  ): Promise<void> {
    await ledger.record(executor, actor, {
      action,
      objects: [{ type: 'datastore.resource', id: resourceId }],
      details,
      ...(content === undefined ? {} : { content }),
    });
  }

  const readLog = groupCommit(kysely, ledger);

  /**
   * Reads by anyone but the provider are logged (Art. 17 traceability), after the answer is ready, and
   * counted for the provider's usage view (Art. 18).
   */
  async function logRead(
    actor: Actor,
    access: RowAccess,
    resource: Pick<ResourceRow & object, 'id' | 'entry_code' | 'organization_id'>,
    details: Record<string, unknown> & { via: UsageChannel },
  ) {
    if (!logsReads(access)) return;
    await readLog.append(actor, {
      action: 'datastore.records.read',
      objects: [{ type: 'datastore.resource', id: resource.id }],
      details,
    });
    // Oversight is not use: the data centre's and security officers' reads are logged, not counted.
    const facts =
      deps.usage === undefined || access === 'oversight' ? undefined : await factsOf(resource.entry_code);
    if (facts !== undefined)
      await deps.usage?.count({
        actor,
        entryCode: resource.entry_code,
        entryId: facts.id,
        organizationId: resource.organization_id,
        channel: details.via,
      });
  }

  // ----- resources -----------------------------------------------------------------------------

  async function createResource(
    actor: Actor,
    input: {
      entryCode: string;
      name: string;
      description?: string | undefined;
      /** A de-identified table: the strictest scenario its risk assessment passed (see createDerived). */
      releaseClearance?: string | null;
    },
  ): Promise<ResourceView> {
    const facts = await deps.catalog.accessFacts(input.entryCode);
    if (facts === undefined)
      throw new ValidationError(`There is no catalog entry ${input.entryCode}.`, [
        { path: '/entryCode', message: 'Unknown entry' },
      ]);
    requirePermission(actor, 'datastore:manage', { organizationId: facts.organizationId });
    const name = input.name.trim();
    if (name === '')
      throw new ValidationError('Give the data table a name.', [{ path: '/name', message: 'Required' }]);
    const row = await kysely.transaction().execute(async (trx) => {
      const inserted = await repo.insertResource(trx, {
        id: newId(12),
        entryCode: facts.code,
        organizationId: facts.organizationId,
        name,
        description: input.description?.trim() || null,
        createdBy: actor.kind === 'user' ? actor.userId : null,
        releaseClearance: input.releaseClearance ?? null,
      });
      await record(
        trx,
        actor,
        'datastore.resource.created',
        inserted.id,
        {
          entry: facts.code,
          ...(input.releaseClearance === undefined ? {} : { releaseClearance: input.releaseClearance }),
        },
        { name },
      );
      return inserted;
    });
    return view(actor, row);
  }

  async function listResources(actor: Actor, entryCode: string): Promise<ResourceView[]> {
    const rows = await repo.resourcesOfEntry(kysely, entryCode);
    const views: ResourceView[] = [];
    for (const row of rows) {
      const decision = await accessTo(actor, row);
      if (decision.access === 'none' && decision.refusal === undefined && !canManage(actor, row)) continue;
      views.push(await view(actor, row, decision));
    }
    return views;
  }

  async function getResource(actor: Actor, id: string): Promise<ResourceView> {
    const { resource, decision } = await visibleResource(actor, id);
    return view(actor, resource, decision);
  }

  async function versions(actor: Actor, id: string) {
    await visibleResource(actor, id);
    await sweepAbandoned(id);
    const rows = await repo.versionsOf(kysely, id);
    return rows.map((v) => ({
      version: v.version,
      state: v.state,
      rows: v.rows,
      bytes: v.bytes,
      sha256: v.sha256,
      filename: v.filename,
      format: v.format,
      encoding: v.encoding,
      valid: v.report === null ? null : v.report.valid,
      errorCount: v.report?.errorCount ?? 0,
      jobId: v.job_id,
      createdAt: iso(v.created_at)!,
      createdBy: v.created_by,
      liveAt: iso(v.live_at),
    }));
  }

  async function report(actor: Actor, id: string, n: number): Promise<ValidationReport> {
    await visibleResource(actor, id);
    const version = await repo.version(kysely, id, n);
    if (version === undefined || version.report === null)
      throw new NotFoundError(
        'DATASTORE_REPORT_NOT_FOUND',
        `Version ${n} of ${id} has no validation report yet.`,
      );
    return version.report;
  }

  // ----- uploads and loads ---------------------------------------------------------------------

  async function upload(actor: Actor, body: Readable, filename: string) {
    requirePermission(actor, 'datastore:upload');
    const clean = uploadName(filename);
    const stored = await store.put(body, { maxBytes: deps.uploadLimitBytes });
    const row = await kysely.transaction().execute((trx) => recordUpload(trx, actor, clean, stored));
    return { id: row.id, filename: row.filename, bytes: row.bytes, sha256: row.sha256 };
  }

  /**
   * A stored file's upload row and its log entry; with `loads`, linked to the version it is being loaded
   * into (a file loaded as it arrives).
   */
  async function recordUpload(
    trx: Transaction<Database>,
    actor: Actor,
    filename: string,
    stored: StoredBlob,
    loads?: { resourceId: string; version: number },
  ) {
    const inserted = await repo.insertUpload(trx, {
      id: newId(16),
      filename,
      bytes: stored.bytes,
      sha256: stored.sha256,
      storageKey: stored.key,
      createdBy: actor.kind === 'user' ? actor.userId : null,
    });
    if (loads !== undefined) await repo.setVersionUpload(trx, loads.resourceId, loads.version, inserted.id);
    await ledger.record(trx, actor, {
      action: 'datastore.upload.received',
      objects: [
        { type: 'datastore.upload', id: inserted.id },
        ...(loads === undefined ? [] : [{ type: 'datastore.resource', id: loads.resourceId }]),
      ],
      details: {
        bytes: stored.bytes,
        sha256: stored.sha256,
        ...(loads === undefined ? {} : { version: loads.version }),
      },
    });
    return inserted;
  }

  /** A load into table `id` needs `datastore:manage` on its organisation. */
  async function checkManage(actor: Actor, id: string): Promise<void> {
    const resource = await repo.resourceById(kysely, id);
    if (resource === undefined) throw notFound(id);
    requirePermission(actor, 'datastore:manage', { organizationId: resource.organization_id });
  }

  /** Checks a load's format (from the file name) and schema, and returns the options to keep. */
  function loadOptions(filename: string, input: LoadOptions): LoadOptions {
    const format = formatOf(filename, input.format);
    // Inside a zip the reader finds the table by its own name.
    const zipped = /\.zip$/i.test(filename);
    if ((format === undefined && !zipped) || (format !== undefined && !FORMATS.includes(format)))
      throw new ValidationError(
        `Cannot tell the format of "${filename}"; give format as one of ${FORMATS.join(', ')}.`,
        [{ path: '/format', message: 'Unknown format' }],
      );
    let schema: TableSchema | undefined;
    if (input.schema !== undefined) {
      const checked = checkSchema(input.schema);
      if (checked.errors.length > 0 || checked.schema === undefined)
        throw new ValidationError(
          `The Table Schema is not valid: ${checked.errors.map((e) => e.message).join('; ')}`,
          checked.errors.map((e) => ({ path: '/schema', message: e.message })),
        );
      // The normalised form: v1 string keys as arrays, missing types as "any".
      schema = checked.schema;
    }
    const options: LoadOptions = {
      ...input,
      ...(format === undefined ? {} : { format }),
      ...(schema === undefined ? {} : { schema }),
    };
    delete (options as { uploadId?: string }).uploadId;
    return options;
  }

  async function requestLoad(
    actor: Actor,
    id: string,
    input: { uploadId: string } & LoadOptions,
    mode: 'job' | 'inline' = 'job',
  ): Promise<{ jobId: string | null; version: number }> {
    await checkManage(actor, id);
    const stored = await repo.upload(kysely, input.uploadId);
    if (
      stored === undefined ||
      (actor.kind === 'user' && stored.created_by !== actor.userId && stored.created_by !== null)
    )
      throw new NotFoundError('DATASTORE_UPLOAD_NOT_FOUND', `No upload ${input.uploadId} of yours.`);
    const options = loadOptions(stored.filename, input);
    return kysely.transaction().execute(async (trx) => {
      const queued = await queueVersion(
        trx,
        id,
        stored,
        options,
        actor.kind === 'user' ? actor.userId : null,
        mode,
      );
      await record(trx, actor, 'datastore.version.requested', id, {
        version: queued.version,
        upload: stored.id,
        sha256: stored.sha256,
      });
      return queued;
    });
  }

  /** A new `loading` version of a stored file and, unless it loads within the call, its load job. */
  async function queueVersion(
    trx: Transaction<Database>,
    resourceId: string,
    upload: { id: string | null; filename: string },
    options: LoadOptions,
    createdBy: string | null,
    mode: 'job' | 'inline' = 'job',
  ): Promise<{ jobId: string | null; version: number }> {
    const n = await repo.nextVersion(trx, resourceId);
    await repo.insertVersion(trx, {
      resourceId,
      version: n,
      tableName: tableOf(resourceId, n),
      uploadId: upload.id,
      filename: upload.filename,
      options,
      createdBy,
    });
    const jobId =
      mode === 'inline'
        ? null
        : await jobs.enqueue(trx, {
            kind: LOAD_JOB,
            createdBy,
            maxAttempts: 3,
            payload: { resourceId, version: n },
          });
    if (jobId !== null) await repo.setVersionJob(trx, resourceId, n, jobId);
    return { jobId, version: n };
  }

  /** The load job: one pass over the file, then the version goes live or is dropped, never half of it. */
  async function runLoad(ctx: JobContext<{ resourceId: string; version: number }>) {
    return loadVersion(ctx.payload.resourceId, ctx.payload.version, (done, total, message) =>
      ctx.progress(done, total, message),
    );
  }

  /** How a stored file of this name is read, from the options the load was asked with. */
  function readOptionsOf(options: LoadOptions, filename: string): ReadOptions {
    // The stored blob has no name: compression is told from the uploaded file's name.
    const compression = detectCompression(filename);
    return {
      ...(compression === 'none' ? {} : { compression }),
      ...(options.format === undefined ? {} : { format: options.format as SourceFormat }),
      ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
      ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
      ...(options.header === undefined ? {} : { header: options.header }),
      ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
    };
  }

  type Progress = (done: number, total: number, message: string) => Promise<void>;

  async function loadVersion(resourceId: string, n: number, progress: Progress) {
    const version = await repo.version(kysely, resourceId, n);
    if (version === undefined) throw new JobFailedForGoodError(`Version ${n} of ${resourceId} is gone.`);
    if (version.state === 'failed')
      throw new JobFailedForGoodError(
        `The file has ${version.report?.errorCount ?? 0} validation errors; version ${n} was not loaded.`,
      );
    if (version.state !== 'loading') return { version: n, state: version.state, rows: version.rows };
    const upload = version.upload_id === null ? undefined : await repo.upload(kysely, version.upload_id);
    if (upload === undefined) throw new JobFailedForGoodError(`The file of version ${n} is gone.`);
    // A crashed attempt may have left part of the table behind.
    await dropTable(db, version.table_name);
    await progress(0, upload.bytes, 'reading and validating');
    const rows = await loadInto(
      resourceId,
      n,
      version,
      {
        path: await store.localPath(upload.storage_key),
        read: readOptionsOf(version.options, upload.filename),
        stored: async () => ({ bytes: upload.bytes, sha256: upload.sha256 }),
        total: () => upload.bytes,
      },
      progress,
    );
    return { version: n, state: 'live' as const, rows };
  }

  /**
   * One pass over the file into the version's table; then the version goes live, or is marked failed or
   * cancelled and its table dropped, never half of it. Planner statistics are gathered once it is live.
   */
  async function loadInto(
    resourceId: string,
    n: number,
    version: Pick<VersionRow, 'table_name' | 'options' | 'created_by'>,
    file: {
      path: string;
      read: ReadOptions;
      stored(): Promise<{ bytes: number; sha256: string }>;
      /** Bytes expected, for progress; a file still arriving counts those read so far. */
      total(read: number): number;
    },
    progress: Progress,
  ): Promise<number> {
    const options = version.options;
    const table = version.table_name;
    let result: Awaited<ReturnType<typeof loadTable>>;
    try {
      result = await loadTable(db, {
        path: file.path,
        read: file.read,
        schema: options.schema,
        ...(options.primaryKey === undefined ? {} : { primaryKey: options.primaryKey }),
        table,
        stored: file.stored,
        indexes: options.indexes ?? [],
        progress: (bytesRead, rows) => {
          const total = file.total(bytesRead);
          return progress(Math.min(bytesRead, total), total, `${rows} rows read`);
        },
      });
    } catch (error) {
      await dropTable(db, table);
      if (error instanceof JobCancelledError) {
        await kysely.transaction().execute(async (trx) => {
          await repo.finishVersion(trx, resourceId, n, { state: 'cancelled' });
          await record(trx, systemActor(LOAD_JOB), 'datastore.version.cancelled', resourceId, { version: n });
        });
      }
      throw error;
    }
    const { bytes, sha256 } = await file.stored();
    const sourceInfo = result.report.source;
    if (!result.report.valid) {
      await dropTable(db, table);
      await kysely.transaction().execute(async (trx) => {
        await repo.finishVersion(trx, resourceId, n, {
          state: 'failed',
          report: result.report,
          schema: result.report.schema,
          bytes,
          sha256,
          format: sourceInfo?.format ?? options.format ?? null,
          encoding: sourceInfo?.encoding ?? null,
        });
        await record(trx, systemActor(LOAD_JOB), 'datastore.version.failed', resourceId, {
          version: n,
          errors: result.report.errorCount,
          requestedBy: version.created_by,
        });
      });
      throw new JobFailedForGoodError(
        `The file has ${result.report.errorCount} validation error${result.report.errorCount === 1 ? '' : 's'}; version ${n} was not loaded.`,
      );
    }
    await goLive(resourceId, n, result.columns, {
      report: result.report,
      rows: result.rows,
      bytes,
      sha256,
      format: sourceInfo?.format ?? options.format ?? null,
      encoding: sourceInfo?.encoding ?? null,
      requestedBy: version.created_by,
    });
    await progress(bytes, bytes, 'live; gathering statistics');
    await analyzeTable(db, table);
    return result.rows;
  }

  /** Formats read as they arrive; XLSX and zip need the whole file first (random access). */
  function streamable(filename: string, options: LoadOptions): boolean {
    const format = formatOf(filename, options.format);
    return format !== undefined && format !== 'xlsx' && detectCompression(filename) !== 'zip';
  }

  /**
   * Upload and load within the call (CLI, CKAN datastore_create): the same validation and switch as the
   * job, with the caller's progress callback. A file that can be read as it arrives is validated and
   * loaded while it is being stored, in one pass.
   */
  async function loadNow(
    actor: Actor,
    id: string,
    body: Readable,
    filename: string,
    options: LoadOptions,
    progress: Progress = async () => undefined,
  ): Promise<{
    version: number;
    state: VersionState;
    rows: number | null;
    report: ValidationReport | undefined;
  }> {
    requirePermission(actor, 'datastore:upload');
    const name = uploadName(filename);
    await checkManage(actor, id);
    const prepared = loadOptions(name, options);
    let version: number;
    if (streamable(name, prepared)) version = await loadArriving(actor, id, body, name, prepared, progress);
    else {
      const stored = await upload(actor, body, name);
      version = (await requestLoad(actor, id, { uploadId: stored.id, ...options }, 'inline')).version;
      try {
        await loadVersion(id, version, progress);
      } catch (error) {
        if (!(error instanceof JobFailedForGoodError)) throw error;
      }
    }
    const row = await repo.version(kysely, id, version);
    return {
      version,
      state: row?.state ?? 'failed',
      rows: row?.rows ?? null,
      report: row?.report ?? undefined,
    };
  }

  /**
   * The one-pass load: the upload is split between the store and the loader. The version is recorded
   * first (its table needs the number), the upload once it is all stored, before the version goes live or
   * fails. If storing fails (too large, the client gone, a disk error), the version is marked failed.
   */
  async function loadArriving(
    actor: Actor,
    id: string,
    body: Readable,
    name: string,
    options: LoadOptions,
    progress: Progress,
  ): Promise<number> {
    const { toStore, toLoader } = splitUpload(body, deps.uploadLimitBytes);
    const blob = store.put(toStore, { maxBytes: deps.uploadLimitBytes });
    // Read (and its failure handled) below; this keeps it from counting as unhandled meanwhile.
    blob.catch(() => undefined);
    const createdBy = actor.kind === 'user' ? actor.userId : null;
    let n: number;
    try {
      n = await kysely.transaction().execute(async (trx) => {
        const queued = await queueVersion(
          trx,
          id,
          { id: null, filename: name },
          options,
          createdBy,
          'inline',
        );
        await record(trx, actor, 'datastore.version.requested', id, {
          version: queued.version,
          filename: name,
          upload: 'arriving',
        });
        return queued.version;
      });
    } catch (error) {
      toLoader.close();
      const kept = await blob.catch(() => undefined);
      if (kept !== undefined) await store.remove(kept.key).catch(() => undefined);
      throw error;
    }
    let recorded: Promise<{ bytes: number; sha256: string }> | undefined;
    // Once the whole file is stored: its upload record, linked to the version, in one transaction.
    const stored = () => {
      recorded ??= blob.then(async (kept) => {
        await kysely
          .transaction()
          .execute((trx) => recordUpload(trx, actor, name, kept, { resourceId: id, version: n }));
        return { bytes: kept.bytes, sha256: kept.sha256 };
      });
      return recorded;
    };
    await progress(0, 0, 'reading and validating');
    try {
      await loadInto(
        id,
        n,
        { table_name: tableOf(id, n), options, created_by: createdBy },
        {
          path: name,
          read: { ...readOptionsOf(options, name), incoming: toLoader },
          stored,
          total: (read) => read,
        },
        progress,
      );
    } catch (error) {
      toLoader.close();
      if (error instanceof JobFailedForGoodError || error instanceof JobCancelledError) return n;
      // The file never made it to the store, or the load broke: the version is not left loading.
      await dropTable(db, tableOf(id, n));
      const storing = await blob.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      await kysely.transaction().execute(async (trx) => {
        await repo.finishVersion(trx, id, n, { state: 'failed' });
        await record(trx, systemActor(LOAD_JOB), 'datastore.version.failed', id, {
          version: n,
          reason: ((storing ?? error) as Error).message,
          requestedBy: createdBy,
        });
      });
      throw storing ?? error;
    }
    return n;
  }

  /** The switch: one transaction makes the new version live, the old one superseded, and logs it. */
  async function goLive(
    resourceId: string,
    n: number,
    columns: ColumnInfo[],
    facts: {
      report: ValidationReport;
      rows: number;
      bytes: number | null;
      sha256: string | null;
      format: string | null;
      encoding: string | null;
      requestedBy: string | null;
    },
  ) {
    await kysely.transaction().execute(async (trx) => {
      const resource = await repo.resourceById(trx, resourceId);
      const previous = resource?.live_version ?? null;
      if (previous !== null) await repo.setVersionState(trx, resourceId, previous, 'superseded');
      await repo.finishVersion(trx, resourceId, n, {
        state: 'live',
        report: facts.report,
        schema: facts.report.schema,
        columns,
        rows: facts.rows,
        ...(facts.bytes === null ? {} : { bytes: facts.bytes }),
        sha256: facts.sha256,
        format: facts.format,
        encoding: facts.encoding,
      });
      await setLive(trx, resourceId, n);
      await sql.raw(`DROP VIEW IF EXISTS datastore_api."${resourceId}"`).execute(trx);
      await sql
        .raw(`CREATE VIEW datastore_api."${resourceId}" AS SELECT * FROM ${tableOf(resourceId, n)}`)
        .execute(trx);
      await record(
        trx,
        systemActor(LOAD_JOB),
        'datastore.version.published',
        resourceId,
        { version: n, rows: facts.rows, previous, requestedBy: facts.requestedBy },
        { sha256: facts.sha256, schema: facts.report.schema },
      );
    });
  }

  async function prune(actor: Actor, id: string, n: number) {
    requirePermission(actor, 'datastore:prune');
    const resource = await repo.resourceById(kysely, id);
    if (resource === undefined) throw notFound(id);
    const version = await repo.version(kysely, id, n);
    if (version === undefined)
      throw new NotFoundError('DATASTORE_VERSION_NOT_FOUND', `No version ${n} of ${id}.`);
    if (resource.live_version === n)
      throw new ConflictError(
        'DATASTORE_VERSION_LIVE',
        `Version ${n} is live; load a newer one before pruning it.`,
      );
    if (version.state === 'loading')
      throw new ConflictError('DATASTORE_VERSION_LOADING', `Version ${n} is still loading.`);
    await kysely.transaction().execute(async (trx) => {
      await sql.raw(`DROP TABLE IF EXISTS ${version.table_name}`).execute(trx);
      await repo.setVersionState(trx, id, n, 'pruned');
      await tableChanged(trx, id);
      await record(trx, actor, 'datastore.version.pruned', id, { version: n });
    });
    if (version.upload_id !== null && !(await repo.uploadStillUsed(kysely, version.upload_id))) {
      const upload = await repo.upload(kysely, version.upload_id);
      if (upload !== undefined) await store.remove(upload.storage_key);
    }
  }

  // ----- queries -------------------------------------------------------------------------------

  function signature(version: number, filters: unknown, q: string | undefined, sort: SortKey[]): string {
    const text = JSON.stringify([version, filters, q ?? '', sort.map((k) => [k.column.field, k.descending])]);
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    return (h >>> 0).toString(36);
  }

  function pickColumns(columns: ColumnInfo[], fields: string[] | undefined): ColumnInfo[] {
    if (fields === undefined || fields.length === 0) return columns;
    return fields.map((f) => {
      const found = columns.find((c) => c.field === f);
      if (found === undefined)
        throw new ValidationError(`fields: there is no field "${f}".`, [
          { path: '/fields', message: `Unknown field ${f}` },
        ]);
      return found;
    });
  }

  async function runQuery<T>(query: RawBuilder<T>): Promise<T[]> {
    try {
      return (await query.execute(kysely)).rows;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      // Class 22 is "data exception": a filter value that does not fit the column's type.
      if (code.startsWith('22'))
        throw new ValidationError(`A filter value does not fit its field: ${(error as Error).message}`, [
          { path: '/filters', message: (error as Error).message },
        ]);
      throw error;
    }
  }

  function toRecord(columns: ColumnInfo[], row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { _id: Number(row._id) };
    for (const c of columns) out[c.field] = outputValue(c, row[c.column]);
    return out;
  }

  async function countRows(
    version: VersionRow,
    where: RawBuilder<unknown>,
    filtered: boolean,
    mode: 'exact' | 'estimated' | 'none',
  ): Promise<{ total: number | null; exact: boolean }> {
    if (mode === 'none') return { total: null, exact: false };
    if (!filtered && version.rows !== null) return { total: version.rows, exact: true };
    const compiled = where.compile(kysely);
    const key = `${version.resource_id}:${version.version}:${mode}:${compiled.sql}:${JSON.stringify(compiled.parameters)}`;
    const hit = totals.get(key);
    if (hit !== undefined) return hit;
    const changesBefore = tableChanges;
    // Concurrent reads of the same filter wait for one count rather than each running their own.
    const total = countMatches(version, where, mode);
    totals.set(key, total);
    try {
      const counted = await total;
      if (tableChanges !== changesBefore) totals.delete(key);
      return counted;
    } catch (error) {
      totals.delete(key);
      throw error;
    }
  }

  async function countMatches(
    version: VersionRow,
    where: RawBuilder<unknown>,
    mode: 'exact' | 'estimated',
  ): Promise<{ total: number | null; exact: boolean }> {
    const table = sql.raw(version.table_name);
    if (mode === 'exact' || (version.rows ?? 0) <= EXACT_TOTAL_ROWS) {
      const rows = await runQuery(
        sql<{ n: string }>`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`,
      );
      return { total: Number(rows[0]?.n ?? 0), exact: true };
    }
    const plan = await runQuery(
      sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table} WHERE ${where}`,
    );
    const parsed = plan[0]?.['QUERY PLAN'];
    const json = (typeof parsed === 'string' ? JSON.parse(parsed) : parsed) as {
      Plan: { 'Plan Rows': number };
    }[];
    return { total: Math.round(json[0]?.Plan['Plan Rows'] ?? 0), exact: false };
  }

  /**
   * What the records and stream calls share: the readable version, the chosen fields, the sort, the filter
   * conditions, and where the page starts (after the cursor, or at the offset).
   */
  async function prepareQuery(actor: Actor, id: string, params: RecordsParams, operation: GrantOperation) {
    const { resource, access, decision } = await readable(actor, id, operation);
    const version = await liveOrVersion(resource, params.version);
    const columns = version.columns ?? [];
    const visible = visibleColumns(columns, decision);
    const sort = parseSort(columns, params.sort);
    const chosen = params.fields === undefined ? visible : pickColumns(columns, params.fields);
    const filtered = Object.keys(params.filters ?? {}).map((f) => columns.find((c) => c.field === f));
    await requireGranted(
      actor,
      id,
      [...chosen, ...sort.map((k) => k.column), ...filtered.filter((c) => c !== undefined)],
      [...visible, ...sort.filter((k) => k.column.column === '_id').map((k) => k.column)],
    );
    // Text search looks only at the fields the caller may see.
    const filters = whereClause(visible, params.filters ?? {}, params.q);
    const sig = signature(version.version, params.filters ?? {}, params.q, sort);
    const conditions =
      params.cursor === undefined
        ? filters
        : [...filters, afterCursor(sort, decodeCursor(params.cursor, sig))];
    const offset = params.cursor === undefined ? (params.offset ?? 0) : 0;
    return { resource, access, version, sort, chosen, filters, conditions, sig, offset };
  }

  /** The chosen columns, and the sort columns too, so that a cursor can be made from a row. */
  function selected(chosen: ColumnInfo[], sort: SortKey[]): ColumnInfo[] {
    return [...chosen, ...sort.map((k) => k.column).filter((c) => c.column !== '_id' && !chosen.includes(c))];
  }

  /** The cursor after a selected row. Timestamps were selected with a T; PostgreSQL reads both forms. */
  function cursorAfter(row: Record<string, unknown>, sort: SortKey[], sig: string): Cursor {
    return {
      signature: sig,
      id: String(row._id),
      values: sort
        .filter((k) => k.column.column !== '_id')
        .map((k) => {
          const v = row[k.column.column];
          return v === null || v === undefined ? null : String(v);
        }),
    };
  }

  async function records(actor: Actor, id: string, params: RecordsParams): Promise<RecordsPage> {
    const { resource, access, version, sort, chosen, filters, conditions, sig, offset } = await prepareQuery(
      actor,
      id,
      params,
      'records',
    );
    const limit = Math.min(params.limit ?? 100, 32_000);
    const rows = await runQuery(
      sql<
        Record<string, unknown>
      >`SELECT ${selectList(selected(chosen, sort))} FROM ${sql.raw(version.table_name)} WHERE ${andAll(conditions)} ORDER BY ${orderBy(sort, version.table_name)} LIMIT ${limit + 1} OFFSET ${offset}`,
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    const nextCursor = more && last !== undefined ? encodeCursor(cursorAfter(last, sort, sig)) : null;
    const { total, exact } = await countRows(
      version,
      andAll(filters),
      filters.length > 0,
      // Counting two million matches takes a quarter of a second: past a million rows the planner's estimate
      // is given unless the caller asks for the exact count.
      params.total ?? 'estimated',
    );
    // The fields read, when fewer than the table's: security monitoring counts reads of sensitive fields.
    const narrowed = chosen.length < (version.columns ?? []).length;
    await logRead(actor, access, resource, {
      version: version.version,
      rows: page.length,
      via: 'records',
      ...(narrowed ? { fields: chosen.map((c) => c.field) } : {}),
    });
    return {
      resource: id,
      version: version.version,
      fields: fieldsOf(version).filter((f) => chosen.some((c) => c.field === f.name)),
      records: page.map((r) => toRecord(chosen, r)),
      total,
      totalExact: exact,
      limit,
      offset,
      nextCursor,
    };
  }

  /** Every matching row, in order, fetched in keyset batches: no transaction is held open while streaming. */
  async function* batches(
    version: VersionRow,
    columns: ColumnInfo[],
    conditions: RawBuilder<unknown>[],
    sort: SortKey[],
    max: number,
    skip = 0,
  ): AsyncGenerator<Record<string, unknown>[]> {
    const needed = selected(columns, sort);
    let cursor: RawBuilder<unknown> | undefined;
    let sent = 0;
    while (sent < max) {
      const size = Math.min(DOWNLOAD_BATCH, max - sent);
      const where = andAll(cursor === undefined ? conditions : [...conditions, cursor]);
      const rows = await runQuery(
        sql<
          Record<string, unknown>
        >`SELECT ${selectList(needed)} FROM ${sql.raw(version.table_name)} WHERE ${where} ORDER BY ${orderBy(sort, version.table_name)} LIMIT ${size} OFFSET ${cursor === undefined ? skip : 0}`,
      );
      if (rows.length === 0) return;
      sent += rows.length;
      yield rows;
      if (rows.length < size) return;
      cursor = afterCursor(sort, cursorAfter(rows.at(-1)!, sort, ''));
    }
  }

  /**
   * Values for a writer. CSV takes the database's own text (numbers were selected as text), so it skips the
   * conversion to JSON numbers that JSON, NDJSON and XLSX need.
   */
  function exportValues(
    columns: ColumnInfo[],
    batch: Record<string, unknown>[],
    asText: boolean,
  ): unknown[][] {
    if (asText) return batch.map((row) => columns.map((c) => row[c.column] ?? null));
    return batch.map((row) => columns.map((c) => outputValue(c, row[c.column])));
  }

  async function stream(
    actor: Actor,
    id: string,
    params: RecordsParams & { format: 'csv' | 'ndjson' | 'json' | 'xlsx' },
    via: 'records' | 'download',
  ): Promise<{ body: Readable; filename: string; contentType: string; version: number }> {
    const { resource, access, version, sort, chosen, conditions, offset } = await prepareQuery(
      actor,
      id,
      params,
      via === 'download' ? 'download' : 'records',
    );
    const max = params.limit ?? Number.MAX_SAFE_INTEGER;
    const fields = chosen.map((c) => ({
      name: c.field,
      type: (version.schema?.fields.find((f) => f.name === c.field)?.type ?? 'string') as TableFieldType,
    }));
    const rows = (async function* () {
      for await (const batch of batches(version, chosen, conditions, sort, max, offset))
        yield exportValues(chosen, batch, params.format === 'csv');
    })();
    await logRead(actor, access, resource, { version: version.version, via, format: params.format });
    const base = `${resource.id}-v${version.version}`;
    switch (params.format) {
      case 'csv':
        return {
          body: csvStream(fields, rows, { bom: via === 'download' }),
          filename: `${base}.csv`,
          contentType: 'text/csv; charset=utf-8',
          version: version.version,
        };
      case 'ndjson':
        return {
          body: ndjsonStream(fields, rows),
          filename: `${base}.ndjson`,
          contentType: 'application/x-ndjson; charset=utf-8',
          version: version.version,
        };
      case 'json':
        return {
          body: jsonStream(fields, rows),
          filename: `${base}.json`,
          contentType: 'application/json; charset=utf-8',
          version: version.version,
        };
      default:
        return {
          body: xlsxStream(fields, rows, { sheetName: resource.name.slice(0, 28) || 'data' }),
          filename: `${base}.xlsx`,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          version: version.version,
        };
    }
  }

  async function aggregate(
    actor: Actor,
    id: string,
    params: {
      groupBy?: string;
      metrics?: string;
      filters?: Record<string, FilterSpec>;
      q?: string;
      limit?: number;
      version?: number;
    },
  ) {
    const { resource, access, decision } = await readable(actor, id, 'aggregate');
    const version = await liveOrVersion(resource, params.version);
    const columns = version.columns ?? [];
    const visible = visibleColumns(columns, decision);
    const spec = parseAggregate(columns, params.groupBy, params.metrics);
    const filtered = Object.keys(params.filters ?? {}).map((f) => columns.find((c) => c.field === f));
    await requireGranted(
      actor,
      id,
      [
        ...spec.groups.map((g) => g.column),
        ...spec.metrics.flatMap((m) => (m.column === undefined ? [] : [m.column])),
        ...filtered.filter((c) => c !== undefined),
      ],
      visible,
    );
    const { select, groupBy } = aggregateSelect(spec);
    const where = andAll(whereClause(visible, params.filters ?? {}, params.q));
    const limit = Math.min(params.limit ?? 100, 10_000);
    const dated = spec.groups.some((g) => g.truncate !== undefined);
    // Date buckets read best in time order; other groups biggest first.
    const order =
      groupBy === undefined ? sql`1` : dated ? sql`1` : sql.raw(`${spec.groups.length + 1} DESC NULLS LAST`);
    const rows = await runQuery(
      sql<
        Record<string, string | null>
      >`SELECT ${select} FROM ${sql.raw(version.table_name)} WHERE ${where} ${groupBy === undefined ? sql`` : sql`GROUP BY ${groupBy}`} ORDER BY ${order} LIMIT ${limit}`,
    );
    await logRead(actor, access, resource, { version: version.version, via: 'aggregate' });
    return {
      groupBy: spec.groups.map((g) => g.key),
      metrics: spec.metrics.map((m) => m.name),
      rows: rows.map((r) => {
        const out: Record<string, unknown> = {};
        spec.groups.forEach((g, i) => {
          const v = r[`g${i}`] ?? null;
          out[g.key] = g.truncate === undefined ? outputValue(g.column, v) : v;
        });
        spec.metrics.forEach((m, i) => {
          const v = r[`m${i}`] ?? null;
          out[m.name] = v === null ? null : Number.isFinite(Number(v)) ? Number(v) : v;
        });
        return out;
      }),
    };
  }

  // ----- SQL -----------------------------------------------------------------------------------

  async function runSql(actor: Actor, text: string) {
    // First pass learns which tables the query names; only those the caller may read are then allowed.
    const named = new Set<string>();
    try {
      await checkSelect(text, {
        resolveTable: (name) => {
          named.add(name);
          return 'datastore_api.placeholder';
        },
      });
    } catch (error) {
      if (error instanceof SqlRefusedError) throw sqlError(error);
      throw error;
    }
    const allowed = new Map<string, string>();
    const accesses: { resource: ResourceRow & object; access: RowAccess }[] = [];
    for (const name of named) {
      const resource = await resourceForRead(name);
      if (resource === undefined || resource.live_version === null) continue;
      const { access } = await accessTo(actor, resource);
      const effective = access === 'none' && canManage(actor, resource) ? 'oversight' : access;
      // SQL reads whole tables: a grant, limited to fields and uses, does not extend to it.
      if (effective === 'none' || effective === 'granted') continue;
      allowed.set(name, `datastore_api.${name}`);
      accesses.push({ resource, access: effective });
    }
    let checked: { sql: string; tables: string[] };
    try {
      checked = await checkSelect(text, { resolveTable: (name) => allowed.get(name) });
    } catch (error) {
      if (error instanceof SqlRefusedError) throw sqlError(error);
      throw error;
    }
    const rows = await kysely.transaction().execute(async (trx) => {
      await sql`SET TRANSACTION READ ONLY`.execute(trx);
      await sql.raw(`SET LOCAL statement_timeout = ${SQL_TIMEOUT_MS}`).execute(trx);
      // Tables are schema-qualified by the guard; unqualified function names resolve to built-ins only.
      await sql`SET LOCAL search_path = pg_catalog`.execute(trx);
      try {
        // PostgreSQL renders each row as JSON itself: dates stay dates and no time zone is guessed.
        const result = await sql
          .raw<{ r: unknown }>(
            `SELECT to_json(q)::text AS r FROM (${checked.sql}) AS q LIMIT ${SQL_ROW_CAP + 1}`,
          )
          .execute(trx);
        return result.rows.map((row) => JSON.parse(String(row.r)) as Record<string, unknown>);
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        const message = (error as Error).message;
        if (code === '57014')
          throw new ValidationError(
            `The query ran longer than ${SQL_TIMEOUT_MS / 1000} s and was stopped.`,
            [{ path: '/sql', message: 'Timeout' }],
            'DATASTORE_SQL_TIMEOUT',
          );
        if (/^(22|42)/.test(code))
          throw new ValidationError(
            `The query failed: ${message}`,
            [{ path: '/sql', message }],
            'DATASTORE_SQL_INVALID',
          );
        throw error;
      }
    });
    for (const { resource, access } of accesses) await logRead(actor, access, resource, { via: 'sql' });
    const truncated = rows.length > SQL_ROW_CAP;
    const kept = truncated ? rows.slice(0, SQL_ROW_CAP) : rows;
    return {
      fields: Object.keys(kept[0] ?? {}),
      records: kept,
      truncated,
      rowCap: SQL_ROW_CAP,
    };
  }

  function sqlError(error: SqlRefusedError): ValidationError {
    return new ValidationError(
      error.message,
      [{ path: '/sql', message: error.message }],
      `DATASTORE_${error.code}`,
    );
  }

  // ----- direct writes (CKAN datastore_create / upsert / delete) -------------------------------

  /**
   * Creates a new live version from fields and inline records (CKAN datastore_create). The same
   * validation and the same switch as a file load.
   */
  async function createFromRecords(
    actor: Actor,
    id: string,
    input: {
      fields: { id: string; type?: string }[] | undefined;
      records: Record<string, unknown>[];
      primaryKey?: string[];
    },
  ) {
    const resource = await repo.resourceById(kysely, id);
    if (resource === undefined) throw notFound(id);
    requirePermission(actor, 'datastore:manage', { organizationId: resource.organization_id });
    const names = input.fields?.map((f) => f.id) ?? [
      ...new Set(input.records.flatMap((r) => Object.keys(r))),
    ];
    const ndjson = input.records.map((r) => JSON.stringify(names.map((name) => r[name] ?? null))).join('\n');
    const content = `${JSON.stringify(names)}\n${ndjson}\n`;
    const schema: TableSchema | undefined =
      input.fields === undefined || input.fields.some((f) => f.type === undefined)
        ? undefined
        : { fields: input.fields.map((f) => ({ name: f.id, type: ckanType(f.type!) })) };
    // Small inline tables load within the call, as CKAN clients expect; a failure is the caller's 400.
    const result = await loadNow(actor, id, Readable.from([content]), `${id}.ndjson`, {
      format: 'ndjson',
      ...(schema === undefined ? {} : { schema }),
      ...(input.primaryKey === undefined ? {} : { primaryKey: input.primaryKey }),
    });
    if (result.report !== undefined && !result.report.valid) {
      const first = result.report.errors[0];
      throw new ValidationError(
        `The records have ${result.report.errorCount} validation errors.`,
        first === undefined ? [] : [{ path: '/records', message: first.message }],
      );
    }
    return { version: result.version };
  }

  // ----- derived tables (de-identification, Art. 46) ---------------------------------------------

  /**
   * Every row of a version as text, in batches, for those who may read it whole (a scan or a derivation).
   * Fields hidden from the caller stay hidden; the read is logged like a download.
   */
  async function tableRows(actor: Actor, id: string, options: { version?: number; limit?: number } = {}) {
    const { resource, access, version, chosen, conditions, sort } = await prepareQuery(
      actor,
      id,
      { ...(options.version === undefined ? {} : { version: options.version }) },
      'download',
    );
    const max = options.limit ?? Number.MAX_SAFE_INTEGER;
    await logRead(actor, access, resource, { version: version.version, via: 'download', format: 'rows' });
    const rows = (async function* () {
      for await (const batch of batches(version, chosen, conditions, sort, max))
        yield exportValues(chosen, batch, true).map((row) =>
          row.map((v) => (v === null || v === undefined ? null : String(v))),
        );
    })();
    return {
      resourceId: resource.id,
      entryCode: resource.entry_code,
      organizationId: resource.organization_id,
      version: version.version,
      rowCount: version.rows === null ? null : Number(version.rows),
      fields: chosen.map((c) => ({
        name: c.field,
        type: (version.schema?.fields.find((f) => f.name === c.field)?.type ?? 'string') as TableFieldType,
      })),
      rows,
    };
  }

  /**
   * A new table under `entryCode` holding `rows`, loaded whole or not at all: when the load fails, the new
   * table is removed again and the error is thrown.
   */
  async function createDerived(
    actor: Actor,
    input: { entryCode: string; name: string; description?: string; releaseClearance: string | null },
    fields: readonly string[],
    rows: AsyncIterable<readonly (string | null)[]> | Iterable<readonly (string | null)[]>,
    progress?: (done: number, total: number, message: string) => Promise<void>,
    /** Told the new table's id before its rows load, so that a crash in between leaves a trace. */
    onCreated?: (id: string) => Promise<void>,
  ): Promise<{ resource: ResourceView; version: number; rows: number }> {
    const created = await createResource(actor, input);
    const lines = (async function* () {
      yield `${JSON.stringify(fields)}\n`;
      for await (const row of rows) yield `${JSON.stringify(row)}\n`;
    })();
    try {
      await onCreated?.(created.id);
      const result = await loadNow(
        actor,
        created.id,
        Readable.from(lines),
        `${created.id}.ndjson`,
        { format: 'ndjson' },
        progress,
      );
      if (result.state !== 'live')
        throw new ValidationError(
          `The derived table did not load: ${result.report?.errors[0]?.message ?? result.state}.`,
          [],
        );
      const row = await repo.resourceById(kysely, created.id);
      return { resource: await view(actor, row!), version: result.version, rows: result.rows ?? 0 };
    } catch (error) {
      await discardResource(actor, created.id, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** Removes a table that never served (a derivation that failed), with its versions and their data. */
  async function discardResource(actor: Actor, id: string, reason: string): Promise<void> {
    const tables = await kysely
      .selectFrom('datastore_versions')
      .select('table_name')
      .where('resource_id', '=', id)
      .execute();
    await kysely.transaction().execute(async (trx) => {
      await trx.deleteFrom('datastore_resources').where('id', '=', id).execute();
      // The reason may quote cell values: the log keeps only its hash.
      await record(trx, actor, 'datastore.resource.discarded', id, {}, { reason });
      await tableChanged(trx, id);
    });
    // A failed load drops its own table already; this catches what a crash may have left.
    for (const t of tables) await dropTable(db, t.table_name);
  }

  /** Sets how far a de-identified table may be served (the strictest scenario its assessment passed). */
  async function setReleaseClearance(
    trx: Transaction<Database>,
    id: string,
    clearance: string | null,
  ): Promise<void> {
    await trx
      .updateTable('datastore_resources')
      .set({ release_clearance: clearance })
      .where('id', '=', id)
      .execute();
    await tableChanged(trx, id);
  }

  function ckanType(type: string): TableFieldType {
    const t = type.toLowerCase();
    if (['int', 'int4', 'int8', 'integer', 'bigint'].includes(t)) return 'integer';
    if (['float', 'float8', 'numeric', 'number', 'double precision'].includes(t)) return 'number';
    if (['bool', 'boolean'].includes(t)) return 'boolean';
    if (t === 'date') return 'date';
    if (t === 'timestamp' || t === 'datetime') return 'datetime';
    if (t === 'time') return 'time';
    if (t === 'json' || t === 'jsonb') return 'object';
    return 'string';
  }

  /**
   * Inserts or updates rows of the live version in place (CKAN datastore_upsert), matching on the
   * schema's primary key. One transaction with its log entry; the version's row count follows.
   */
  async function upsertRecords(
    actor: Actor,
    id: string,
    rows: Record<string, unknown>[],
    method: 'upsert' | 'insert' | 'update',
  ) {
    const resource = await repo.resourceById(kysely, id);
    if (resource === undefined) throw notFound(id);
    requirePermission(actor, 'datastore:manage', { organizationId: resource.organization_id });
    const version = await liveOrVersion(resource, undefined);
    const columns = version.columns ?? [];
    const key = version.schema?.primaryKey ?? [];
    if (method !== 'insert' && key.length === 0)
      throw new ValidationError(`Data table ${id} has no primary key; only method "insert" is possible.`, [
        { path: '/method', message: 'No primary key' },
      ]);
    if (rows.length > 10_000)
      throw new ValidationError('At most 10,000 records per call.', [
        { path: '/records', message: 'Too many' },
      ]);
    const keyColumns = key.map((f) => columns.find((c) => c.field === f)!);
    const table = sql.raw(version.table_name);
    const typed = (c: ColumnInfo, v: unknown) =>
      v === null || v === undefined
        ? sql`NULL`
        : sql`cast(${typeof v === 'string' ? v : JSON.stringify(v)} as ${sql.raw(c.type)})`;
    await kysely
      .transaction()
      .execute(async (trx) => {
        for (const [i, row] of rows.entries()) {
          for (const field of Object.keys(row))
            if (field !== '_id' && !columns.some((c) => c.field === field))
              throw new ValidationError(`records[${i}]: there is no field "${field}".`, [
                { path: `/records/${i}/${field}`, message: 'Unknown field' },
              ]);
          const match = andAll(keyColumns.map((c) => sql`${sql.id(c.column)} = ${typed(c, row[c.field])}`));
          const present = columns.filter((c) => c.field in row);
          let updated = 0;
          if (method !== 'insert') {
            if (present.length > 0) {
              const result =
                await sql`UPDATE ${table} SET ${sql.join(present.map((c) => sql`${sql.id(c.column)} = ${typed(c, row[c.field])}`))} WHERE ${match}`.execute(
                  trx,
                );
              updated = Number(result.numAffectedRows ?? 0);
            }
            if (method === 'update' && updated === 0)
              throw new NotFoundError('DATASTORE_RECORD_NOT_FOUND', `records[${i}]: no row has that key.`);
          }
          if (updated === 0 && method !== 'update') {
            await sql`INSERT INTO ${table} ("_id", ${sql.join(present.map((c) => sql.id(c.column)))}) VALUES ((SELECT coalesce(max("_id"), 0) + 1 FROM ${table}), ${sql.join(present.map((c) => typed(c, row[c.field])))})`.execute(
              trx,
            );
          }
        }
        await refreshStats(trx, version);
        await record(
          trx,
          actor,
          'datastore.records.upserted',
          id,
          { version: version.version, records: rows.length, method },
          rows,
        );
      })
      .catch(rethrowDataError);
  }

  async function deleteRecords(actor: Actor, id: string, filters: Record<string, FilterSpec> | undefined) {
    const resource = await repo.resourceById(kysely, id);
    if (resource === undefined) throw notFound(id);
    requirePermission(actor, 'datastore:manage', { organizationId: resource.organization_id });
    if (filters === undefined) {
      // CKAN's datastore_delete without filters removes the table: here, the resource's data goes offline.
      await kysely.transaction().execute(async (trx) => {
        await sql.raw(`DROP VIEW IF EXISTS datastore_api."${id}"`).execute(trx);
        if (resource.live_version !== null)
          await repo.setVersionState(trx, id, resource.live_version, 'superseded');
        await setLive(trx, id, null);
        await record(trx, actor, 'datastore.resource.emptied', id, { version: resource.live_version });
      });
      return { deleted: null };
    }
    const version = await liveOrVersion(resource, undefined);
    const where = andAll(whereClause(version.columns ?? [], filters, undefined));
    return kysely
      .transaction()
      .execute(async (trx) => {
        const result = await sql`DELETE FROM ${sql.raw(version.table_name)} WHERE ${where}`.execute(trx);
        await refreshStats(trx, version);
        const deleted = Number(result.numAffectedRows ?? 0);
        await record(
          trx,
          actor,
          'datastore.records.deleted',
          id,
          { version: version.version, deleted },
          filters,
        );
        return { deleted };
      })
      .catch(rethrowDataError);
  }

  function rethrowDataError(error: unknown): never {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('22') || code === '23505' || code === '23502')
      throw new ValidationError(`The records do not fit the table: ${(error as Error).message}`, [
        { path: '/records', message: (error as Error).message },
      ]);
    throw error;
  }

  /** After in-place changes: the row count, and NULLs assumed possible everywhere (keyset paging stays right). */
  async function refreshStats(trx: Parameters<Ledger['record']>[0], version: VersionRow) {
    const counted = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM ${sql.raw(version.table_name)}`.execute(trx);
    const columns = (version.columns ?? []).map((c) => ({ ...c, nulls: Math.max(c.nulls, 1) }));
    await repo.updateVersionStats(
      trx,
      version.resource_id,
      version.version,
      Number(counted.rows[0]?.n ?? 0),
      columns,
    );
    await tableChanged(trx, version.resource_id);
  }

  async function info(actor: Actor, id: string) {
    const { resource, decision } = await readable(actor, id, 'records');
    const version =
      resource.live_version === null ? undefined : await repo.version(kysely, id, resource.live_version);
    const granted = decision.access === 'granted' ? decision.scope?.fields : undefined;
    const fields = (version?.schema?.fields ?? []).filter(
      (f) => granted === undefined || granted.has(f.name),
    );
    return { resource, version, fields };
  }

  // Intake by interface call (Art. 17): its own file, on the same uploads, versions and log.
  const intake = createIntake({
    db: kysely,
    store,
    uploadLimitBytes: deps.uploadLimitBytes,
    outboundAllowPrivate: deps.outboundAllowPrivate,
    resource: async (id) => {
      const resource = await repo.resourceById(kysely, id);
      if (resource === undefined) throw notFound(id);
      return resource;
    },
    canManage,
    record,
    queueVersion: (trx, resourceId, upload, options) => queueVersion(trx, resourceId, upload, options, null),
  });

  /**
   * Versions left `loading` whose job will not run again (cancelled while queued, failed for good, lost
   * in a crash) are closed: cancelled or failed, their tables dropped.
   */
  async function sweepAbandoned(resourceId?: string): Promise<number> {
    let swept = 0;
    for (const v of await repo.loadingVersions(kysely, resourceId)) {
      if (v.job_id === null) continue;
      const job = await jobs.get(v.job_id).catch(() => undefined);
      if (job !== undefined && (job.status === 'queued' || job.status === 'running')) continue;
      await dropTable(db, v.table_name);
      const state = job?.status === 'cancelled' ? 'cancelled' : 'failed';
      await kysely.transaction().execute(async (trx) => {
        await repo.setVersionState(trx, v.resource_id, v.version, state);
        await record(trx, systemActor(LOAD_JOB), `datastore.version.${state}`, v.resource_id, {
          version: v.version,
        });
      });
      swept++;
    }
    return swept;
  }

  /**
   * The policy's answer alone, as every read asks it: who the caller is to this table, and under a grant
   * which fields and uses. Refusals throw, and are logged, as for a read.
   */
  async function checkRead(actor: Actor, id: string, operation: GrantOperation): Promise<ReadDecision> {
    const { access, decision } = await readable(actor, id, operation);
    return { ...decision, access };
  }

  return {
    checkRead,
    createResource,
    listResources,
    getResource,
    versions,
    report,
    upload,
    requestLoad,
    runLoad,
    loadNow,
    prune,
    records,
    stream,
    aggregate,
    runSql,
    createFromRecords,
    tableRows,
    createDerived,
    discardResource,
    setReleaseClearance,
    upsertRecords,
    deleteRecords,
    info,
    setIntake: intake.setIntake,
    getIntake: intake.getIntake,
    pullIntake: intake.pullIntake,
    runIntakes: intake.runIntakes,
    sweepAbandoned,
    canManage,
    uploadLimitBytes: deps.uploadLimitBytes,
  };
}

export type DatastoreService = ReturnType<typeof createDatastoreService>;
export type { VersionState };
