// De-identification and re-identification risk: a pure engine over in-memory tables (no database, no HTTP).
export { DeidError, type DeidErrorCode, isDeidError } from './errors.ts';
export {
  checkTree,
  dateHierarchy,
  type Hierarchy,
  missingValues,
  numericRangeHierarchy,
  parseHierarchyCsv,
  regionHierarchy,
} from './hierarchy.ts';
export {
  assessRisk,
  DEFAULT_SCENARIO_THRESHOLDS,
  type RecordRisk,
  type RiskOptions,
  type RiskReport,
  type RiskThresholds,
  SCENARIOS,
  type Scenario,
} from './risk.ts';
export { LOSS_METRIC, type SearchOptions, type SearchResult, searchOptimal } from './search.ts';
export type { Table } from './table.ts';
export {
  applyPlan,
  type DeidLineage,
  type DeidPlan,
  type DeidResult,
  type DeidSecrets,
  type FieldLineage,
  type Transform,
} from './transform.ts';
