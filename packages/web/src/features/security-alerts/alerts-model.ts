import type { SessionUser } from '../../api/types.ts';
import type { AlertFilter, AlertSeverity, AlertState, Thresholds } from './alerts-types.ts';

export const ALERT_PERMISSIONS = {
  read: 'security-alerts:read',
  handle: 'security-alerts:handle',
  run: 'security-monitoring:run',
  configure: 'security-monitoring:configure',
} as const;

const holds = (user: SessionUser | undefined, permission: string) =>
  user?.permissions.includes(permission) ?? false;

export const mayReadAlerts = (user: SessionUser | undefined) => holds(user, ALERT_PERMISSIONS.read);
export const mayHandleAlerts = (user: SessionUser | undefined) => holds(user, ALERT_PERMISSIONS.handle);
export const mayRunMonitoring = (user: SessionUser | undefined) => holds(user, ALERT_PERMISSIONS.run);
export const mayConfigureMonitoring = (user: SessionUser | undefined) =>
  holds(user, ALERT_PERMISSIONS.configure);

/** Severity is shown as text and colour both: colour alone says nothing to some readers (WCAG 1.4.1). */
export const SEVERITY_COLOR: Record<AlertSeverity, string> = { high: 'red', medium: 'orange', low: 'blue' };

/** What may be done next with an alert in a state: the server refuses the rest with 409. */
export function nextMoves(state: AlertState): ('acknowledge' | 'close' | 'escalate')[] {
  switch (state) {
    case 'open':
      return ['acknowledge', 'close', 'escalate'];
    case 'acknowledged':
      return ['close', 'escalate'];
    default:
      return [];
  }
}

/** The list's query: only the filters set, so that the URL stays short and the server applies its defaults. */
export function alertsQuery(filter: AlertFilter): Record<string, string> {
  const out: Record<string, string> = { offset: String(filter.offset), limit: String(filter.limit) };
  if (filter.state) out.state = filter.state;
  if (filter.rule) out.rule = filter.rule;
  if (filter.organizationId) out.organizationId = filter.organizationId;
  return out;
}

/** The filter kept in the page's address, so that a filtered list can be linked and reloaded. */
export function filterFromParams(params: URLSearchParams, limit = 20): AlertFilter {
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const state = params.get('state') ?? undefined;
  const rule = params.get('rule') ?? undefined;
  const organizationId = params.get('organization') ?? undefined;
  return {
    ...(state ? { state: state as AlertFilter['state'] } : {}),
    ...(rule ? { rule: rule as AlertFilter['rule'] } : {}),
    ...(organizationId ? { organizationId } : {}),
    offset: (page - 1) * limit,
    limit,
  };
}

/** Evidence as label/value lines: lists joined, numbers as they are, nested objects as JSON. */
export function evidenceRows(evidence: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(evidence).map(([key, value]) => ({
    key,
    value: Array.isArray(value)
      ? value.map((v) => String(v)).join(', ')
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value),
  }));
}

/** Checks the operator's form before sending it; the server checks again and names the same paths. */
export function thresholdProblems(t: Thresholds): string[] {
  const problems: string[] = [];
  const positive = (path: string, value: number, min = 1) => {
    if (!Number.isFinite(value) || value < min) problems.push(path);
  };
  positive('intervalSeconds', t.intervalSeconds, 10);
  positive('volumeUser.floor', t.volumeUser.floor);
  positive('volumeUser.downloadFloor', t.volumeUser.downloadFloor);
  positive('volumeUser.factor', t.volumeUser.factor);
  positive('volumeUser.days', t.volumeUser.days);
  positive('volumeTable.floor', t.volumeTable.floor);
  positive('volumeTable.factor', t.volumeTable.factor);
  positive('volumeTable.days', t.volumeTable.days);
  positive('grantTerms.count', t.grantTerms.count);
  if (t.grantTerms.reasons.length === 0) problems.push('grantTerms.reasons');
  positive('signIns.windowMinutes', t.signIns.windowMinutes);
  positive('signIns.perAccount', t.signIns.perAccount);
  positive('signIns.perAddress', t.signIns.perAddress);
  positive('tokenAddresses.windowMinutes', t.tokenAddresses.windowMinutes);
  positive('tokenAddresses.addresses', t.tokenAddresses.addresses, 2);
  positive('sensitiveFields.count', t.sensitiveFields.count);
  for (const path of ['volumeUser.days', 'volumeTable.days'] as const) {
    const [group, key] = path.split('.') as ['volumeUser' | 'volumeTable', 'days'];
    if (t[group][key] > 90) problems.push(path);
  }
  return problems;
}
