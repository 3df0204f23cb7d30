import type { SessionUser } from '../../api/types.ts';
import { hasPermission, PERMISSIONS } from '../auth/session.ts';

/** Every module the regulation calls for, in the order of MISSION.md; the server says which are live. */
export const KNOWN_MODULES = [
  'ledger',
  'identity',
  'catalog',
  'datastore',
  'sharing',
  'opening',
  'zones',
  'exchange',
  'security',
  'statistics',
  'city',
] as const;
export type KnownModule = (typeof KNOWN_MODULES)[number];

/** Server-side plumbing the server also reports as modules; nothing for a citizen to open. */
export const INTERNAL_MODULES: readonly string[] = ['jobs'];

/** The API contract first called the identity module "admin"; both names mean the same thing. */
export function canonicalModuleId(id: string): string {
  return id === 'admin' ? 'identity' : id;
}

export function isKnownModule(id: string): id is KnownModule {
  return (KNOWN_MODULES as readonly string[]).includes(id);
}

/** Where a live module's page is, if this user may open it. */
export function moduleLink(id: string, user: SessionUser | undefined): string | undefined {
  if (id === 'ledger' && hasPermission(user, PERMISSIONS.readLedgerEntries)) return '/audit';
  if (id === 'catalog') return '/catalog';
  if (canonicalModuleId(id) === 'identity') {
    if (hasPermission(user, PERMISSIONS.manageOrganizations)) return '/admin/organizations';
    if (hasPermission(user, PERMISSIONS.manageUsers)) return '/admin/users';
  }
  return undefined;
}
