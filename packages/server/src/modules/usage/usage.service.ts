import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type Actor, requirePermission } from '../../kernel/auth/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import type { CatalogService, LocalizedText } from '../catalog/index.ts';

/** How data left the platform: a page of rows, a whole-table download, an aggregate, an SQL query. */
export type UsageChannel = 'records' | 'download' | 'aggregate' | 'sql';
/** `system`: an institution's business system (OAuth 2.0 client), counted under its institution. */
export type CallerKind = 'anonymous' | 'user' | 'institution' | 'company' | 'system';

export interface UsageEvent {
  actor: Actor;
  entryCode: string;
  /** The catalog entry's id: its `usageCount` (the catalog's "most used" order) grows with each read. */
  entryId: string;
  /** The provider. */
  organizationId: string;
  channel: UsageChannel;
}

export interface UsageDeps {
  db: Kysely<Database>;
  catalog: Pick<CatalogService, 'recordUsage' | 'accessFacts'>;
  /** Organisations by id: kind (institution or company) and name. */
  organizations(): Promise<Map<string, { kind: string; name: string }>>;
}

/** Days are counted in the city's time (UTC+8), so that "today" means the same as on the city's clocks. */
const CITY_OFFSET_MS = 8 * 3600_000;

export function cityDay(at: Date): string {
  return new Date(at.getTime() + CITY_OFFSET_MS).toISOString().slice(0, 10);
}

function daysBack(days: number, now = new Date()): string {
  return cityDay(new Date(now.getTime() - (days - 1) * 86_400_000));
}

/**
 * Counts reads of entries' data by others than their providers (Art. 18: usage is shown to providers).
 * Counts gather in memory and are written every few seconds in one statement, so that counting costs a
 * request a map update rather than a write; a crash loses at most the last few seconds of counts. Each
 * read is also an entry of the transparency log, written by the module that served it.
 */
