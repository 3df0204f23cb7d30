import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
}

/** An S3-compatible bucket for uploaded files, instead of the local folder. */
export interface S3Config {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bucket in the path (endpoint/bucket/key) rather than in the host name (bucket.endpoint/key). */
  forcePathStyle: boolean;
}

export interface Config {
  host: string;
  port: number;
  /** Folder for the embedded database, the ledger signing key and local files. */
  dataDir: string;
  /** Unset: embedded PGlite in dataDir. Set: a PostgreSQL 15+ server. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the demo city into an empty database on start. */
  demo: boolean;
  /** With the demo city, also its 300-entry catalog put through the review workflow (takes seconds). */
  demoCatalog: boolean;
  /**
   * The address the public reaches the platform at (https://data.city.example), used in DCAT IRIs and CKAN
   * links; when unset, each request's own host and scheme.
   */
  publicUrl: string | undefined;
  /** Let harvests and link checks fetch private and loopback addresses (off: they could probe the intranet). */
  outboundAllowPrivate: boolean;
  /** Fixed password for every demo user (tests, demos); random and printed once when unset. */
  demoPassword: string | undefined;
  /** Ed25519 private key PEM; when unset the key is made on first start and kept in dataDir. */
  ledgerSigningKeyPem: string | undefined;
  /** Seconds between automatic signed tree heads while the log grows. */
  ledgerSignIntervalSeconds: number;
  sessionTtlHours: number;
  /** Seconds a resolved session or API token is trusted without a database read (0: never). */
  authCacheSeconds: number;
  /** Lifetime in seconds of the access tokens business systems get from /oauth/token. */
  clientTokenTtlSeconds: number;
  cookieSecure: boolean;
  bodyLimitBytes: number;
  /** Where uploaded files are kept (a local folder; `<dataDir>/files` by default); with S3, the local cache. */
  storageDir: string;
  /** Set: uploaded files are kept in this bucket, with copies cached in `<storageDir>/cache`. */
  s3: S3Config | undefined;
  /** Largest file accepted by the datastore upload route, in bytes. */
  uploadLimitBytes: number;
  /** Requests per minute per address on public API routes. */
  rateLimitPerMinute: number;
  accountRateLimitPerMinute: number;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  jobs: { enabled: boolean; pollMs: number; leaseSeconds: number; concurrency: number };
  oidc: OidcConfig | undefined;
  /** Outgoing mail: unset `smtpUrl` means notifications stay in the web app. */
  mail: { smtpUrl: string | undefined; from: string };
  /** Days a provider institution has to decide on an access application. */
  accessReviewDays: number;
  webDistDir: string;
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}".`);
  }
  return value;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

const S3_VARIABLES = [
  'DATAPOLIS_S3_BUCKET',
  'DATAPOLIS_S3_REGION',
  'DATAPOLIS_S3_ACCESS_KEY_ID',
  'DATAPOLIS_S3_SECRET_ACCESS_KEY',
  'DATAPOLIS_S3_FORCE_PATH_STYLE',
];

