import type { Grade, LocalizedText } from '../catalog/catalog-types.ts';

export const IMPACT_OBJECTS = [
  'national-security',
  'economic-operation',
  'social-order',
  'public-interest',
  'organisational-rights',
  'individual-rights',
] as const;
export type ImpactObject = (typeof IMPACT_OBJECTS)[number];

export const HARMS = ['especially-serious', 'serious', 'general', 'none'] as const;
export type Harm = (typeof HARMS)[number];

export type GradingMatrix = Record<ImpactObject, Record<Harm, Grade>>;
export type GradingState = 'draft' | 'proposed' | 'confirmed' | 'returned';
export type OfficerRole = 'chief-data-officer' | 'security-officer';

export interface MatrixView {
  version: number;
  isDefault: boolean;
  matrix: GradingMatrix;
  defaultMatrix: GradingMatrix;
}

export interface FieldAssessment {
  field: string;
  impact: ImpactObject;
  harm: Harm;
  rationale: string;
}

export interface DatasetAssessment {
  impact: ImpactObject;
  harm: Harm;
  rationale: string;
}

export interface ScannerProposal {
  field: string;
  personalInfo: 'none' | 'personal' | 'sensitive';
  grade: Grade;
  reason: string;
}

export interface Grading {
  id: string;
  state: GradingState;
  version: number;
  fields: (FieldAssessment & { level: Grade })[];
  dataset: DatasetAssessment | null;
  level: Grade;
  proposals: ScannerProposal[];
  comment: string | null;
  confirmed: { version: number; level: Grade; by: string; at: string } | null;
  updatedAt: string;
}

export interface GradingView {
  entry: {
    code: string;
    title: LocalizedText;
    organizationId: string;
    state: string;
    version: number;
    grade: Grade;
    fields: { name: string; title?: LocalizedText; type: string; grade: Grade; personalInfo: string }[];
  };
  grading: Grading | null;
  versions: {
    version: number;
    state: GradingState;
    level: Grade;
    comment: string | null;
    actor: string;
    ledgerIndex: number;
    at: string;
  }[];
  can: { edit: boolean; submit: boolean; confirm: boolean };
}

export interface DashboardRow {
  organizationId: string;
  code: string;
  name: string;
  nameEn: string | null;
  entries: number;
  graded: number;
  ungraded: number;
  awaitingConfirmation: number;
  important: number;
  core: number;
  openAlerts: number;
  openIncidents: number;
  nextDeadline: string | null;
  overdueIncidents: number;
  deadlinePassed: boolean;
  chiefDataOfficer: { name: string } | null;
  securityOfficer: { name: string } | null;
}

export interface Dashboard {
  generatedAt: string;
  organizations: DashboardRow[];
}

export interface Officer {
  role: OfficerRole;
  userId: string;
  name: string;
  email: string | null;
  phone: string | null;
  appointedBy: string;
  appointedAt: string;
  endedAt: string | null;
}

export interface Officers {
  organizationId: string;
  chiefDataOfficer: Officer | null;
  securityOfficer: Officer | null;
  history: Officer[];
}

export interface ImportantData {
  organization: { id: string; code: string; name: string; nameEn: string | null };
  generatedAt: string;
  chiefDataOfficer: { name: string; email: string | null; phone: string | null } | null;
  securityOfficer: { name: string; email: string | null; phone: string | null } | null;
  items: {
    entryCode: string;
    entryTitle: LocalizedText;
    level: Grade;
    dataset: DatasetAssessment | null;
    fields: (FieldAssessment & { level: Grade; title?: LocalizedText })[];
    contact: { name: string; email?: string; phone?: string } | null;
    confirmedBy: string;
    confirmedAt: string;
  }[];
}
