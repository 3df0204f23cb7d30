import type { FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { type FieldError, ValidationError } from '../../kernel/errors.ts';
import { type App, IdParams, problemResponses } from '../../kernel/http/index.ts';
import {
  APPLICANT_KINDS,
  APPLICATION_KINDS,
  APPLICATION_STATES,
  GRANT_STATES,
  HISTORY_ACTIONS,
  OPERATIONS,
} from './access.model.ts';
import type { AccessService, RefusedStage } from './access.service.ts';

const tags = ['access'];

/** A union of string literals that keeps its literal types (for the handlers) and lists them (for OpenAPI). */
function oneOf<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));
}

const LocalizedText = Type.Object({
  zh: Type.String(),
  en: Type.Optional(Type.String()),
  fr: Type.Optional(Type.String()),
});
const PlainDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const FieldNames = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 1000 });
const LongText = Type.String({ minLength: 1, maxLength: 4000 });

const ApplicationSchema = Type.Object({
  id: Type.String(),
  kind: oneOf(APPLICATION_KINDS),
  entryCode: Type.String(),
  entryTitle: LocalizedText,
  providerOrganizationId: Type.String(),
  providerName: Type.Union([LocalizedText, Type.String()]),
  grade: Type.String(),
  needsCentre: Type.Boolean(),
  applicant: Type.Object({
    userId: Type.String(),
    username: Type.String(),
    kind: oneOf(APPLICANT_KINDS),
    organizationId: Nullable(Type.String()),
    name: Type.String(),
    creditCode: Nullable(Type.String()),
  }),
  purpose: Type.String(),
  scenario: Type.String(),
  fields: Type.Array(Type.String()),
  operations: Type.Array(oneOf(OPERATIONS)),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  securityMeasures: Type.String(),
  terms: Type.Object({ version: Type.String(), hash: Type.String(), acceptedAt: Type.String() }),
  state: oneOf(APPLICATION_STATES),
  reviewDeadline: Type.String(),
  history: Type.Array(
    Type.Object({
      at: Type.String(),
      actor: Type.String(),
      action: oneOf(HISTORY_ACTIONS),
      comment: Nullable(Type.String()),
    }),
  ),
  grantId: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const GrantSchema = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  kind: oneOf(APPLICATION_KINDS),
  entryCode: Type.String(),
  entryTitle: LocalizedText,
  providerOrganizationId: Type.String(),
  grantee: Type.Object({
    userId: Type.String(),
    username: Type.String(),
    organizationId: Nullable(Type.String()),
  }),
  fields: Type.Array(Type.String()),
  operations: Type.Array(oneOf(OPERATIONS)),
  validFrom: Type.String(),
  validUntil: Type.String(),
  state: oneOf(GRANT_STATES),
  revokedAt: Nullable(Type.String()),
  revokedReason: Nullable(Type.String()),
  createdAt: Type.String(),
});

const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  params: Type.Record(Type.String(), Type.String()),
  link: Nullable(Type.String()),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
});

const ApplyBody = Type.Object(
  {
    kind: oneOf(APPLICATION_KINDS),
    entryCode: Type.String({ minLength: 1, maxLength: 60 }),
    applicantKind: oneOf(APPLICANT_KINDS),
    organizationId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    applicantName: Type.String({ minLength: 1, maxLength: 200 }),
    creditCode: Type.Optional(Nullable(Type.String({ maxLength: 18 }))),
    purpose: LongText,
    scenario: LongText,
    fields: FieldNames,
    operations: Type.Array(oneOf(OPERATIONS), { minItems: 1, maxItems: 3 }),
    periodStart: PlainDate,
    periodEnd: PlainDate,
    securityMeasures: LongText,
    termsVersion: Type.String({ minLength: 1, maxLength: 40 }),
    acceptTerms: Type.Boolean(),
  },
  { additionalProperties: false },
);

const ReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('ask')]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
    fields: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 1000 })),
    periodEnd: Type.Optional(PlainDate),
  },
  { additionalProperties: false },
);

const CentreReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

const ReplyBody = Type.Object(
  {
    comment: LongText,
    purpose: Type.Optional(LongText),
    scenario: Type.Optional(LongText),
    securityMeasures: Type.Optional(LongText),
    fields: Type.Optional(FieldNames),
    periodStart: Type.Optional(PlainDate),
    periodEnd: Type.Optional(PlainDate),
  },
  { additionalProperties: false },
);

const Page = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
};

