import { Type } from 'typebox';
import { type App, problemResponses } from '../../../kernel/http/index.ts';
import { importantDataCsv } from './grading.csv.ts';
import {
  CodeParams,
  DashboardSchema,
  DraftBody,
  GradingListSchema,
  GradingsQuery,
  GradingViewSchema,
  ImportantDataSchema,
  MatrixBody,
  MatrixSchema,
  OfficerBody,
  OfficerParams,
  OfficersSchema,
  OrgParams,
  ReviewBody,
} from './grading.schemas.ts';
import type { GradingService } from './grading.service.ts';

const tags = ['security'];
const withUnprocessable = { 422: Type.Ref('Problem'), ...problemResponses };

export function gradingRoutes(app: App, grading: GradingService): void {
  app.get(
    '/security/dashboard',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary:
          'Per institution: ungraded entries, gradings awaiting confirmation, alerts, incidents, officers',
        response: { 200: DashboardSchema, ...problemResponses },
      },
    },
    async (request) => grading.dashboard(request.actor),
  );

  app.get(
    '/security/grading/matrix',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: 'The grading matrix in force (GB/T 43697-2024 impact object × harm → level)',
        response: { 200: MatrixSchema, ...problemResponses },
      },
    },
    async (request) => grading.matrix(request.actor),
  );

  app.put(
    '/security/grading/matrix',
    {
      config: { permission: 'security:matrix' },
      schema: {
        tags,
        summary: 'Replace the grading matrix (every cell, a known grade)',
        body: MatrixBody,
        response: { 200: MatrixSchema, ...withUnprocessable },
      },
    },
    async (request) => grading.replaceMatrix(request.actor, request.body.matrix),
  );

  app.get(
    '/security/gradings',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: "Gradings of your organisations' entries (security officers, operators, auditors: all)",
        querystring: GradingsQuery,
        response: { 200: GradingListSchema, ...problemResponses },
      },
    },
    async (request) => grading.list(request.actor, request.query),
  );

  app.get(
    '/security/gradings/:code',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: "An entry's fields, its grading and every version of it",
        params: CodeParams,
        response: { 200: GradingViewSchema, ...problemResponses },
      },
    },
    async (request) => grading.get(request.actor, request.params.code),
  );

  app.put(
    '/security/gradings/:code',
    {
      config: { permission: 'security:grade' },
      schema: {
        tags,
        summary: "Save the draft grading of an entry (with the scanner's proposals, if any)",
        params: CodeParams,
        body: DraftBody,
        response: { 200: GradingViewSchema, ...withUnprocessable },
      },
    },
    async (request) => grading.saveDraft(request.actor, request.params.code, request.body),
  );

  app.post(
    '/security/gradings/:code/submit',
    {
      config: { permission: 'security:grade' },
      schema: {
        tags,
        summary: 'Propose the grading to the security officer',
        params: CodeParams,
        response: { 200: GradingViewSchema, ...withUnprocessable },
      },
    },
    async (request) => grading.submit(request.actor, request.params.code),
  );

  app.post(
    '/security/gradings/:code/review',
    {
      config: { permission: 'security:confirm' },
      schema: {
        tags,
        summary: "Confirm a proposed grading (it becomes the catalog entry's) or return it with a comment",
        params: CodeParams,
        body: ReviewBody,
        response: { 200: GradingViewSchema, ...withUnprocessable },
      },
    },
    async (request) => grading.review(request.actor, request.params.code, request.body),
  );

  app.get(
    '/security/organizations/:id/officers',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: "An organisation's chief data officer and security officer, with their history",
        params: OrgParams,
        response: { 200: OfficersSchema, ...problemResponses },
      },
    },
    async (request) => grading.officers(request.actor, request.params.id),
  );

  app.put(
    '/security/organizations/:id/officers/:role',
    {
      config: { permission: 'security:officers' },
      schema: {
        tags,
        summary: "Name an organisation's chief data officer or security officer (a member)",
        params: OfficerParams,
        body: OfficerBody,
        response: { 200: OfficersSchema, ...withUnprocessable },
      },
    },
    async (request) => grading.appoint(request.actor, request.params.id, request.params.role, request.body),
  );

  app.get(
    '/security/organizations/:id/important-data',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: "The organisation's catalog of important and core data, for reporting to the authority",
        params: OrgParams,
        response: { 200: ImportantDataSchema, ...problemResponses },
      },
    },
    async (request) => grading.importantData(request.actor, request.params.id),
  );

  app.get(
    '/security/organizations/:id/important-data.csv',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: 'The important-data catalog as CSV (UTF-8 with BOM), one row per field',
        params: OrgParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const report = await grading.importantData(request.actor, request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="important-data-${report.organization.code}.csv"`,
        )
        .send(importantDataCsv(report));
    },
  );
}
