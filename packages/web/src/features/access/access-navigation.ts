import type { SessionUser } from '../../api/types.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { isOperator, mayReadPlans, staffedInstitutions } from './access-roles.ts';

export interface AccessNavItem {
  to: string;
  /** Translation key of the link text. */
  key: string;
  end?: boolean;
}

/**
 * Links to the access and opening pages, only those the user may use: the city plan for everyone; own
 * applications and grants when signed in; the review queue and the plans for an institution's admins and
 * editors; the centre queue for the operator, who reads every plan with the auditors.
 */
export function accessNavItems(
  user: SessionUser | undefined,
  staffed: number,
  now: Date = new Date(),
): AccessNavItem[] {
  // This year's plan, exactly: a prefix match on /opening would also mark the plans pages current.
  const items: AccessNavItem[] = [
    { to: `/opening/${now.getFullYear()}`, key: 'opening.nav.cityPlan', end: true },
  ];
  if (user === undefined) return items;
  items.push({ to: '/access/applications', key: 'access.nav.applications' });
  items.push({ to: '/access/grants', key: 'access.nav.grants' });
  if (staffed > 0) items.push({ to: '/access/review', key: 'access.nav.review' });
  if (isOperator(user)) items.push({ to: '/access/centre', key: 'access.nav.centre' });
  if (mayReadPlans(user, staffed)) items.push({ to: '/opening/plans', key: 'opening.nav.plans' });
  return items;
}

/** The access links for the signed-in user (the institution list is public and cached). */
export function useAccessNavItems(user: SessionUser | undefined): AccessNavItem[] {
  const hasMemberships = (user?.memberships.length ?? 0) > 0;
  const institutions = useInstitutions(hasMemberships);
  return accessNavItems(user, staffedInstitutions(user, institutions.data).length);
}
