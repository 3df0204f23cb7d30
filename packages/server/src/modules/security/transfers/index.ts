export { COUNTRY_CODES, isCountryCode } from './transfers.countries.ts';
export {
  DEFAULT_TRANSFER_RULES,
  type RouteFacts,
  type RouteReason,
  routeFor,
  TRANSFER_ROUTES,
  type TransferRoute,
  type TransferRules,
  type TransferState,
} from './transfers.model.ts';
export { TRANSFER_PERMISSIONS } from './transfers.permissions.ts';
export { transferRoutes } from './transfers.routes.ts';
export {
  createTransferService,
  type RouteAssessment,
  type Transfer,
  type TransferInput,
  type TransferService,
} from './transfers.service.ts';
export type { TransferTables } from './transfers.tables.ts';
