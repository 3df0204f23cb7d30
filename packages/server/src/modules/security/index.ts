export { securityMigrations } from './migrations/index.ts';
export {
  createSecurityModule,
  type SecurityDeps,
  type SecurityModule,
} from './security.module.ts';
