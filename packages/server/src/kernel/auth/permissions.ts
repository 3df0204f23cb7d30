import type { Actor, OrgRole, PlatformRole } from './actor.ts';

/**
 * Who may do an action. Rules are data, so that the route walk test and the docs can read them;
 * `resource` rules look at the object the action touches (an organisation, an owner).
 */
export type PermissionRule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; platformRoles: readonly PlatformRole[] }
  | {
      kind: 'resource';
      /** Platform roles that may act on any resource of this kind. */
      platformRoles: readonly PlatformRole[];
      /** Organisation roles that may act on resources of their own organisation. */
      orgRoles: readonly OrgRole[];
      /** The owner (a user id on the resource) may act. */
      owner: boolean;
    };

export interface PermissionDefinition {
  id: string;
  description: string;
  rule: PermissionRule;
}

/** What a resource-scoped check looks at. */
export interface ResourceContext {
  organizationId?: string;
  ownerUserId?: string;
}

/** What a route declares when it needs no permission at all. */
export const PUBLIC = 'public';

const registry = new Map<string, PermissionDefinition>();

/** Modules declare their permissions once at import time; ids are `area:action`. */
export function definePermissions(definitions: readonly PermissionDefinition[]): void {
  for (const def of definitions) {
    const existing = registry.get(def.id);
    if (existing !== undefined && existing !== def) {
      throw new Error(`Permission ${def.id} is defined twice.`);
    }
    registry.set(def.id, def);
  }
}

export function getPermission(id: string): PermissionDefinition | undefined {
  return registry.get(id);
}

export function allPermissions(): PermissionDefinition[] {
  return [...registry.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden';

function ruleDecision(
  actor: Actor,
  rule: PermissionRule,
  resource: ResourceContext | undefined,
): AccessDecision {
  if (rule.kind === 'public') return 'allow';
  if (actor.kind === 'system') return 'allow';
  if (actor.kind === 'anonymous') return 'unauthenticated';
  if (rule.kind === 'authenticated') return 'allow';
  if (actor.platformRoles.some((role) => rule.platformRoles.includes(role))) return 'allow';
  if (rule.kind === 'roles') return 'forbidden';
  // Resource rules: without a resource, say whether the actor could act on *some* resource, so a
  // route can let organisation admins through to the service, which then checks the real resource.
  if (resource === undefined) {
    const anyOrgRole = [...actor.memberships.values()].some((role) => rule.orgRoles.includes(role));
    return anyOrgRole || rule.owner ? 'allow' : 'forbidden';
  }
  if (resource.organizationId !== undefined) {
    const role = actor.memberships.get(resource.organizationId);
    if (role !== undefined && rule.orgRoles.includes(role)) return 'allow';
  }
  if (rule.owner && resource.ownerUserId !== undefined && resource.ownerUserId === actor.userId)
    return 'allow';
  return 'forbidden';
}

/**
 * The one function that decides every action. Deny by default: an unknown permission is refused, and
 * an API token may use only the permissions it was created with.
 */
export function decide(actor: Actor, permissionId: string, resource?: ResourceContext): AccessDecision {
  if (permissionId === PUBLIC) return 'allow';
  const permission = registry.get(permissionId);
  if (permission === undefined) return actor.kind === 'anonymous' ? 'unauthenticated' : 'forbidden';
  const decision = ruleDecision(actor, permission.rule, resource);
  if (decision !== 'allow' || actor.kind !== 'user' || actor.scopes === undefined) return decision;
  if (permission.rule.kind === 'public') return 'allow';
  return actor.scopes.includes(permissionId) ? 'allow' : 'forbidden';
}

/** The permissions an actor holds on some resource: what the web app shows and tokens may be scoped to. */
export function permissionsOf(actor: Actor): string[] {
  return allPermissions()
    .filter((p) => p.rule.kind !== 'public' && decide(actor, p.id) === 'allow')
    .map((p) => p.id);
}