export function createUsageService(deps: UsageDeps) {
  const { db } = deps;
  interface Pending {
    day: string;
    entryCode: string;
    entryId: string;
    organizationId: string;
    channel: string;
    callerKind: CallerKind;
    callerOrganizationId: string;
    count: number;
  }
  let pending = new Map<string, Pending>();
  let kinds: { at: number; map: Map<string, { kind: string; name: string }> } | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function organizations(): Promise<Map<string, { kind: string; name: string }>> {
    if (kinds !== undefined && Date.now() - kinds.at < 5_000) return kinds.map;
    kinds = { at: Date.now(), map: await deps.organizations() };
    return kinds.map;
  }

  /** Who reads, for the provider: a public institution or a company through its member, or a person. */
  function caller(
    actor: Actor,
    orgs: Map<string, { kind: string }>,
  ): { kind: CallerKind; organizationId: string } {
    if (actor.kind !== 'user') return { kind: 'anonymous', organizationId: '' };
    if (actor.clientId !== undefined)
      return { kind: 'system', organizationId: [...actor.memberships.keys()][0] ?? '' };
    const ids = [...actor.memberships.keys()];
    const institution = ids.find((id) => orgs.get(id)?.kind === 'institution');
    if (institution !== undefined) return { kind: 'institution', organizationId: institution };
    const company = ids.find((id) => orgs.get(id)?.kind === 'company');
    if (company !== undefined) return { kind: 'company', organizationId: company };
    return { kind: 'user', organizationId: '' };
  }

  async function count(event: UsageEvent): Promise<void> {
    const who = caller(event.actor, await organizations());
    const day = cityDay(new Date());
    const key = [day, event.entryCode, event.channel, who.kind, who.organizationId].join('\u0000');
    const hit = pending.get(key);
    if (hit !== undefined) hit.count++;
    else
      pending.set(key, {
        day,
        entryCode: event.entryCode,
        entryId: event.entryId,
        organizationId: event.organizationId,
        channel: event.channel,
        callerKind: who.kind,
        callerOrganizationId: who.organizationId,
        count: 1,
      });
  }

  /** Writes what has been counted; one flush at a time, so that no count is written twice. */
  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      if (pending.size === 0) return;
      const batch = [...pending.values()];
      pending = new Map();
      try {
        await db
          .insertInto('usage_daily')
          .values(
            batch.map((p) => ({
              day: p.day,
              entry_code: p.entryCode,
              organization_id: p.organizationId,
              channel: p.channel,
              caller_kind: p.callerKind,
              caller_organization_id: p.callerOrganizationId,
              count: p.count,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['entry_code', 'day', 'channel', 'caller_kind', 'caller_organization_id'])
              .doUpdateSet({ count: sql`usage_daily.count + excluded.count` }),
          )
          .execute();
        const perEntry = new Map<string, number>();
        for (const p of batch) perEntry.set(p.entryId, (perEntry.get(p.entryId) ?? 0) + p.count);
        for (const [entryId, n] of perEntry) await deps.catalog.recordUsage(entryId, n);
      } catch (error) {
        // Counts that could not be written wait for the next flush.
        for (const p of batch) {
          const key = [p.day, p.entryCode, p.channel, p.callerKind, p.callerOrganizationId].join('\u0000');
          const hit = pending.get(key);
          if (hit !== undefined) hit.count += p.count;
          else pending.set(key, p);
        }
        throw error;
      }
    });
    return flushing;
  }

  let timer: NodeJS.Timeout | undefined;
  function start(intervalMs = 5_000): void {
    timer ??= setInterval(() => void flush().catch(() => undefined), intervalMs);
    timer.unref();
  }
  async function stop(): Promise<void> {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    await flush();
  }

  async function title(code: string): Promise<LocalizedText> {
    return (await deps.catalog.accessFacts(code))?.title ?? { zh: code };
  }

  /** The most used published entries of the city over the last `days` days. */
  async function top(days: number, limit: number) {
    await flush();
    const rows = await db
      .selectFrom('usage_daily')
      .select(['entry_code', 'organization_id', sql<string>`sum(count)`.as('n')])
      .where('day', '>=', daysBack(days))
      .groupBy(['entry_code', 'organization_id'])
      .orderBy(sql`sum(count)`, 'desc')
      .orderBy('entry_code')
      .limit(limit * 2)
      .execute();
    const items = [];
    for (const row of rows) {
      const facts = await deps.catalog.accessFacts(row.entry_code);
      // Only the usage of open data is public; what institutions share stays between them.
      if (facts === undefined || !facts.published || facts.openType === 'not_open' || facts.grade === 'core')
        continue;
      items.push({
        entryCode: row.entry_code,
        title: facts.title,
        organizationId: row.organization_id,
        count: Number(row.n),
      });
      if (items.length === limit) break;
    }
    return { days, items };
  }

  /** An institution's view: which entries are used, through which channels, by whom, day by day. */
  async function ofOrganization(actor: Actor, organizationId: string, days: number) {
    requirePermission(actor, 'usage:read', { organizationId });
    await flush();
    const since = daysBack(days);
    const base = db
      .selectFrom('usage_daily')
      .where('organization_id', '=', organizationId)
      .where('day', '>=', since);
    const byEntry = await base
      .select(['entry_code', 'channel', sql<string>`sum(count)`.as('n')])
      .groupBy(['entry_code', 'channel'])
      .execute();
    const byCaller = await base
      .select(['caller_kind', 'caller_organization_id', sql<string>`sum(count)`.as('n')])
      .groupBy(['caller_kind', 'caller_organization_id'])
      .orderBy(sql`sum(count)`, 'desc')
      .execute();
    const byDay = await base
      .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('d'), sql<string>`sum(count)`.as('n')])
      .groupBy('day')
      .orderBy('day')
      .execute();
    const entries = new Map<string, { total: number; channels: Record<string, number> }>();
    for (const row of byEntry) {
      const e = entries.get(row.entry_code) ?? { total: 0, channels: {} };
      e.total += Number(row.n);
      e.channels[row.channel] = Number(row.n);
      entries.set(row.entry_code, e);
    }
    const orgs = await organizations();
    const items = [];
    for (const [code, e] of [...entries].sort((a, b) => b[1].total - a[1].total))
      items.push({ entryCode: code, title: await title(code), count: e.total, channels: e.channels });
    return {
      organizationId,
      days,
      since,
      total: items.reduce((sum, e) => sum + e.count, 0),
      entries: items,
      callers: byCaller.map((r) => ({
        kind: r.caller_kind as CallerKind,
        organizationId: r.caller_organization_id === '' ? null : r.caller_organization_id,
        organizationName: orgs.get(r.caller_organization_id)?.name ?? null,
        count: Number(r.n),
      })),
      series: byDay.map((r) => ({ day: r.d, count: Number(r.n) })),
    };
  }

  return { count, flush, start, stop, top, ofOrganization };
}

export type UsageService = ReturnType<typeof createUsageService>;
