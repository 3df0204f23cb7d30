import type { Actor } from '../auth/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api route with the permission it declared (route walk test, API docs). */
    declaredRoutes: { method: string; url: string; permission: string }[];
  }
  interface FastifyRequest {
    /** Who is asking: resolved from the session cookie or the bearer token before any handler runs. */
    actor: Actor;
    /** The CSRF token of the cookie session, when the request came with one. */
    sessionCsrf: string | undefined;
  }
  interface FastifyContextConfig {
    /** The permission the route needs ('public' for none). Every /api route must declare it. */
    permission?: string;
    /** Skip the CSRF check (sign-in, which has no session yet). */
    csrfExempt?: boolean;
  }
}
