import { Type } from 'typebox';
import { definePermissions, requirePermission } from '../auth/index.ts';
import type { App } from '../http/index.ts';
import { problemResponses } from '../http/index.ts';
import type { Jobs } from '../jobs/index.ts';
import type { Ledger } from './ledger.service.ts';

definePermissions([
  {
    id: 'ledger:entries:read',
    description: 'Read transparency-log entries (who did what to which object, when).',
    rule: { kind: 'roles', platformRoles: ['operator', 'auditor', 'security_officer'] },
  },
  {
    id: 'ledger:verify',
    description: 'Start a full verification of the transparency log.',
    rule: { kind: 'roles', platformRoles: ['operator', 'auditor'] },
  },
]);

const TreeHead = Type.Object({
  treeSize: Type.Integer(),
  rootHash: Type.String({ description: 'base64 SHA-256' }),
  timestamp: Type.String(),
  keyId: Type.String(),
  signature: Type.String({ description: 'base64 Ed25519 signature over the canonical tree head' }),
});

const Entry = Type.Object({
  index: Type.Integer(),
  leafHash: Type.String(),
  entry: Type.String({ description: 'The canonical JSON text that was hashed' }),
  recordedAt: Type.String(),
});

const Index = Type.Integer({ minimum: 0, maximum: 2 ** 52 });

export const VERIFY_JOB = 'ledger.verify';

export function ledgerRoutes(
  app: App,
  deps: { ledger: Ledger; jobs: Jobs; db: Parameters<Jobs['enqueue']>[0] },
): void {
  const { ledger } = deps;

  app.get(
    '/ledger/public-key',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['ledger'],
        summary: 'The Ed25519 key that signs tree heads',
        response: {
          200: Type.Object({
            algorithm: Type.Literal('Ed25519'),
            keyId: Type.String(),
            publicKeySpki: Type.String(),
            publicKeyPem: Type.String(),
          }),
        },
      },
    },
    async () => ledger.publicKey(),
  );

  app.get(
    '/ledger/sth',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['ledger'],
        summary: 'The latest signed tree head (signed now if the log grew)',
        response: { 200: TreeHead },
      },
    },
    async () => ledger.signLatest(),
  );

  app.get(
    '/ledger/sth/:treeSize',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['ledger'],
        summary: 'The signed tree head for one tree size',
        params: Type.Object({ treeSize: Index }, { additionalProperties: false }),
        response: { 200: TreeHead, ...problemResponses },
      },
    },
    async (request) => ledger.treeHead(request.params.treeSize),
  );

  app.get(
    '/ledger/proof/inclusion',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['ledger'],
        summary: 'RFC 9162 inclusion proof of one entry in a tree of a given size',
        querystring: Type.Object(
          { index: Index, treeSize: Type.Integer({ minimum: 1, maximum: 2 ** 52 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            index: Type.Integer(),
            treeSize: Type.Integer(),
            leafHash: Type.String(),
            auditPath: Type.Array(Type.String()),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => ledger.proveInclusion(request.query.index, request.query.treeSize),
  );

  app.get(
    '/ledger/proof/consistency',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['ledger'],
        summary: 'RFC 9162 consistency proof between two tree sizes',
        querystring: Type.Object({ first: Index, second: Index }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            first: Type.Integer(),
            second: Type.Integer(),
            proof: Type.Array(Type.String()),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => ledger.proveConsistency(request.query.first, request.query.second),
  );

  app.get(
    '/ledger/entries',
    {
      config: { permission: 'ledger:entries:read' },
      schema: {
        tags: ['ledger'],
        summary: 'Log entries, newest first by default',
        querystring: Type.Object(
          {
            offset: Type.Integer({ minimum: 0, default: 0 }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Entry), total: Type.Integer() }),
          ...problemResponses,
        },
      },
    },
    async (request) => ledger.listEntries(request.query.offset, request.query.limit, request.query.order),
  );

  app.get(
    '/ledger/entries/:index',
    {
      config: { permission: 'ledger:entries:read' },
      schema: {
        tags: ['ledger'],
        summary: 'One log entry',
        params: Type.Object({ index: Index }, { additionalProperties: false }),
        response: { 200: Entry, ...problemResponses },
      },
    },
    async (request) => ledger.getEntry(request.params.index),
  );

  app.post(
    '/ledger/verifications',
    {
      config: { permission: 'ledger:verify' },
      schema: {
        tags: ['ledger'],
        summary: 'Start a background job that recomputes the whole tree and checks every signed tree head',
        response: { 202: Type.Object({ jobId: Type.String() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      requirePermission(request.actor, 'ledger:verify');
      const actor = request.actor;
      const jobId = await deps.jobs.enqueue(deps.db, {
        kind: VERIFY_JOB,
        createdBy: actor.kind === 'user' ? actor.userId : null,
        maxAttempts: 3,
      });
      return reply.status(202).send({ jobId });
    },
  );
}
