export { MONITORING_PERMISSIONS } from './monitoring.permissions.ts';
export { monitoringRoutes, tokenUseRecorder } from './monitoring.routes.ts';
export {
  DEFAULT_THRESHOLDS,
  type MonitoringRule,
  OUTSIDE_TERMS,
  RULES as MONITORING_RULES,
  type Thresholds as MonitoringThresholds,
} from './monitoring.rules.ts';
export {
  ALERT_MAIL_JOB,
  type AlertView,
  createMonitoringService,
  type EscalateAlert,
  type MonitoringDeps,
  type MonitoringService,
  type RunReport,
} from './monitoring.service.ts';
