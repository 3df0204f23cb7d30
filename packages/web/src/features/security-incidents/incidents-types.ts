import type { LocalizedText } from '../catalog/catalog-types.ts';

export const INCIDENT_KINDS = [
  'leak',
  'tampering',
  'loss',
  'unavailability',
  'exploited-vulnerability',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export const SEVERITIES = ['especially-major', 'major', 'relatively-major', 'general'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const INCIDENT_STATES = ['open', 'contained', 'resolved', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
export const LETTER_LANGUAGES = ['zh-CN', 'en', 'fr'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];
export const NOTICE_ITEMS = [
  'informationTypes',
  'cause',
  'possibleHarm',
  'remedies',
  'advice',
  'contact',
] as const;
export type NoticeItem = (typeof NOTICE_ITEMS)[number];
export type NoticeFields = Record<NoticeItem, string>;

export interface Incident {
  id: string;
  organizationId: string;
  organizationName: LocalizedText;
  kind: IncidentKind;
  title: string;
  description: string;
  entryCodes: string[];
  dataGrade: string | null;
  peopleAffected: number;
  cii: boolean;
  severity: Severity;
  proposedSeverity: Severity;
  detectedAt: string;
  reportRequired: boolean;
  deadlineAt: string | null;
  deadlineRule: string | null;
  reportedAt: string | null;
  reportReference: string | null;
  overdue: boolean;
  state: IncidentState;
  remediation: string;
  notice: NoticeFields;
  fromAlertId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IncidentDetail extends Incident {
  dataConcerned: { code: string; title: LocalizedText; grade: string }[];
  timeline: { id: string; at: string; author: string; kind: string; text: string }[];
  tasks: {
    id: string;
    title: string;
    assignee: string | null;
    dueDate: string | null;
    done: boolean;
    doneAt: string | null;
  }[];
  letters: {
    id: string;
    language: LetterLanguage;
    subject: string;
    text: string;
    createdAt: string;
    recipients: number;
    sent: number;
    failed: number;
  }[];
}

export interface LetterPreview {
  language: LetterLanguage;
  subject: string;
  text: string;
  missing: NoticeItem[];
}

export interface NewIncident {
  organizationId: string;
  kind: IncidentKind;
  title: string;
  description: string;
  entryCodes: string[];
  peopleAffected: number;
  cii: boolean;
  severity?: Severity;
  detectedAt: string;
  notice?: Partial<NoticeFields>;
}
