export { reportMarkdown } from './incidents.export.ts';
export { type ComposedLetter, composeLetter } from './incidents.letter.ts';
export {
  DEFAULT_INCIDENT_RULES,
  deadlineFor,
  INCIDENT_KINDS,
  INCIDENT_STATES,
  type IncidentKind,
  type IncidentRules,
  type IncidentState,
  isOverdue,
  type NoticeFields,
  proposeSeverity,
  SEVERITIES,
  type Severity,
} from './incidents.model.ts';
export { INCIDENT_PERMISSIONS } from './incidents.permissions.ts';
export { incidentRoutes } from './incidents.routes.ts';
export {
  createIncidentService,
  INCIDENT_LETTER_JOB,
  type Incident,
  type IncidentChanges,
  type IncidentDetail,
  type IncidentService,
  type OpenIncidentInput,
} from './incidents.service.ts';
export type { IncidentTables } from './incidents.tables.ts';
