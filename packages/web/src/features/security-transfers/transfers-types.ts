import type { LocalizedText } from '../catalog/catalog-types.ts';

export const TRANSFER_ROUTES = [
  'security-assessment',
  'standard-contract-or-certification',
  'exempt',
] as const;
export type TransferRoute = (typeof TRANSFER_ROUTES)[number];
export const TRANSFER_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];
export const REASON_CODES = [
  'important-data',
  'people-assessment',
  'sensitive-assessment',
  'people-contract',
  'sensitive-contract',
  'below-thresholds',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface RouteAssessment {
  route: TransferRoute;
  reasons: { code: ReasonCode; value?: number; threshold?: number; text: string }[];
  containsImportantData: boolean;
  year: number;
  earlier: { people: number; sensitivePeople: number };
  cumulative: { people: number; sensitivePeople: number };
}

export interface Transfer {
  id: string;
  organizationId: string;
  organizationName: LocalizedText;
  entryCodes: string[];
  gradedImportant: boolean;
  importantDataDeclared: boolean;
  recipient: string;
  country: string;
  purpose: string;
  peopleCount: number;
  sensitivePeopleCount: number;
  state: TransferState;
  assessment: RouteAssessment;
  decision: {
    comment: string | null;
    reference: string | null;
    decidedBy: string | null;
    decidedAt: string | null;
  };
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
  impactAssessments: {
    id: string;
    text: string;
    attachments: { name: string; mediaType: string; size: number; sha256: string }[];
    createdBy: string;
    createdAt: string;
    retainUntil: string;
  }[];
}

export interface TransferDraft {
  organizationId?: string | undefined;
  entryCodes: string[];
  importantDataDeclared: boolean;
  recipient: string;
  country: string;
  purpose: string;
  peopleCount: number | null;
  sensitivePeopleCount: number | null;
}
