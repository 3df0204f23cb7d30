import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Ledger } from '../../../kernel/audit/index.ts';
import {
  type Actor,
  actorRef,
  requirePermission,
  secretFingerprint,
  systemActor,
  type UserActor,
} from '../../../kernel/auth/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import { ConflictError, DatapolisError, NotFoundError } from '../../../kernel/errors.ts';
import { type JobContext, JobFailedForGoodError, type Jobs } from '../../../kernel/jobs/index.ts';
import { type Mailer, MailRejectedError } from '../../../kernel/mail/index.ts';
import type { CatalogService } from '../../catalog/index.ts';
import type { DatastoreService } from '../../datastore/index.ts';
import type { IdentityService } from '../../identity/index.ts';
import { alertMail } from './monitoring.mail-text.ts';
import { type AlertRow, type MonitoringDb, monitoringRepository as repo } from './monitoring.repository.ts';
import {
  addDays,
  cityDay,
  DEFAULT_THRESHOLDS,
  dayWindow,
  type MonitoringRule,
  median,
  SEVERITY,
  type Thresholds,
  validateThresholds,
  volumeLimit,
} from './monitoring.rules.ts';
import type { AlertSeverity, AlertState } from './monitoring.tables.ts';

export const ALERT_MAIL_JOB = 'security.alert-mail';
const MAIL_ATTEMPTS = 10;
const PAGE = 2_000;
/** Token-use keys (minute, token, address) held in memory while the database refuses them. */
const MAX_PENDING_USES = 100_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SYSTEM = systemActor('security-monitoring');

export interface AlertView {
  id: string;
  rule: string;
  severity: AlertSeverity;
  organizationId: string | null;
  subject: { type: string; id: string };
  object: { type: string; id: string } | null;
  window: { start: string; end: string };
  evidence: Record<string, unknown>;
  state: AlertState;
  incidentId: string | null;
  note: string | null;
  handledBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Turns an alert into an incident; given by the incidents area, which owns its own transaction. */
export type EscalateAlert = (actor: Actor, alert: AlertView) => Promise<{ incidentId: string }>;

export interface MonitoringDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  jobs: Pick<Jobs, 'enqueue' | 'register'>;
  mailer: Mailer;
  catalog: Pick<CatalogService, 'gradingSubjects'>;
  datastore: Pick<DatastoreService, 'getResource'>;
  identity: Pick<
    IdentityService,
    'listUsers' | 'listMembers' | 'resolveUserActor' | 'userByUsername' | 'loginFailuresAfter'
  >;
  logger: Logger;
  publicUrl: string | undefined;
  escalate?: EscalateAlert;
  /** User ids of an organisation's designated security officer(s), when the platform keeps them. */
  officers?: (organizationId: string) => Promise<string[]>;
  now?: () => Date;
}

export interface RunReport {
  entries: number;
  signIns: number;
  alerts: number;
}

