export {
  type Actor,
  ANONYMOUS,
  type AnonymousActor,
  actorRef,
  MEMBER_ROLES,
  type OrgRole,
  PLATFORM_ROLES,
  type PlatformRole,
  type SystemActor,
  systemActor,
  type UserActor,
} from './actor.ts';
export { can, requirePermission } from './authorize.ts';
export {
  type AccessDecision,
  allPermissions,
  decide,
  definePermissions,
  getPermission,
  type PermissionDefinition,
  type PermissionRule,
  permissionsOf,
  type ResourceContext,
} from './permissions.ts';
export {
  fingerprintOfHashKey,
  randomSecret,
  safeEqual,
  secretFingerprint,
  secretHash,
  secretHashKey,
} from './secrets.ts';
