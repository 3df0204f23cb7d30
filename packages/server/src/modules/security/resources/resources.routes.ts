import { Type } from 'typebox';
import { ValidationError } from '../../../kernel/errors.ts';
import { type App, IdParams, problemResponses } from '../../../kernel/http/index.ts';
import {
  DerivationBody,
  DerivationSchema,
  ResourceQuery,
  RiskBody,
  ScanBody,
  ScanSchema,
  ScansQuery,
  SearchBody,
  SearchSchema,
  ThresholdsSchema,
} from './resources.schemas.ts';
import type { DerivationInput, ResourceSecurityService, SearchInput } from './resources.service.ts';

const tags = ['security'];

function requiredResource(id: string | undefined): string {
  if (id === undefined)
    throw new ValidationError('Give resourceId or entryCode.', [
      { path: '/resourceId', message: 'Required without entryCode' },
    ]);
  return id;
}

/** Scans, risk assessments and de-identified derivations of data tables. */
export function resourceSecurityRoutes(app: App, service: ResourceSecurityService): void {
  app.post(
    '/security/scans',
    {
      config: { permission: 'security:scan' },
      schema: {
        tags,
        summary: 'Scan a data table for personal and sensitive data (a job; follow it with GET)',
        body: ScanBody,
        response: { 202: ScanSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(202).send(await service.requestScan(request.actor, request.body)),
  );

  app.get(
    '/security/scans',
    {
      config: { permission: 'security:scan' },
      schema: {
        tags,
        summary: 'The scans of a data table, or of every table of a catalog entry, newest first',
        querystring: ScansQuery,
        response: { 200: Type.Object({ items: Type.Array(ScanSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items:
        request.query.entryCode !== undefined
          ? await service.scansOfEntry(request.actor, request.query.entryCode)
          : await service.scansOf(request.actor, requiredResource(request.query.resourceId)),
    }),
  );

  app.get(
    '/security/scans/:id',
    {
      config: { permission: 'security:scan' },
      schema: {
        tags,
        summary: 'One scan, with its report once done',
        params: IdParams,
        response: { 200: ScanSchema, ...problemResponses },
      },
    },
    async (request) => service.getScan(request.actor, request.params.id),
  );

  app.get(
    '/security/risk/thresholds',
    {
      config: { permission: 'security:scan' },
      schema: {
        tags,
        summary: 'The default re-identification risk thresholds of each use scenario',
        response: { 200: ThresholdsSchema, ...problemResponses },
      },
    },
    async () => service.defaultThresholds,
  );

  app.post(
    '/security/risk',
    {
      config: { permission: 'security:scan' },
      schema: {
        tags,
        summary: 'Assess the re-identification risk of a data table as it is',
        body: RiskBody,
        response: { 200: Type.Unknown(), ...problemResponses },
      },
    },
    async (request) => service.assess(request.actor, request.body),
  );

  app.post(
    '/security/risk/search',
    {
      config: { permission: 'security:scan' },
      schema: {
        tags,
        summary: 'Find the generalisation levels that reach k-anonymity with the least information loss',
        body: SearchBody,
        response: { 200: SearchSchema, ...problemResponses },
      },
    },
    async (request) => service.search(request.actor, request.body as SearchInput),
  );

  app.post(
    '/security/derivations',
    {
      config: { permission: 'security:derive' },
      schema: {
        tags,
        summary: 'Make a de-identified table from a data table, with its risk report (a job)',
        body: DerivationBody,
        response: { 202: DerivationSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await service.requestDerivation(request.actor, request.body as DerivationInput)),
  );

  app.get(
    '/security/derivations',
    {
      config: { permission: 'security:derive' },
      schema: {
        tags,
        summary: 'The derivations made from, or into, a data table',
        querystring: ResourceQuery,
        response: { 200: Type.Object({ items: Type.Array(DerivationSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await service.derivationsOf(request.actor, request.query.resourceId) }),
  );

  app.get(
    '/security/derivations/:id',
    {
      config: { permission: 'security:derive' },
      schema: {
        tags,
        summary: 'One derivation: its lineage, risk report and clearance',
        params: IdParams,
        response: { 200: DerivationSchema, ...problemResponses },
      },
    },
    async (request) => service.getDerivation(request.actor, request.params.id),
  );
}
