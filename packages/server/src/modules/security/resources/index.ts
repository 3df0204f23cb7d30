export { RESOURCE_SECURITY_PERMISSIONS } from './resources.permissions.ts';
export { resourceSecurityRoutes } from './resources.routes.ts';
export {
  createResourceSecurityService,
  DERIVE_JOB,
  type DerivationInput,
  type DerivationView,
  MAX_ROWS_IN_MEMORY,
  type ResourceSecurityService,
  SCAN_JOB,
  type ScanView,
} from './resources.service.ts';
