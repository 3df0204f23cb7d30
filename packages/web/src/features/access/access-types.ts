// Shapes of the access API (applications, grants, notifications), kept by hand from the HTTP contract.
import type { LocalizedText } from '../catalog/catalog-types.ts';

export const APPLICATION_KINDS = ['open', 'share'] as const;
export const APPLICANT_KINDS = ['individual', 'company', 'research', 'institution'] as const;
export const OPERATIONS = ['records', 'download', 'aggregate'] as const;
export const APPLICATION_STATES = [
  'submitted',
  'more_info',
  'centre_review',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export const GRANT_STATES = ['active', 'expired', 'revoked'] as const;
export const HISTORY_ACTIONS = [
  'submitted',
  'asked',
  'replied',
  'approved',
  'rejected',
  'centre_approved',
  'centre_rejected',
  'withdrawn',
] as const;

/** open = conditional opening (Art. 18); share = conditional sharing between institutions (Art. 17). */
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];
/** Query rows, download the whole table, or call the aggregate endpoint. */
export type Operation = (typeof OPERATIONS)[number];
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export type GrantState = (typeof GRANT_STATES)[number];
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export interface HistoryEvent {
  at: string;
  actor: string;
  action: HistoryAction;
  comment: string | null;
}

export interface Application {
  id: string;
  kind: ApplicationKind;
  entryCode: string;
  entryTitle: LocalizedText;
  providerOrganizationId: string;
  providerName: LocalizedText | string;
  grade: string;
  /** Important data: the big data centre must approve after the provider. */
  needsCentre: boolean;
  applicant: {
    userId: string;
    username: string;
    kind: ApplicantKind;
    organizationId: string | null;
    name: string;
    creditCode: string | null;
  };
  purpose: string;
  scenario: string;
  fields: string[];
  operations: Operation[];
  periodStart: string;
  periodEnd: string;
  securityMeasures: string;
  terms: { version: string; hash: string; acceptedAt: string };
  state: ApplicationState;
  reviewDeadline: string;
  history: HistoryEvent[];
  grantId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Grant {
  id: string;
  applicationId: string;
  kind: ApplicationKind;
  entryCode: string;
  entryTitle: LocalizedText;
  providerOrganizationId: string;
  grantee: { userId: string; username: string; organizationId: string | null };
  fields: string[];
  operations: Operation[];
  validFrom: string;
  validUntil: string;
  state: GrantState;
  revokedAt: string | null;
  revokedReason: string | null;
  createdAt: string;
}

export interface Notification {
  id: string;
  kind: string;
  params: Record<string, string>;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface Terms {
  version: string;
  hash: string;
  text: { zh: string; en?: string; fr?: string };
}

export interface ApplicationRequest {
  kind: ApplicationKind;
  entryCode: string;
  applicantKind: ApplicantKind;
  organizationId?: string;
  applicantName: string;
  creditCode?: string;
  purpose: string;
  scenario: string;
  fields: string[];
  operations: Operation[];
  periodStart: string;
  periodEnd: string;
  securityMeasures: string;
  termsVersion: string;
  acceptTerms: true;
}

export type ReviewDecision = 'approve' | 'reject' | 'ask';

export interface ReviewRequest {
  decision: ReviewDecision;
  comment?: string;
  fields?: string[];
  periodEnd?: string;
}

export interface CentreReviewRequest {
  decision: 'approve' | 'reject';
  comment?: string;
}

export interface ReplyRequest {
  comment: string;
  purpose?: string;
  scenario?: string;
  securityMeasures?: string;
  fields?: string[];
  periodStart?: string;
  periodEnd?: string;
}

export type ApplicationView = 'mine' | 'provider' | 'centre';
export type GrantView = 'mine' | 'provider';
