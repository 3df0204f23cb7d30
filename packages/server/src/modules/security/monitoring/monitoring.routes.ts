import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type App, IdParams, problemResponses } from '../../../kernel/http/index.ts';
import { ThresholdsSchema } from './monitoring.rules.ts';
import {
  AlertSchema,
  AlertsQuery,
  NoteBody,
  NotificationsSchema,
  RunReportSchema,
  ThresholdsView,
} from './monitoring.schemas.ts';
import type { MonitoringService } from './monitoring.service.ts';

const tags = ['security'];
const responses = { ...problemResponses, 503: Type.Ref('Problem') };

/** The bearer token of a request, as the platform reads it (Authorization, or X-CKAN-API-Key). */
function bearer(request: FastifyRequest): string | undefined {
  const ckan = request.headers['x-ckan-api-key'];
  const header = request.headers.authorization ?? (typeof ckan === 'string' ? ckan : undefined);
  if (header === undefined) return undefined;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? (/\s/.test(header) ? undefined : header);
}

/**
 * Where each API token is used from: nothing else records it. Called by the platform for every answered
 * request (its one onResponse hook), on every prefix: the API, the CKAN actions, the DCAT addresses. A map
 * update per request, written in batches.
 */
export function tokenUseRecorder(monitoring: MonitoringService): (request: FastifyRequest) => void {
  return (request) => {
    const actor = request.actor;
    if (actor?.kind === 'user' && (actor.via === 'token' || actor.via === 'client')) {
      const token = bearer(request);
      if (token !== undefined) monitoring.recordTokenUse(token, actor, request.ip);
    }
  };
}

export function monitoringRoutes(app: App, monitoring: MonitoringService): void {
  app.get(
    '/security/alerts',
    {
      config: { permission: 'security-alerts:read' },
      schema: {
        tags,
        summary: "Monitoring alerts (an organisation's admins: those about its data)",
        querystring: AlertsQuery,
        response: {
          200: Type.Object({ items: Type.Array(AlertSchema), total: Type.Integer() }),
          ...responses,
        },
      },
    },
    async (request) => monitoring.list(request.actor, request.query),
  );

  app.get(
    '/security/alerts/:id',
    {
      config: { permission: 'security-alerts:read' },
      schema: {
        tags,
        summary: 'One alert with its evidence',
        params: IdParams,
        response: { 200: AlertSchema, ...responses },
      },
    },
    async (request) => monitoring.get(request.actor, request.params.id),
  );

  for (const move of ['acknowledge', 'close', 'escalate'] as const) {
    app.post(
      `/security/alerts/:id/${move}`,
      {
        config: { permission: 'security-alerts:handle' },
        schema: {
          tags,
          summary:
            move === 'escalate'
              ? 'Turn an alert into an incident'
              : move === 'close'
                ? 'Close an alert'
                : 'Acknowledge an alert',
          params: IdParams,
          body: NoteBody,
          response: { 200: AlertSchema, ...responses },
        },
      },
      async (request) => monitoring[move](request.actor, request.params.id, request.body?.note),
    );
  }

  app.get(
    '/security/alert-notifications',
    {
      config: { permission: 'security-alerts:read' },
      schema: {
        tags,
        summary: 'Your alert notices',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
          { additionalProperties: false },
        ),
        response: { 200: NotificationsSchema, ...responses },
      },
    },
    async (request) => monitoring.notifications(request.actor, request.query.limit),
  );

  app.post(
    '/security/alert-notifications/:id/read',
    {
      config: { permission: 'security-alerts:read' },
      schema: {
        tags,
        summary: 'Mark an alert notice read',
        params: IdParams,
        response: { 204: Type.Null(), ...responses },
      },
    },
    async (request, reply) => {
      await monitoring.markRead(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/security/monitoring/thresholds',
    {
      config: { permission: 'security-alerts:read' },
      schema: {
        tags,
        summary: 'Thresholds of the monitoring rules',
        response: { 200: ThresholdsView, ...responses },
      },
    },
    async (request) => monitoring.getThresholds(request.actor),
  );

  app.put(
    '/security/monitoring/thresholds',
    {
      config: { permission: 'security-monitoring:configure' },
      schema: {
        tags,
        summary: 'Replace the thresholds of the monitoring rules',
        body: ThresholdsSchema,
        response: { 200: ThresholdsView, ...responses },
      },
    },
    async (request) => monitoring.setThresholds(request.actor, request.body),
  );

  app.post(
    '/security/monitoring/run',
    {
      config: { permission: 'security-monitoring:run' },
      schema: {
        tags,
        summary: 'Evaluate the monitoring rules now',
        response: { 200: RunReportSchema, ...responses },
      },
    },
    async (request) => monitoring.run(request.actor),
  );
}
