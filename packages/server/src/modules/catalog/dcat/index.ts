export {
  DCAT_AP_3_CONTEXT,
  isDcatApContextUrl,
  OfflineContextError,
  offlineDocumentLoader,
} from './dcat.context.ts';
export {
  catalogIri,
  catalogQuads,
  DCAT_FORMATS,
  DCAT_MEDIA_TYPES,
  type DcatContext,
  type DcatFormat,
  dataServiceIri,
  datasetIri,
  distributionIri,
  negotiateDcatFormat,
  organizationIri,
  recordQuads,
  serializeCatalog,
  serializeRecord,
  themeConceptIri,
} from './dcat.export.ts';
export {
  type HarvestedMetadata,
  type HarvestedRecord,
  type HarvestParseOptions,
  type HarvestParseResult,
  type HarvestSkip,
  parseDcat,
} from './dcat.import.ts';
export type { HarvestFormat } from './dcat.parse.ts';
export * from './dcat.vocabularies.ts';
