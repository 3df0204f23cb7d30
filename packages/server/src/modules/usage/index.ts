export { usageMigrations } from './migrations/index.ts';
export { USAGE_PERMISSIONS } from './usage.permissions.ts';
export { usageRoutes } from './usage.routes.ts';
export {
  type CallerKind,
  cityDay,
  createUsageService,
  type UsageChannel,
  type UsageEvent,
  type UsageService,
} from './usage.service.ts';
export type { UsageTables } from './usage.tables.ts';
