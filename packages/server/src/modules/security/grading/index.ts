export { IMPORTANT_DATA_CSV_COLUMNS, importantDataCsv } from './grading.csv.ts';
export {
  type DatasetGrading,
  DEFAULT_MATRIX,
  deriveLevels,
  type FieldGrading,
  type GradingMatrix,
  type GradingState,
  HARMS,
  type Harm,
  IMPACT_OBJECTS,
  type ImpactObject,
  levelOf,
  matrixProblems,
  OFFICER_ROLES,
  type OfficerRole,
  type ScannerProposal,
} from './grading.model.ts';
export { GRADING_PERMISSIONS } from './grading.permissions.ts';
export { gradingRoutes } from './grading.routes.ts';
export {
  createGradingService,
  EMPTY_COUNTS,
  type GradingDeps,
  type GradingService,
  type SecurityCounts,
} from './grading.service.ts';
