import fastifyCookie from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { DatapolisError } from '../../kernel/errors.ts';
import type { App } from '../../kernel/http/index.ts';
import { IdParams, problemResponses, SESSION_COOKIE } from '../../kernel/http/index.ts';
import { clientRoutes } from './identity.clients.routes.ts';
import type { OidcSignIn } from './identity.oidc.ts';
import {
  CreateOrganizationBody,
  CreateTokenBody,
  CreateUserBody,
  ListQuery,
  LoginBody,
  Member,
  MemberRoleSchema,
  Organization,
  SessionResponse,
  TokenItem,
  UpdateOrganizationBody,
  UpdateUserBody,
  User,
} from './identity.schemas.ts';
import type { IdentityService } from './identity.service.ts';

export interface IdentityRouteDeps {
  identity: IdentityService;
  cookieSecure: boolean;
  oidcEnabled: boolean;
  oidc: OidcSignIn | undefined;
}

const OIDC_COOKIE = 'dp_oidc';

const MemberParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), userId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export function identityRoutes(app: App, deps: IdentityRouteDeps): void {
  // Only these routes set cookies or read them by name: the cookie plugin's hooks (a parse before each
  // request, a step before each answer) run on them alone. Every route finds its caller's session through
  // the platform's own reading of the session cookie.
  app.register(async (scope) => {
    await scope.register(fastifyCookie);
    sessionRoutes(scope as unknown as App, deps);
  });
}

