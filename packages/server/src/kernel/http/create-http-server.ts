import './fastify-types.ts';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type HookHandlerDoneFunction,
  LogController,
  type onRequestHookHandler,
} from 'fastify';
import type { Logger } from 'pino';
import { type Actor, type ANONYMOUS, decide, getPermission, safeEqual } from '../auth/index.ts';
import { handleError, sendProblem } from './problem.ts';
import { createRateCounter } from './rate-counter.ts';
import { accessLineWriter, lazyChildLoggerFactory } from './request-logging.ts';
import { ProblemSchema } from './schemas.ts';
import { securityHeaders } from './security-headers.ts';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

export interface DeclaredRoute {
  method: string;
  url: string;
  permission: string;
}

export interface ResolvedIdentity {
  actor: Actor;
  sessionCsrf: string | undefined;
}

export interface HttpServerOptions {
  logger: Logger;
  bodyLimitBytes: number;
  /** Requests per minute from one address without an account. */
  rateLimitPerMinute: number;
  /** Requests per minute of one signed-in account (session or API token). */
  accountRateLimitPerMinute: number;
  /** Ask browsers to fetch everything over https (deployments behind TLS). */
  upgradeInsecureRequests: boolean;
  /**
   * Turns the cookie or bearer token of a request to the route `route` (its pattern) into an actor; throws a
   * 401 DatapolisError for bad tokens.
   */
  resolveIdentity: (request: FastifyRequest, route: string) => ResolvedIdentity | Promise<ResolvedIdentity>;
  webDistDir: string | undefined;
  /** Modules add their routes here; each is registered under /api/v1. */
  registerRoutes: (app: App) => Promise<void> | void;
  /** Routes outside /api/v1 (/metrics). */
  registerRootRoutes?: (app: App) => Promise<void> | void;
  /** Run on every finished request (metrics), with the route pattern, or undefined when no route matched. */
  onResponse?: (request: FastifyRequest, reply: FastifyReply, route: string | undefined) => void;
}

export const SESSION_COOKIE = 'dp_session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function needsPermission(url: string): boolean {
  return (
    url.startsWith('/api/v1') ||
    url.startsWith('/api/3') ||
    url.startsWith('/api/action') ||
    url === '/metrics'
  );
}

