import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requirePermission } from '../../kernel/auth/index.ts';
import { ValidationError } from '../../kernel/errors.ts';
import type { App } from '../../kernel/http/index.ts';
import { problemResponses } from '../../kernel/http/index.ts';
import type { Jobs } from '../../kernel/jobs/index.ts';
import type { FacetName } from './catalog.facets.ts';
import { HARVEST_JOB, LINK_CHECK_JOB } from './catalog.harvest.ts';
import type { EntryMetadata, EntryState } from './catalog.model.ts';
import { type Language, languageOf } from './catalog.profile.ts';
import {
  CatalogRecordSchema,
  EntryDetailSchema,
  EntryMetadataSchema,
  FACETS,
  ObjectionSchema,
  ProfileExtensionSchema,
  ProfileSchema,
  QualitySchema,
  RefParams,
  SearchQuerySchema,
  SearchResultSchema,
  SubmissionSchema,
  VersionSchema,
} from './catalog.schemas.ts';
import type { CatalogService } from './catalog.service.ts';

export interface CatalogRouteDeps {
  catalog: CatalogService;
  jobs: Jobs;
  db: Parameters<Jobs['enqueue']>[0];
}

function lang(request: FastifyRequest): Language {
  return languageOf(request.headers['accept-language']);
}

const Paging = {
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
};

const OrgParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const VersionParams = Type.Object(
  { ref: Type.String({ minLength: 1, maxLength: 60 }), version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export function catalogRoutes(app: App, deps: CatalogRouteDeps): void {
  const { catalog } = deps;
  const tags = ['catalog'];

  app.get(
    '/catalog/profile',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'The catalog standard: required fields, code lists, rules',
        response: { 200: ProfileSchema },
      },
    },
    async () => catalog.profile(),
  );

  app.put(
    '/catalog/profile',
    {
      config: { permission: 'catalog:profile:manage' },
      schema: {
        tags,
        summary: 'Extend the catalog standard (more required fields, code-list values, extra fields)',
        body: ProfileExtensionSchema,
        response: { 200: ProfileSchema, ...problemResponses },
      },
    },
    async (request) => catalog.updateProfile(request.actor, request.body),
  );

  app.post(
    '/catalog/validate',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Check metadata against the catalog standard without saving it',
        body: EntryMetadataSchema,
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            errors: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
            grade: Type.String(),
            quality: QualitySchema,
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => catalog.validate(request.body as EntryMetadata, lang(request)),
  );

  app.get(
    '/catalog/entries',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Search the catalog: full text in Chinese, English and French, facets, sorting, paging',
        querystring: SearchQuerySchema,
        response: { 200: SearchResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      const query = request.query as Record<string, unknown>;
      const filters: Partial<Record<FacetName, string[]>> = {};
      for (const facet of FACETS) {
        const value = query[facet];
        if (value === undefined) continue;
        filters[facet] = (Array.isArray(value) ? value : [value]) as string[];
      }
      return catalog.search(request.actor, {
        ...(request.query.q === undefined ? {} : { q: request.query.q }),
        filters,
        ...(request.query.sort === undefined ? {} : { sort: request.query.sort }),
        offset: request.query.offset,
        limit: request.query.limit,
        ...(request.query.exact === true ? { exact: true } : {}),
      });
    },
  );

  app.post(
    '/catalog/entries',
    {
      config: { permission: 'catalog:edit' },
      schema: {
        tags,
        summary: 'Draft a new catalog entry',
        body: EntryMetadataSchema,
        response: { 201: CatalogRecordSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const record = await catalog.create(request.actor, request.body as EntryMetadata, lang(request));
      return reply.status(201).send(record);
    },
  );

  app.get(
    '/catalog/entries/:ref',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'One entry by id or resource code: metadata, working copy for its editors, quality',
        params: RefParams,
        response: { 200: EntryDetailSchema, ...problemResponses },
      },
    },
    async (request) => catalog.get(request.actor, request.params.ref),
  );

  app.put(
    '/catalog/entries/:ref',
    {
      config: { permission: 'catalog:edit' },
      schema: {
        tags,
        summary:
          'Save a new version of an entry (published entries keep serving until the new one is approved)',
        params: RefParams,
        querystring: Type.Object(
          { expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })) },
          { additionalProperties: false },
        ),
        body: EntryMetadataSchema,
        response: { 200: CatalogRecordSchema, ...problemResponses },
      },
    },
    async (request) =>
      catalog.update(
        request.actor,
        request.params.ref,
        request.body as EntryMetadata,
        lang(request),
        request.query.expectedVersion,
      ),
  );

  app.post(
    '/catalog/entries/:ref/retire',
    {
      config: { permission: 'catalog:submit' },
      schema: {
        tags,
        summary: 'Retire an entry: it leaves search and exports; its history stays',
        params: RefParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 2, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: CatalogRecordSchema, ...problemResponses },
      },
    },
    async (request) => catalog.retire(request.actor, request.params.ref, request.body.reason),
  );

  app.get(
    '/catalog/entries/:ref/versions',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "An entry's history: every version with its log entry",
        params: RefParams,
        response: { 200: Type.Array(VersionSchema), ...problemResponses },
      },
    },
    async (request) => catalog.versions(request.actor, request.params.ref),
  );

  app.get(
    '/catalog/entries/:ref/versions/:version',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'The metadata of one version',
        params: VersionParams,
        response: {
          200: Type.Object({
            version: Type.Integer(),
            metadata: EntryMetadataSchema,
            contentHash: Type.String(),
            createdAt: Type.String(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => catalog.version(request.actor, request.params.ref, request.params.version),
  );

  app.get(
    '/catalog/entries/:ref/versions/:version/proof',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "A version's log entry, a signed tree head and the inclusion proof that ties them",
        params: VersionParams,
        response: {
          200: Type.Object({
            version: Type.Integer(),
            contentHash: Type.String(),
            ledgerEntry: Type.Object({
              index: Type.Integer(),
              leafHash: Type.String(),
              entry: Type.String(),
              recordedAt: Type.String(),
            }),
            treeHead: Type.Object({
              treeSize: Type.Integer(),
              rootHash: Type.String(),
              timestamp: Type.String(),
              keyId: Type.String(),
              signature: Type.String(),
            }),
            inclusion: Type.Object({
              index: Type.Integer(),
              treeSize: Type.Integer(),
              leafHash: Type.String(),
              auditPath: Type.Array(Type.String()),
            }),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => catalog.proof(request.actor, request.params.ref, request.params.version),
  );

  app.get(
    '/catalog/entries/:ref/diff',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'What changed between two versions',
        params: RefParams,
        querystring: Type.Object(
          { from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            from: Type.Integer(),
            to: Type.Integer(),
            changes: Type.Array(
              Type.Object({ path: Type.String(), before: Type.Unknown(), after: Type.Unknown() }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => catalog.diff(request.actor, request.params.ref, request.query.from, request.query.to),
  );

  app.get(
    '/catalog/entries/:ref/objections',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "Objections to an entry, with the provider's answers and response times",
        params: RefParams,
        querystring: Type.Object(Paging, { additionalProperties: false }),
        response: {
          200: Type.Object({ total: Type.Integer(), items: Type.Array(ObjectionSchema) }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      catalog.objections(
        request.actor,
        { entry: request.params.ref },
        request.query.offset,
        request.query.limit,
      ),
  );

  app.post(
    '/catalog/entries/:ref/objections',
    {
      config: { permission: 'catalog:objections:file' },
      schema: {
        tags,
        summary: 'Report an error in an entry; the provider must answer',
        params: RefParams,
        body: Type.Object(
          {
            field: Type.Optional(Type.String({ maxLength: 100 })),
            message: Type.String({ minLength: 5, maxLength: 4000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ObjectionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await catalog.fileObjection(request.actor, request.params.ref, request.body)),
  );

  app.get(
    '/catalog/objections',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'All objections, newest first: their state and how long answers took',
        querystring: Type.Object(
          {
            ...Paging,
            organizationId: Type.Optional(Type.String({ format: 'uuid' })),
            state: Type.Optional(
              Type.Union([Type.Literal('open'), Type.Literal('accepted'), Type.Literal('rejected')]),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ total: Type.Integer(), items: Type.Array(ObjectionSchema) }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      catalog.objections(
        request.actor,
        {
          ...(request.query.organizationId === undefined
            ? {}
            : { organizationId: request.query.organizationId }),
          ...(request.query.state === undefined ? {} : { state: request.query.state }),
        },
        request.query.offset,
        request.query.limit,
      ),
  );

  app.post(
    '/catalog/objections/:id/answer',
    {
      config: { permission: 'catalog:objections:answer' },
      schema: {
        tags,
        summary: 'Answer an objection: accept it (and fix the entry) or reject it with reasons',
        params: IdParams,
        body: Type.Object(
          {
            resolution: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
            response: Type.String({ minLength: 2, maxLength: 4000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ObjectionSchema, ...problemResponses },
      },
    },
    async (request) => catalog.answerObjection(request.actor, request.params.id, request.body),
  );

  app.post(
    '/catalog/submissions',
    {
      config: { permission: 'catalog:submit' },
      schema: {
        tags,
        summary: "Submit an institution's drafts (all, or the listed ones) for review",
        body: Type.Object(
          {
            organizationId: Type.String({ format: 'uuid' }),
            entryIds: Type.Optional(
              Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 5000 }),
            ),
            comment: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SubmissionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await catalog.submit(
            request.actor,
            request.body.organizationId,
            request.body.entryIds,
            request.body.comment,
            lang(request),
          ),
        ),
  );

  app.get(
    '/catalog/submissions',
    {
      config: { permission: 'catalog:manage-own' },
      schema: {
        tags,
        summary: 'Submissions: the review queue for the operator, your own for an institution',
        querystring: Type.Object(
          {
            ...Paging,
            state: Type.Optional(
              Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('returned')]),
            ),
            organizationId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ total: Type.Integer(), items: Type.Array(SubmissionSchema) }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      catalog.submissions(
        request.actor,
        {
          ...(request.query.state === undefined ? {} : { state: request.query.state }),
          ...(request.query.organizationId === undefined
            ? {}
            : { organizationId: request.query.organizationId }),
        },
        request.query.offset,
        request.query.limit,
      ),
  );

  app.get(
    '/catalog/submissions/:id',
    {
      config: { permission: 'catalog:manage-own' },
      schema: {
        tags,
        summary: 'One submission with each entry checked against the standard',
        params: IdParams,
        response: {
          200: Type.Intersect([
            SubmissionSchema,
            Type.Object({
              items: Type.Array(
                Type.Object({
                  entryId: Type.String(),
                  code: Type.String(),
                  version: Type.Integer(),
                  title: Type.Object({
                    zh: Type.String(),
                    en: Type.Optional(Type.String()),
                    fr: Type.Optional(Type.String()),
                  }),
                  state: Type.String(),
                  previousVersion: Type.Optional(Type.Integer()),
                  problems: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
                  quality: Type.Integer(),
                }),
              ),
            }),
          ]),
          ...problemResponses,
        },
      },
    },
    async (request) => catalog.submissionDetail(request.actor, request.params.id, lang(request)),
  );

  const ApproveBody = Type.Object(
    { comment: Type.Optional(Type.String({ maxLength: 4000 })) },
    { additionalProperties: false },
  );

  const ReviewBody = Type.Object(
    {
      comment: Type.Optional(Type.String({ maxLength: 4000 })),
      entryComments: Type.Optional(
        Type.Array(
          Type.Object(
            {
              entryId: Type.String({ format: 'uuid' }),
              comment: Type.String({ minLength: 1, maxLength: 4000 }),
            },
            { additionalProperties: false },
          ),
          { maxItems: 5000 },
        ),
      ),
    },
    { additionalProperties: false },
  );

  app.post(
    '/catalog/submissions/:id/approve',
    {
      config: { permission: 'catalog:review' },
      schema: {
        tags,
        summary: 'Approve a submission: its entries are published',
        params: IdParams,
        body: ApproveBody,
        response: { 200: SubmissionSchema, ...problemResponses },
      },
    },
    async (request) =>
      catalog.review(request.actor, request.params.id, {
        approve: true,
        ...(request.body.comment === undefined ? {} : { comment: request.body.comment }),
      }),
  );

  app.post(
    '/catalog/submissions/:id/return',
    {
      config: { permission: 'catalog:review' },
      schema: {
        tags,
        summary: 'Return a submission to the institution with comments',
        params: IdParams,
        body: ReviewBody,
        response: { 200: SubmissionSchema, ...problemResponses },
      },
    },
    async (request) =>
      catalog.review(request.actor, request.params.id, {
        approve: false,
        ...(request.body.comment === undefined ? {} : { comment: request.body.comment }),
        ...(request.body.entryComments === undefined ? {} : { entryComments: request.body.entryComments }),
      }),
  );

  app.get(
    '/catalog/institutions',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Institutions with their number of published entries and average quality',
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              code: Type.String(),
              name: Type.String(),
              nameEn: Type.Optional(Type.String()),
              creditCode: Type.String(),
              kind: Type.String(),
              listed: Type.Integer(),
              entries: Type.Integer(),
              quality: Type.Union([Type.Integer(), Type.Null()]),
            }),
          ),
        },
      },
    },
    async () => catalog.institutions(),
  );

  app.get(
    '/catalog/institutions/:id/entries',
    {
      config: { permission: 'catalog:manage-own' },
      schema: {
        tags,
        summary: "An institution's whole catalog, drafts included, for its staff",
        params: OrgParams,
        querystring: Type.Object(
          {
            state: Type.Optional(
              Type.Union(
                ['draft', 'submitted', 'returned', 'published', 'retired'].map((s) => Type.Literal(s)),
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              code: Type.String(),
              title: Type.Object({
                zh: Type.String(),
                en: Type.Optional(Type.String()),
                fr: Type.Optional(Type.String()),
              }),
              state: Type.String(),
              version: Type.Integer(),
              publishedVersion: Type.Optional(Type.Integer()),
              grade: Type.String(),
              openType: Type.String(),
              updatedAt: Type.String(),
              quality: Type.Integer(),
            }),
          ),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      catalog.entriesOf(request.actor, request.params.id, request.query.state as EntryState | undefined),
  );

  app.get(
    '/catalog/institutions/:id/quality',
    {
      config: { permission: 'catalog:manage-own' },
      schema: {
        tags,
        summary: "An institution's quality dashboard: score, overdue updates, what to fix first",
        params: OrgParams,
        response: {
          200: Type.Object({
            organization: Type.Object({
              id: Type.String(),
              code: Type.String(),
              name: Type.String(),
              nameEn: Type.Optional(Type.String()),
              creditCode: Type.String(),
            }),
            entries: Type.Integer(),
            byState: Type.Record(Type.String(), Type.Integer()),
            score: Type.Integer(),
            overdue: Type.Integer(),
            openObjections: Type.Integer(),
            todo: Type.Array(
              Type.Object({
                entryId: Type.String(),
                code: Type.String(),
                title: Type.Object({
                  zh: Type.String(),
                  en: Type.Optional(Type.String()),
                  fr: Type.Optional(Type.String()),
                }),
                kind: Type.String(),
                severity: Type.Integer(),
                amount: Type.Optional(Type.Number()),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => catalog.dashboard(request.actor, request.params.id),
  );

  app.post(
    '/catalog/harvests',
    {
      config: { permission: 'catalog:harvest' },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Import a DCAT catalog (Turtle, RDF/XML, JSON-LD or data.json) from a URL or the body, as a job',
        body: Type.Object(
          {
            organizationId: Type.String({ format: 'uuid' }),
            url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://' })),
            content: Type.Optional(Type.String({ maxLength: 60 * 1024 * 1024 })),
            format: Type.Optional(
              Type.Union(['ttl', 'jsonld', 'rdf', 'nt', 'datajson'].map((f) => Type.Literal(f))),
            ),
            publish: Type.Boolean({ default: false }),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ jobId: Type.String() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      requirePermission(request.actor, 'catalog:harvest', { organizationId: body.organizationId });
      if (body.publish) requirePermission(request.actor, 'catalog:review');
      if ((body.url === undefined) === (body.content === undefined))
        throw new ValidationError('Give either a URL or the content of the catalog.', [
          { path: '/url', message: 'Exactly one of url and content is needed.' },
        ]);
      const actor = request.actor;
      const jobId = await deps.jobs.enqueue(deps.db, {
        kind: HARVEST_JOB,
        createdBy: actor.kind === 'user' ? actor.userId : null,
        maxAttempts: 1,
        payload: {
          organizationId: body.organizationId,
          publish: body.publish,
          lang: lang(request),
          ...(body.url === undefined ? {} : { url: body.url }),
          ...(body.content === undefined ? {} : { content: body.content }),
          ...(body.format === undefined ? {} : { format: body.format }),
        },
      });
      return reply.status(202).send({ jobId });
    },
  );

  app.post(
    '/catalog/link-checks',
    {
      config: { permission: 'catalog:submit' },
      schema: {
        tags,
        summary: "Check that the published distributions' URLs answer (all, or one institution's), as a job",
        body: Type.Object(
          { organizationId: Type.Optional(Type.String({ format: 'uuid' })) },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ jobId: Type.String() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const organizationId = request.body.organizationId;
      if (organizationId === undefined) requirePermission(request.actor, 'catalog:review');
      else requirePermission(request.actor, 'catalog:submit', { organizationId });
      const actor = request.actor;
      const jobId = await deps.jobs.enqueue(deps.db, {
        kind: LINK_CHECK_JOB,
        createdBy: actor.kind === 'user' ? actor.userId : null,
        maxAttempts: 1,
        payload: organizationId === undefined ? {} : { organizationId },
      });
      return reply.status(202).send({ jobId });
    },
  );
}
