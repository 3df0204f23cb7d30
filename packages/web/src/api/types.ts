// Shapes of the HTTP API (see docs/api.md); kept by hand until the OpenAPI document is generated.

export type MemberRole = 'admin' | 'editor' | 'member';

export const PLATFORM_ROLES = [
  'operator',
  'security_officer',
  'exchange_operator',
  'auditor',
  'statistician',
] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const MEMBER_ROLES: readonly MemberRole[] = ['admin', 'editor', 'member'];

export interface Membership {
  organizationId: string;
  organizationName: string;
  role: MemberRole;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  platformRoles: string[];
  memberships: Membership[];
  permissions: string[];
}

export interface Session {
  authenticated: boolean;
  user?: SessionUser;
  csrfToken?: string;
  oidcEnabled: boolean;
}

export interface ModuleStatus {
  id: string;
  available: boolean;
}

export interface StatsOverview {
  organizations: number;
  institutions: number;
  companies: number;
  users: number;
  ledgerEntries: number;
  treeSize: number;
  modules: ModuleStatus[];
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedToken {
  token: string;
  item: ApiToken;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  platformRoles: string[];
  disabled: boolean;
  createdAt: string;
}

export type OrganizationKind = 'institution' | 'company' | 'other';
export const ORGANIZATION_KINDS: readonly OrganizationKind[] = ['institution', 'company', 'other'];

export interface Organization {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: OrganizationKind;
  creditCode: string;
  memberCount: number;
  createdAt: string;
}

export interface Member {
  userId: string;
  username: string;
  displayName: string;
  role: MemberRole;
}

export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: number | string;
  keyId: string;
  signature: string;
}

export interface LedgerPublicKey {
  algorithm: 'Ed25519';
  keyId: string;
  publicKeySpki: string;
  publicKeyPem: string;
}

export interface InclusionProof {
  index: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
}

export interface LedgerEntry {
  index: number;
  leafHash: string;
  entry: string;
  recordedAt: string;
}