export async function createHttpServer(options: HttpServerOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // One access line per request (written in onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLoggerFactory as unknown as NonNullable<
      FastifyServerOptions['childLoggerFactory']
    >,
    bodyLimit: options.bodyLimitBytes,
    ajv: {
      customOptions: {
        // Reject unknown fields instead of silently dropping them.
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: true,
      },
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.decorateRequest('actor', null as unknown as typeof ANONYMOUS);
  app.decorateRequest('sessionCsrf', undefined);
  app.addSchema(ProblemSchema);

  const pageHeaders = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Only behind TLS: on a plain-http intranet address the browser would rewrite every request to https.
        upgradeInsecureRequests: options.upgradeInsecureRequests ? [] : null,
      },
    },
  });
  // JSON answers are never rendered: they get the short, strict set recommended for APIs (nothing may load
  // or frame them) instead of the web app's page policy.
  const apiHeaders: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (options.upgradeInsecureRequests) {
    apiHeaders['strict-transport-security'] = pageHeaders['strict-transport-security'] ?? 'max-age=31536000';
  } else {
    delete pageHeaders['strict-transport-security'];
  }
  /** The headers every answer carries: the set for its kind (API or page) and the request id. */
  function setHeaders(request: FastifyRequest, reply: FastifyReply, headers: Record<string, string>): void {
    reply.headers(headers);
    reply.header('x-request-id', String(request.id));
  }
  /** The onRequest hook of a route that declares no permission (the web app's files, the API reference). */
  function headersOnly(headers: Record<string, string>): onRequestHookHandler {
    return function sendHeaders(request, reply, done) {
      setHeaders(request, reply, headers);
      done();
    };
  }

  // The API's rate limit: an account has its own limit wherever it calls from, the public shares one per
  // address. Counted once the caller is known and allowed; over it the answer is 429 at once, for that
  // caller only.
  const rates = createRateCounter(60_000);
  /** Counts the request, sets the limit's headers, and answers 429 (returning true) when over. */
  function overLimit(request: FastifyRequest, reply: FastifyReply, actor: Actor): boolean {
    const account = actor.kind === 'user';
    const max = account ? options.accountRateLimitPerMinute : options.rateLimitPerMinute;
    const now = Date.now();
    const window = rates.hit(account ? `user:${actor.userId}` : `ip:${request.ip}`, now);
    const resetSeconds = String(Math.ceil((window.resetAt - now) / 1000));
    reply.header('x-ratelimit-limit', String(max));
    reply.header('x-ratelimit-remaining', String(Math.max(0, max - window.count)));
    reply.header('x-ratelimit-reset', resetSeconds);
    if (window.count <= max) return false;
    reply.header('retry-after', resetSeconds);
    sendProblem(request, reply, 429, 'RATE_LIMITED', 'Too many requests: slow down and try again shortly.');
    return true;
  }

  /**
   * The onRequest hook of a route that declares `permission`: its headers, who is calling, and may they. One
   * hook per route does it all (each hook costs Fastify a step per request). Callback-style: a caller already
   * known (a cached token, no credentials) is checked without a promise.
   */
  function authenticate(
    route: string,
    permission: string,
    config: { csrfExempt?: boolean } | undefined,
    headers: Record<string, string>,
    limited: boolean,
  ): onRequestHookHandler {
    const csrfExempt = config?.csrfExempt === true;
    /** Answers 401 or 403 and returns true when the caller may not go on. */
    function refuse(request: FastifyRequest, reply: FastifyReply, identity: ResolvedIdentity): boolean {
      request.actor = identity.actor;
      request.sessionCsrf = identity.sessionCsrf;
      const decision = decide(identity.actor, permission);
      if (decision === 'unauthenticated') {
        sendProblem(request, reply, 401, 'AUTH_REQUIRED', 'Sign in or send a valid API token to do this.');
        return true;
      }
      if (decision === 'forbidden') {
        sendProblem(request, reply, 403, 'FORBIDDEN', `You do not have the permission "${permission}".`);
        return true;
      }
      // Cookie sessions must echo their CSRF token on every state-changing request; bearer tokens are
      // not sent by browsers on their own, so they need none.
      if (UNSAFE_METHODS.has(request.method) && identity.sessionCsrf !== undefined && !csrfExempt) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !safeEqual(sent, identity.sessionCsrf)) {
          sendProblem(request, reply, 403, 'CSRF_TOKEN_INVALID', 'Missing or wrong x-csrf-token header.');
          return true;
        }
      }
      return false;
    }
    function check(
      request: FastifyRequest,
      reply: FastifyReply,
      identity: ResolvedIdentity,
      done: HookHandlerDoneFunction,
    ): void {
      let refused: boolean;
      try {
        refused = refuse(request, reply, identity);
      } catch (error) {
        done(error as Error);
        return;
      }
      // A refused request has its answer; the hooks and the handler after this one do not run.
      if (refused || (limited && overLimit(request, reply, identity.actor))) return;
      done();
    }
    return function authenticateRequest(request, reply, done) {
      // First, so that a refusal carries them too.
      setHeaders(request, reply, headers);
      let identity: ResolvedIdentity | Promise<ResolvedIdentity>;
      try {
        identity = options.resolveIdentity(request, route);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (identity instanceof Promise) {
        identity.then((resolved) => check(request, reply, resolved, done), done);
      } else {
        check(request, reply, identity, done);
      }
    };
  }

  // Deny by default: an /api route without a declared, known permission stops the server from starting.
  const declared: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declared);
  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission;
    const api = needsPermission(route.url);
    // Each route gets its one onRequest hook here, made once with what it needs: a global hook would look the
    // route's configuration up again on every request.
    const headers = api ? apiHeaders : pageHeaders;
    route.onRequest = [
      ...[route.onRequest ?? []].flat(),
      permission === undefined
        ? headersOnly(headers)
        : // Only the API is rate-limited: the web app's files and the API reference are not counted.
          authenticate(route.url, permission, route.config, headers, api),
    ];
    if (!api) return;
    if (permission === undefined)
      throw new Error(`Route ${route.method} ${route.url} declares no permission.`);
    if (permission !== 'public' && getPermission(permission) === undefined) {
      throw new Error(`Route ${route.method} ${route.url} declares unknown permission "${permission}".`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') declared.push({ method, url: route.url, permission });
    }
  });

  // An error raised before a route's hook ran (an unknown address's body refused) still gets the headers.
  app.setErrorHandler((error: Error, request, reply) => {
    if (!reply.hasHeader('x-request-id')) {
      setHeaders(request, reply, needsPermission(request.url) ? apiHeaders : pageHeaders);
    }
    return handleError(error, request, reply);
  });
  // JSON in and out: a text body is refused with 415 rather than half-understood.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Datapolis API',
        version: '1',
        description:
          'Public data catalog, data platform and transparency log of the city. Errors are RFC 9457 problem documents.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    // The reference page loads only its own bundled files; no https upgrade on plain-http deployments.
    staticCSP: `default-src 'self'; base-uri 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'${options.upgradeInsecureRequests ? '; upgrade-insecure-requests' : ''}`,
  });

  const observe = options.onResponse;
  const writeAccessLine = accessLineWriter(options.logger);
  // Synchronous, like the route hooks: an async hook costs a promise on every request.
  app.addHook('onResponse', (request, reply, done) => {
    // The access log: one JSON line with the request id, at the request logger's level.
    writeAccessLine(request.log as Logger, {
      reqId: String(request.id),
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      actor: request.actor?.kind === 'user' ? request.actor.userId : request.actor?.kind,
    });
    observe?.(request, reply, request.is404 ? undefined : request.routeOptions.url);
    done();
  });

  await app.register(
    async (api) => {
      await options.registerRoutes(api as unknown as App);
    },
    { prefix: '/api/v1' },
  );

  app.get('/api/v1/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  if (options.registerRootRoutes !== undefined) await options.registerRootRoutes(app);

  const webDist = options.webDistDir;
  const hasWeb = webDist !== undefined && existsSync(join(webDist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    setHeaders(request, reply, needsPermission(path) ? apiHeaders : pageHeaders);
    if (!needsPermission(path) && !path.startsWith('/api/') && hasWeb && request.method === 'GET') {
      // The web app routes on the client: every other page loads index.html.
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(request, reply, 404, 'ROUTE_NOT_FOUND', `No endpoint ${request.method} ${path}.`);
  });

  return app;
}
