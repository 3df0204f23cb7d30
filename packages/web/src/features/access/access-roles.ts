import type { SessionUser } from '../../api/types.ts';
import type { Institution } from '../catalog/catalog-types.ts';

export function isOperator(user: SessionUser | undefined): boolean {
  return user?.platformRoles.includes('operator') ?? false;
}

/**
 * Organisations whose applications and plans this user works on: where they are admin or editor. Public
 * institutions and companies alike, since companies publish and open their own data too (Art. 18 ¶2).
 */
export function staffedInstitutions(
  user: SessionUser | undefined,
  institutions: Institution[] | undefined,
): Institution[] {
  if (user === undefined || institutions === undefined) return [];
  const mine = new Set(
    user.memberships.filter((m) => m.role === 'admin' || m.role === 'editor').map((m) => m.organizationId),
  );
  return institutions.filter((o) => mine.has(o.id));
}

/** Is the user a member (any role) of at least one public institution? Sharing is for them (Art. 17). */
export function isInstitutionMember(
  user: SessionUser | undefined,
  institutions: Institution[] | undefined,
): boolean {
  if (user === undefined || institutions === undefined) return false;
  const ids = new Set(institutions.filter((o) => o.kind === 'institution').map((o) => o.id));
  return user.memberships.some((m) => ids.has(m.organizationId));
}

/** Plans are read by their institutions' staff and by the operator and auditors (who see them all). */
export function mayReadPlans(user: SessionUser | undefined, staffed: number): boolean {
  if (user === undefined) return false;
  return staffed > 0 || user.platformRoles.some((r) => r === 'operator' || r === 'auditor');
}

/** Route guard: admins and editors of any organisation may open the review queue (the server scopes it). */
export function isReviewer(user: SessionUser): boolean {
  return user.memberships.some((m) => m.role === 'admin' || m.role === 'editor');
}

/** Route guard for the plan pages: members of an organisation, the operator and auditors. */
export function mayOpenPlans(user: SessionUser): boolean {
  return user.memberships.length > 0 || user.platformRoles.some((r) => r === 'operator' || r === 'auditor');
}
