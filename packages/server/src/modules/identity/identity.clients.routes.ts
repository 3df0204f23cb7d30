import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type App, handleError, IdParams, problemResponses } from '../../kernel/http/index.ts';
import { type ClientRequest, OAuthError } from './identity.clients.service.ts';
import {
  ClientItem,
  ClientParams,
  ClientSecretAnswer,
  CreateClientBody,
  OAuthRequestBody,
  TokenResponse,
} from './identity.schemas.ts';
import type { IdentityService } from './identity.service.ts';

const tags = ['identity'];
const FORM_LIMIT_BYTES = 16_384;

/** A form body; a repeated parameter becomes an array, which the service refuses. */
function parseForm(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = params[name];
    params[name] = seen === undefined ? value : [...[seen].flat(), value];
  }
  return params;
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}

/** HTTP Basic client credentials, each part form-encoded first (RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): ClientRequest['basic'] {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (match === null) return 'malformed';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return 'malformed';
  }
}

function clientRequest(request: FastifyRequest): ClientRequest {
  const body = request.body;
  return {
    params:
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {},
    basic: basicCredentials(request.headers.authorization),
    query: request.url.includes('?'),
  };
}

/** Token answers, good or bad, are never cached (RFC 6749 §5.1). */
function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  noStore(reply).status(error.status).type('application/json; charset=utf-8');
  if (error.error === 'invalid_client')
    reply.header('www-authenticate', 'Basic realm="datapolis", charset="UTF-8"');
  return reply.send({ error: error.error, error_description: error.message });
}

export function clientRoutes(app: App, deps: { identity: IdentityService }): void {
  const clients = deps.identity.clients;

  app.get(
    '/organizations/:id/clients',
    {
      config: { permission: 'clients:manage' },
      schema: {
        tags,
        summary: "An institution's business systems (OAuth 2.0 clients), revoked ones included",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(ClientItem) }), ...problemResponses },
      },
    },
    async (request) => clients.listClients(request.actor, request.params.id),
  );

  app.post(
    '/organizations/:id/clients',
    {
      config: { permission: 'clients:manage' },
      schema: {
        tags,
        summary:
          'Register a business system of a public institution; its secret is shown only in this answer',
        params: IdParams,
        body: CreateClientBody,
        response: { 201: ClientSecretAnswer, ...problemResponses },
      },
    },
    async (request, reply) =>
      noStore(reply)
        .status(201)
        .send(await clients.createClient(request.actor, request.params.id, request.body)),
  );

  app.delete(
    '/organizations/:id/clients/:clientId',
    {
      config: { permission: 'clients:manage' },
      schema: {
        tags,
        summary: 'Revoke a business system and every access token it holds',
        params: ClientParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await clients.revokeClient(request.actor, request.params.id, request.params.clientId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/organizations/:id/clients/:clientId/secret',
    {
      config: { permission: 'clients:manage' },
      schema: {
        tags,
        summary:
          'Give a business system a new secret (shown only here); the old one and its tokens stop working',
        params: ClientParams,
        response: { 200: ClientSecretAnswer, ...problemResponses },
      },
    },
    async (request, reply) =>
      noStore(reply).send(
        await clients.rotateSecret(request.actor, request.params.id, request.params.clientId),
      ),
  );

  // The OAuth endpoints read form bodies and answer errors in RFC 6749 §5.2 form, so they get a scope of
  // their own. They authenticate the client themselves: the platform resolves no caller for them.
  void app.register(async (oauth) => {
    oauth.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_request, body, done) => done(null, parseForm(body as string)),
    );

    function errorHandler(endpoint: 'token' | 'revoke') {
      return async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
        if (error instanceof OAuthError) return sendOAuthError(reply, error);
        // Unreadable bodies and failed schema checks are malformed requests, answered and logged as such.
        const status = error.statusCode ?? 500;
        if (error.validation !== undefined || (status >= 400 && status < 500 && status !== 429)) {
          return sendOAuthError(reply, await clients.refuseMalformed(endpoint, error.message));
        }
        return handleError(error, request, reply);
      };
    }

    oauth.post(
      '/oauth/token',
      {
        config: { permission: 'public', csrfExempt: true },
        errorHandler: errorHandler('token'),
        schema: {
          tags,
          summary:
            'OAuth 2.0 client credentials grant (RFC 6749 §4.4): an access token for a business system',
          description:
            'Client authentication by HTTP Basic or client_id and client_secret in the body. Errors are ' +
            '{error, error_description} (RFC 6749 §5.2): invalid_request, invalid_client (401), ' +
            'unsupported_grant_type, invalid_scope.',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: OAuthRequestBody,
          response: { 200: TokenResponse },
        },
      },
      async (request, reply) => noStore(reply).send(await clients.issueToken(clientRequest(request))),
    );

    oauth.post(
      '/oauth/revoke',
      {
        config: { permission: 'public', csrfExempt: true },
        errorHandler: errorHandler('revoke'),
        schema: {
          tags,
          summary: 'OAuth 2.0 token revocation (RFC 7009) by the client itself; 200 also for unknown tokens',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: OAuthRequestBody,
        },
      },
      async (request, reply) => {
        await clients.revokeByClient(clientRequest(request));
        return noStore(reply).status(200).send();
      },
    );
  });
}
