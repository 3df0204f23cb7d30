import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Ledger } from '../../../kernel/audit/index.ts';
import { type Actor, can, requirePermission, systemActor } from '../../../kernel/auth/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../kernel/errors.ts';
import { type JobContext, JobFailedForGoodError, type Jobs } from '../../../kernel/jobs/index.ts';
import type { CatalogService, InformationItem } from '../../catalog/index.ts';
import type { DatastoreService } from '../../datastore/index.ts';
import {
  applyPlan,
  assessRisk,
  DEFAULT_SCENARIO_THRESHOLDS,
  type DeidPlan,
  dateHierarchy,
  type Hierarchy,
  isDeidError,
  numericRangeHierarchy,
  parseHierarchyCsv,
  type RiskReport,
  type RiskThresholds,
  regionHierarchy,
  SCENARIOS,
  type Scenario,
  searchOptimal,
  type Table,
  type Transform,
} from '../deid/index.ts';
import { createColumnScanner, type ScanReport } from '../discovery/index.ts';
import './resources.permissions.ts';
import type { WorkState } from './resources.tables.ts';

export const SCAN_JOB = 'security.scan';
export const DERIVE_JOB = 'security.derive';

/** Tables de-identified in memory by a job: past this many rows, the CLI on an export is the tool. */
export const MAX_ROWS_IN_MEMORY = 2_000_000;

/** Risk assessed or searched within a request: smaller, and one at a time per process. */
export const MAX_ROWS_IN_REQUEST = 200_000;

/** The thresholds a derivation is judged by: its requester may make them stricter, never looser. */
export function stricterThresholds(
  base: RiskThresholds,
  asked: Partial<RiskThresholds> | undefined,
): RiskThresholds {
  if (asked === undefined) return base;
  const atLeast = (a: number | undefined, b: number | undefined) =>
    a === undefined ? b : b === undefined ? a : Math.max(a, b);
  const atMost = (a: number | undefined, b: number | undefined) =>
    a === undefined ? b : b === undefined ? a : Math.min(a, b);
  const merged: RiskThresholds = {
    k: atLeast(base.k, asked.k)!,
    maxProsecutor: atMost(base.maxProsecutor, asked.maxProsecutor)!,
    maxJournalist: atMost(base.maxJournalist, asked.maxJournalist)!,
    maxMarketer: atMost(base.maxMarketer, asked.maxMarketer)!,
    maxUniqueShare: atMost(base.maxUniqueShare, asked.maxUniqueShare)!,
  };
  const l = atLeast(base.l, asked.l);
  const t = atMost(base.t, asked.t);
  return { ...merged, ...(l === undefined ? {} : { l }), ...(t === undefined ? {} : { t }) };
}

/**
 * How a generalisation hierarchy is given over the API: a value tree as CSV, numeric ranges, dates, or
 * administrative division codes (district, prefecture, province).
 */
export type HierarchySpec =
  | { csv: string }
  | { ranges: number[] }
  | { dates: ('month' | 'year' | 'decade')[] };

/** A transformation as the API takes it: hierarchies as specs, resolved against the data when it is read. */
export type TransformSpec =
  | Exclude<Transform, { kind: 'generalize' }>
  | { kind: 'generalize'; hierarchy: HierarchySpec; level: number };

export interface DerivationInput {
  sourceResourceId: string;
  sourceVersion?: number;
  target: { entryCode: string; name: string; description?: string };
  /** Fields left out are kept as they are. */
  fields: Record<string, TransformSpec>;
  /** Drop the records of classes smaller than k over the quasi-identifiers, refusing past maxShare. */
  suppression?: { k: number; maxShare: number };
  risk: {
    quasiIdentifiers: string[];
    sensitive?: string[];
    scenario: Scenario;
    thresholds?: Partial<RiskThresholds>;
  };
}

export interface RiskInput {
  resourceId: string;
  version?: number;
  quasiIdentifiers: string[];
  sensitive?: string[];
  scenario?: Scenario;
  thresholds?: Partial<RiskThresholds>;
  population?: number;
}

export interface SearchInput {
  resourceId: string;
  version?: number;
  hierarchies: Record<string, HierarchySpec>;
  k: number;
  l?: number;
  sensitive?: string[];
  maxSuppression: number;
}

