import { api } from '../../api/client.ts';
import type { Member, MemberRole, Organization, OrganizationKind, Page, User } from '../../api/types.ts';

export interface ListParams {
  offset: number;
  limit: number;
  q: string;
}

export interface NewOrganization {
  code: string;
  name: string;
  nameEn?: string;
  kind: OrganizationKind;
  creditCode: string;
}

export interface OrganizationChanges {
  name?: string;
  nameEn?: string | null;
  creditCode?: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  email?: string;
  password: string;
  platformRoles: string[];
}

export interface UserChanges {
  displayName?: string;
  email?: string | null;
  platformRoles?: string[];
  disabled?: boolean;
  password?: string;
}

const org = (id: string) => `/api/v1/organizations/${encodeURIComponent(id)}`;

export const adminApi = {
  listOrganizations: (p: ListParams, signal?: AbortSignal) =>
    api.get<Page<Organization>>('/api/v1/organizations', { ...p }, signal),
  getOrganization: (id: string, signal?: AbortSignal) => api.get<Organization>(org(id), undefined, signal),
  createOrganization: (body: NewOrganization) => api.post<Organization>('/api/v1/organizations', body),
  updateOrganization: (id: string, body: OrganizationChanges) => api.patch<Organization>(org(id), body),
  listMembers: (id: string, signal?: AbortSignal) =>
    api.get<{ items: Member[] }>(`${org(id)}/members`, undefined, signal).then((r) => r.items),
  setMember: (id: string, userId: string, role: MemberRole) =>
    api.put<Member>(`${org(id)}/members/${encodeURIComponent(userId)}`, { role }),
  addMemberByUsername: (id: string, username: string, role: MemberRole) =>
    api.post<Member>(`${org(id)}/members`, { username, role }),
  removeMember: (id: string, userId: string) =>
    api.delete(`${org(id)}/members/${encodeURIComponent(userId)}`),
  listUsers: (p: ListParams, signal?: AbortSignal) => api.get<Page<User>>('/api/v1/users', { ...p }, signal),
  createUser: (body: NewUser) => api.post<User>('/api/v1/users', body),
  updateUser: (id: string, body: UserChanges) =>
    api.patch<User>(`/api/v1/users/${encodeURIComponent(id)}`, body),
};

/** Drops empty optional strings so PATCH/POST bodies carry only what the operator filled in. */
export function withoutEmpty<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && v.trim() === '') continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
