import { Type } from 'typebox';
import { type App, IdParams, problemResponses } from '../../../kernel/http/index.ts';
import { reportMarkdown } from './incidents.export.ts';
import {
  IncidentDetailSchema,
  IncidentSchema,
  IncidentsQuery,
  LetterPreviewSchema,
  LetterQuery,
  LetterSchema,
  MoveBody,
  NoteBody,
  OpenIncidentBody,
  ReportBody,
  RulesResponse,
  RulesSchema,
  SendLetterBody,
  TaskBody,
  TaskUpdateBody,
  UpdateIncidentBody,
} from './incidents.schemas.ts';
import type { IncidentService } from './incidents.service.ts';

const tags = ['security'];
const withUnprocessable = { ...problemResponses, 422: Type.Ref('Problem') };

export function incidentRoutes(app: App, deps: { incidents: IncidentService }): void {
  const { incidents } = deps;

  app.get(
    '/security/incidents',
    {
      config: { permission: 'security:incidents:read' },
      schema: {
        tags,
        summary: "Data security incidents: your organisation's (operators, auditors, security officers: all)",
        querystring: IncidentsQuery,
        response: { 200: Type.Object({ items: Type.Array(IncidentSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await incidents.list(request.actor, request.query) }),
  );

  app.post(
    '/security/incidents',
    {
      config: { permission: 'security:incidents:manage' },
      schema: {
        tags,
        summary:
          'Record an incident; its severity is proposed and its reporting deadline computed by the rules',
        body: OpenIncidentBody,
        response: { 201: IncidentDetailSchema, ...withUnprocessable },
      },
    },
    async (request, reply) => reply.status(201).send(await incidents.open(request.actor, request.body)),
  );

  app.get(
    '/security/incidents/rules',
    {
      config: { permission: 'security:incidents:read' },
      schema: {
        tags,
        summary: 'The severity and reporting deadline rules in force, with the defaults',
        response: { 200: RulesResponse, ...problemResponses },
      },
    },
    async (request) => incidents.rules(request.actor),
  );

  app.put(
    '/security/incidents/rules',
    {
      config: { permission: 'security:incidents:rules' },
      schema: {
        tags,
        summary: 'Replace the severity and reporting deadline rules',
        body: RulesSchema,
        response: { 200: RulesResponse, ...withUnprocessable },
      },
    },
    async (request) => incidents.setRules(request.actor, request.body),
  );

  app.get(
    '/security/incidents/:id',
    {
      config: { permission: 'security:incidents:read' },
      schema: {
        tags,
        summary: 'One incident with its timeline, tasks and letters',
        params: IdParams,
        response: { 200: IncidentDetailSchema, ...problemResponses },
      },
    },
    async (request) => incidents.get(request.actor, request.params.id),
  );

  app.patch(
    '/security/incidents/:id',
    {
      config: { permission: 'security:incidents:manage' },
      schema: {
        tags,
        summary:
          'Change an incident (facts, remediation, notice items); severity and deadline follow the rules',
        params: IdParams,
        body: UpdateIncidentBody,
        response: { 200: IncidentDetailSchema, ...withUnprocessable },
      },
    },
    async (request) => incidents.update(request.actor, request.params.id, request.body),
  );

  app.post(
    '/security/incidents/:id/state',
    {
      config: { permission: 'security:incidents:manage' },
      schema: {
        tags,
        summary: 'Move an incident forward: open → contained → resolved → closed',
        params: IdParams,
        body: MoveBody,
        response: { 200: IncidentDetailSchema, ...problemResponses },
      },
    },
    async (request) => incidents.move(request.actor, request.params.id, request.body),
  );

  app.post(
    '/security/incidents/:id/report',
    {
      config: { permission: 'security:incidents:manage' },
      schema: {
        tags,
        summary: 'Record that the report to the authority was sent',
        params: IdParams,
        body: ReportBody,
        response: { 200: IncidentDetailSchema, ...problemResponses },
      },
    },
    async (request) => incidents.report(request.actor, request.params.id, request.body),
  );

  app.post(
    '/security/incidents/:id/notes',
    {
      config: { permission: 'security:incidents:manage' },
      schema: {
        tags,
        summary: 'Add a note to the timeline',
        params: IdParams,
        body: NoteBody,
        response: { 200: IncidentDetailSchema, ...problemResponses },
      },
    },
    async (request) => incidents.addNote(request.actor, request.params.id, request.body.text),
  );

  app.post(
    '/security/incidents/:id/tasks',
    {
      config: { permission: 'security:incidents:manage' },
      schema: {
        tags,
        summary: 'Add a task',
        params: IdParams,
        body: TaskBody,
        response: { 200: IncidentDetailSchema, ...problemResponses },
      },
    },
    async (request) => incidents.addTask(request.actor, request.params.id, request.body),
  );

  app.patch(
    '/security/incident-tasks/:id',
    {
      config: { permission: 'security:incidents:manage' },
      schema: {
        tags,
        summary: 'Change a task or mark it done',
        params: IdParams,
        body: TaskUpdateBody,
        response: { 200: IncidentDetailSchema, ...problemResponses },
      },
    },
    async (request) => incidents.updateTask(request.actor, request.params.id, request.body),
  );

  app.get(
    '/security/incidents/:id/letter-preview',
    {
      config: { permission: 'security:incidents:read' },
      schema: {
        tags,
        summary: 'The notification letter to the people affected (PIPL Art. 57), as it would be sent',
        params: IdParams,
        querystring: LetterQuery,
        response: { 200: LetterPreviewSchema, ...problemResponses },
      },
    },
    async (request) => incidents.previewLetter(request.actor, request.params.id, request.query.language),
  );

  app.post(
    '/security/incidents/:id/letters',
    {
      config: { permission: 'security:incidents:manage' },
      schema: {
        tags,
        summary:
          'Send the notification letter by e-mail to a list of addresses (queued, one job per address)',
        params: IdParams,
        body: SendLetterBody,
        response: { 202: LetterSchema, ...withUnprocessable },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await incidents.sendLetter(request.actor, request.params.id, request.body)),
  );

  app.get(
    '/security/incidents/:id/report.json',
    {
      config: { permission: 'security:incidents:read' },
      schema: { tags, summary: 'The report for the authority (JSON)', params: IdParams },
    },
    async (request, reply) => {
      const report = await incidents.exportReport(request.actor, request.params.id);
      return reply
        .header('content-disposition', `attachment; filename="incident-${request.params.id}.json"`)
        .send(report);
    },
  );

  app.get(
    '/security/incidents/:id/report.md',
    {
      config: { permission: 'security:incidents:read' },
      schema: {
        tags,
        summary: 'The report for the authority (plain-text Markdown)',
        params: IdParams,
        produces: ['text/markdown'],
      },
    },
    async (request, reply) => {
      const report = await incidents.exportReport(request.actor, request.params.id);
      return reply
        .header('content-type', 'text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="incident-${request.params.id}.md"`)
        .send(reportMarkdown(report));
    },
  );
}
