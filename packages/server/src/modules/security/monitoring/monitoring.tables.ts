import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type Day = ColumnType<string, string, string>;
type BigCount = ColumnType<string | number, number, number>;

export type AlertState = 'open' | 'acknowledged' | 'closed' | 'escalated';
export type AlertSeverity = 'low' | 'medium' | 'high';

/**
 * What the transparency log says about reads, counted per city day: one row per kind of fact, caller,
 * table and detail (a refusal's reason, a sensitive field). The log stays the record; this is its index.
 */
export interface MonitoringCountsTable {
  day: Day;
  /** read, download, refused, sensitive */
  kind: string;
  /** The caller as the log names it: `user:<id>` or `client:<id>`. */
  subject: string;
  /** A datastore resource id. */
  object: string;
  /** The refusal's reason or the sensitive field's name; '' otherwise. */
  detail: string;
  /** The provider of the table. */
  organization_id: string;
  count: BigCount;
  /** The first few log entry indexes behind the count: the alert's evidence. */
  sample_entries: ColumnType<(string | number)[], (string | number)[], (string | number)[]>;
}

/** Failed sign-ins copied from identity's throttling table, which forgets them on a successful sign-in. */
export interface MonitoringSignInsTable {
  id: ColumnType<string | number, number, number>;
  username: string;
  address: string;
  failed_at: Date;
}

/** Which address used which API token, per minute: written in batches, as usage counts are. */
export interface MonitoringTokenUsesTable {
  minute: Date;
  /** A fingerprint of the token (the start of its SHA-256), never the token. */
  token: string;
  /** `user:<id>` or `client:<id>`: whose token it is. */
  holder: string;
  address: string;
  count: BigCount;
}

/** How far each source has been read: the log by index, the sign-in failures by id. */
export interface MonitoringCursorsTable {
  source: string;
  position: ColumnType<string | number, number, number>;
}

export interface MonitoringSettingsTable {
  key: string;
  settings: Json<unknown>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface MonitoringAlertsTable {
  id: Generated<string>;
  rule: string;
  severity: AlertSeverity;
  /** The provider of the data concerned; null for the platform (sign-in bursts, tokens). */
  organization_id: string | null;
  subject_type: string;
  subject_id: string;
  object_type: string | null;
  object_id: string | null;
  window_start: Date;
  window_end: Date;
  /** rule, subject, object and window: the same breach in the same window is one alert. */
  dedup_key: string;
  evidence: Json<Record<string, unknown>>;
  state: AlertState;
  incident_id: string | null;
  note: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  handled_by: string | null;
}

/** In-app notices of alerts to security officers and the organisation's admins. */
export interface MonitoringNotificationsTable {
  id: Generated<string>;
  alert_id: string;
  user_id: string;
  created_at: Generated<Date>;
  read_at: Date | null;
}

export interface MonitoringTables {
  security_monitoring_counts: MonitoringCountsTable;
  security_monitoring_sign_ins: MonitoringSignInsTable;
  security_monitoring_token_uses: MonitoringTokenUsesTable;
  security_monitoring_cursors: MonitoringCursorsTable;
  security_monitoring_settings: MonitoringSettingsTable;
  security_monitoring_alerts: MonitoringAlertsTable;
  security_monitoring_notifications: MonitoringNotificationsTable;
}
