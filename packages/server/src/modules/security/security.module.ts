import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Ledger } from '../../kernel/audit/index.ts';
import type { Database, Db } from '../../kernel/db/index.ts';
import type { EventBus } from '../../kernel/events/index.ts';
import type { App } from '../../kernel/http/index.ts';
import type { Jobs } from '../../kernel/jobs/index.ts';
import type { Mailer } from '../../kernel/mail/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { DatastoreService } from '../datastore/index.ts';
import type { IdentityService } from '../identity/index.ts';

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
}

/**
 * The security toolkit (Art. 45-48): each area (grading, incidents and transfers, monitoring, discovery and
 * de-identification of resources) adds its service here and its routes to `routes`.
 */
export interface SecurityModule {
  routes(api: App): void;
}

export function createSecurityModule(deps: SecurityDeps): SecurityModule {
  void deps;
  return {
    routes(api) {
      void api;
    },
  };
}
