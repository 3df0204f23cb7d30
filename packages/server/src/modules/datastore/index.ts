export { datastoreCkanActions } from './datastore.ckan.ts';
export type {
  ReadOptions,
  SourceFormat,
  TableField,
  TableFieldType,
  TableSchema,
  ValidationError as TableValidationError,
  ValidationReport,
} from './datastore.model.ts';
export { DATASTORE_PERMISSIONS } from './datastore.permissions.ts';
export {
  type GrantOperation,
  type ReadDecision,
  type ReadGrant,
  type RowAccess,
  rowAccess,
} from './datastore.policy.ts';
export { datastoreRoutes } from './datastore.routes.ts';
export {
  createDatastoreService,
  type DatastoreService,
  LOAD_JOB,
  type ResourceView,
} from './datastore.service.ts';
export { datastoreMigrations } from './migrations/index.ts';
export { isReadError, openTableSource } from './tabular/index.ts';
