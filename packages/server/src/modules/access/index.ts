export type { MailLanguage } from './access.mail-text.ts';
export type {
  ApplicantKind,
  Application,
  ApplicationKind,
  ApplicationState,
  Grant,
  GrantScope,
  GrantState,
  HeldGrant,
  Notification,
  NotificationKind,
  Operation,
} from './access.model.ts';
export { ACCESS_PERMISSIONS } from './access.permissions.ts';
export { accessRoutes } from './access.routes.ts';
export {
  ACCESS_MAIL_JOB,
  type AccessDeps,
  type AccessDirectory,
  type AccessService,
  createAccessService,
  type DirectoryOrganization,
} from './access.service.ts';
export { USAGE_TERMS, type UsageTerms } from './access.terms.ts';
export { accessMigrations } from './migrations/index.ts';