/** DATAPOLIS_S3_ENDPOINT turns object storage on; the other DATAPOLIS_S3_* variables describe it. */
function s3Config(env: Env): S3Config | undefined {
  const endpointRaw = env.DATAPOLIS_S3_ENDPOINT || undefined;
  if (endpointRaw === undefined) {
    const stray = S3_VARIABLES.filter((name) => env[name]);
    if (stray.length > 0)
      throw new ConfigError(
        `${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but DATAPOLIS_S3_ENDPOINT is not; set it to keep files in object storage.`,
      );
    return undefined;
  }
  let endpoint: URL | undefined;
  try {
    endpoint = new URL(endpointRaw);
  } catch {
    endpoint = undefined;
  }
  if (
    endpoint === undefined ||
    (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') ||
    endpoint.username !== '' ||
    endpoint.password !== '' ||
    endpoint.search !== '' ||
    endpoint.hash !== ''
  ) {
    throw new ConfigError(
      'DATAPOLIS_S3_ENDPOINT must be an http(s) address such as https://s3.example.com or http://minio:9000, without credentials or query.',
    );
  }
  const missing = [
    'DATAPOLIS_S3_BUCKET',
    'DATAPOLIS_S3_ACCESS_KEY_ID',
    'DATAPOLIS_S3_SECRET_ACCESS_KEY',
  ].filter((name) => !env[name]);
  if (missing.length > 0)
    throw new ConfigError(`DATAPOLIS_S3_ENDPOINT is set, so ${missing.join(', ')} must be set too.`);
  const bucket = env.DATAPOLIS_S3_BUCKET!;
  const forcePathStyle = boolVar(env, 'DATAPOLIS_S3_FORCE_PATH_STYLE', true);
  // Virtual-hosted addressing puts the bucket in a host name, so it must be a DNS name there.
  const bucketRule = forcePathStyle
    ? /^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/
    : /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
  if (!bucketRule.test(bucket)) {
    throw new ConfigError(
      `DATAPOLIS_S3_BUCKET must be a bucket name of 3 to 63 letters, digits, dots and hyphens, got "${bucket}".`,
    );
  }
  const region = env.DATAPOLIS_S3_REGION || 'us-east-1';
  if (!/^[A-Za-z0-9_-]+$/.test(region)) {
    throw new ConfigError(`DATAPOLIS_S3_REGION must be a region name such as us-east-1, got "${region}".`);
  }
  const accessKeyId = env.DATAPOLIS_S3_ACCESS_KEY_ID!;
  if (/[\s/]/.test(accessKeyId)) {
    throw new ConfigError('DATAPOLIS_S3_ACCESS_KEY_ID must not contain spaces or slashes.');
  }
  return {
    endpoint: endpoint.toString().replace(/\/+$/, ''),
    region,
    bucket,
    accessKeyId,
    secretAccessKey: env.DATAPOLIS_S3_SECRET_ACCESS_KEY!,
    forcePathStyle,
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads the configuration from the environment; any mistake stops start-up with one clear message. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const dataDirRaw = env.DATAPOLIS_DATA_DIR ?? './.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://.');
  }

  const publicUrl =
    env.DATAPOLIS_PUBLIC_URL === '' ? undefined : env.DATAPOLIS_PUBLIC_URL?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicUrl)) {
    throw new ConfigError(
      'DATAPOLIS_PUBLIC_URL must be an http(s) address such as https://data.city.example.',
    );
  }

  const logLevel = (env.DATAPOLIS_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`DATAPOLIS_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}".`);
  }

  const demoPassword = env.DATAPOLIS_DEMO_PASSWORD || undefined;
  if (demoPassword !== undefined && demoPassword.length < 8) {
    throw new ConfigError('DATAPOLIS_DEMO_PASSWORD must be at least 8 characters.');
  }

  let ledgerSigningKeyPem = env.DATAPOLIS_LEDGER_SIGNING_KEY || undefined;
  if (ledgerSigningKeyPem !== undefined && !ledgerSigningKeyPem.includes('BEGIN PRIVATE KEY')) {
    throw new ConfigError('DATAPOLIS_LEDGER_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM.');
  }
  ledgerSigningKeyPem = ledgerSigningKeyPem?.replaceAll('\\n', '\n');

  const oidcIssuer = env.DATAPOLIS_OIDC_ISSUER || undefined;
  let oidc: OidcConfig | undefined;
  if (oidcIssuer !== undefined) {
    const missing = [
      'DATAPOLIS_OIDC_CLIENT_ID',
      'DATAPOLIS_OIDC_CLIENT_SECRET',
      'DATAPOLIS_OIDC_REDIRECT_URL',
    ].filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigError(`DATAPOLIS_OIDC_ISSUER is set, so ${missing.join(', ')} must be set too.`);
    }
    oidc = {
      issuer: oidcIssuer,
      clientId: env.DATAPOLIS_OIDC_CLIENT_ID!,
      clientSecret: env.DATAPOLIS_OIDC_CLIENT_SECRET!,
      redirectUrl: env.DATAPOLIS_OIDC_REDIRECT_URL!,
    };
  }

  const smtpUrl = env.DATAPOLIS_SMTP_URL || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) {
    // The address may hold a password: the message never repeats it.
    throw new ConfigError(
      'DATAPOLIS_SMTP_URL must be an smtp:// or smtps:// address such as smtp://127.0.0.1:2525.',
    );
  }
  const mailFrom = env.DATAPOLIS_MAIL_FROM || 'Datapolis <no-reply@datapolis.local>';
  if (!/^[^\r\n]*@[^\r\n]+$/.test(mailFrom)) {
    throw new ConfigError(
      'DATAPOLIS_MAIL_FROM must be one address such as "Datapolis <no-reply@city.example>".',
    );
  }

  return {
    host: env.DATAPOLIS_HOST || '127.0.0.1',
    port: intVar(env, 'DATAPOLIS_PORT', 8080, 0, 65535),
    dataDir,
    databaseUrl,
    databasePoolSize: intVar(env, 'DATAPOLIS_DB_POOL_SIZE', 10, 1, 200),
    logLevel,
    demo: boolVar(env, 'DATAPOLIS_DEMO', true),
    demoCatalog: boolVar(env, 'DATAPOLIS_DEMO_CATALOG', true),
    publicUrl,
    outboundAllowPrivate: boolVar(env, 'DATAPOLIS_OUTBOUND_ALLOW_PRIVATE', false),
    demoPassword,
    ledgerSigningKeyPem,
    ledgerSignIntervalSeconds: intVar(env, 'DATAPOLIS_LEDGER_SIGN_INTERVAL', 10, 1, 86400),
    sessionTtlHours: intVar(env, 'DATAPOLIS_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    authCacheSeconds: intVar(env, 'DATAPOLIS_AUTH_CACHE_SECONDS', 30, 0, 3600),
    clientTokenTtlSeconds: intVar(env, 'DATAPOLIS_CLIENT_TOKEN_TTL', 3600, 60, 86_400),
    cookieSecure: boolVar(env, 'DATAPOLIS_COOKIE_SECURE', false),
    bodyLimitBytes: intVar(env, 'DATAPOLIS_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    storageDir: resolve(dataDir, env.DATAPOLIS_STORAGE_DIR || 'files'),
    s3: s3Config(env),
    uploadLimitBytes: intVar(env, 'DATAPOLIS_UPLOAD_LIMIT', 20 * 1024 ** 3, 1024, 1024 ** 4),
    rateLimitPerMinute: intVar(env, 'DATAPOLIS_RATE_LIMIT', 600, 1, 1_000_000),
    accountRateLimitPerMinute: intVar(env, 'DATAPOLIS_RATE_LIMIT_ACCOUNT', 6_000, 1, 10_000_000),
    loginMaxFailures: intVar(env, 'DATAPOLIS_LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginWindowMinutes: intVar(env, 'DATAPOLIS_LOGIN_WINDOW_MINUTES', 15, 1, 1440),
    jobs: {
      enabled: boolVar(env, 'DATAPOLIS_JOBS', true),
      pollMs: intVar(env, 'DATAPOLIS_JOBS_POLL_MS', 500, 10, 60_000),
      leaseSeconds: intVar(env, 'DATAPOLIS_JOBS_LEASE_SECONDS', 30, 1, 3600),
      concurrency: intVar(env, 'DATAPOLIS_JOBS_CONCURRENCY', 2, 1, 64),
    },
    oidc,
    mail: { smtpUrl, from: mailFrom },
    accessReviewDays: intVar(env, 'DATAPOLIS_ACCESS_REVIEW_DAYS', 10, 1, 365),
    webDistDir: env.DATAPOLIS_WEB_DIST || resolve(import.meta.dirname, '../../../../web/dist'),
  };
}
