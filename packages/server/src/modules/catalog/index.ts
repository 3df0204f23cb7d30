export {
  type DcatRouteDeps,
  dcatApiRoutes,
  dcatRootRoutes,
  sendEntriesCatalog,
} from './catalog.dcat.routes.ts';
export {
  HARVEST_JOB,
  type HarvestPayload,
  type HarvestReport,
  harvest,
  registerHarvestJob,
} from './catalog.harvest.ts';
export {
  type CatalogRecord,
  type ContactPoint,
  type Distribution,
  derivedGrade,
  type EntryMetadata,
  type FieldType,
  GRADES,
  type Grade,
  gradeRank,
  higherGrade,
  type InformationItem,
  type LocalizedText,
  type OpenType,
  type PersonalInfo,
  type ResourceClassification,
  type ShareType,
  type UpdateCycle,
} from './catalog.model.ts';
export { CATALOG_PERMISSIONS } from './catalog.permissions.ts';
export { DEFAULT_PROFILE, languageOf, validateEntry } from './catalog.profile.ts';
export { catalogRoutes } from './catalog.routes.ts';
export {
  type CatalogOrganization,
  type CatalogService,
  createCatalogService,
  type EntryAccessFacts,
  type GradingSubject,
  type OpeningHistory,
} from './catalog.service.ts';
export { type CkanAction, ckanRoutes, params as ckanParams } from './ckan/ckan.routes.ts';
export { DCAT_FORMATS, type DcatFormat, parseDcat, serializeCatalog } from './dcat/index.ts';
export { catalogMigrations } from './migrations/index.ts';
