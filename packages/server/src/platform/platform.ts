import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import {
  createLedger,
  type Ledger,
  ledgerMigrations,
  ledgerRoutes,
  loadOrCreateSigningKey,
  VERIFY_JOB,
} from '../kernel/audit/index.ts';
import { ANONYMOUS } from '../kernel/auth/index.ts';
import type { Config } from '../kernel/config/index.ts';
import {
  createDb,
  type Db,
  type MigrationSource,
  migrateToLatest,
  pendingMigrations,
} from '../kernel/db/index.ts';
import { UnauthenticatedError } from '../kernel/errors.ts';
import { createEventBus } from '../kernel/events/index.ts';
import {
  type App,
  cookieValue,
  createHttpServer,
  type ResolvedIdentity,
  SESSION_COOKIE,
} from '../kernel/http/index.ts';
import { createJobs, type Jobs, jobsMigrations, jobsRoutes } from '../kernel/jobs/index.ts';
import { createMailer } from '../kernel/mail/index.ts';
import { createMetrics } from '../kernel/metrics/index.ts';
import { type BlobStore, createLocalBlobStore, createS3BlobStore } from '../kernel/storage/index.ts';
import {
  ACCESS_MAIL_JOB,
  type AccessService,
  accessMigrations,
  accessRoutes,
  createAccessService,
} from '../modules/access/index.ts';
import {
  type CatalogService,
  catalogMigrations,
  catalogRoutes,
  ckanRoutes,
  createCatalogService,
  dcatApiRoutes,
  dcatRootRoutes,
  registerHarvestJob,
} from '../modules/catalog/index.ts';
import {
  createDatastoreService,
  type DatastoreService,
  datastoreCkanActions,
  datastoreMigrations,
  datastoreRoutes,
  LOAD_JOB,
} from '../modules/datastore/index.ts';
import {
  createIdentityService,
  createOidcSignIn,
  type IdentityService,
  identityMigrations,
  identityRoutes,
  TOKEN_PREFIX,
} from '../modules/identity/index.ts';
import {
  createOpeningService,
  type OpeningService,
  openingMigrations,
  openingRoutes,
} from '../modules/opening/index.ts';
import { createSecurityModule, type SecurityModule, securityMigrations } from '../modules/security/index.ts';
import {
  createUsageService,
  type UsageService,
  usageMigrations,
  usageRoutes,
} from '../modules/usage/index.ts';
import { accessDirectory } from './access-directory.ts';
import { seedDemoCatalog } from './demo-catalog-seed.ts';
import { seedDemoDatastore } from './demo-datastore-seed.ts';
import { seedDemoOpening } from './demo-opening-seed.ts';
import { seedDemoSecurity } from './demo-security-seed.ts';
import { type DemoCredentials, seedDemo } from './demo-seed.ts';
import { logDestination } from './log-destination.ts';
import { metricsRoute, systemRoutes } from './system.routes.ts';

export const VERSION = '0.1.0';

/** The organisation that runs the platform: the publisher of the DCAT catalog. */
const CATALOG_PUBLISHER = 'bjbdc';

/** Every module's migrations, in the order modules were added. */
export const MIGRATIONS: MigrationSource[] = [
  { module: 'ledger', migrations: ledgerMigrations },
  { module: 'jobs', migrations: jobsMigrations },
  { module: 'identity', migrations: identityMigrations },
  { module: 'catalog', migrations: catalogMigrations },
  { module: 'datastore', migrations: datastoreMigrations },
  { module: 'access', migrations: accessMigrations },
  { module: 'opening', migrations: openingMigrations },
  { module: 'usage', migrations: usageMigrations },
  { module: 'security', migrations: securityMigrations },
];

export interface Platform {
  config: Config;
  logger: Logger;
  db: Db;
  ledger: Ledger;
  jobs: Jobs;
  identity: IdentityService;
  catalog: CatalogService;
  datastore: DatastoreService;
  access: AccessService;
  opening: OpeningService;
  usage: UsageService;
  security: SecurityModule;
  app: App;
  /** Demo users and passwords when this start loaded the demo city (printed once by `serve`). */
  seedIfEmpty(options?: { catalog?: boolean }): Promise<DemoCredentials[] | undefined>;
  /** Listens on config.host:port and starts the job worker and the tree-head signer. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  logger?: Logger;
  /** An already open database (tests); otherwise one is opened from the configuration. */
  db?: Db;
  /** Registers extra job handlers before the worker starts (tests, modules added later). */
  registerJobs?: (jobs: Jobs, platform: { ledger: Ledger; db: Db }) => void;
}

