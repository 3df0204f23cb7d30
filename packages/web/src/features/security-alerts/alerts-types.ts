export type AlertState = 'open' | 'acknowledged' | 'closed' | 'escalated';
export type AlertSeverity = 'low' | 'medium' | 'high';
export const ALERT_STATES: AlertState[] = ['open', 'acknowledged', 'closed', 'escalated'];
export const ALERT_RULES = [
  'volume.user',
  'volume.table',
  'grant.terms',
  'signin.account',
  'signin.address',
  'token.addresses',
  'sensitive.fields',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

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

export interface AlertPage {
  items: AlertView[];
  total: number;
}

export interface AlertFilter {
  state?: AlertState | undefined;
  rule?: AlertRule | undefined;
  organizationId?: string | undefined;
  offset: number;
  limit: number;
}

export const OUTSIDE_TERMS = [
  'grant-expired',
  'grant-revoked',
  'grant-not-started',
  'field-not-granted',
  'operation-not-granted',
] as const;

export interface Thresholds {
  intervalSeconds: number;
  volumeUser: { enabled: boolean; floor: number; downloadFloor: number; factor: number; days: number };
  volumeTable: { enabled: boolean; floor: number; factor: number; days: number };
  grantTerms: { enabled: boolean; count: number; reasons: (typeof OUTSIDE_TERMS)[number][] };
  signIns: { enabled: boolean; windowMinutes: number; perAccount: number; perAddress: number };
  tokenAddresses: { enabled: boolean; windowMinutes: number; addresses: number };
  sensitiveFields: { enabled: boolean; count: number };
}

export interface ThresholdsView {
  thresholds: Thresholds;
  defaults: Thresholds;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface RunReport {
  entries: number;
  signIns: number;
  alerts: number;
}
