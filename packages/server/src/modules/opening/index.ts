export { openingMigrations } from './migrations/index.ts';
export { CITY_CSV_COLUMNS, cityPlanCsv } from './opening.csv.ts';
export {
  type CityPlan,
  cityDate,
  type ItemProgress,
  type Plan,
  type PlanItem,
  type PlanItemInput,
  type PlanState,
  PROGRESS_KINDS,
} from './opening.model.ts';
export { OPENING_PERMISSIONS } from './opening.permissions.ts';
export { type OpeningRouteDeps, openingRoutes } from './opening.routes.ts';
export {
  createOpeningService,
  type OpeningOrganization,
  type OpeningService,
} from './opening.service.ts';
