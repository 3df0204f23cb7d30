import type { LocalizedText } from '../catalog/index.ts';

/** open: conditional opening to the public (Art. 18); share: conditional sharing between institutions (Art. 17). */
export const APPLICATION_KINDS = ['open', 'share'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

export const APPLICANT_KINDS = ['individual', 'company', 'research', 'institution'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

/** records: query rows; download: whole-table download; aggregate: the aggregate endpoint. */
export const OPERATIONS = ['records', 'download', 'aggregate'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const APPLICATION_STATES = [
  'submitted',
  'more_info',
  'centre_review',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

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
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export const GRANT_STATES = ['active', 'expired', 'revoked'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

export interface Application {
  id: string;
  kind: ApplicationKind;
  entryCode: string;
  entryTitle: LocalizedText;
  providerOrganizationId: string;
  providerName: LocalizedText | string;
  /** The entry's grade at submission. */
  grade: string;
  /** Important data: the big data centre (operators) approves after the provider. */
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
  history: { at: string; actor: string; action: HistoryAction; comment: string | null }[];
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

export const NOTIFICATION_KINDS = [
  'application.submitted',
  'application.asked',
  'application.approved',
  'application.rejected',
  'application.centre_review',
  'grant.revoked',
  'grant.expired',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Notification {
  id: string;
  kind: string;
  params: Record<string, string>;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** What the datastore's access policy learns about one caller's grants on one entry. */
export interface GrantScope {
  grantId: string;
  kind: ApplicationKind;
  fields: string[];
  operations: Operation[];
  validUntil: Date;
}

/** One of a caller's grants on an entry, in whatever state (what `grantsOf` returns). */
export interface HeldGrant {
  id: string;
  kind: ApplicationKind;
  fields: string[];
  operations: Operation[];
  /** A grant for a period that has not begun yet is held but not usable. */
  validFrom: Date;
  validUntil: Date;
  state: GrantState;
}
