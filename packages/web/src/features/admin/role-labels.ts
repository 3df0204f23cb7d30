import type { TFunction } from 'i18next';
import { PLATFORM_ROLES, type PlatformRole } from '../../api/types.ts';

function isPlatformRole(role: string): role is PlatformRole {
  return (PLATFORM_ROLES as readonly string[]).includes(role);
}

/** Translated role name; a role the web app does not know yet is shown as the server names it. */
export function roleLabel(t: TFunction, role: string): string {
  return isPlatformRole(role) ? t(`platformRoles.${role}`) : role;
}

/** Permission names such as `ledger:entries:read` are shown with a translation when we have one. */
export function permissionLabel(t: TFunction, permission: string): string {
  const key = `permissions.${permission.replaceAll(':', '_')}`;
  return t(key, { defaultValue: permission });
}