export interface ScanView {
  id: string;
  resourceId: string;
  entryCode: string;
  version: number | null;
  sample: number | null;
  state: WorkState;
  jobId: string | null;
  report: ScanReport | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface DerivationView {
  id: string;
  sourceResourceId: string;
  sourceVersion: number | null;
  target: { entryCode: string; name: string; resourceId: string | null; version: number | null };
  state: WorkState;
  jobId: string | null;
  rows: number | null;
  recordsSuppressed: number | null;
  risk: DerivationInput['risk'];
  report: RiskReport | null;
  /** Whether the derived table passes each scenario's thresholds. */
  scenarios: Partial<Record<Scenario, boolean>> | null;
  /** The strictest scenario passed, `none`, or null when the table holds no personal information. */
  clearance: string | null;
  lineage: unknown;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ResourceSecurityDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  jobs: Jobs;
  catalog: CatalogService;
  datastore: DatastoreService;
}

function iso(d: Date | string | null): string | null {
  if (d === null) return null;
  return (d instanceof Date ? d : new Date(d)).toISOString();
}

function newId(): string {
  return randomUUID();
}

/** The stable code of a failure, for the log (the message itself may quote data). */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'ERROR';
}

/** One readable line from an engine or datastore failure. */
function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Scans and de-identification of the platform's own data tables (Art. 45-46). The engines are pure
 * (`../discovery`, `../deid`); this service reads the rows through the datastore, as the caller, so that
 * each read is checked and logged, runs the long work as durable jobs, and keeps what came out.
 */