/** The field names a schema error is about, for the log (the kernel renders the answer itself). */
function schemaErrors(request: FastifyRequest): FieldError[] {
  const items = (request.validationError?.validation ?? []) as {
    instancePath?: string;
    params?: { missingProperty?: unknown };
  }[];
  return items.map((item) => ({
    path:
      typeof item.params?.missingProperty === 'string'
        ? item.params.missingProperty
        : (item.instancePath ?? '').replace(/^\//, ''),
    message: 'is invalid',
  }));
}

export function accessRoutes(app: App, deps: { access: AccessService }): void {
  const { access } = deps;

  /** A request the schema refused is still written to the log, then answered as the kernel answers it. */
  async function refuseInvalid(request: FastifyRequest, stage: RefusedStage, id?: string): Promise<void> {
    const error = request.validationError;
    if (error === undefined) return;
    await access.recordRefusedRequest(
      request.actor,
      stage,
      id,
      new ValidationError('The request does not match the schema.', schemaErrors(request)),
    );
    throw error;
  }

  app.get(
    '/access/terms',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'The usage agreement an applicant accepts (shown before submission)',
        response: {
          200: Type.Object({
            version: Type.String(),
            hash: Type.String(),
            text: Type.Object({ zh: Type.String(), en: Type.String(), fr: Type.String() }),
          }),
          ...problemResponses,
        },
      },
    },
    async () => access.terms(),
  );

  app.post(
    '/access/applications',
    {
      config: { permission: 'access:apply' },
      attachValidation: true,
      schema: {
        tags,
        summary:
          'Apply for conditional opening (kind open, Art. 18) or sharing (kind share, Art. 17) of an entry',
        body: ApplyBody,
        response: { 201: ApplicationSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      await refuseInvalid(request, 'apply');
      return reply.status(201).send(await access.apply(request.actor, request.body));
    },
  );

  app.get(
    '/access/applications',
    {
      config: { permission: 'access:read' },
      schema: {
        tags,
        summary:
          'Your applications, those for your institution’s entries (by deadline), or the centre’s queue',
        querystring: Type.Object(
          {
            view: Type.Optional(
              Type.Union([Type.Literal('mine'), Type.Literal('provider'), Type.Literal('centre')]),
            ),
            state: Type.Optional(oneOf(APPLICATION_STATES)),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(ApplicationSchema), total: Type.Integer() }),
          ...problemResponses,
        },
      },
    },
    async (request) => access.list(request.actor, request.query),
  );

  app.get(
    '/access/applications/:id',
    {
      config: { permission: 'access:read' },
      schema: {
        tags,
        summary: 'One application with its history',
        params: IdParams,
        response: { 200: ApplicationSchema, ...problemResponses },
      },
    },
    async (request) => access.get(request.actor, request.params.id),
  );

  app.post(
    '/access/applications/:id/review',
    {
      config: { permission: 'access:review' },
      attachValidation: true,
      schema: {
        tags,
        summary: 'Decide for the provider institution: approve (may narrow fields and period), reject or ask',
        params: IdParams,
        body: ReviewBody,
        response: { 200: ApplicationSchema, ...problemResponses },
      },
    },
    async (request) => {
      await refuseInvalid(request, 'review', request.params.id);
      return access.review(request.actor, request.params.id, request.body);
    },
  );

  app.post(
    '/access/applications/:id/centre-review',
    {
      config: { permission: 'access:centre-review' },
      attachValidation: true,
      schema: {
        tags,
        summary: 'Decide for the big data centre on important data, after the provider approved',
        params: IdParams,
        body: CentreReviewBody,
        response: { 200: ApplicationSchema, ...problemResponses },
      },
    },
    async (request) => {
      await refuseInvalid(request, 'centre-review', request.params.id);
      return access.centreReview(request.actor, request.params.id, request.body);
    },
  );

  app.post(
    '/access/applications/:id/reply',
    {
      config: { permission: 'access:apply' },
      schema: {
        tags,
        summary: 'Answer the reviewer’s question (and amend the application); it goes back to review',
        params: IdParams,
        body: ReplyBody,
        response: { 200: ApplicationSchema, ...problemResponses },
      },
    },
    async (request) => access.reply(request.actor, request.params.id, request.body),
  );

  app.post(
    '/access/applications/:id/withdraw',
    {
      config: { permission: 'access:apply' },
      schema: {
        tags,
        summary: 'Withdraw your pending application',
        params: IdParams,
        response: { 200: ApplicationSchema, ...problemResponses },
      },
    },
    async (request) => access.withdraw(request.actor, request.params.id),
  );

  app.get(
    '/access/grants',
    {
      config: { permission: 'access:read' },
      schema: {
        tags,
        summary: 'Your grants (and your institutions’ shares), or the grants on your institution’s entries',
        querystring: Type.Object(
          {
            view: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('provider')])),
            state: Type.Optional(oneOf(GRANT_STATES)),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(GrantSchema), total: Type.Integer() }),
          ...problemResponses,
        },
      },
    },
    async (request) => access.grants(request.actor, request.query),
  );

  app.post(
    '/access/grants/:id/revoke',
    {
      config: { permission: 'access:revoke' },
      attachValidation: true,
      schema: {
        tags,
        summary: 'Revoke an active grant, with the reason (effective from the next request)',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: GrantSchema, ...problemResponses },
      },
    },
    async (request) => {
      await refuseInvalid(request, 'revoke', request.params.id);
      return access.revoke(request.actor, request.params.id, request.body.reason);
    },
  );

  app.get(
    '/notifications',
    {
      config: { permission: 'notifications:read' },
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first, with the count of unread ones',
        querystring: Type.Object(
          {
            unread: Type.Optional(Type.Boolean()),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(NotificationSchema), unread: Type.Integer() }),
          ...problemResponses,
        },
      },
    },
    async (request) => access.notifications(request.actor, request.query),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { permission: 'notifications:read' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of your notifications read',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await access.markRead(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
