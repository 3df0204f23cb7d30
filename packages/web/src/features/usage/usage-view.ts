import type { SessionUser } from '../../api/types.ts';
import type { Institution } from '../catalog/catalog-types.ts';
import { organizationName } from '../catalog/localized.ts';
import {
  CALLER_KINDS,
  type CallerKind,
  type OrganizationUsage,
  USAGE_CHANNELS,
  USAGE_PERIODS,
  type UsageChannel,
  type UsageEntry,
  type UsagePeriod,
} from './usage-types.ts';

type Tone = 'green' | 'blue' | 'orange' | 'red' | 'purple' | 'grey';

/** The home page's list: the ten most read open entries of the last 30 days. */
export const MOST_USED_QUERY = { days: 30, limit: 10 } as const;

/** Platform roles that read the usage of every organisation (the server's `usage:read` rule). */
const OVERSIGHT_ROLES: readonly string[] = ['operator', 'auditor', 'statistician'];

export function readsEveryOrganization(user: SessionUser | undefined): boolean {
  return user?.platformRoles.some((r) => OVERSIGHT_ROLES.includes(r)) ?? false;
}

/** Members of any organisation see their own usage; the operator, auditors and statisticians see all. */
export function mayReadUsage(user: SessionUser | undefined): boolean {
  if (user === undefined) return false;
  return user.memberships.length > 0 || readsEveryOrganization(user);
}

/** `/usage`, on one organisation when given. */
export function usageLink(organizationId?: string, days?: number): string {
  const params = new URLSearchParams();
  if (organizationId) params.set('organization', organizationId);
  if (days) params.set('days', String(days));
  const search = params.toString();
  return search ? `/usage?${search}` : '/usage';
}

/** The period in the address, when it is one the page offers; 30 days otherwise. */
export function parsePeriod(value: string | null | undefined): UsagePeriod {
  const days = Number(value);
  return (USAGE_PERIODS as readonly number[]).includes(days) ? (days as UsagePeriod) : 30;
}

export interface OrganizationChoice {
  id: string;
  name: string;
  lang: string;
}

/**
 * The organisations whose usage the reader may open: their own first (in the order of their memberships),
 * then, for the operator, auditors and statisticians, every other organisation in the list's order.
 */
export function usageOrganizations(
  user: SessionUser | undefined,
  organizations: readonly Institution[] | undefined,
  language: string,
): OrganizationChoice[] {
  if (user === undefined) return [];
  const byId = new Map((organizations ?? []).map((o) => [o.id, o]));
  const choices: OrganizationChoice[] = [];
  const seen = new Set<string>();
  for (const m of user.memberships) {
    if (seen.has(m.organizationId)) continue;
    seen.add(m.organizationId);
    const org = byId.get(m.organizationId);
    const name = org ? organizationName(org, language) : { text: m.organizationName, lang: 'zh-CN' };
    choices.push({ id: m.organizationId, name: name.text, lang: name.lang });
  }
  if (readsEveryOrganization(user)) {
    for (const org of organizations ?? []) {
      if (seen.has(org.id)) continue;
      seen.add(org.id);
      const name = organizationName(org, language);
      choices.push({ id: org.id, name: name.text, lang: name.lang });
    }
  }
  return choices;
}

/**
 * The organisation to show: the one in the address when the reader may open it (the oversight roles may
 * open any, even before the list has loaded), else the first choice.
 */
export function chosenOrganization(
  param: string | null | undefined,
  choices: readonly OrganizationChoice[],
  user: SessionUser | undefined,
): string | undefined {
  if (param && (choices.some((c) => c.id === param) || readsEveryOrganization(user))) return param;
  return choices[0]?.id;
}

/** A calendar day (YYYY-MM-DD) moved by `days`. */
export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

export interface DayCount {
  day: string;
  count: number;
}

/** Every day of the period, oldest first, with 0 for days without reads, so the line does not skip them. */
export function dailySeries(report: Pick<OrganizationUsage, 'since' | 'days' | 'series'>): DayCount[] {
  const counts = new Map(report.series.map((p) => [p.day, p.count]));
  return Array.from({ length: report.days }, (_, i) => {
    const day = addDays(report.since, i);
    return { day, count: counts.get(day) ?? 0 };
  });
}

export interface SeriesFacts {
  total: number;
  first: string | undefined;
  last: string | undefined;
  /** The busiest day (the first one when several tie); none without reads. */
  peak: DayCount | undefined;
}

export function seriesFacts(series: readonly DayCount[]): SeriesFacts {
  let peak: DayCount | undefined;
  let total = 0;
  for (const point of series) {
    total += point.count;
    if (point.count > 0 && (peak === undefined || point.count > peak.count)) peak = point;
  }
  return { total, first: series[0]?.day, last: series[series.length - 1]?.day, peak };
}

/** One line of reads per day; `dayLabel` writes the axis' dates in the reader's language. */
export function usageChartOption(
  series: readonly DayCount[],
  readsLabel: string,
  dayLabel: (day: string) => string,
  animation = true,
): Record<string, unknown> {
  return {
    animation,
    grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', boundaryGap: false, data: series.map((p) => dayLabel(p.day)) },
    yAxis: { type: 'value', minInterval: 1, name: readsLabel },
    series: [
      {
        name: readsLabel,
        type: 'line',
        // Dots on short periods, where each day is worth pointing at; a plain line on long ones.
        showSymbol: series.length <= 31,
        itemStyle: { color: '#1d39c4' },
        areaStyle: { opacity: 0.08 },
        data: series.map((p) => p.count),
      },
    ],
  };
}

