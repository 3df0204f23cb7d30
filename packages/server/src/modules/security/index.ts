export * from './deid/index.ts';
export * from './discovery/index.ts';
export {
  DEFAULT_MATRIX,
  deriveLevels,
  GRADING_PERMISSIONS,
  type GradingMatrix,
  type GradingService,
  HARMS,
  IMPACT_OBJECTS,
  type SecurityCounts,
} from './grading/index.ts';
export {
  DEFAULT_INCIDENT_RULES,
  INCIDENT_PERMISSIONS,
  type Incident,
  type IncidentDetail,
  type IncidentRules,
  type IncidentService,
  type OpenIncidentInput,
  type Severity as IncidentSeverity,
} from './incidents/index.ts';
export { securityMigrations } from './migrations/index.ts';
export {
  ALERT_MAIL_JOB,
  type AlertView,
  DEFAULT_THRESHOLDS as MONITORING_DEFAULT_THRESHOLDS,
  type EscalateAlert,
  MONITORING_PERMISSIONS,
  type MonitoringService,
  type MonitoringThresholds,
} from './monitoring/index.ts';
export {
  createSecurityModule,
  type SecurityDeps,
  type SecurityModule,
} from './security.module.ts';
export {
  DEFAULT_TRANSFER_RULES,
  routeFor as transferRouteFor,
  TRANSFER_PERMISSIONS,
  type Transfer,
  type TransferRoute,
  type TransferRules,
  type TransferService,
} from './transfers/index.ts';
