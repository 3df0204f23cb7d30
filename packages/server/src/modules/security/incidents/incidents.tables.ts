import type { ColumnType, Generated } from 'kysely';
import type {
  IncidentKind,
  IncidentRules,
  IncidentState,
  LetterLanguage,
  NoticeFields,
  Severity,
  TimelineKind,
} from './incidents.model.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** One data security incident of one organisation (Art. 48 para. 2; PIPL Art. 57). */
export interface SecurityIncidentsTable {
  id: Generated<string>;
  organization_id: string;
  kind: IncidentKind;
  title: string;
  description: string;
  entry_codes: string[];
  /** The highest grade among the entries concerned, read from the catalog when recorded or edited. */
  data_grade: string | null;
  people_affected: number;
  cii: boolean;
  severity: Severity;
  proposed_severity: Severity;
  detected_at: Date;
  /** When the report to the authority is due; null when the rules ask for none. */
  deadline_at: Date | null;
  deadline_rule: string | null;
  state: IncidentState;
  reported_at: Date | null;
  report_reference: string | null;
  remediation: string;
  /** What a notification letter to the people affected says (PIPL Art. 57). */
  notice: Json<NoticeFields>;
  from_alert_id: string | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface SecurityIncidentEventsTable {
  id: Generated<string>;
  incident_id: string;
  at: Generated<Date>;
  author: string;
  kind: TimelineKind;
  text: string;
}

export interface SecurityIncidentTasksTable {
  id: Generated<string>;
  incident_id: string;
  title: string;
  assignee: string | null;
  /** A plain date, YYYY-MM-DD, read back as text. */
  due_date: ColumnType<string | null, string | null, string | null>;
  done_at: Date | null;
  created_at: Generated<Date>;
}

/** A notification letter as sent: the text is kept so that what people received can be shown later. */
export interface SecurityIncidentLettersTable {
  id: Generated<string>;
  incident_id: string;
  language: LetterLanguage;
  subject: string;
  body: string;
  created_by: string;
  created_at: Generated<Date>;
}

export interface SecurityIncidentRecipientsTable {
  id: Generated<string>;
  letter_id: string;
  email: string;
  status: 'queued' | 'sent' | 'failed';
  message_id: string | null;
  error: string | null;
  sent_at: Date | null;
}

/** The operator's replacement of the default severity and deadline rules (one row at most). */
export interface SecurityIncidentRulesTable {
  id: number;
  rules: Json<IncidentRules>;
  updated_by: string;
  updated_at: Timestamp;
}

export interface IncidentTables {
  security_incidents: SecurityIncidentsTable;
  security_incident_events: SecurityIncidentEventsTable;
  security_incident_tasks: SecurityIncidentTasksTable;
  security_incident_letters: SecurityIncidentLettersTable;
  security_incident_recipients: SecurityIncidentRecipientsTable;
  security_incident_rules: SecurityIncidentRulesTable;
}