export interface ReadsRow {
  /** YYYY-MM-DD for a day, YYYY-MM for a month. */
  key: string;
  count: number;
}

/**
 * The figures beside the chart: a row per day up to a month, a row per calendar month for longer periods
 * (the first and last months may be partial), so the table stays short enough to read.
 */
export function readsTable(series: readonly DayCount[]): { unit: 'day' | 'month'; rows: ReadsRow[] } {
  if (series.length <= 31) return { unit: 'day', rows: series.map((p) => ({ key: p.day, count: p.count })) };
  const months = new Map<string, number>();
  for (const p of series) {
    const month = p.day.slice(0, 7);
    months.set(month, (months.get(month) ?? 0) + p.count);
  }
  return { unit: 'month', rows: [...months].map(([key, count]) => ({ key, count })) };
}

export interface EntryRow {
  entryCode: string;
  title: UsageEntry['title'];
  count: number;
  channels: Record<UsageChannel, number>;
}

/** Entries most read first (then by code), with a figure for every channel, 0 where nobody used it. */
export function entryRows(entries: readonly UsageEntry[]): EntryRow[] {
  return entries
    .map((e) => ({
      entryCode: e.entryCode,
      title: e.title,
      count: e.count,
      channels: Object.fromEntries(USAGE_CHANNELS.map((c) => [c, e.channels[c] ?? 0])) as Record<
        UsageChannel,
        number
      >,
    }))
    .sort((a, b) => b.count - a.count || a.entryCode.localeCompare(b.entryCode));
}

/** Reads per channel over all entries. */
export function channelTotals(entries: readonly UsageEntry[]): Record<UsageChannel, number> {
  const totals = Object.fromEntries(USAGE_CHANNELS.map((c) => [c, 0])) as Record<UsageChannel, number>;
  for (const e of entries) for (const c of USAGE_CHANNELS) totals[c] += e.channels[c] ?? 0;
  return totals;
}

export interface CallerRow {
  key: string;
  kind: string;
  organizationId: string | null;
  organizationName: string | null;
  count: number;
  /** Share of all reads, 0 to 1. */
  share: number;
}

function kindOrder(kind: string): number {
  const at = (CALLER_KINDS as readonly string[]).indexOf(kind);
  return at < 0 ? CALLER_KINDS.length : at;
}

/**
 * Who reads: one row per kind of caller and organisation (a business system under its institution),
 * most reads first, then in the order institutions, systems, companies, people, anonymous, then by name.
 */
export function callerRows(report: Pick<OrganizationUsage, 'callers'>): CallerRow[] {
  const total = report.callers.reduce((sum, c) => sum + c.count, 0);
  return report.callers
    .map((c) => ({
      key: `${c.kind}:${c.organizationId ?? ''}`,
      kind: c.kind,
      organizationId: c.organizationId,
      organizationName: c.organizationName,
      count: c.count,
      share: total === 0 ? 0 : c.count / total,
    }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        kindOrder(a.kind) - kindOrder(b.kind) ||
        (a.organizationName ?? '').localeCompare(b.organizationName ?? ''),
    );
}

/** Reads per kind of caller, every kind named (0 when absent), in the order of CALLER_KINDS. */
export function kindTotals(report: Pick<OrganizationUsage, 'callers'>): Record<CallerKind, number> {
  const totals = Object.fromEntries(CALLER_KINDS.map((k) => [k, 0])) as Record<CallerKind, number>;
  for (const c of report.callers) if (c.kind in totals) totals[c.kind as CallerKind] += c.count;
  return totals;
}

const KIND_TONES: Record<CallerKind, Tone> = {
  institution: 'blue',
  system: 'purple',
  company: 'orange',
  user: 'green',
  anonymous: 'grey',
};

export function callerTone(kind: string): Tone {
  return KIND_TONES[kind as CallerKind] ?? 'grey';
}

/** A calendar day in the reader's language, e.g. "Mar 5" (the day as the city counted it, not shifted). */
export function formatDay(day: string, language: string, withYear = false): string {
  const at = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return day;
  return new Intl.DateTimeFormat(language, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
  }).format(at);
}

/** A month (YYYY-MM) in the reader's language, e.g. "March 2026". */
export function formatMonth(month: string, language: string): string {
  const at = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return month;
  return new Intl.DateTimeFormat(language, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(at);
}

/** The chart's screen-reader name: its text key and the values for that text's placeholders. */
export function chartLabel(
  facts: SeriesFacts,
  since: string,
  dayText: (day: string) => string,
  numberText: (n: number) => string,
): { key: 'usage.daily.chartLabel' | 'usage.daily.chartLabelEmpty'; values: Record<string, string> } {
  const range = { from: dayText(facts.first ?? since), to: dayText(facts.last ?? since) };
  if (facts.peak === undefined) return { key: 'usage.daily.chartLabelEmpty', values: range };
  return {
    key: 'usage.daily.chartLabel',
    values: {
      ...range,
      total: numberText(facts.total),
      day: dayText(facts.peak.day),
      peak: numberText(facts.peak.count),
    },
  };
}
