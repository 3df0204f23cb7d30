import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Ledger } from '../../kernel/audit/index.ts';
import { systemActor } from '../../kernel/auth/index.ts';
import type { Database, Db } from '../../kernel/db/index.ts';
import type { EventBus } from '../../kernel/events/index.ts';
import type { App } from '../../kernel/http/index.ts';
import type { Jobs } from '../../kernel/jobs/index.ts';
import type { Mailer } from '../../kernel/mail/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { DatastoreService } from '../datastore/index.ts';
import type { IdentityService } from '../identity/index.ts';
import {
  createGradingService,
  EMPTY_COUNTS,
  type GradingService,
  gradingRoutes,
  type SecurityCounts,
} from './grading/index.ts';
import {
  createIncidentService,
  INCIDENT_LETTER_JOB,
  type IncidentService,
  incidentRoutes,
} from './incidents/index.ts';
import {
  createMonitoringService,
  type MonitoringService,
  monitoringRoutes,
  tokenUseRecorder,
} from './monitoring/index.ts';
import {
  createResourceSecurityService,
  type ResourceSecurityService,
  resourceSecurityRoutes,
} from './resources/index.ts';
import { createTransferService, type TransferService, transferRoutes } from './transfers/index.ts';

/** What the security module takes from the platform. */
export interface SecurityDeps {
  db: Db;
  kysely: Kysely<Database>;
  ledger: Ledger;
  jobs: Jobs;
  events: EventBus;
  mailer: Mailer;
  catalog: CatalogService;
  datastore: DatastoreService;
  identity: IdentityService;
  logger: Logger;
  publicUrl: string | undefined;
  /** Open alerts and incidents per organisation for the security dashboard (none until wired). */
  counts?: SecurityCounts;
}

/**
 * The security toolkit (Art. 45-48): each area (grading, incidents and transfers, monitoring, discovery and
 * de-identification of resources) adds its service here and its routes to `routes`.
 */
export interface SecurityModule {
  routes(api: App): void;
  /** Called by the platform on every answered request: records where each API token is used from. */
  observeRequest(request: FastifyRequest): void;
  /** Grading by GB/T 43697-2024, officers, the important-data catalog and the security dashboard. */
  grading: GradingService;
  /** Scans, risk assessments and de-identified derivations of data tables. */
  resources: ResourceSecurityService;
  /** Monitoring and early warning over the access log: rules, thresholds, alerts. */
  monitoring: MonitoringService;
  /** Data security incidents: severity, reporting deadlines, timeline, tasks, letters (Art. 48; PIPL Art. 57). */
  incidents: IncidentService;
  /** Cross-border transfer requests, their route and impact assessments (Art. 48). */
  transfers: TransferService;
}

export function createSecurityModule(deps: SecurityDeps): SecurityModule {
  // Incidents and transfers name organisations by id; the list is short and read per request.
  const securityOrganizations = async () =>
    (await deps.identity.listOrganizations(undefined, 0, 10_000)).items.map((o) => ({
      id: o.id,
      name: o.name,
      nameEn: o.nameEn ?? null,
    }));
  const incidents = createIncidentService({
    db: deps.kysely,
    ledger: deps.ledger,
    jobs: deps.jobs,
    mailer: deps.mailer,
    catalog: deps.catalog,
    organizations: securityOrganizations,
  });
  deps.jobs.register(INCIDENT_LETTER_JOB, incidents.runLetter);
  const transfers = createTransferService({
    db: deps.kysely,
    ledger: deps.ledger,
    catalog: deps.catalog,
    organizations: securityOrganizations,
  });
  const grading = createGradingService({
    db: deps.kysely,
    ledger: deps.ledger,
    catalog: deps.catalog,
    identity: deps.identity,
    counts: deps.counts ?? {
      ...EMPTY_COUNTS,
      incidents: () => incidents.openCounts(),
      // Made below; the dashboard asks only once requests arrive.
      alerts: () => monitoring.openAlertCounts(),
    },
  });
  const resources = createResourceSecurityService({
    db: deps.kysely,
    ledger: deps.ledger,
    jobs: deps.jobs,
    catalog: deps.catalog,
    datastore: deps.datastore,
  });
  resources.registerJobs();
  const monitoring = createMonitoringService({
    db: deps.kysely,
    ledger: deps.ledger,
    jobs: deps.jobs,
    mailer: deps.mailer,
    catalog: deps.catalog,
    datastore: deps.datastore,
    identity: deps.identity,
    logger: deps.logger.child({ area: 'monitoring' }),
    publicUrl: deps.publicUrl,
    // Alerts also go to the institution's designated security officer, where one is appointed.
    officers: async (organizationId) => {
      const current = await grading.officers(systemActor('security-monitoring'), organizationId);
      return current.securityOfficer === null ? [] : [current.securityOfficer.userId];
    },
  });
  monitoring.setEscalation(incidents.fromAlert);
  return {
    incidents,
    transfers,
    grading,
    resources,
    monitoring,
    observeRequest: tokenUseRecorder(monitoring),
    routes(api) {
      gradingRoutes(api, grading);
      resourceSecurityRoutes(api, resources);
      monitoringRoutes(api, monitoring);
      incidentRoutes(api, { incidents });
      transferRoutes(api, { transfers });
    },
  };
}