export function createResourceSecurityService(deps: ResourceSecurityDeps) {
  const { db, ledger, jobs, datastore, catalog } = deps;

  /** The caller must manage the table (its provider) or be a security officer or operator. */
  async function managedResource(actor: Actor, resourceId: string, permission: string) {
    const resource = await datastore.getResource(actor, resourceId);
    if (
      !resource.access.manage &&
      !(
        actor.kind === 'user' && actor.platformRoles.some((r) => r === 'security_officer' || r === 'operator')
      )
    )
      throw new ForbiddenError(
        'Only the table’s provider, security officers and the big data centre may do this.',
        'SECURITY_NOT_RESPONSIBLE',
      );
    requirePermission(actor, permission, { organizationId: resource.organizationId });
    return resource;
  }

  /** The key of keyed hashing, made once and kept in the database; it never leaves the platform. */
  async function hmacKey(): Promise<Buffer> {
    const found = await db
      .selectFrom('security_keys')
      .select('secret')
      .where('name', '=', 'deid-hmac')
      .executeTakeFirst();
    if (found !== undefined) return Buffer.from(found.secret);
    await db
      .insertInto('security_keys')
      .values({ name: 'deid-hmac', secret: randomBytes(32) })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return hmacKey();
  }

  async function readTable(actor: Actor, resourceId: string, version: number | undefined, max: number) {
    const source = await datastore.tableRows(actor, resourceId, {
      ...(version === undefined ? {} : { version }),
    });
    const tooLarge = (rows: number) =>
      new ValidationError(
        `The table has ${rows} rows or more; this takes at most ${max}. Download it and use the command line.`,
        [],
        'SECURITY_TABLE_TOO_LARGE',
      );
    if (source.rowCount !== null && source.rowCount > max) throw tooLarge(source.rowCount);
    const rows: (string | null)[][] = [];
    for await (const batch of source.rows) {
      for (const row of batch) rows.push(row);
      if (rows.length > max) throw tooLarge(rows.length);
    }
    const table: Table = { columns: source.fields.map((f) => f.name), rows };
    return { source, table };
  }

  // ----- scans ---------------------------------------------------------------------------------

  function scanView(row: {
    id: string;
    resource_id: string;
    entry_code: string;
    version: number | null;
    sample: number | null;
    state: WorkState;
    job_id: string | null;
    report: unknown;
    error: string | null;
    created_at: Date;
    finished_at: Date | null;
  }): ScanView {
    return {
      id: row.id,
      resourceId: row.resource_id,
      entryCode: row.entry_code,
      version: row.version,
      sample: row.sample,
      state: row.state,
      jobId: row.job_id,
      report: (row.report as ScanReport | null) ?? null,
      error: row.error,
      createdAt: iso(row.created_at)!,
      finishedAt: iso(row.finished_at),
    };
  }

  async function requestScan(
    actor: Actor,
    input: { resourceId: string; version?: number; sample?: number },
  ): Promise<ScanView> {
    const resource = await managedResource(actor, input.resourceId, 'security:scan');
    if (resource.liveVersion === null && input.version === undefined)
      throw new ConflictError('SECURITY_NO_DATA', `Data table ${resource.id} has no data to scan yet.`);
    const id = newId();
    const row = await db.transaction().execute(async (trx) => {
      const jobId = await jobs.enqueue(trx, {
        kind: SCAN_JOB,
        payload: { scanId: id },
        ...(actor.kind === 'user' ? { createdBy: actor.userId } : {}),
      });
      const inserted = await trx
        .insertInto('security_scans')
        .values({
          id,
          resource_id: resource.id,
          entry_code: resource.entryCode,
          organization_id: resource.organizationId,
          version: input.version ?? resource.liveVersion,
          sample: input.sample ?? null,
          state: 'queued',
          job_id: jobId,
          report: null,
          error: null,
          requested_by: actor.kind === 'user' ? actor.userId : null,
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await ledger.record(trx, actor, {
        action: 'security.scan.requested',
        objects: [
          { type: 'security.scan', id },
          { type: 'datastore.resource', id: resource.id },
        ],
        details: { version: inserted.version, sample: inserted.sample },
      });
      return inserted;
    });
    return scanView(row);
  }

  async function runScan(ctx: JobContext<{ scanId: string }>): Promise<void> {
    const scan = await db
      .selectFrom('security_scans')
      .selectAll()
      .where('id', '=', ctx.payload.scanId)
      .executeTakeFirst();
    if (scan === undefined || scan.state === 'done' || scan.state === 'failed') return;
    await db.updateTable('security_scans').set({ state: 'running' }).where('id', '=', scan.id).execute();
    // The request was checked and logged as its author; the job reads as the platform's scanner.
    const reader = systemActor('security-scan');
    try {
      const source = await datastore.tableRows(reader, scan.resource_id, {
        ...(scan.version === null ? {} : { version: scan.version }),
        ...(scan.sample === null ? {} : { limit: scan.sample }),
      });
      const fields = await describedFields(scan.entry_code, source.fields);
      const scanner = createColumnScanner(fields);
      const total = Math.min(source.rowCount ?? 0, scan.sample ?? Number.MAX_SAFE_INTEGER);
      let done = 0;
      for await (const batch of source.rows) {
        for (const row of batch) scanner.add(row);
        done += batch.length;
        await ctx.progress(done, total, 'scanning');
      }
      const report = scanner.result();
      await ctx.transaction(async (trx) => {
        await trx
          .updateTable('security_scans')
          .set({ state: 'done', report: JSON.stringify(report), finished_at: new Date() })
          .where('id', '=', scan.id)
          .execute();
        await ledger.record(trx, reader, {
          action: 'security.scan.completed',
          objects: [
            { type: 'security.scan', id: scan.id },
            { type: 'datastore.resource', id: scan.resource_id },
          ],
          details: {
            rows: report.rowsScanned,
            personal: report.columns.filter((c) => c.proposal.personalInfo !== 'none').map((c) => c.name),
          },
        });
      });
    } catch (error) {
      await failScan(scan.id, reason(error), errorCode(error));
      throw new JobFailedForGoodError(reason(error));
    }
  }

  async function failScan(id: string, message: string, code: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('security_scans')
        .set({ state: 'failed', error: message, finished_at: new Date() })
        .where('id', '=', id)
        .execute();
      // The message may quote cell values: the log keeps only its hash.
      await ledger.record(trx, systemActor('security-scan'), {
        action: 'security.scan.failed',
        objects: [{ type: 'security.scan', id }],
        details: { code },
        content: { error: message },
      });
    });
  }

  /** The catalog's titles and descriptions of the fields: context for the recognisers. */
  async function describedFields(entryCode: string, fields: readonly { name: string }[]) {
    const items = await informationItems(entryCode).catch(() => [] as InformationItem[]);
    return fields.map((f) => {
      const item = items.find((i) => i.name === f.name);
      return {
        name: f.name,
        ...(item?.title?.zh === undefined ? {} : { title: item.title.zh }),
        ...(item?.description === undefined ? {} : { description: item.description }),
      };
    });
  }

  /** The entry's fields as published and as being edited: what either says of personal information counts. */
  async function informationItems(entryCode: string): Promise<InformationItem[]> {
    const record = await catalog.get(systemActor('security'), entryCode);
    return [...(record.working?.metadata.informationItems ?? []), ...record.entry.metadata.informationItems];
  }

  /** Fields of a table that hold personal information: by its catalog entry, or by its latest scan. */
  async function personalFields(resourceId: string, entryCode: string): Promise<Set<string>> {
    const personal = new Set(
      (await informationItems(entryCode)).filter((i) => i.personalInfo !== 'none').map((i) => i.name),
    );
    const scan = await db
      .selectFrom('security_scans')
      .select('report')
      .where('resource_id', '=', resourceId)
      .where('state', '=', 'done')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    for (const column of (scan?.report as ScanReport | undefined)?.columns ?? [])
      if (column.proposal.personalInfo !== 'none') personal.add(column.name);
    return personal;
  }

  async function visibleScanRow(actor: Actor, id: string) {
    const row = await db.selectFrom('security_scans').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new NotFoundError('SECURITY_SCAN_NOT_FOUND', `There is no scan ${id}.`);
    await managedResource(actor, row.resource_id, 'security:scan');
    return row;
  }

  async function getScan(actor: Actor, id: string): Promise<ScanView> {
    return scanView(await visibleScanRow(actor, id));
  }

  async function scansOf(actor: Actor, resourceId: string): Promise<ScanView[]> {
    await managedResource(actor, resourceId, 'security:scan');
    const rows = await db
      .selectFrom('security_scans')
      .selectAll()
      .where('resource_id', '=', resourceId)
      .orderBy('created_at', 'desc')
      .limit(50)
      .execute();
    return rows.map(scanView);
  }

  /**
   * The scans of every table of an entry the caller answers for, newest first: what the catalog editor
   * shows beside each field as the scanner's proposal.
   */
  async function scansOfEntry(actor: Actor, entryCode: string): Promise<ScanView[]> {
    const facts = await catalog.accessFacts(entryCode);
    if (facts === undefined)
      throw new NotFoundError('CATALOG_ENTRY_NOT_FOUND', `There is no catalog entry ${entryCode}.`);
    const oversight =
      actor.kind === 'user' && actor.platformRoles.some((r) => r === 'security_officer' || r === 'operator');
    if (!oversight && !can(actor, 'security:scan', { organizationId: facts.organizationId }))
      throw new ForbiddenError(
        'Only the entry’s provider, security officers and the big data centre see its scans.',
        'SECURITY_NOT_RESPONSIBLE',
      );
    const rows = await db
      .selectFrom('security_scans')
      .selectAll()
      .where('entry_code', '=', facts.code)
      .orderBy('created_at', 'desc')
      .limit(20)
      .execute();
    return rows.map(scanView);
  }

  // ----- risk and search on a table as it is --------------------------------------------------

  // A table read whole into memory within a request: one at a time, so that a few callers cannot
  // exhaust the process.
  let inRequest: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = inRequest.catch(() => undefined).then(work);
    inRequest = run;
    return run;
  }

  function assess(actor: Actor, input: RiskInput): Promise<RiskReport> {
    return oneAtATime(() => assessNow(actor, input));
  }

  async function assessNow(actor: Actor, input: RiskInput): Promise<RiskReport> {
    await managedResource(actor, input.resourceId, 'security:scan');
    const { table } = await readTable(actor, input.resourceId, input.version, MAX_ROWS_IN_REQUEST);
    try {
      return assessRisk(table, {
        quasiIdentifiers: input.quasiIdentifiers,
        ...(input.sensitive === undefined ? {} : { sensitive: input.sensitive }),
        ...(input.scenario === undefined ? {} : { scenario: input.scenario }),
        ...(input.thresholds === undefined ? {} : { thresholds: input.thresholds }),
        ...(input.population === undefined ? {} : { population: input.population }),
      });
    } catch (error) {
      throw engineError(error);
    }
  }

  function search(actor: Actor, input: SearchInput) {
    return oneAtATime(() => searchNow(actor, input));
  }

  async function searchNow(actor: Actor, input: SearchInput) {
    await managedResource(actor, input.resourceId, 'security:scan');
    const { table } = await readTable(actor, input.resourceId, input.version, MAX_ROWS_IN_REQUEST);
    try {
      const hierarchies: Record<string, Hierarchy> = {};
      for (const [field, spec] of Object.entries(input.hierarchies))
        hierarchies[field] = resolveHierarchy(table, field, spec);
      return searchOptimal(table, {
        hierarchies,
        k: input.k,
        ...(input.l === undefined ? {} : { l: input.l }),
        ...(input.sensitive === undefined ? {} : { sensitive: input.sensitive }),
        maxSuppression: input.maxSuppression,
      });
    } catch (error) {
      throw engineError(error);
    }
  }

  /** An engine refusal is the caller's bad input: a 400 with the engine's code. */
  function engineError(error: unknown): unknown {
    if (isDeidError(error))
      return new ValidationError(error.message, [], `DEID_${error.code.toUpperCase().replaceAll('-', '_')}`);
    return error;
  }

  function columnValues(table: Table, field: string): string[] {
    const index = table.columns.indexOf(field);
    if (index < 0)
      throw new ValidationError(`${field} is not a column of the table.`, [], 'DEID_UNKNOWN_FIELD');
    const values: string[] = [];
    for (const row of table.rows) {
      const v = row[index];
      if (v !== null && v !== undefined) values.push(v);
    }
    return values;
  }

  function resolveHierarchy(table: Table, field: string, spec: HierarchySpec): Hierarchy {
    if ('csv' in spec) return parseHierarchyCsv(spec.csv, { attribute: field });
    if ('ranges' in spec) return numericRangeHierarchy(columnValues(table, field), spec.ranges);
    if ('regions' in spec) return regionHierarchy(columnValues(table, field));
    return dateHierarchy(columnValues(table, field), spec.dates);
  }

  // ----- derivations ---------------------------------------------------------------------------

  function derivationView(row: {
    id: string;
    source_resource_id: string;
    source_version: number | null;
    target_entry_code: string;
    target_name: string;
    target_resource_id: string | null;
    target_version: number | null;
    state: WorkState;
    job_id: string | null;
    rows: number | string | null;
    records_suppressed: number | string | null;
    risk: unknown;
    report: unknown;
    scenarios: unknown;
    clearance: string | null;
    lineage: unknown;
    error: string | null;
    created_at: Date;
    finished_at: Date | null;
  }): DerivationView {
    return {
      id: row.id,
      sourceResourceId: row.source_resource_id,
      sourceVersion: row.source_version,
      target: {
        entryCode: row.target_entry_code,
        name: row.target_name,
        resourceId: row.target_resource_id,
        version: row.target_version,
      },
      state: row.state,
      jobId: row.job_id,
      rows: row.rows === null ? null : Number(row.rows),
      recordsSuppressed: row.records_suppressed === null ? null : Number(row.records_suppressed),
      risk: row.risk as DerivationInput['risk'],
      report: (row.report as RiskReport | null) ?? null,
      scenarios: (row.scenarios as DerivationView['scenarios']) ?? null,
      clearance: row.clearance,
      lineage: row.lineage ?? null,
      error: row.error,
      createdAt: iso(row.created_at)!,
      finishedAt: iso(row.finished_at),
    };
  }

  /** What can be checked before any row is read: the fields named exist, the target may be written. */
  function checkPlanShape(
    input: DerivationInput,
    columns: readonly string[],
    personal: ReadonlySet<string>,
  ): void {
    const errors: { path: string; message: string }[] = [];
    // Personal information may stay as it is only when the risk assessment takes it into account.
    const assessed = new Set([...input.risk.quasiIdentifiers, ...(input.risk.sensitive ?? [])]);
    for (const column of columns)
      if (personal.has(column) && (input.fields[column]?.kind ?? 'keep') === 'keep' && !assessed.has(column))
        errors.push({
          path: `/fields/${column}`,
          message: `${column} holds personal information and is kept as it is: transform or drop it, or name it a quasi-identifier or sensitive attribute`,
        });
    for (const field of Object.keys(input.fields))
      if (!columns.includes(field))
        errors.push({ path: `/fields/${field}`, message: `${field} is not a column of the source table` });
    input.risk.quasiIdentifiers.forEach((qi, i) => {
      if (!columns.includes(qi))
        errors.push({
          path: `/risk/quasiIdentifiers/${i}`,
          message: `${qi} is not a column of the source table`,
        });
      else if (['drop', 'suppress'].includes(input.fields[qi]?.kind ?? ''))
        errors.push({ path: `/risk/quasiIdentifiers/${i}`, message: `${qi} is dropped by the plan` });
    });
    (input.risk.sensitive ?? []).forEach((s, i) => {
      if (!columns.includes(s))
        errors.push({ path: `/risk/sensitive/${i}`, message: `${s} is not a column of the source table` });
    });
    if (input.risk.quasiIdentifiers.length === 0)
      errors.push({ path: '/risk/quasiIdentifiers', message: 'Name at least one quasi-identifier' });
    if (errors.length > 0)
      throw new ValidationError(`The de-identification plan has ${errors.length} problem(s).`, errors);
  }

  async function requestDerivation(actor: Actor, input: DerivationInput): Promise<DerivationView> {
    const source = await managedResource(actor, input.sourceResourceId, 'security:derive');
    const version = input.sourceVersion ?? source.liveVersion;
    if (version === null)
      throw new ConflictError('SECURITY_NO_DATA', `Data table ${source.id} has no data to de-identify yet.`);
    checkPlanShape(
      input,
      source.fields.map((f) => f.name),
      await personalFields(source.id, source.entryCode),
    );
    // The derived table is a new table under an entry the caller may fill.
    const target = await catalog.accessFacts(input.target.entryCode);
    if (target === undefined)
      throw new ValidationError(`There is no catalog entry ${input.target.entryCode}.`, [
        { path: '/target/entryCode', message: 'Unknown entry' },
      ]);
    if (!can(actor, 'datastore:manage', { organizationId: target.organizationId }))
      throw new ForbiddenError(
        `You may not add data tables to entry ${target.code}.`,
        'SECURITY_TARGET_FORBIDDEN',
      );
    if (input.target.name.trim() === '')
      throw new ValidationError('Give the derived table a name.', [
        { path: '/target/name', message: 'Required' },
      ]);
    const id = newId();
    const row = await db.transaction().execute(async (trx) => {
      const jobId = await jobs.enqueue(trx, {
        kind: DERIVE_JOB,
        payload: { derivationId: id },
        ...(actor.kind === 'user' ? { createdBy: actor.userId } : {}),
      });
      const inserted = await trx
        .insertInto('security_derivations')
        .values({
          id,
          source_resource_id: source.id,
          source_version: version,
          organization_id: target.organizationId,
          target_entry_code: target.code,
          target_name: input.target.name.trim(),
          plan: JSON.stringify({
            fields: input.fields,
            ...(input.suppression === undefined ? {} : { suppression: input.suppression }),
            ...(input.target.description === undefined ? {} : { description: input.target.description }),
          }),
          risk: JSON.stringify(input.risk),
          state: 'queued',
          job_id: jobId,
          target_resource_id: null,
          target_version: null,
          rows: null,
          records_suppressed: null,
          report: null,
          scenarios: null,
          clearance: null,
          lineage: null,
          error: null,
          requested_by: actor.kind === 'user' ? actor.userId : null,
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await ledger.record(trx, actor, {
        action: 'security.derivation.requested',
        objects: [
          { type: 'security.derivation', id },
          { type: 'datastore.resource', id: source.id },
        ],
        details: { sourceVersion: version, targetEntry: target.code, scenario: input.risk.scenario },
      });
      return inserted;
    });
    return derivationView(row);
  }

  /** The transformations with their hierarchies resolved against the rows read. */
  function resolvePlan(
    table: Table,
    stored: { fields: Record<string, TransformSpec> },
    input: DerivationInput,
  ) {
    const fields: Record<string, Transform> = {};
    const described: Record<string, unknown> = {};
    for (const [field, spec] of Object.entries(stored.fields)) {
      if (spec.kind === 'generalize') {
        fields[field] = {
          kind: 'generalize',
          hierarchy: resolveHierarchy(table, field, spec.hierarchy),
          level: spec.level,
        };
        // A value tree goes into the lineage by its digest: it can be large, and it is the provider's.
        described[field] =
          'csv' in spec.hierarchy
            ? {
                kind: 'generalize',
                level: spec.level,
                hierarchy: { sha256: createHash('sha256').update(spec.hierarchy.csv).digest('hex') },
              }
            : spec;
      } else {
        fields[field] = spec;
        described[field] = spec;
      }
    }
    const plan: DeidPlan = {
      fields,
      ...(input.suppression === undefined
        ? {}
        : {
            suppression: {
              quasiIdentifiers: input.risk.quasiIdentifiers,
              k: input.suppression.k,
              maxShare: input.suppression.maxShare,
            },
          }),
    };
    return { plan, described };
  }

  /** Whether fields the catalog marks as personal information survive the plan. */
  function holdsPersonalInformation(
    personal: ReadonlySet<string>,
    table: Table,
    fields: Record<string, TransformSpec>,
  ) {
    return table.columns.some((column) => {
      if (!personal.has(column)) return false;
      const kind = fields[column]?.kind;
      return kind !== 'drop' && kind !== 'suppress';
    });
  }

  async function runDerivation(ctx: JobContext<{ derivationId: string }>): Promise<void> {
    const row = await db
      .selectFrom('security_derivations')
      .selectAll()
      .where('id', '=', ctx.payload.derivationId)
      .executeTakeFirst();
    if (row === undefined || row.state === 'done' || row.state === 'failed') return;
    const worker = systemActor('security-deidentify');
    // A run that stopped after making its table (a crash) starts again from nothing.
    if (row.target_resource_id !== null) {
      await datastore
        .discardResource(worker, row.target_resource_id, 'the derivation was interrupted and runs again')
        .catch(() => undefined);
      await db
        .updateTable('security_derivations')
        .set({ target_resource_id: null })
        .where('id', '=', row.id)
        .execute();
    }
    await db.updateTable('security_derivations').set({ state: 'running' }).where('id', '=', row.id).execute();
    const stored = row.plan as {
      fields: Record<string, TransformSpec>;
      suppression?: { k: number; maxShare: number };
      description?: string;
    };
    const risk = row.risk as DerivationInput['risk'];
    const input: DerivationInput = {
      sourceResourceId: row.source_resource_id,
      target: { entryCode: row.target_entry_code, name: row.target_name },
      fields: stored.fields,
      ...(stored.suppression === undefined ? {} : { suppression: stored.suppression }),
      risk,
    };
    try {
      await ctx.progress(0, 4, 'reading the source table');
      const { table, source } = await readTable(
        worker,
        row.source_resource_id,
        row.source_version ?? undefined,
        MAX_ROWS_IN_MEMORY,
      );
      const { plan, described } = resolvePlan(table, stored, input);
      await ctx.progress(1, 4, 'de-identifying');
      // The release is this derivation: pseudonyms are stable within it and differ from any other.
      const result = applyPlan(table, plan, { hmacKey: await hmacKey(), releaseId: row.id });
      await ctx.progress(2, 4, 'assessing the re-identification risk');
      const riskOptions = {
        quasiIdentifiers: risk.quasiIdentifiers,
        ...(risk.sensitive === undefined ? {} : { sensitive: risk.sensitive }),
      };
      // The requester may tighten the scenario's thresholds, never loosen them: the clearance follows.
      const report = assessRisk(result.table, {
        ...riskOptions,
        scenario: risk.scenario,
        thresholds: stricterThresholds(DEFAULT_SCENARIO_THRESHOLDS[risk.scenario], risk.thresholds),
      });
      const scenarios: Partial<Record<Scenario, boolean>> = {};
      for (const scenario of SCENARIOS)
        scenarios[scenario] =
          scenario === risk.scenario
            ? report.pass === true
            : assessRisk(result.table, { ...riskOptions, scenario }).pass === true;
      const personal = holdsPersonalInformation(
        await personalFields(row.source_resource_id, source.entryCode),
        table,
        stored.fields,
      );
      // SCENARIOS runs from the strictest: the first passed is the clearance.
      const clearance = personal ? (SCENARIOS.find((s) => scenarios[s]) ?? 'none') : null;
      const lineage = {
        source: { resource: row.source_resource_id, version: source.version, entry: source.entryCode },
        release: row.id,
        transformations: described,
        // Plain JSON only: the log takes canonical JSON, and hierarchies go in by digest above.
        engine: JSON.parse(JSON.stringify(result.lineage, (_k, v) => (v instanceof Map ? undefined : v))),
        ...(stored.suppression === undefined ? {} : { suppression: stored.suppression }),
      };
      await ctx.progress(3, 4, 'loading the derived table');
      const made = await datastore.createDerived(
        worker,
        {
          entryCode: row.target_entry_code,
          name: row.target_name,
          description:
            stored.description ??
            `De-identified from data table ${row.source_resource_id}, version ${source.version}.`,
          releaseClearance: clearance,
        },
        result.table.columns,
        result.table.rows,
        undefined,
        async (id) => {
          await db
            .updateTable('security_derivations')
            .set({ target_resource_id: id })
            .where('id', '=', row.id)
            .execute();
        },
      );
      const finish = async (made: { resource: { id: string }; version: number; rows: number }) => {
        await ctx.transaction(async (trx) => {
          await trx
            .updateTable('security_derivations')
            .set({
              state: 'done',
              source_version: source.version,
              target_resource_id: made.resource.id,
              target_version: made.version,
              rows: made.rows,
              records_suppressed: result.recordsSuppressed,
              report: JSON.stringify(report),
              scenarios: JSON.stringify(scenarios),
              clearance,
              lineage: JSON.stringify(lineage),
              finished_at: new Date(),
            })
            .where('id', '=', row.id)
            .execute();
          await ledger.record(trx, worker, {
            action: 'security.derivation.completed',
            objects: [
              { type: 'security.derivation', id: row.id },
              { type: 'datastore.resource', id: made.resource.id },
              { type: 'datastore.resource', id: row.source_resource_id },
            ],
            details: {
              lineage,
              risk: { scenario: risk.scenario, pass: report.pass ?? null, k: report.k, clearance },
            },
          });
        });
      };
      try {
        await finish(made);
      } catch (error) {
        // The derivation is whole or absent: a table made but not recorded is removed again.
        await datastore.discardResource(worker, made.resource.id, reason(error));
        throw error;
      }
      await ctx.progress(4, 4, 'done');
    } catch (error) {
      const failure = engineError(error);
      const message = reason(failure);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('security_derivations')
          .set({ state: 'failed', error: message, finished_at: new Date(), target_resource_id: null })
          .where('id', '=', row.id)
          .execute();
        // The message may quote cell values: the log keeps only its hash.
        await ledger.record(trx, worker, {
          action: 'security.derivation.failed',
          objects: [{ type: 'security.derivation', id: row.id }],
          details: { code: errorCode(failure) },
          content: { error: message },
        });
      });
      throw new JobFailedForGoodError(message);
    }
  }

  async function visibleDerivationRow(actor: Actor, id: string) {
    const row = await db
      .selectFrom('security_derivations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined)
      throw new NotFoundError('SECURITY_DERIVATION_NOT_FOUND', `There is no derivation ${id}.`);
    await managedResource(actor, row.source_resource_id, 'security:derive');
    return row;
  }

  async function getDerivation(actor: Actor, id: string): Promise<DerivationView> {
    return derivationView(await visibleDerivationRow(actor, id));
  }

  async function derivationsOf(actor: Actor, resourceId: string): Promise<DerivationView[]> {
    await managedResource(actor, resourceId, 'security:derive');
    const rows = await db
      .selectFrom('security_derivations')
      .selectAll()
      .where((eb) =>
        eb.or([eb('source_resource_id', '=', resourceId), eb('target_resource_id', '=', resourceId)]),
      )
      .orderBy('created_at', 'desc')
      .limit(50)
      .execute();
    return rows.map(derivationView);
  }

  function registerJobs(): void {
    jobs.register<{ scanId: string }>(SCAN_JOB, runScan);
    jobs.register<{ derivationId: string }>(DERIVE_JOB, runDerivation);
  }

  return {
    requestScan,
    getScan,
    scansOf,
    scansOfEntry,
    assess,
    search,
    requestDerivation,
    getDerivation,
    derivationsOf,
    registerJobs,
    defaultThresholds: DEFAULT_SCENARIO_THRESHOLDS,
  };
}

export type ResourceSecurityService = ReturnType<typeof createResourceSecurityService>;
