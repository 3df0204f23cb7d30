import './fastify-types.ts';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type HookHandlerDoneFunction,
  LogController,
  type onRequestHookHandler,
} from 'fastify';
import type { Logger } from 'pino';
import { type Actor, type ANONYMOUS, decide, getPermission, safeEqual } from '../auth/index.ts';
import { handleError, sendProblem } from './problem.ts';
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

/**
 * The error a request over its limit is answered with (429, by the error handler). Made without a stack trace:
 * a client hammering the API is refused thousands of times a second, and no answer uses the stack.
 */
function rateLimited(): Error & { statusCode: number } {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return Object.assign(new Error('Rate limit exceeded'), { statusCode: 429 });
  } finally {
    Error.stackTraceLimit = limit;
  }
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

  /**
   * The onRequest hook of a route that declares `permission`: who is calling, and may they. Callback-style: a
   * caller already known (a cached token, no credentials) is checked without a promise.
   */
  function authenticate(
    route: string,
    permission: string,
    config: { csrfExempt?: boolean } | undefined,
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
      if (!refused) done();
    }
    return function authenticateRequest(request, reply, done) {
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
    // Each route that declares a permission checks it in a hook of its own, made here once: a hook on every
    // route would look the route's configuration up again on every request.
    if (permission !== undefined) {
      route.onRequest = [
        ...[route.onRequest ?? []].flat(),
        authenticate(route.url, permission, route.config),
      ];
    }
    if (!needsPermission(route.url)) {
      // Only the API is rate-limited: the web app's files and the API reference are not counted.
      route.config = { ...route.config, rateLimit: false };
      return;
    }
    if (permission === undefined)
      throw new Error(`Route ${route.method} ${route.url} declares no permission.`);
    if (permission !== 'public' && getPermission(permission) === undefined) {
      throw new Error(`Route ${route.method} ${route.url} declares unknown permission "${permission}".`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') declared.push({ method, url: route.url, permission });
    }
  });

  app.setErrorHandler(handleError);
  // JSON in and out: a text body is refused with 415 rather than half-understood.
  app.removeContentTypeParser('text/plain');
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
  // One synchronous hook for the headers every answer carries (a hook per header costs a promise each).
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(needsPermission(request.url) ? apiHeaders : pageHeaders);
    reply.header('x-request-id', String(request.id));
    done();
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: true,
    // Counted once the caller is known: an account gets its own, higher limit wherever it calls from,
    // and the public shares a limit per address. Over it the answer is 429 at once, for that caller only.
    hook: 'preValidation',
    keyGenerator: (request) =>
      request.actor?.kind === 'user' ? `user:${request.actor.userId}` : `ip:${request.ip}`,
    max: (request) =>
      request.actor?.kind === 'user' ? options.accountRateLimitPerMinute : options.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: rateLimited,
  });

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
  // The access line holds only the fields below, none of them a credential, so it is written without the
  // redaction every other line goes through (a walk of each logged object). Its level is the request
  // logger's, checked on each line, so a level changed at run time applies to it too.
  const accessLog = options.logger.child({}, { level: 'trace', redact: { paths: [] } });
  // Synchronous, like the headers hook: an async hook costs a promise on every request.
  app.addHook('onResponse', (request, reply, done) => {
    // The access log: one JSON line with the request id, as the request's own logger would write it.
    if ((request.log as Logger).isLevelEnabled('info')) {
      accessLog.info(
        {
          reqId: request.id,
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
          actor: request.actor?.kind === 'user' ? request.actor.userId : request.actor?.kind,
        },
        'request',
      );
    }
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
    if (!needsPermission(path) && !path.startsWith('/api/') && hasWeb && request.method === 'GET') {
      // The web app routes on the client: every other page loads index.html.
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(request, reply, 404, 'ROUTE_NOT_FOUND', `No endpoint ${request.method} ${path}.`);
  });

  return app;
}
