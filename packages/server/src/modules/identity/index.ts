export {
  CLIENT_SCOPES,
  CLIENT_TOKEN_PREFIX,
  type ClientService,
  type ClientView,
} from './identity.clients.service.ts';
export { createOidcSignIn, type OidcSignIn } from './identity.oidc.ts';
export { IDENTITY_PERMISSIONS } from './identity.permissions.ts';
export { identityRoutes } from './identity.routes.ts';
export {
  createIdentityService,
  type IdentityService,
  TOKEN_PREFIX,
  type UserView,
} from './identity.service.ts';
export { identityMigrations } from './migrations/index.ts';
