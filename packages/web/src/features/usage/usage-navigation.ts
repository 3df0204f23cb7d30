import type { SessionUser } from '../../api/types.ts';
import type { AccessNavItem } from '../access/access-navigation.ts';
import type { Institution } from '../catalog/catalog-types.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { maySeeSharing } from '../sharing/sharing-console.ts';
import { mayReadUsage } from './usage-view.ts';

/**
 * Links to the usage view (members of any organisation; the operator, auditors and statisticians) and to
 * the sharing console (admins of a public institution; the operator).
 */
export function usageNavItems(
  user: SessionUser | undefined,
  institutions: readonly Institution[] | undefined,
): AccessNavItem[] {
  const items: AccessNavItem[] = [];
  if (mayReadUsage(user)) items.push({ to: '/usage', key: 'usage.nav.usage' });
  if (maySeeSharing(user, institutions)) items.push({ to: '/sharing', key: 'clients.nav.sharing' });
  return items;
}

/** The usage and sharing links for the signed-in user (the institution list is public and cached). */
export function useUsageNavItems(user: SessionUser | undefined): AccessNavItem[] {
  const hasMemberships = (user?.memberships.length ?? 0) > 0;
  const institutions = useInstitutions(hasMemberships);
  return usageNavItems(user, institutions.data);
}
