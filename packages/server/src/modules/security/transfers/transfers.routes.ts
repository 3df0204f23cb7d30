import { Type } from 'typebox';
import { type App, IdParams, problemResponses } from '../../../kernel/http/index.ts';
import {
  AssessmentBody,
  AssessmentSchema,
  DecideBody,
  RoutePreviewBody,
  TransferBody,
  TransferRulesResponse,
  TransferRulesSchema,
  TransferSchema,
  TransfersQuery,
  TransferUpdateBody,
} from './transfers.schemas.ts';
import type { TransferService } from './transfers.service.ts';

const tags = ['security'];
const withUnprocessable = { ...problemResponses, 422: Type.Ref('Problem') };

export function transferRoutes(app: App, deps: { transfers: TransferService }): void {
  const { transfers } = deps;

  app.get(
    '/security/transfers',
    {
      config: { permission: 'security:transfers:read' },
      schema: {
        tags,
        summary:
          "Cross-border transfer requests: your organisation's (operators, auditors, security officers: all)",
        querystring: TransfersQuery,
        response: { 200: Type.Object({ items: Type.Array(TransferSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await transfers.list(request.actor, request.query) }),
  );

  app.post(
    '/security/transfers',
    {
      config: { permission: 'security:transfers:request' },
      schema: {
        tags,
        summary: 'Draft a cross-border transfer request',
        body: TransferBody,
        response: { 201: TransferSchema, ...withUnprocessable },
      },
    },
    async (request, reply) => reply.status(201).send(await transfers.create(request.actor, request.body)),
  );

  app.post(
    '/security/transfers/route',
    {
      config: { permission: 'security:transfers:request' },
      schema: {
        tags,
        summary: 'The route a request would take now (cumulative counts since 1 January), without saving it',
        body: RoutePreviewBody,
        response: { 200: AssessmentSchema, ...withUnprocessable },
      },
    },
    async (request) => transfers.preview(request.actor, { ...request.body, recipient: '-', purpose: '-' }),
  );

  app.get(
    '/security/transfers/rules',
    {
      config: { permission: 'security:transfers:read' },
      schema: {
        tags,
        summary: 'The thresholds in force, with the defaults',
        response: { 200: TransferRulesResponse, ...problemResponses },
      },
    },
    async (request) => transfers.rules(request.actor),
  );

  app.put(
    '/security/transfers/rules',
    {
      config: { permission: 'security:transfers:rules' },
      schema: {
        tags,
        summary: 'Replace the thresholds',
        body: TransferRulesSchema,
        response: { 200: TransferRulesResponse, ...withUnprocessable },
      },
    },
    async (request) => transfers.setRules(request.actor, request.body),
  );

  app.get(
    '/security/transfers/:id',
    {
      config: { permission: 'security:transfers:read' },
      schema: {
        tags,
        summary: 'One cross-border transfer request',
        params: IdParams,
        response: { 200: TransferSchema, ...problemResponses },
      },
    },
    async (request) => transfers.get(request.actor, request.params.id),
  );

  app.put(
    '/security/transfers/:id',
    {
      config: { permission: 'security:transfers:request' },
      schema: {
        tags,
        summary: 'Change a draft request',
        params: IdParams,
        body: TransferUpdateBody,
        response: { 200: TransferSchema, ...withUnprocessable },
      },
    },
    async (request) => transfers.update(request.actor, request.params.id, request.body),
  );

  app.post(
    '/security/transfers/:id/submit',
    {
      config: { permission: 'security:transfers:request' },
      schema: {
        tags,
        summary: 'Submit a draft: its route is computed and kept',
        params: IdParams,
        response: { 200: TransferSchema, ...withUnprocessable },
      },
    },
    async (request) => transfers.submit(request.actor, request.params.id),
  );

  app.post(
    '/security/transfers/:id/decision',
    {
      config: { permission: 'security:transfers:decide' },
      schema: {
        tags,
        summary: 'Approve or reject a submitted request',
        params: IdParams,
        body: DecideBody,
        response: { 200: TransferSchema, ...problemResponses },
      },
    },
    async (request) => transfers.decide(request.actor, request.params.id, request.body),
  );

  app.post(
    '/security/transfers/:id/assessments',
    {
      config: { permission: 'security:transfers:request' },
      schema: {
        tags,
        summary: 'Add a personal information protection impact assessment (kept at least three years)',
        params: IdParams,
        body: AssessmentBody,
        response: { 201: TransferSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await transfers.addAssessment(request.actor, request.params.id, request.body)),
  );

  app.delete(
    '/security/transfer-assessments/:id',
    {
      config: { permission: 'security:transfers:request' },
      schema: {
        tags,
        summary: 'Delete an impact assessment (refused before its retention day)',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await transfers.deleteAssessment(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
