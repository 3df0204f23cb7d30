import type { SessionUser } from '../../api/types.ts';
import { myInstitutions, useInstitutions } from './use-catalog-data.ts';

/**
 * How many public institutions the user belongs to, for the "My catalog" menu entry. The institution
 * list is only fetched for users with memberships (it is public and cached).
 */
export function useMyInstitutionCount(user: SessionUser | undefined): number {
  const hasMemberships = (user?.memberships.length ?? 0) > 0;
  const institutions = useInstitutions(hasMemberships);
  return hasMemberships ? myInstitutions(user, institutions.data).length : 0;
}