function alertView(row: AlertRow): AlertView {
  return {
    id: row.id,
    rule: row.rule,
    severity: row.severity,
    organizationId: row.organization_id,
    subject: { type: row.subject_type, id: row.subject_id },
    object:
      row.object_type === null || row.object_id === null
        ? null
        : { type: row.object_type, id: row.object_id },
    window: { start: row.window_start.toISOString(), end: row.window_end.toISOString() },
    evidence: row.evidence,
    state: row.state,
    incidentId: row.incident_id,
    note: row.note,
    handledBy: row.handled_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** `user:<id>` / `client:<id>` as the subject of an alert. */
function splitRef(ref: string): { type: string; id: string } {
  const at = ref.indexOf(':');
  return at < 0 ? { type: 'unknown', id: ref } : { type: ref.slice(0, at), id: ref.slice(at + 1) };
}

interface LogEntry {
  time?: string;
  actor?: { type?: string; id?: string };
  action?: string;
  objects?: { type?: string; id?: string }[];
  details?: Record<string, unknown>;
}

interface TableFacts {
  organizationId: string;
  entryCode: string;
  fields: string[];
  /** Fields the catalog marks as sensitive personal information, or graded important or core. */
  sensitive: string[];
}

/**
 * Monitoring and early warning over what the platform already records: the transparency log (reads,
 * downloads, refused reads), identity's failed sign-ins, and the addresses API tokens are used from.
 * An evaluation first draws the new log entries into daily counts (once: a cursor moves in the same
 * transaction), then applies each rule; an alert's key is its rule, subject, object and window, so a
 * breach raises one alert however often the rules run.
 */
export function createMonitoringService(deps: MonitoringDeps) {
  const db = deps.db as unknown as Kysely<MonitoringDb>;
  const { ledger, jobs, mailer, logger } = deps;
  const now = deps.now ?? (() => new Date());
  let escalate = deps.escalate;

  const asPlatform = (trx: Transaction<MonitoringDb>) => trx as unknown as Transaction<Database>;

  // ---- Token use, recorded in memory and written in batches ------------------------------------------

  interface PendingUse {
    minute: Date;
    token: string;
    holder: string;
    address: string;
    count: number;
  }
  let pendingUses = new Map<string, PendingUse>();
  let flushing: Promise<void> = Promise.resolve();

  /** Called on every request made with an API token: a map update, never a write. */
  function recordTokenUse(token: string, actor: UserActor, address: string): void {
    const minute = Math.floor(now().getTime() / 60_000) * 60_000;
    // A fingerprint names the token in alerts without anything that could be used as the token; the actor
    // carries it when it came from resolving this token.
    const fingerprint = actor.tokenFingerprint ?? secretFingerprint(token);
    const key = `${minute}\u0000${fingerprint}\u0000${address}`;
    const hit = pendingUses.get(key);
    if (hit !== undefined) hit.count += 1;
    else {
      const ref = actorRef(actor);
      pendingUses.set(key, {
        minute: new Date(minute),
        token: fingerprint,
        holder: `${ref.type}:${ref.id}`,
        address: address.slice(0, 100),
        count: 1,
      });
    }
  }

  /**
   * Keeps at most MAX_PENDING_USES keys while writes keep failing: the oldest minutes go first (they
   * matter least to a rule that looks at the current window), and what was dropped is logged.
   */
  function capPendingUses(): void {
    if (pendingUses.size <= MAX_PENDING_USES) return;
    const kept = [...pendingUses.entries()].sort(([, a], [, b]) => b.minute.getTime() - a.minute.getTime());
    const dropped = kept.splice(MAX_PENDING_USES);
    pendingUses = new Map(kept);
    logger.warn(
      {
        droppedKeys: dropped.length,
        droppedUses: dropped.reduce((n, [, use]) => n + use.count, 0),
        oldest: dropped.at(-1)?.[1].minute.toISOString(),
      },
      'token uses could not be written; the oldest were dropped',
    );
  }

  /** Writes the recorded token uses in one transaction; one flush at a time. */
  function flushTokenUses(): Promise<void> {
    // Chained on the previous flush whatever its outcome: one failed write must not stop every later one.
    const next = flushing
      .catch(() => undefined)
      .then(async () => {
        if (pendingUses.size === 0) return;
        const batch = [...pendingUses.values()];
        pendingUses = new Map();
        try {
          // All or nothing: a batch kept for the next flush must not have been counted in part.
          await db.transaction().execute((trx) => repo.addTokenUses(trx, batch));
        } catch (error) {
          // Kept for the next flush.
          for (const use of batch) {
            const key = `${use.minute.getTime()}\u0000${use.token}\u0000${use.address}`;
            const hit = pendingUses.get(key);
            if (hit !== undefined) hit.count += use.count;
            else pendingUses.set(key, use);
          }
          capPendingUses();
          throw error;
        }
      });
    flushing = next;
    return next;
  }

  // ---- Thresholds -----------------------------------------------------------------------------------

  async function thresholds(): Promise<Thresholds> {
    const row = await repo.settings(db);
    if (row === undefined) return DEFAULT_THRESHOLDS;
    // Saved settings were valid when saved; a later default for a new field fills the gap.
    return { ...DEFAULT_THRESHOLDS, ...(row.settings as Partial<Thresholds>) };
  }

  async function getThresholds(actor: Actor) {
    requirePermission(actor, 'security-alerts:read');
    const row = await repo.settings(db);
    return {
      thresholds: await thresholds(),
      defaults: DEFAULT_THRESHOLDS,
      updatedAt: row?.updated_at.toISOString() ?? null,
      updatedBy: row?.updated_by ?? null,
    };
  }

  async function setThresholds(actor: Actor, input: unknown) {
    requirePermission(actor, 'security-monitoring:configure');
    const valid = validateThresholds(input);
    const before = await thresholds();
    const by = actorRef(actor);
    await db.transaction().execute(async (trx) => {
      await repo.saveSettings(trx, valid, `${by.type}:${by.id}`);
      await ledger.record(asPlatform(trx), actor, {
        action: 'security.monitoring-thresholds.updated',
        objects: [{ type: 'security.monitoring-thresholds', id: 'thresholds' }],
        content: valid,
        details: {
          changed: Object.keys(valid).filter(
            (k) =>
              JSON.stringify(valid[k as keyof Thresholds]) !== JSON.stringify(before[k as keyof Thresholds]),
          ),
        },
      });
    });
    schedule();
    return getThresholds(actor);
  }

  // ---- Drawing counts from the log ------------------------------------------------------------------

  async function tableFacts(cache: Map<string, TableFacts | undefined>, resourceId: string) {
    if (cache.has(resourceId)) return cache.get(resourceId);
    let facts: TableFacts | undefined;
    try {
      const view = await deps.datastore.getResource(SYSTEM, resourceId);
      const [subject] = await deps.catalog.gradingSubjects({ codes: [view.entryCode] });
      const fields = view.fields.map((f) => f.name);
      const marked = new Set(
        (subject?.informationItems ?? [])
          .filter((i) => i.personalInfo === 'sensitive' || i.grade === 'important' || i.grade === 'core')
          .map((i) => i.name),
      );
      facts = {
        organizationId: view.organizationId,
        entryCode: view.entryCode,
        fields,
        sensitive: fields.filter((f) => marked.has(f)),
      };
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    cache.set(resourceId, facts);
    return facts;
  }

  /** Reads the log entries written since the last run into daily counts; returns how many were read. */
  async function drawFromLog(): Promise<number> {
    const cache = new Map<string, TableFacts | undefined>();
    let read = 0;
    for (;;) {
      const cursor = await repo.cursor(db, 'ledger', false);
      const page = await repo.ledgerPage(db, cursor, PAGE);
      if (page.length === 0) return read;
      const counts = new Map<string, Parameters<typeof repo.addCounts>[1][number]>();
      const add = (
        day: string,
        kind: string,
        subject: string,
        object: string,
        detail: string,
        org: string,
        idx: number,
      ) => {
        const key = [day, kind, subject, object, detail].join('\u0000');
        const hit = counts.get(key);
        if (hit !== undefined) {
          hit.count += 1;
          if (hit.samples.length < 5) hit.samples.push(idx);
        } else
          counts.set(key, {
            day,
            kind,
            subject,
            object,
            detail,
            organizationId: org,
            count: 1,
            samples: [idx],
          });
      };
      for (const row of page) {
        if (!row.entry.includes('"datastore.re')) continue;
        let entry: LogEntry;
        try {
          entry = JSON.parse(row.entry) as LogEntry;
        } catch {
          continue;
        }
        const refused = entry.action === 'datastore.read.refused';
        if (entry.action !== 'datastore.records.read' && !refused) continue;
        const who = entry.actor;
        if ((who?.type !== 'user' && who?.type !== 'client') || who.id === undefined) continue;
        const resourceId = entry.objects?.find((o) => o.type === 'datastore.resource')?.id;
        if (resourceId === undefined || entry.time === undefined) continue;
        const facts = await tableFacts(cache, resourceId);
        if (facts === undefined) continue;
        const day = cityDay(new Date(entry.time));
        const subject = `${who.type}:${who.id}`;
        const details = entry.details ?? {};
        if (refused) {
          add(
            day,
            'refused',
            subject,
            resourceId,
            String(details.reason ?? ''),
            facts.organizationId,
            row.idx,
          );
          continue;
        }
        add(day, 'read', subject, resourceId, '', facts.organizationId, row.idx);
        if (details.via === 'download')
          add(day, 'download', subject, resourceId, '', facts.organizationId, row.idx);
        // A read without a narrower field list returns every field of the table.
        const named = Array.isArray(details.fields)
          ? (details.fields as unknown[]).map(String)
          : facts.fields;
        if (details.via !== 'aggregate' && named.some((f) => facts.sensitive.includes(f)))
          add(day, 'sensitive', subject, resourceId, '', facts.organizationId, row.idx);
      }
      const last = page[page.length - 1]!.idx;
      const moved = await db.transaction().execute(async (trx) => {
        // The cursor row is the lock: two processes never count the same entries twice.
        if ((await repo.cursor(trx, 'ledger', true)) !== cursor) return false;
        await repo.addCounts(trx, [...counts.values()]);
        await repo.setCursor(trx, 'ledger', last);
        return true;
      });
      if (moved) read += page.length;
    }
  }

  /** Copies new failed sign-ins: identity forgets an account's failures once it signs in. */
  async function drawSignIns(): Promise<number> {
    let copied = 0;
    for (;;) {
      const cursor = await repo.cursor(db, 'sign-ins', false);
      const rows = (await deps.identity.loginFailuresAfter(cursor, PAGE)).map((r) => ({
        id: r.id,
        username: r.username,
        address: r.address,
        failed_at: r.failedAt,
      }));
      if (rows.length === 0) return copied;
      const moved = await db.transaction().execute(async (trx) => {
        if ((await repo.cursor(trx, 'sign-ins', true)) !== cursor) return false;
        await repo.copySignIns(trx, rows);
        await repo.setCursor(trx, 'sign-ins', rows[rows.length - 1]!.id);
        return true;
      });
      if (moved) copied += rows.length;
    }
  }

  // ---- Rules ----------------------------------------------------------------------------------------

  interface Breach {
    rule: MonitoringRule;
    organizationId: string | null;
    subject: { type: string; id: string };
    object: { type: string; id: string } | null;
    window: { start: Date; end: Date };
    evidence: Record<string, unknown>;
  }

  async function volumeBreaches(t: Thresholds, days: string[]): Promise<Breach[]> {
    const out: Breach[] = [];
    const checks: {
      kind: 'read' | 'download';
      by: 'subject' | 'object';
      floor: number;
      factor: number;
      n: number;
    }[] = [];
    if (t.volumeUser.enabled) {
      const u = t.volumeUser;
      checks.push({ kind: 'read', by: 'subject', floor: u.floor, factor: u.factor, n: u.days });
      checks.push({ kind: 'download', by: 'subject', floor: u.downloadFloor, factor: u.factor, n: u.days });
    }
    if (t.volumeTable.enabled) {
      const v = t.volumeTable;
      checks.push({ kind: 'read', by: 'object', floor: v.floor, factor: v.factor, n: v.days });
    }
    for (const check of checks) {
      for (const day of days) {
        const totals = (await repo.totals(db, check.kind, [day], check.by)).filter(
          (r) => r.count > check.floor,
        );
        const history = await repo.dailyTotals(
          db,
          check.kind,
          check.by,
          totals.map((r) => r.key),
          addDays(day, -check.n),
          addDays(day, -1),
        );
        for (const row of totals) {
          const past = history.get(row.key) ?? [];
          const limit = volumeLimit(past, check.n, check.floor, check.factor);
          if (row.count <= limit) continue;
          const evidence = {
            metric: check.kind === 'read' ? 'reads' : 'downloads',
            count: row.count,
            limit,
            median: median(past, check.n),
            days: check.n,
            [check.by === 'subject' ? 'tables' : 'callers']: row.others,
            entries: row.samples,
          };
          out.push({
            rule: check.by === 'subject' ? 'volume.user' : 'volume.table',
            organizationId: row.organizationId,
            subject: check.by === 'subject' ? splitRef(row.key) : { type: 'datastore.resource', id: row.key },
            object: check.by === 'subject' ? { type: 'metric', id: evidence.metric } : null,
            window: dayWindow(day),
            evidence,
          });
        }
      }
    }
    return out;
  }

  async function perCallerBreaches(t: Thresholds, days: string[]): Promise<Breach[]> {
    const out: Breach[] = [];
    const rules: { rule: MonitoringRule; kind: string; min: number; details?: readonly string[] }[] = [];
    if (t.grantTerms.enabled)
      rules.push({
        rule: 'grant.terms',
        kind: 'refused',
        min: t.grantTerms.count,
        details: t.grantTerms.reasons,
      });
    if (t.sensitiveFields.enabled)
      rules.push({ rule: 'sensitive.fields', kind: 'sensitive', min: t.sensitiveFields.count });
    const cache = new Map<string, TableFacts | undefined>();
    for (const r of rules) {
      for (const row of await repo.grouped(db, r.kind, days, r.details)) {
        if (row.count < r.min) continue;
        const evidence: Record<string, unknown> = {
          count: row.count,
          threshold: r.min,
          entries: row.samples,
        };
        if (r.rule === 'grant.terms') evidence.reasons = row.details;
        else evidence.fields = (await tableFacts(cache, row.object))?.sensitive ?? [];
        out.push({
          rule: r.rule,
          organizationId: row.organizationId,
          subject: splitRef(row.subject),
          object: { type: 'datastore.resource', id: row.object },
          window: dayWindow(row.day),
          evidence,
        });
      }
    }
    return out;
  }

  async function windowBreaches(t: Thresholds, at: Date): Promise<Breach[]> {
    const out: Breach[] = [];
    if (t.signIns.enabled) {
      const w = t.signIns.windowMinutes * 60_000;
      // The current window and the one before: a burst at the end of a window is still caught.
      const since = new Date(Math.floor(at.getTime() / w) * w - w);
      for (const by of ['account', 'address'] as const) {
        const min = by === 'account' ? t.signIns.perAccount : t.signIns.perAddress;
        for (const row of await repo.signInBursts(db, by, t.signIns.windowMinutes, since, min)) {
          out.push({
            rule: by === 'account' ? 'signin.account' : 'signin.address',
            organizationId: null,
            subject: { type: by === 'account' ? 'username' : 'address', id: row.key },
            object: null,
            window: { start: new Date(row.bucket * w), end: new Date((row.bucket + 1) * w) },
            evidence: {
              count: row.count,
              threshold: min,
              [by === 'account' ? 'addresses' : 'usernames']: row.others,
              signInFailures: row.samples,
            },
          });
        }
      }
    }
    if (t.tokenAddresses.enabled) {
      const w = t.tokenAddresses.windowMinutes * 60_000;
      const since = new Date(Math.floor(at.getTime() / w) * w - w);
      for (const row of await repo.tokenSpread(
        db,
        t.tokenAddresses.windowMinutes,
        since,
        t.tokenAddresses.addresses,
      )) {
        out.push({
          rule: 'token.addresses',
          organizationId: null,
          subject: { type: 'token', id: row.token },
          object: splitRef(row.holder),
          window: { start: new Date(row.bucket * w), end: new Date((row.bucket + 1) * w) },
          evidence: {
            addresses: row.addresses,
            threshold: t.tokenAddresses.addresses,
            uses: row.uses,
            addressList: row.list,
            holder: row.holder,
          },
        });
      }
    }
    return out;
  }

  /** Security officers of the platform, the organisation's designated one, and its admins. */
  async function recipients(organizationId: string | null): Promise<string[]> {
    const ids = new Set<string>();
    for (let offset = 0; ; offset += 500) {
      const page = await deps.identity.listUsers(SYSTEM, undefined, offset, 500);
      for (const user of page.items)
        if (!user.disabled && user.platformRoles.includes('security_officer')) ids.add(user.id);
      if (offset + 500 >= page.total || page.items.length === 0) break;
    }
    if (organizationId !== null) {
      try {
        const members = await deps.identity.listMembers(SYSTEM, organizationId);
        for (const m of members.items) if (m.role === 'admin') ids.add(m.userId);
        for (const id of (await deps.officers?.(organizationId)) ?? []) ids.add(id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return [...ids];
  }

  /** Records a breach unless its window already has an alert; the alert, its log entry and notices commit together. */
  async function raise(actor: Actor, breach: Breach): Promise<boolean> {
    const dedupKey = [
      breach.rule,
      `${breach.subject.type}:${breach.subject.id}`,
      breach.object === null ? '-' : `${breach.object.type}:${breach.object.id}`,
      breach.window.start.toISOString(),
    ].join('|');
    // Most evaluations find breaches already raised: the key is looked up first, so the users are paged
    // through only for a new alert. The recipients are read before the transaction (on PGlite its one
    // connection is the transaction's until it ends); the insert below still settles a race.
    if (await repo.alertKeyExists(db, dedupKey)) return false;
    const users = await recipients(breach.organizationId);
    return db.transaction().execute(async (trx) => {
      const row = await repo.insertAlert(trx, {
        rule: breach.rule,
        severity: SEVERITY[breach.rule],
        organizationId: breach.organizationId,
        subjectType: breach.subject.type,
        subjectId: breach.subject.id,
        objectType: breach.object?.type ?? null,
        objectId: breach.object?.id ?? null,
        windowStart: breach.window.start,
        windowEnd: breach.window.end,
        dedupKey,
        evidence: breach.evidence,
      });
      if (row === undefined) return false;
      await ledger.record(asPlatform(trx), actor, {
        action: 'security.alert.raised',
        objects: [{ type: 'security.alert', id: row.id }],
        content: breach.evidence,
        details: {
          rule: breach.rule,
          severity: SEVERITY[breach.rule],
          organizationId: breach.organizationId,
        },
      });
      const notices = await repo.insertNotifications(trx, row.id, users);
      if (mailer.enabled)
        for (const notice of notices)
          await jobs.enqueue(asPlatform(trx), {
            kind: ALERT_MAIL_JOB,
            payload: { notificationId: notice.id },
            maxAttempts: MAIL_ATTEMPTS,
          });
      return true;
    });
  }

  let running: Promise<RunReport> | undefined;

  /** One evaluation: draw the new facts, apply every rule, raise what is new. One at a time per process. */
  function evaluate(actor: Actor = SYSTEM): Promise<RunReport> {
    running ??= (async () => {
      try {
        await flushTokenUses().catch((error: unknown) =>
          logger.warn({ err: error }, 'writing token uses failed'),
        );
        const entries = await drawFromLog();
        const signIns = await drawSignIns();
        const t = await thresholds();
        const at = now();
        const today = cityDay(at);
        const days = [addDays(today, -1), today];
        const breaches = [
          ...(await volumeBreaches(t, days)),
          ...(await perCallerBreaches(t, days)),
          ...(await windowBreaches(t, at)),
        ];
        let alerts = 0;
        for (const breach of breaches) if (await raise(actor, breach)) alerts += 1;
        return { entries, signIns, alerts };
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  async function run(actor: Actor): Promise<RunReport> {
    requirePermission(actor, 'security-monitoring:run');
    return evaluate(actor);
  }

  // ---- Alerts ---------------------------------------------------------------------------------------

  const OVERSIGHT = ['operator', 'security_officer', 'auditor'] as const;

  /** The organisations whose alerts the actor may read; undefined: all of them. */
  function readableOrganizations(actor: Actor): string[] | undefined {
    if (
      actor.kind !== 'user' ||
      actor.platformRoles.some((r) => (OVERSIGHT as readonly string[]).includes(r))
    )
      return undefined;
    return [...actor.memberships].filter(([, role]) => role === 'admin').map(([id]) => id);
  }

  async function list(
    actor: Actor,
    filter: {
      state?: string | undefined;
      rule?: string | undefined;
      organizationId?: string | undefined;
      offset: number;
      limit: number;
    },
  ) {
    requirePermission(actor, 'security-alerts:read');
    const { rows, total } = await repo.listAlerts(db, { ...filter, within: readableOrganizations(actor) });
    return { items: rows.map(alertView), total };
  }

  async function visibleAlert(actor: Actor, id: string): Promise<AlertRow> {
    const row = UUID.test(id) ? await repo.alert(db, id) : undefined;
    if (row === undefined) throw new NotFoundError('SECURITY_ALERT_NOT_FOUND', `No alert ${id}.`);
    requirePermission(
      actor,
      'security-alerts:read',
      row.organization_id === null ? {} : { organizationId: row.organization_id },
    );
    return row;
  }

  async function get(actor: Actor, id: string): Promise<AlertView> {
    return alertView(await visibleAlert(actor, id));
  }

  const MOVES: Record<'acknowledge' | 'close' | 'escalate', { from: AlertState[]; to: AlertState }> = {
    acknowledge: { from: ['open'], to: 'acknowledged' },
    close: { from: ['open', 'acknowledged'], to: 'closed' },
    escalate: { from: ['open', 'acknowledged'], to: 'escalated' },
  };

  function refuseMove(row: AlertRow, move: keyof typeof MOVES): never {
    throw new ConflictError(
      'SECURITY_ALERT_STATE',
      `An alert that is ${row.state} cannot be ${move === 'escalate' ? 'escalated' : `${move}d`}.`,
      { state: row.state, ...(row.incident_id === null ? {} : { incidentId: row.incident_id }) },
    );
  }

  async function change(
    actor: Actor,
    id: string,
    move: keyof typeof MOVES,
    note: string | undefined,
    incidentId?: string,
  ) {
    const by = actorRef(actor);
    return db.transaction().execute(async (trx) => {
      const row = await repo.alert(trx, id, true);
      if (row === undefined) throw new NotFoundError('SECURITY_ALERT_NOT_FOUND', `No alert ${id}.`);
      // A second escalation that raced the first got the same incident back: the alert already says so.
      if (move === 'escalate' && row.state === 'escalated' && row.incident_id === incidentId)
        return alertView(row);
      if (!MOVES[move].from.includes(row.state)) refuseMove(row, move);
      const updated = await repo.setState(trx, id, {
        state: MOVES[move].to,
        note: note ?? row.note,
        by: `${by.type}:${by.id}`,
        ...(incidentId === undefined ? {} : { incidentId }),
      });
      await ledger.record(asPlatform(trx), actor, {
        action: `security.alert.${MOVES[move].to}`,
        objects: [
          { type: 'security.alert', id },
          ...(incidentId === undefined ? [] : [{ type: 'security.incident', id: incidentId }]),
        ],
        details: { from: row.state, to: MOVES[move].to },
        ...(note === undefined ? {} : { content: { note } }),
      });
      return alertView(updated);
    });
  }

  async function act(actor: Actor, id: string, move: 'acknowledge' | 'close', note?: string) {
    requirePermission(actor, 'security-alerts:handle');
    await visibleAlert(actor, id);
    return change(actor, id, move, note);
  }

  async function escalateAlert(actor: Actor, id: string, note?: string) {
    requirePermission(actor, 'security-alerts:handle');
    const row = await visibleAlert(actor, id);
    if (!MOVES.escalate.from.includes(row.state)) refuseMove(row, 'escalate');
    if (escalate === undefined)
      throw new DatapolisError(
        'SECURITY_ESCALATION_UNAVAILABLE',
        503,
        'Incidents cannot be opened from alerts on this platform yet; record the incident by hand.',
      );
    // The incident is recorded by its own service, in its own transaction; the alert then points to it.
    const { incidentId } = await escalate(actor, alertView(row));
    return change(actor, id, 'escalate', note, incidentId);
  }

  /** Open (or acknowledged) alerts per organisation; alerts about the platform are under `platform`. */
  async function openAlertCounts(): Promise<Map<string, { open: number }>> {
    const rows = await repo.openCounts(db);
    return new Map(rows.map((r) => [r.org === '' ? 'platform' : r.org, { open: Number(r.n) }]));
  }

  async function notifications(actor: Actor, limit: number) {
    requirePermission(actor, 'security-alerts:read');
    const user = actor as UserActor;
    const { rows, unread } = await repo.notificationsOf(db, user.userId, limit);
    return {
      items: rows.map((r) => ({
        id: r.id,
        alertId: r.alert_id,
        rule: r.rule,
        severity: r.severity,
        state: r.state,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
      })),
      unread,
    };
  }

  async function markRead(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'security-alerts:read');
    const marked = UUID.test(id) ? await repo.markRead(db, id, (actor as UserActor).userId) : false;
    if (!marked) throw new NotFoundError('SECURITY_NOTIFICATION_NOT_FOUND', `No notification ${id}.`);
  }

  /** The job that mails one alert notice to its recipient. */
  async function runMail(ctx: JobContext<{ notificationId?: unknown }>): Promise<unknown> {
    const id = ctx.payload.notificationId;
    const row = typeof id === 'string' && UUID.test(id) ? await repo.notification(db, id) : undefined;
    if (row === undefined) return { sent: false, reason: 'notification gone' };
    let email: string | null = null;
    try {
      const actor = await deps.identity.resolveUserActor(row.user_id);
      email = (await deps.identity.userByUsername(actor.username))?.email ?? null;
    } catch (error) {
      if (!(error instanceof DatapolisError)) throw error;
    }
    if (email === null || email === '') return { sent: false, reason: 'no address' };
    const link =
      deps.publicUrl === undefined ? undefined : `${deps.publicUrl}/security/alerts?alert=${row.alert_id}`;
    const mail = alertMail(
      {
        rule: row.rule,
        severity: row.severity,
        subject: `${row.subject_type}:${row.subject_id}`,
        windowStart: row.window_start,
        windowEnd: row.window_end,
        evidence: row.evidence,
      },
      link,
    );
    try {
      const sent = await mailer.send({ to: email, ...mail });
      return { sent: true, messageId: sent.messageId };
    } catch (error) {
      if (error instanceof MailRejectedError) throw new JobFailedForGoodError(error.message);
      throw error;
    }
  }
  jobs.register(ALERT_MAIL_JOB, runMail);

  // ---- Timers ---------------------------------------------------------------------------------------

  let evaluator: NodeJS.Timeout | undefined;
  let recorder: NodeJS.Timeout | undefined;
  let evaluating = false;

  /** The next evaluation after the configured interval (read again each time: an operator may change it). */
  function schedule(): void {
    if (!evaluating) return;
    if (evaluator !== undefined) clearTimeout(evaluator);
    void thresholds()
      .then((t) => {
        if (!evaluating) return;
        evaluator = setTimeout(() => {
          evaluate()
            .catch((error: unknown) => logger.error({ err: error }, 'security monitoring failed'))
            .finally(schedule);
        }, t.intervalSeconds * 1000);
        evaluator.unref();
      })
      .catch((error: unknown) => logger.error({ err: error }, 'reading monitoring thresholds failed'));
  }

  /**
   * Every process writes the token uses it saw every few seconds; the process that runs jobs also
   * evaluates the rules.
   */
  function start(options: { evaluate: boolean }): void {
    recorder ??= setInterval(
      () =>
        void flushTokenUses().catch((error: unknown) =>
          logger.warn({ err: error }, 'writing token uses failed'),
        ),
      5_000,
    );
    recorder.unref();
    if (options.evaluate && !evaluating) {
      evaluating = true;
      schedule();
    }
  }

  async function stop(): Promise<void> {
    evaluating = false;
    if (evaluator !== undefined) clearTimeout(evaluator);
    if (recorder !== undefined) clearInterval(recorder);
    evaluator = undefined;
    recorder = undefined;
    await flushTokenUses();
    await running?.catch(() => undefined);
  }

  return {
    recordTokenUse,
    flushTokenUses,
    getThresholds,
    setThresholds,
    run,
    evaluate,
    list,
    get,
    acknowledge: (actor: Actor, id: string, note?: string) => act(actor, id, 'acknowledge', note),
    close: (actor: Actor, id: string, note?: string) => act(actor, id, 'close', note),
    escalate: escalateAlert,
    /** The incidents area hands its function over once it exists. */
    setEscalation(fn: EscalateAlert | undefined): void {
      escalate = fn;
    },
    openAlertCounts,
    notifications,
    markRead,
    runMail,
    start,
    stop,
  };
}

export type MonitoringService = ReturnType<typeof createMonitoringService>;
