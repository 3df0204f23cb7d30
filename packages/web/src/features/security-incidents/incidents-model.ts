import type { SessionUser } from '../../api/types.ts';
import { INCIDENT_STATES, type Incident, type IncidentState } from './incidents-types.ts';

export const INCIDENT_PERMISSIONS = {
  read: 'security:incidents:read',
  manage: 'security:incidents:manage',
  rules: 'security:incidents:rules',
} as const;

const holds = (user: SessionUser | undefined, permission: string) =>
  user?.permissions.includes(permission) ?? false;

export const mayReadIncidents = (user: SessionUser | undefined) => holds(user, INCIDENT_PERMISSIONS.read);
export const mayManageIncidents = (user: SessionUser | undefined) => holds(user, INCIDENT_PERMISSIONS.manage);

/** The states an incident may move to next: forward only, as the server allows. */
export function laterStates(state: IncidentState): IncidentState[] {
  return INCIDENT_STATES.slice(INCIDENT_STATES.indexOf(state) + 1);
}

export type DeadlineStatus =
  | { kind: 'none' }
  | { kind: 'reported'; at: string; late: boolean }
  | { kind: 'overdue'; by: number }
  | { kind: 'due'; in: number };

/**
 * Where the report to the authority stands, in minutes. The server's `overdue` is the truth; the clock
 * here only says how long is left or how late it is.
 */
export function deadlineStatus(
  incident: Pick<Incident, 'deadlineAt' | 'reportedAt' | 'overdue'>,
  now: Date,
): DeadlineStatus {
  if (incident.deadlineAt === null) return { kind: 'none' };
  const deadline = Date.parse(incident.deadlineAt);
  if (incident.reportedAt !== null)
    return { kind: 'reported', at: incident.reportedAt, late: Date.parse(incident.reportedAt) > deadline };
  const minutes = Math.round((deadline - now.getTime()) / 60_000);
  if (incident.overdue || minutes < 0) return { kind: 'overdue', by: Math.max(0, -minutes) };
  return { kind: 'due', in: minutes };
}

/** Minutes as "2 h 05 min" (or "45 min"). */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : `${h} h ${String(m).padStart(2, '0')} min`;
}

/** The addresses typed in the letter form: one per line, or separated by commas or semicolons. */
export function parseRecipients(text: string): { valid: string[]; invalid: string[] } {
  const parts = text
    .split(/[\n,;]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const valid: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    if (!/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(part)) invalid.push(part);
    else if (!seen.has(part.toLowerCase())) {
      seen.add(part.toLowerCase());
      valid.push(part);
    }
  }
  return { valid, invalid };
}
