import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../api/client.ts';
import type { Session, SessionUser } from '../../api/types.ts';

export const SESSION_KEY = ['session'] as const;

export async function fetchSession(): Promise<Session> {
  const session = await api.get<Session>('/api/v1/auth/session');
  setCsrfToken(session.authenticated ? session.csrfToken : undefined);
  return session;
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}

/** Stores a session returned by login so the header and guards update without another round trip. */
export function applySession(queryClient: QueryClient, session: Session): void {
  setCsrfToken(session.authenticated ? session.csrfToken : undefined);
  queryClient.setQueryData(SESSION_KEY, session);
}

export async function signIn(username: string, password: string): Promise<Session> {
  return api.post<Session>('/api/v1/auth/login', { username, password });
}

export async function signOut(queryClient: QueryClient): Promise<void> {
  await api.post<void>('/api/v1/auth/logout');
  // Drop everything fetched with the old identity before showing the signed-out state.
  queryClient.clear();
  applySession(queryClient, { authenticated: false, oidcEnabled: false });
  await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
}

export function hasPermission(user: SessionUser | undefined, permission: string): boolean {
  return user?.permissions.includes(permission) ?? false;
}

export function isOrganizationAdmin(user: SessionUser | undefined, organizationId: string): boolean {
  return user?.memberships.some((m) => m.organizationId === organizationId && m.role === 'admin') ?? false;
}

export const PERMISSIONS = {
  readUsers: 'users:read',
  manageUsers: 'users:manage',
  manageOrganizations: 'organizations:manage',
  readLedgerEntries: 'ledger:entries:read',
  // Catalog permissions that depend on an institution are held when the user has the role in any one;
  // the server checks the institution itself.
  catalogEdit: 'catalog:edit',
  catalogSubmit: 'catalog:submit',
  catalogReview: 'catalog:review',
  catalogManageOwn: 'catalog:manage-own',
  catalogHarvest: 'catalog:harvest',
} as const;