function sessionRoutes(app: App, deps: IdentityRouteDeps): void {
  const { identity } = deps;

  function oidc(): OidcSignIn {
    if (deps.oidc === undefined) {
      throw new DatapolisError('OIDC_DISABLED', 404, 'OpenID Connect sign-in is not configured here.');
    }
    return deps.oidc;
  }

  function setSessionCookie(
    reply: FastifyReply,
    session: { sessionId: string; maxAgeSeconds: number },
  ): void {
    reply.setCookie(SESSION_COOKIE, session.sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.cookieSecure,
      maxAge: session.maxAgeSeconds,
    });
  }

  app.get(
    '/auth/session',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['identity'],
        summary: 'Who is signed in, and the CSRF token to send back',
        response: { 200: SessionResponse },
      },
    },
    async (request) => {
      if (request.actor.kind !== 'user') return { authenticated: false, oidcEnabled: deps.oidcEnabled };
      const user = await identity.sessionUser(request.actor);
      return {
        authenticated: true,
        user,
        ...(request.sessionCsrf === undefined ? {} : { csrfToken: request.sessionCsrf }),
        oidcEnabled: deps.oidcEnabled,
      };
    },
  );

  app.post(
    '/auth/login',
    {
      config: { permission: 'public', csrfExempt: true },
      schema: {
        tags: ['identity'],
        summary: 'Sign in with username and password; sets the session cookie',
        body: LoginBody,
        response: { 200: SessionResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await identity.login(request.body.username, request.body.password, request.ip);
      setSessionCookie(reply, result);
      return {
        authenticated: true,
        user: await identity.sessionUser(result.actor),
        csrfToken: result.csrfToken,
        oidcEnabled: deps.oidcEnabled,
      };
    },
  );

  app.get(
    '/auth/oidc/login',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['identity'],
        summary: "Start signing in with the city's identity provider (OpenID Connect)",
        hide: !deps.oidcEnabled,
      },
    },
    async (_request, reply) => {
      const started = await oidc().start();
      reply.setCookie(OIDC_COOKIE, started.pending, {
        path: '/api/v1/auth/oidc',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.cookieSecure,
        maxAge: 600,
      });
      return reply.redirect(started.redirectTo, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['identity'],
        summary: 'Where the identity provider sends the browser back',
        hide: !deps.oidcEnabled,
      },
    },
    async (request, reply) => {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const claims = await oidc().finish(request.cookies[OIDC_COOKIE], query);
      const result = await identity.signInWithOidc(claims);
      reply.clearCookie(OIDC_COOKIE, { path: '/api/v1/auth/oidc' });
      setSessionCookie(reply, result);
      return reply.redirect('/', 302);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { permission: 'session:own' },
      schema: {
        tags: ['identity'],
        summary: 'Sign out: ends the session',
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await identity.logout(request.actor, request.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me/tokens',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Your API tokens',
        response: { 200: Type.Object({ items: Type.Array(TokenItem) }), ...problemResponses },
      },
    },
    async (request) => identity.listTokens(request.actor),
  );

  app.post(
    '/me/tokens',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Create an API token; the token is shown only in this answer',
        body: CreateTokenBody,
        response: { 201: Type.Object({ token: Type.String(), item: TokenItem }), ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await identity.createToken(request.actor, request.body)),
  );

  app.delete(
    '/me/tokens/:id',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Revoke one of your API tokens',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await identity.revokeToken(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/users',
    {
      config: { permission: 'users:read' },
      schema: {
        tags: ['identity'],
        summary: 'List user accounts',
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(User), total: Type.Integer() }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      identity.listUsers(request.actor, request.query.q, request.query.offset, request.query.limit),
  );

  app.post(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Create a user account',
        body: CreateUserBody,
        response: { 201: User, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await identity.createUser(request.actor, request.body)),
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['identity'],
        summary: "Change a user's profile, roles, password or status",
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User, ...problemResponses },
      },
    },
    async (request) => identity.updateUser(request.actor, request.params.id, request.body),
  );

  app.get(
    '/organizations',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['identity'],
        summary: 'Public institutions and companies on the platform',
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(Organization), total: Type.Integer() }),
          ...problemResponses,
        },
      },
    },
    async (request) => identity.listOrganizations(request.query.q, request.query.offset, request.query.limit),
  );

  app.get(
    '/organizations/:id',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['identity'],
        summary: 'One organisation',
        params: IdParams,
        response: { 200: Organization, ...problemResponses },
      },
    },
    async (request) => identity.getOrganization(request.params.id),
  );

  app.post(
    '/organizations',
    {
      config: { permission: 'organizations:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Register an organisation',
        body: CreateOrganizationBody,
        response: { 201: Organization, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await identity.createOrganization(request.actor, request.body)),
  );

  app.patch(
    '/organizations/:id',
    {
      config: { permission: 'organizations:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Change an organisation',
        params: IdParams,
        body: UpdateOrganizationBody,
        response: { 200: Organization, ...problemResponses },
      },
    },
    async (request) => identity.updateOrganization(request.actor, request.params.id, request.body),
  );

  app.get(
    '/organizations/:id/members',
    {
      config: { permission: 'organizations:members:read' },
      schema: {
        tags: ['identity'],
        summary: "An organisation's members and their roles",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Member) }), ...problemResponses },
      },
    },
    async (request) => identity.listMembers(request.actor, request.params.id),
  );

  app.post(
    '/organizations/:id/members',
    {
      config: { permission: 'organizations:members:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Add a member by username (or change their role)',
        params: IdParams,
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 100 }), role: MemberRoleSchema },
          { additionalProperties: false },
        ),
        response: { 200: Member, ...problemResponses },
      },
    },
    async (request) =>
      identity.addMemberByUsername(
        request.actor,
        request.params.id,
        request.body.username,
        request.body.role,
      ),
  );

  app.put(
    '/organizations/:id/members/:userId',
    {
      config: { permission: 'organizations:members:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Add a member or change their role',
        params: MemberParams,
        body: Type.Object({ role: MemberRoleSchema }, { additionalProperties: false }),
        response: { 200: Member, ...problemResponses },
      },
    },
    async (request) =>
      identity.setMember(request.actor, request.params.id, request.params.userId, request.body.role),
  );

  app.delete(
    '/organizations/:id/members/:userId',
    {
      config: { permission: 'organizations:members:manage' },
      schema: {
        tags: ['identity'],
        summary: 'Remove a member',
        params: MemberParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await identity.removeMember(request.actor, request.params.id, request.params.userId);
      return reply.status(204).send(null);
    },
  );

  clientRoutes(app, { identity });
}
