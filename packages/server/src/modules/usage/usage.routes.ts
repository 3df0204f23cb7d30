import { Type } from 'typebox';
import { type App, problemResponses } from '../../kernel/http/index.ts';
import type { UsageService } from './usage.service.ts';

const tags = ['usage'];
const Localized = Type.Object({
  zh: Type.String(),
  en: Type.Optional(Type.String()),
  fr: Type.Optional(Type.String()),
});
const Days = Type.Integer({ minimum: 1, maximum: 366, default: 30 });

export function usageRoutes(app: App, usage: UsageService): void {
  app.get(
    '/usage/top',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'The most used entries of the city (reads of their data by others than their providers)',
        querystring: Type.Object(
          { days: Type.Optional(Days), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            days: Type.Integer(),
            items: Type.Array(
              Type.Object({
                entryCode: Type.String(),
                title: Localized,
                organizationId: Type.String(),
                count: Type.Integer(),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => usage.top(request.query.days ?? 30, request.query.limit ?? 10),
  );

  app.get(
    '/usage/organizations/:id',
    {
      config: { permission: 'usage:read' },
      schema: {
        tags,
        summary: "How an institution's data is used: by entry and channel, by caller, and by day",
        params: Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        querystring: Type.Object({ days: Type.Optional(Days) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            organizationId: Type.String(),
            days: Type.Integer(),
            since: Type.String(),
            total: Type.Integer(),
            entries: Type.Array(
              Type.Object({
                entryCode: Type.String(),
                title: Localized,
                count: Type.Integer(),
                channels: Type.Record(Type.String(), Type.Integer()),
              }),
            ),
            callers: Type.Array(
              Type.Object({
                kind: Type.String(),
                organizationId: Type.Union([Type.String(), Type.Null()]),
                organizationName: Type.Union([Type.String(), Type.Null()]),
                count: Type.Integer(),
              }),
            ),
            series: Type.Array(Type.Object({ day: Type.String(), count: Type.Integer() })),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => usage.ofOrganization(request.actor, request.params.id, request.query.days ?? 30),
  );
}
