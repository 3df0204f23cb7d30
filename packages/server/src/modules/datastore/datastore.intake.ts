import { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import { type Actor, requirePermission, systemActor } from '../../kernel/auth/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import type { BlobStore } from '../../kernel/storage/index.ts';
import { fetchOutbound } from '../../lib/outbound.ts';
import { newId } from './datastore.ids.ts';
import { type ResourceRow, datastoreRepository as repo } from './datastore.repository.ts';
import type { LoadOptions } from './datastore.tables.ts';

/** The intake's own name on the transparency log. */
const INTAKE = 'datastore.intake';
const INTAKE_FORMATS = ['csv', 'json', 'ndjson'] as const;

export interface IntakeDeps {
  db: Kysely<Database>;
  store: BlobStore;
  uploadLimitBytes: number;
  outboundAllowPrivate: boolean;
  /** The data table, or the service's not-found error. */
  resource(id: string): Promise<ResourceRow & object>;
  canManage(actor: Actor, resource: { organization_id: string }): boolean;
  record(
    trx: Transaction<Database>,
    actor: Actor,
    action: string,
    resourceId: string,
    details: Record<string, unknown>,
    content?: unknown,
  ): Promise<void>;
  /** Makes the `loading` version of a stored file and queues its load, in the caller's transaction. */
  queueVersion(
    trx: Transaction<Database>,
    resourceId: string,
    upload: { id: string; filename: string },
    options: LoadOptions,
  ): Promise<{ jobId: string | null; version: number }>;
}

function iso(date: Date | string | null): string | null {
  return date === null ? null : new Date(date).toISOString();
}

/**
 * Intake by interface call (Art. 17): a table's managers point it at an HTTP endpoint, the platform pulls
 * it on schedule and loads a new version only when the content changed. Failures back off and show on
 * the intake for the table's managers.
 */
export function createIntake(deps: IntakeDeps) {
  const { db, store } = deps;

  function view(row: NonNullable<Awaited<ReturnType<typeof repo.intake>>>) {
    return {
      url: row.url,
      format: row.format,
      intervalMinutes: row.interval_minutes,
      enabled: row.enabled,
      lastRunAt: iso(row.last_run_at),
      lastStatus: row.last_status,
      lastError: row.last_error,
      failures: row.failures,
      nextRunAt: iso(row.next_run_at),
    };
  }

  async function setIntake(
    actor: Actor,
    id: string,
    input: { url: string; format?: string | undefined; intervalMinutes: number; enabled: boolean },
  ) {
    const resource = await deps.resource(id);
    requirePermission(actor, 'datastore:manage', { organizationId: resource.organization_id });
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new ValidationError(`"${input.url}" is not a URL.`, [{ path: '/url', message: 'Invalid URL' }]);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new ValidationError('Only http and https addresses can be pulled.', [
        { path: '/url', message: 'Invalid scheme' },
      ]);
    if (input.format !== undefined && !(INTAKE_FORMATS as readonly string[]).includes(input.format))
      throw new ValidationError('format must be csv, json or ndjson.', [
        { path: '/format', message: 'Unknown format' },
      ]);
    const row = await db.transaction().execute(async (trx) => {
      const saved = await repo.upsertIntake(trx, {
        resourceId: id,
        url: url.toString(),
        format: input.format ?? null,
        intervalMinutes: input.intervalMinutes,
        enabled: input.enabled,
        createdBy: actor.kind === 'user' ? actor.userId : null,
      });
      await deps.record(
        trx,
        actor,
        'datastore.intake.configured',
        id,
        { intervalMinutes: input.intervalMinutes, enabled: input.enabled },
        { url: url.toString() },
      );
      return saved;
    });
    return view(row);
  }

  async function getIntake(actor: Actor, id: string) {
    const resource = await deps.resource(id);
    if (!deps.canManage(actor, resource))
      throw new ForbiddenError('Only the data table’s managers see its intake.');
    const row = await repo.intake(db, id);
    if (row === undefined)
      throw new NotFoundError('DATASTORE_INTAKE_NOT_FOUND', `Data table ${id} has no intake.`);
    return view(row);
  }

  /**
   * One pull: fetch, compare the content's SHA-256 with the last pull's, and queue a new version only when
   * it changed. Failures back off (5 min, 10, 20, ... up to the interval).
   */
  async function pullIntake(resourceId: string): Promise<'unchanged' | 'loaded' | 'failed'> {
    const intake = await repo.intake(db, resourceId);
    if (intake === undefined) return 'failed';
    const actor = systemActor(INTAKE);
    const next = () => new Date(Date.now() + intake.interval_minutes * 60_000);
    try {
      const response = await fetchOutbound(intake.url, {
        timeoutMs: 60_000,
        allowPrivate: deps.outboundAllowPrivate,
      });
      if (!response.ok || response.body === null)
        throw new Error(`The endpoint answered HTTP ${response.status}.`);
      const type = response.headers.get('content-type') ?? '';
      const format =
        intake.format ?? (type.includes('ndjson') ? 'ndjson' : type.includes('json') ? 'json' : 'csv');
      const stored = await store.put(Readable.fromWeb(response.body as never), {
        maxBytes: deps.uploadLimitBytes,
      });
      if (stored.sha256 === intake.last_sha256) {
        await store.remove(stored.key);
        await db.transaction().execute(async (trx) => {
          await repo.recordIntakeRun(trx, resourceId, {
            status: 'unchanged',
            error: null,
            failures: 0,
            nextRunAt: next(),
          });
          await deps.record(trx, actor, 'datastore.intake.unchanged', resourceId, { sha256: stored.sha256 });
        });
        return 'unchanged';
      }
      const filename = `intake-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}.${format}`;
      await db.transaction().execute(async (trx) => {
        const upload = await repo.insertUpload(trx, {
          id: newId(16),
          filename,
          bytes: stored.bytes,
          sha256: stored.sha256,
          storageKey: stored.key,
          createdBy: null,
        });
        const { version } = await deps.queueVersion(trx, resourceId, upload, { format });
        await repo.recordIntakeRun(trx, resourceId, {
          status: 'loaded',
          error: null,
          sha256: stored.sha256,
          failures: 0,
          nextRunAt: next(),
        });
        await deps.record(trx, actor, 'datastore.intake.changed', resourceId, {
          version,
          sha256: stored.sha256,
        });
      });
      return 'loaded';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const failures = intake.failures + 1;
      const backoff = Math.min(5 * 2 ** (failures - 1), intake.interval_minutes);
      await db.transaction().execute(async (trx) => {
        await repo.recordIntakeRun(trx, resourceId, {
          status: 'failed',
          error: message.slice(0, 500),
          failures,
          nextRunAt: new Date(Date.now() + backoff * 60_000),
        });
        await deps.record(trx, actor, 'datastore.intake.failed', resourceId, { failures });
      });
      return 'failed';
    }
  }

  /** Pulls every intake that is due; run every minute by the process that runs jobs. */
  async function runIntakes() {
    const due = await repo.dueIntakes(db, new Date());
    const results: Record<string, string> = {};
    for (const intake of due) {
      // Another process may have taken it since: only the one that moves next_run_at pulls.
      if (!(await repo.claimIntake(db, intake.resource_id, intake.next_run_at))) continue;
      results[intake.resource_id] = await pullIntake(intake.resource_id);
    }
    return results;
  }

  return { setIntake, getIntake, pullIntake, runIntakes };
}