/** JSON lines to stdout (or `file`), buffered (see logDestination). */
export function createLogger(config: Config, file?: string): Logger {
  return pino(
    {
      level: config.logLevel,
      // Credentials never reach the logs, whatever a handler logs.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          'password',
        ],
        censor: '[redacted]',
      },
    },
    logDestination(file),
  );
}

export async function openDb(config: Config): Promise<Db> {
  return config.databaseUrl === undefined
    ? createDb({ kind: 'pglite', dataDir: config.dataDir })
    : createDb({ kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize });
}

/** The local folder, or an S3-compatible bucket with the folder's `cache` subfolder for local copies. */
function createBlobStore(config: Config): BlobStore {
  if (config.s3 === undefined) return createLocalBlobStore(config.storageDir);
  return createS3BlobStore({ ...config.s3, cacheDir: join(config.storageDir, 'cache') });
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const logger = options.logger ?? createLogger(config);
  const db = options.db ?? (await openDb(config));
  try {
    const applied = await migrateToLatest(db.kysely, MIGRATIONS);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  } catch (error) {
    if (options.db === undefined) await db.close();
    throw error;
  }
  const signingKey = loadOrCreateSigningKey(config.ledgerSigningKeyPem, config.dataDir);
  const ledger = createLedger({ db: db.kysely, signingKey });
  const jobs = createJobs({
    db: db.kysely,
    logger: logger.child({ component: 'jobs' }),
    singleProcess: db.capabilities.singleProcess,
    pollMs: config.jobs.pollMs,
    leaseSeconds: config.jobs.leaseSeconds,
    concurrency: config.jobs.concurrency,
  });
  const events = createEventBus(db, logger.child({ component: 'events' }));
  const identity = createIdentityService({
    db: db.kysely,
    ledger,
    events,
    authCacheSeconds: config.authCacheSeconds,
    sessionTtlHours: config.sessionTtlHours,
    loginMaxFailures: config.loginMaxFailures,
    loginWindowMinutes: config.loginWindowMinutes,
    clientTokenTtlSeconds: config.clientTokenTtlSeconds,
  });

  const pool = db.pool;
  const catalog = createCatalogService({
    db: db.kysely,
    ledger,
    ...(pool === undefined
      ? {}
      : {
          spareConnection: () =>
            pool.waitingCount === 0 && (pool.idleCount > 0 || pool.totalCount < (pool.options.max ?? 10)),
        }),
    outboundAllowPrivate: config.outboundAllowPrivate,
    organizations: async () => {
      const page = await identity.listOrganizations(undefined, 0, 10_000);
      return page.items.map((o) => ({
        id: o.id,
        code: o.code,
        name: o.name,
        ...(o.nameEn === undefined || o.nameEn === null ? {} : { nameEn: o.nameEn }),
        creditCode: o.creditCode,
        kind: o.kind,
      }));
    },
  });

  const usage = createUsageService({
    db: db.kysely,
    catalog,
    organizations: async () => {
      const page = await identity.listOrganizations(undefined, 0, 10_000);
      return new Map(page.items.map((o) => [o.id, { kind: o.kind, name: o.name }]));
    },
  });

  const datastore = createDatastoreService({
    db,
    ledger,
    jobs,
    store: createBlobStore(config),
    catalog,
    organizationKinds: async () => {
      const page = await identity.listOrganizations(undefined, 0, 10_000);
      return new Map(page.items.map((o) => [o.id, o.kind]));
    },
    // The access service is made below; grants are asked for only once requests arrive.
    grants: (actor, entryCode) => access.grantsOf(actor, entryCode),
    usage,
    events,
    uploadLimitBytes: config.uploadLimitBytes,
    outboundAllowPrivate: config.outboundAllowPrivate,
  });

  const opening = createOpeningService({
    db: db.kysely,
    ledger,
    catalog,
    organizations: async () => {
      const page = await identity.listOrganizations(undefined, 0, 10_000);
      return page.items.map((o) => ({ id: o.id, code: o.code, name: o.name, nameEn: o.nameEn }));
    },
  });

  const mailer = createMailer({ url: config.mail.smtpUrl, from: config.mail.from });
  const access = createAccessService({
    db: db.kysely,
    ledger,
    jobs,
    catalog,
    directory: accessDirectory(identity),
    mailer,
    reviewDays: config.accessReviewDays,
    publicUrl: config.publicUrl,
    events,
  });

  const security = createSecurityModule({
    db,
    kysely: db.kysely,
    ledger,
    jobs,
    events,
    mailer,
    catalog,
    datastore,
    identity,
    logger: logger.child({ component: 'security' }),
    publicUrl: config.publicUrl,
  });

  // Subscriptions are made by the services above; listening starts once they all are.
  await events.start();

  jobs.register(VERIFY_JOB, async (ctx) => {
    const report = await ledger.verify((done, total) => {
      void ctx.progress(done, total, 'verifying entries').catch(() => undefined);
    });
    return report;
  });
  registerHarvestJob(jobs, catalog, { allowPrivate: config.outboundAllowPrivate });
  jobs.register(LOAD_JOB, datastore.runLoad);
  jobs.register(ACCESS_MAIL_JOB, access.runMail);
  options.registerJobs?.(jobs, { ledger, db });

  const metrics = createMetrics({
    jobQueue: () => jobs.queueDepth(),
    pool: () =>
      db.pool === undefined
        ? undefined
        : { total: db.pool.totalCount, idle: db.pool.idleCount, waiting: db.pool.waitingCount },
    ledgerSize: () => ledger.size(),
  });

  const anonymous: ResolvedIdentity = { actor: ANONYMOUS, sessionCsrf: undefined };

  /** Synchronous for anonymous callers and cached tokens; a promise when the database must be asked. */
  function resolveIdentity(
    request: FastifyRequest,
    route: string,
  ): ResolvedIdentity | Promise<ResolvedIdentity> {
    // The OAuth endpoints authenticate the business system from the request themselves (HTTP Basic or body).
    if (route.startsWith('/api/v1/oauth/')) return anonymous;
    // CKAN clients send the bare token in Authorization or in X-CKAN-API-Key; both are accepted for them.
    const ckanKey = request.headers['x-ckan-api-key'];
    const header = request.headers.authorization ?? (typeof ckanKey === 'string' ? ckanKey : undefined);
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const token =
        match?.[1] ?? (header.startsWith(TOKEN_PREFIX) && !/\s/.test(header) ? header : undefined);
      if (token === undefined)
        throw new UnauthenticatedError('Use "Authorization: Bearer <token>".', 'TOKEN_INVALID');
      const known = identity.cachedToken(token);
      if (known !== undefined) return { actor: known, sessionCsrf: undefined };
      return identity.resolveToken(token).then((actor) => ({ actor, sessionCsrf: undefined }));
    }
    const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (cookie !== undefined) {
      // An expired cookie is treated as no cookie: public pages keep working.
      return identity
        .resolveSession(cookie)
        .then((session) =>
          session === undefined ? anonymous : { actor: session.actor, sessionCsrf: session.csrfToken },
        );
    }
    return anonymous;
  }

  const app = await createHttpServer({
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    accountRateLimitPerMinute: config.accountRateLimitPerMinute,
    upgradeInsecureRequests: config.cookieSecure,
    resolveIdentity,
    webDistDir: config.webDistDir,
    onResponse: (request, reply, route) => {
      metrics.observe(request, reply, route);
      security.observeRequest(request);
    },
    registerRoutes: (api) => {
      systemRoutes(api, {
        version: VERSION,
        ping: async () => {
          await sql`SELECT 1`.execute(db.kysely);
        },
        pendingMigrations: () => pendingMigrations(db.kysely, MIGRATIONS),
        counts: () => identity.counts(),
        ledgerSize: () => ledger.size(),
      });
      identityRoutes(api, {
        identity,
        cookieSecure: config.cookieSecure,
        oidcEnabled: config.oidc !== undefined,
        oidc: config.oidc === undefined ? undefined : createOidcSignIn(config.oidc),
      });
      catalogRoutes(api, { catalog, jobs, db: db.kysely });
      datastoreRoutes(api, { datastore });
      accessRoutes(api, { access });
      usageRoutes(api, usage);
      security.routes(api);
      openingRoutes(api, {
        opening,
        dcat: { catalog, publisherCode: CATALOG_PUBLISHER, publicUrl: config.publicUrl },
      });
      dcatApiRoutes(api, { catalog, publisherCode: CATALOG_PUBLISHER, publicUrl: config.publicUrl });
      ledgerRoutes(api, { ledger, jobs, db: db.kysely });
      jobsRoutes(api, { jobs, ledger, db: db.kysely });
    },
    registerRootRoutes: (root) => {
      metricsRoute(root, () => metrics.render());
      dcatRootRoutes(root, { catalog, publisherCode: CATALOG_PUBLISHER, publicUrl: config.publicUrl });
      ckanRoutes(root, {
        catalog,
        siteTitle: 'Datapolis',
        publicUrl: config.publicUrl,
        extraActions: datastoreCkanActions(datastore),
      });
    },
  });

  // Fastify's close() first boots an app that has not booted: it compiles the validators and serializers of
  // every route, 1.4 s of each CLI command, which serves no request. An app that never booted (neither
  // listened nor answered an injected request) has no hook to run and nothing to release, so stop skips it.
  let booted = false;
  app.addHook('onReady', (done) => {
    booted = true;
    done();
  });

  let signer: NodeJS.Timeout | undefined;
  let intakes: NodeJS.Timeout | undefined;

  return {
    config,
    logger,
    db,
    ledger,
    jobs,
    identity,
    catalog,
    datastore,
    access,
    opening,
    usage,
    security,
    app,
    async seedIfEmpty(seedOptions = {}) {
      if (!config.demo) return undefined;
      const counts = await identity.counts();
      if (counts.users > 0 || counts.organizations > 0) return undefined;
      const credentials = await seedDemo(identity, config.demoPassword);
      if (seedOptions.catalog ?? config.demoCatalog) {
        await seedDemoCatalog(catalog, identity);
        await seedDemoDatastore(datastore);
        await seedDemoOpening(opening, catalog, identity);
        await seedDemoSecurity({ security, catalog, datastore, identity });
      }
      await ledger.signLatest();
      return credentials;
    },
    async start() {
      const address = await app.listen({ host: config.host, port: config.port });
      usage.start();
      // Token uses are written by every process; the rules are evaluated by the one that runs jobs.
      security.monitoring.start({ evaluate: config.jobs.enabled });
      if (config.jobs.enabled) {
        await datastore.sweepAbandoned();
        await access.expireGrants();
        await jobs.start();
        // Scheduled intakes are pulled by the process that runs jobs; each pull is logged and retried.
        intakes = setInterval(() => {
          datastore
            .sweepAbandoned()
            .then(() => datastore.runIntakes())
            .catch((error: unknown) => logger.error({ err: error }, 'data intake failed'));
          // Grants past their end are refused at use already; the sweep records the expiry and tells the holder.
          access
            .expireGrants()
            .catch((error: unknown) => logger.error({ err: error }, 'expiring access grants failed'));
        }, 60_000);
        intakes.unref();
      }
      // Sign a tree head now and then, so proofs are ready before anyone asks.
      signer = setInterval(() => {
        ledger
          .signLatest()
          .catch((error: unknown) => logger.error({ err: error }, 'signing a tree head failed'));
      }, config.ledgerSignIntervalSeconds * 1000);
      signer.unref();
      return address;
    },
    async stop() {
      if (signer !== undefined) clearInterval(signer);
      if (intakes !== undefined) clearInterval(intakes);
      await jobs.stop();
      mailer.close();
      if (booted) await app.close();
      await security.monitoring
        .stop()
        .catch((error: unknown) => logger.error({ err: error }, 'stopping security monitoring failed'));
      await usage
        .stop()
        .catch((error: unknown) => logger.error({ err: error }, 'writing usage counts failed'));
      await events.stop();
      if (options.db === undefined) await db.close();
    },
  };
}
