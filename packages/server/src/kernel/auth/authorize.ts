import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { decide, type ResourceContext } from './permissions.ts';

/** Throws 401 or 403 unless `actor` may do `permission` (on `resource`, when given). */
export function requirePermission(actor: Actor, permission: string, resource?: ResourceContext): void {
  const decision = decide(actor, permission, resource);
  if (decision === 'unauthenticated') throw new UnauthenticatedError();
  if (decision === 'forbidden') throw new ForbiddenError(`You do not have the permission "${permission}".`);
}

export function can(actor: Actor, permission: string, resource?: ResourceContext): boolean {
  return decide(actor, permission, resource) === 'allow';
}
