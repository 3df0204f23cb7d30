import type { Kysely, Transaction } from 'kysely';
import { Type } from 'typebox';
import { type Actor, can, definePermissions, requirePermission } from '../auth/index.ts';
import type { Database } from '../db/database.ts';
import { ForbiddenError } from '../errors.ts';
import type { App } from '../http/index.ts';
import { IdParams, problemResponses } from '../http/index.ts';
import type { Jobs } from './jobs.service.ts';

definePermissions([
  {
    id: 'jobs:read',
    description: 'Follow the progress of your own background jobs.',
    rule: { kind: 'authenticated' },
  },
  {
    id: 'jobs:manage',
    description: 'See and cancel every background job.',
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: [], owner: true },
  },
]);

const Job = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  progress: Type.Object({
    done: Type.Number(),
    total: Type.Union([Type.Number(), Type.Null()]),
    message: Type.Union([Type.String(), Type.Null()]),
  }),
  result: Type.Unknown(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  cancelRequested: Type.Boolean(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

/** Where the cancel request is logged: the transparency log, passed in so jobs does not depend on it. */
export interface ChangeLog {
  record(
    trx: Transaction<Database>,
    actor: Actor,
    input: { action: string; objects: { type: string; id: string }[]; details?: Record<string, unknown> },
  ): Promise<number>;
}

export function jobsRoutes(app: App, deps: { jobs: Jobs; ledger: ChangeLog; db: Kysely<Database> }): void {
  const { jobs } = deps;

  app.get(
    '/jobs',
    {
      config: { permission: 'jobs:read' },
      schema: {
        tags: ['jobs'],
        summary: 'Background jobs: your own, or all of them for operators',
        querystring: Type.Object(
          {
            offset: Type.Integer({ minimum: 0, default: 0 }),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            status: Type.Optional(
              Type.Union(
                ['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => Type.Literal(s)),
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Job), total: Type.Integer() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const actor = request.actor;
      const all = actor.kind === 'user' && actor.platformRoles.includes('operator');
      return jobs.list({
        ...(all || actor.kind !== 'user' ? {} : { createdBy: actor.userId }),
        ...(request.query.status === undefined ? {} : { status: request.query.status as never }),
        offset: request.query.offset,
        limit: request.query.limit,
      });
    },
  );

  app.get(
    '/jobs/:id',
    {
      config: { permission: 'jobs:read' },
      schema: {
        tags: ['jobs'],
        summary: "A job's status and progress",
        params: IdParams,
        response: { 200: Job, ...problemResponses },
      },
    },
    async (request) => {
      const job = await jobs.get(request.params.id);
      if (!can(request.actor, 'jobs:manage', { ownerUserId: job.createdBy ?? '' })) {
        throw new ForbiddenError('This job belongs to someone else.');
      }
      return job;
    },
  );

  app.post(
    '/jobs/:id/cancel',
    {
      config: { permission: 'jobs:read' },
      schema: {
        tags: ['jobs'],
        summary: 'Ask a job to stop',
        params: IdParams,
        response: { 200: Job, ...problemResponses },
      },
    },
    async (request) => {
      const job = await jobs.get(request.params.id);
      requirePermission(request.actor, 'jobs:manage', { ownerUserId: job.createdBy ?? '' });
      return deps.db.transaction().execute(async (trx) => {
        const cancelled = await jobs.requestCancel(trx, request.params.id);
        await deps.ledger.record(trx, request.actor, {
          action: 'kernel.job.cancel-requested',
          objects: [{ type: 'job', id: request.params.id }],
          details: { kind: cancelled.kind },
        });
        return cancelled;
      });
    },
  );
}
