import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createSecurityGradingTables from './202612030100_create_security_grading_tables.ts';
import * as createSecurityIncidentTables from './202612030200_create_security_incident_tables.ts';
import * as createSecurityTransferTables from './202612030300_create_security_transfer_tables.ts';
import * as createSecurityMonitoringTables from './202612030400_create_security_monitoring_tables.ts';

import * as createSecurityResourceTables from './202612030600_create_security_resource_tables.ts';

// One migration file per area of the module (grading, incidents, monitoring, derived resources).
export const securityMigrations: MigrationSet = {
  '202612030100_create_security_grading_tables': createSecurityGradingTables,
  '202612030200_create_security_incident_tables': createSecurityIncidentTables,
  '202612030300_create_security_transfer_tables': createSecurityTransferTables,
  '202612030400_create_security_monitoring_tables': createSecurityMonitoringTables,
  '202612030600_create_security_resource_tables': createSecurityResourceTables,
};
