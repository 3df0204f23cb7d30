import { Type } from 'typebox';
import { definePermissions } from '../kernel/auth/index.ts';
import type { App } from '../kernel/http/index.ts';
import { sendProblem } from '../kernel/http/index.ts';

definePermissions([
  {
    id: 'metrics:read',
    description: 'Scrape Prometheus metrics.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
]);

/** Modules that exist in this build; the web app shows the others as coming. */
export const MODULES = ['ledger', 'identity', 'jobs', 'catalog'] as const;
const PLANNED = ['datastore', 'sharing', 'opening', 'zones', 'exchange', 'security', 'statistics', 'city'];

export interface SystemRouteDeps {
  ping: () => Promise<void>;
  pendingMigrations: () => Promise<string[]>;
  counts: () => Promise<{ users: number; organizations: number; institutions: number; companies: number }>;
  ledgerSize: () => Promise<number>;
  version: string;
}

export function systemRoutes(app: App, deps: SystemRouteDeps): void {
  app.get(
    '/health',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }) },
      },
    },
    async () => ({ status: 'ok' as const, version: deps.version }),
  );

  app.get(
    '/ready',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and its schema is current',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            database: Type.Literal('ok'),
            migrations: Type.Literal('current'),
          }),
        },
      },
    },
    async (request, reply) => {
      try {
        await deps.ping();
      } catch {
        return sendProblem(request, reply, 503, 'DATABASE_UNREACHABLE', 'The database does not answer.');
      }
      const pending = await deps.pendingMigrations();
      if (pending.length > 0) {
        return sendProblem(
          request,
          reply,
          503,
          'MIGRATIONS_PENDING',
          `Migrations not applied: ${pending.join(', ')}.`,
        );
      }
      return { status: 'ready' as const, database: 'ok' as const, migrations: 'current' as const };
    },
  );

  app.get(
    '/stats/overview',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['system'],
        summary: 'What the platform holds, for its home page',
        response: {
          200: Type.Object({
            organizations: Type.Integer(),
            institutions: Type.Integer(),
            companies: Type.Integer(),
            users: Type.Integer(),
            ledgerEntries: Type.Integer(),
            treeSize: Type.Integer(),
            modules: Type.Array(Type.Object({ id: Type.String(), available: Type.Boolean() })),
          }),
        },
      },
    },
    async () => {
      const [counts, size] = await Promise.all([deps.counts(), deps.ledgerSize()]);
      return {
        ...counts,
        ledgerEntries: size,
        treeSize: size,
        modules: [
          ...MODULES.map((id) => ({ id, available: true })),
          ...PLANNED.map((id) => ({ id, available: false })),
        ],
      };
    },
  );
}

export function metricsRoute(app: App, render: () => Promise<{ contentType: string; body: string }>): void {
  app.get(
    '/metrics',
    { config: { permission: 'metrics:read' }, schema: { hide: true } },
    async (_request, reply) => {
      const { contentType, body } = await render();
      return reply.type(contentType).send(body);
    },
  );
}
