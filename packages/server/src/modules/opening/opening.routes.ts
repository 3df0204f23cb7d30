import { Type } from 'typebox';
import { type App, IdParams, problemResponses } from '../../kernel/http/index.ts';
import { type DcatRouteDeps, sendEntriesCatalog } from '../catalog/index.ts';
import { cityPlanCsv } from './opening.csv.ts';
import {
  CityPlanSchema,
  CreatePlanBody,
  ItemsBody,
  PlanSchema,
  PlansQuery,
  ReviewBody,
  YearParams,
} from './opening.schemas.ts';
import type { OpeningService } from './opening.service.ts';

const tags = ['opening'];

export interface OpeningRouteDeps {
  opening: OpeningService;
  /** What the DCAT catalog of a year's plan needs: the catalog, its publisher and public address. */
  dcat: DcatRouteDeps;
}

export function openingRoutes(app: App, deps: OpeningRouteDeps): void {
  const { opening } = deps;

  app.get(
    '/opening/plans',
    {
      config: { permission: 'opening:read' },
      schema: {
        tags,
        summary: "Opening plans: your organisations' (operators and auditors: all)",
        querystring: PlansQuery,
        response: { 200: Type.Object({ items: Type.Array(PlanSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: await opening.list(request.actor, {
        year: request.query.year,
        organizationId: request.query.organizationId,
      }),
    }),
  );

  app.get(
    '/opening/plans/:id',
    {
      config: { permission: 'opening:read' },
      schema: {
        tags,
        summary: 'One opening plan',
        params: IdParams,
        response: { 200: PlanSchema, ...problemResponses },
      },
    },
    async (request) => opening.get(request.actor, request.params.id),
  );

  app.post(
    '/opening/plans',
    {
      config: { permission: 'opening:plan' },
      schema: {
        tags,
        summary: "Start an organisation's opening plan for a year",
        body: CreatePlanBody,
        response: { 201: PlanSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const plan = await opening.create(request.actor, request.body);
      return reply.status(201).send(plan);
    },
  );

  app.put(
    '/opening/plans/:id/items',
    {
      config: { permission: 'opening:plan' },
      schema: {
        tags,
        summary: 'Replace the items of a plan (an approved plan is amended: back to draft)',
        params: IdParams,
        body: ItemsBody,
        response: { 200: PlanSchema, 422: Type.Ref('Problem'), ...problemResponses },
      },
    },
    async (request) => opening.setItems(request.actor, request.params.id, request.body.items),
  );

  app.post(
    '/opening/plans/:id/submit',
    {
      config: { permission: 'opening:submit' },
      schema: {
        tags,
        summary: 'Submit a plan to the big data centre',
        params: IdParams,
        response: { 200: PlanSchema, 422: Type.Ref('Problem'), ...problemResponses },
      },
    },
    async (request) => opening.submit(request.actor, request.params.id),
  );

  app.post(
    '/opening/plans/:id/review',
    {
      config: { permission: 'opening:review' },
      schema: {
        tags,
        summary: 'Approve a submitted plan, or return it with a comment',
        params: IdParams,
        body: ReviewBody,
        response: { 200: PlanSchema, 422: Type.Ref('Problem'), ...problemResponses },
      },
    },
    async (request) => opening.review(request.actor, request.params.id, request.body),
  );

  app.get(
    '/opening/city/:year',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "The city's opening plan of a year: approved items and their progress",
        params: YearParams,
        response: { 200: CityPlanSchema, ...problemResponses },
      },
    },
    async (request) => opening.city(request.params.year),
  );

  app.get(
    '/opening/city/:year/plan.csv',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "The city's opening plan of a year as CSV (UTF-8 with BOM), one row per item",
        params: YearParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      const body = cityPlanCsv(await opening.city(year));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="opening-plan-${year}.csv"`)
        .send(body);
    },
  );

  app.get(
    '/opening/city/:year/plan.ttl',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "The entries of the city's opening plan of a year as a DCAT-AP catalog (Turtle)",
        params: YearParams,
        produces: ['text/turtle'],
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      const plan = await opening.city(year);
      return sendEntriesCatalog(request, reply, deps.dcat, {
        codes: plan.items.map((i) => i.entryCode),
        path: `/api/v1/opening/city/${year}`,
        title: {
          zh: `${year} 年度公共数据开放清单`,
          en: `Public data opening plan ${year}`,
          fr: `Plan d'ouverture des données publiques ${year}`,
        },
        description: {
          zh: `${year} 年度全市公共数据开放清单所列、已在目录中公开的数据资源（《北京市数字经济促进条例》第十八条）。`,
          en: `The data resources of the city's ${year} opening plan that the catalog already shows to the public (Art. 18 of the Beijing digital-economy regulation).`,
          fr: `Les ressources de données du plan d'ouverture ${year} de la ville que le catalogue montre déjà au public (art. 18).`,
        },
      });
    },
  );
}
