import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { PayloadTooLargeError, ValidationError } from '../../kernel/errors.ts';
import { type App, problemResponses } from '../../kernel/http/index.ts';
import { parseFilters } from './datastore.query.ts';
import type { DatastoreService, RecordsParams } from './datastore.service.ts';

const tags = ['datastore'];

const ResourceId = Type.String({ pattern: '^[a-z][a-z0-9]{5,40}$' });
const ResourceParams = Type.Object({ id: ResourceId }, { additionalProperties: false });
const VersionParams = Type.Object(
  { id: ResourceId, version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

const Field = Type.Object({
  name: Type.String(),
  type: Type.String(),
  title: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
});

const ResourceSchema = Type.Object({
  id: Type.String(),
  entryCode: Type.String(),
  entryName: Type.Object({
    zh: Type.String(),
    en: Type.Optional(Type.String()),
    fr: Type.Optional(Type.String()),
  }),
  organizationId: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  liveVersion: Type.Union([Type.Integer(), Type.Null()]),
  rowCount: Type.Union([Type.Integer(), Type.Null()]),
  fields: Type.Array(Field),
  geo: Type.Union([
    Type.Object({ kind: Type.Literal('geojson'), field: Type.String() }),
    Type.Object({ kind: Type.Literal('latlon'), lat: Type.String(), lon: Type.String() }),
    Type.Null(),
  ]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  access: Type.Object({ read: Type.Boolean(), manage: Type.Boolean(), conditional: Type.Boolean() }),
  releaseClearance: Type.Union([Type.String(), Type.Null()], {
    description:
      'For a de-identified table of personal information: the strictest use scenario its risk assessment passed (`none` when it passed none); null otherwise.',
  }),
});

const VersionSchema = Type.Object({
  version: Type.Integer(),
  state: Type.String(),
  rows: Type.Union([Type.Integer(), Type.Null()]),
  bytes: Type.Union([Type.Integer(), Type.Null()]),
  sha256: Type.Union([Type.String(), Type.Null()]),
  filename: Type.Union([Type.String(), Type.Null()]),
  format: Type.Union([Type.String(), Type.Null()]),
  encoding: Type.Union([Type.String(), Type.Null()]),
  valid: Type.Union([Type.Boolean(), Type.Null()]),
  errorCount: Type.Integer(),
  jobId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  liveAt: Type.Union([Type.String(), Type.Null()]),
});

const ReportSchema = Type.Object(
  {
    valid: Type.Boolean(),
    errors: Type.Array(
      Type.Object({
        type: Type.String(),
        rowNumber: Type.Optional(Type.Integer()),
        fieldNumber: Type.Optional(Type.Integer()),
        fieldName: Type.Optional(Type.String()),
        cell: Type.Optional(Type.String()),
        message: Type.String(),
      }),
    ),
    errorCount: Type.Integer(),
    limitReached: Type.Boolean(),
    stats: Type.Object({
      rows: Type.Integer(),
      fields: Type.Integer(),
      bytes: Type.Integer(),
      sha256: Type.Union([Type.String(), Type.Null()]),
    }),
    schema: Type.Unknown(),
    source: Type.Unknown(),
  },
  { additionalProperties: true },
);

const FORMAT = Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('ndjson')]);

const RecordsQuery = Type.Object(
  {
    filters: Type.Optional(Type.String({ maxLength: 20_000 })),
    q: Type.Optional(Type.String({ maxLength: 500 })),
    fields: Type.Optional(Type.String({ maxLength: 10_000 })),
    sort: Type.Optional(Type.String({ maxLength: 2_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 32_000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
    cursor: Type.Optional(Type.String({ maxLength: 4_000 })),
    total: Type.Optional(
      Type.Union([Type.Literal('exact'), Type.Literal('estimated'), Type.Literal('none')]),
    ),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    format: Type.Optional(FORMAT),
  },
  { additionalProperties: false },
);

/**
 * Rows as objects of field name to value. Declared without per-key rules on purpose: the serialiser then writes
 * a page as JSON.stringify does, four times faster than checking every key of every row against a pattern.
 */
const Rows = Type.Array(Type.Unknown({ description: 'One object per row: `_id` and the chosen fields' }));

const RecordsPageSchema = Type.Object({
  resource: Type.String(),
  version: Type.Integer(),
  fields: Type.Array(Field),
  records: Rows,
  total: Type.Union([Type.Integer(), Type.Null()]),
  totalExact: Type.Boolean(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

const LoadBody = Type.Object(
  {
    uploadId: Type.String({ minLength: 1, maxLength: 64 }),
    format: Type.Optional(
      Type.Union(['csv', 'tsv', 'xlsx', 'json', 'ndjson', 'geojson'].map((f) => Type.Literal(f))),
    ),
    encoding: Type.Optional(Type.String({ maxLength: 40 })),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
    header: Type.Optional(Type.Boolean()),
    sheet: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ maxLength: 100 })])),
    schema: Type.Optional(Type.Unknown()),
    primaryKey: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 10 })),
    indexes: Type.Optional(
      Type.Array(Type.Array(Type.String(), { minItems: 1, maxItems: 5 }), { maxItems: 10 }),
    ),
  },
  { additionalProperties: false },
);

const IntakeSchema = Type.Object({
  url: Type.String(),
  format: Type.Union([Type.String(), Type.Null()]),
  intervalMinutes: Type.Integer(),
  enabled: Type.Boolean(),
  lastRunAt: Type.Union([Type.String(), Type.Null()]),
  lastStatus: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  failures: Type.Integer(),
  nextRunAt: Type.Union([Type.String(), Type.Null()]),
});

function splitFields(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}

export function recordsParams(query: {
  filters?: string | undefined;
  q?: string | undefined;
  fields?: string | undefined;
  sort?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  cursor?: string | undefined;
  total?: 'exact' | 'estimated' | 'none' | undefined;
  version?: number | undefined;
}): RecordsParams {
  const fields = splitFields(query.fields);
  return {
    filters: parseFilters(query.filters),
    ...(query.q === undefined ? {} : { q: query.q }),
    ...(fields === undefined ? {} : { fields }),
    ...(query.sort === undefined ? {} : { sort: query.sort }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.offset === undefined ? {} : { offset: query.offset }),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    ...(query.total === undefined ? {} : { total: query.total }),
    ...(query.version === undefined ? {} : { version: query.version }),
  };
}

function attachment(reply: FastifyReply, filename: string, contentType: string) {
  reply.header('content-type', contentType);
  reply.header(
    'content-disposition',
    `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  );
}

export function datastoreRoutes(app: App, deps: { datastore: DatastoreService }): void {
  const { datastore } = deps;

  app.get(
    '/datastore/resources',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "A catalog entry's data tables that you may see",
        querystring: Type.Object(
          { entry: Type.String({ minLength: 1, maxLength: 60 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ResourceSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await datastore.listResources(request.actor, request.query.entry) }),
  );

  app.post(
    '/datastore/resources',
    {
      config: { permission: 'datastore:manage' },
      schema: {
        tags,
        summary: 'Create a data table for a catalog entry of your institution',
        body: Type.Object(
          {
            entryCode: Type.String({ minLength: 1, maxLength: 60 }),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            description: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ResourceSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await datastore.createResource(request.actor, request.body)),
  );

  app.get(
    '/datastore/resources/:id',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'A data table',
        params: ResourceParams,
        response: { 200: ResourceSchema, ...problemResponses },
      },
    },
    async (request) => datastore.getResource(request.actor, request.params.id),
  );

  app.get(
    '/datastore/resources/:id/versions',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "A data table's versions, newest first",
        params: ResourceParams,
        response: { 200: Type.Object({ items: Type.Array(VersionSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await datastore.versions(request.actor, request.params.id) }),
  );

  app.get(
    '/datastore/resources/:id/versions/:version/report',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "A version's validation report (Frictionless error types and positions)",
        params: VersionParams,
        response: { 200: ReportSchema, ...problemResponses },
      },
    },
    async (request) => datastore.report(request.actor, request.params.id, request.params.version),
  );

  app.delete(
    '/datastore/resources/:id/versions/:version',
    {
      config: { permission: 'datastore:prune' },
      schema: {
        tags,
        summary: 'Prune an old version (its rows are deleted; its record stays)',
        params: VersionParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await datastore.prune(request.actor, request.params.id, request.params.version);
      return reply.status(204).send(null);
    },
  );

  app.register(async (scope) => {
    // The file arrives as the raw body and is streamed to storage; nothing parses or buffers it here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.post(
      '/datastore/uploads',
      {
        config: { permission: 'datastore:upload' },
        schema: {
          tags,
          summary: 'Upload a file (raw body, any size up to the configured limit) to load into a data table',
          querystring: Type.Object(
            { filename: Type.String({ minLength: 1, maxLength: 255 }) },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              id: Type.String(),
              filename: Type.String(),
              bytes: Type.Integer(),
              sha256: Type.String(),
            }),
            413: Type.Ref('Problem'),
            ...problemResponses,
          },
        },
      },
      async (request: FastifyRequest<{ Querystring: { filename: string } }>, reply) => {
        const body = request.body as NodeJS.ReadableStream | undefined;
        if (body === undefined || typeof (body as { pipe?: unknown }).pipe !== 'function')
          throw new ValidationError('Send the file as the request body.', [
            { path: '/body', message: 'Missing' },
          ]);
        const announced = Number(request.headers['content-length'] ?? '0');
        if (announced > datastore.uploadLimitBytes)
          throw new PayloadTooLargeError(
            `The file is ${announced} bytes; at most ${datastore.uploadLimitBytes} bytes are accepted.`,
          );
        const stored = await datastore.upload(request.actor, body as never, request.query.filename);
        return reply.status(201).send(stored);
      },
    );
  });

  app.post(
    '/datastore/resources/:id/loads',
    {
      config: { permission: 'datastore:manage' },
      schema: {
        tags,
        summary: 'Validate and load an uploaded file as a new version (a background job)',
        params: ResourceParams,
        body: LoadBody,
        response: {
          202: Type.Object({ jobId: Type.Union([Type.String(), Type.Null()]), version: Type.Integer() }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as typeof request.body & { schema?: never };
      return reply.status(202).send(await datastore.requestLoad(request.actor, request.params.id, body));
    },
  );

  app.get(
    '/datastore/:id/records',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary:
          'Rows of a data table: filters, full text, fields, sort, offset or cursor paging; JSON, CSV or NDJSON',
        params: ResourceParams,
        querystring: RecordsQuery,
        response: { 200: RecordsPageSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const params = recordsParams(request.query);
      const format = request.query.format ?? 'json';
      if (format === 'json') return datastore.records(request.actor, request.params.id, params);
      const out = await datastore.stream(request.actor, request.params.id, { ...params, format }, 'records');
      reply.header('content-type', out.contentType);
      return reply.send(out.body);
    },
  );

  app.get(
    '/datastore/:id/aggregate',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Group and count, sum, average, min or max: the numbers behind charts',
        params: ResourceParams,
        querystring: Type.Object(
          {
            groupBy: Type.Optional(Type.String({ maxLength: 500 })),
            metrics: Type.Optional(Type.String({ maxLength: 1000 })),
            filters: Type.Optional(Type.String({ maxLength: 20_000 })),
            q: Type.Optional(Type.String({ maxLength: 500 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
            version: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            groupBy: Type.Array(Type.String()),
            metrics: Type.Array(Type.String()),
            rows: Rows,
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return datastore.aggregate(request.actor, request.params.id, {
        filters: parseFilters(q.filters),
        ...(q.groupBy === undefined ? {} : { groupBy: q.groupBy }),
        ...(q.metrics === undefined ? {} : { metrics: q.metrics }),
        ...(q.q === undefined ? {} : { q: q.q }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
        ...(q.version === undefined ? {} : { version: q.version }),
      });
    },
  );

  app.get(
    '/datastore/:id/download',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'The whole table (or one version) as CSV, JSON or XLSX, streamed',
        params: ResourceParams,
        querystring: Type.Object(
          {
            format: Type.Optional(
              Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('xlsx')]),
            ),
            version: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.String({ description: 'The file' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const out = await datastore.stream(
        request.actor,
        request.params.id,
        {
          format: request.query.format ?? 'csv',
          ...(request.query.version === undefined ? {} : { version: request.query.version }),
        },
        'download',
      );
      attachment(reply, out.filename, out.contentType);
      return reply.send(out.body);
    },
  );

  app.post(
    '/datastore/sql',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'One read-only SELECT over the data tables you may read (checked by PostgreSQL’s parser)',
        body: Type.Object(
          { sql: Type.String({ minLength: 1, maxLength: 20_000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            fields: Type.Array(Type.String()),
            records: Rows,
            truncated: Type.Boolean(),
            rowCap: Type.Integer(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => datastore.runSql(request.actor, request.body.sql),
  );

  app.get(
    '/datastore/resources/:id/intake',
    {
      config: { permission: 'datastore:manage' },
      schema: {
        tags,
        summary: "A data table's scheduled intake and its last run",
        params: ResourceParams,
        response: { 200: IntakeSchema, ...problemResponses },
      },
    },
    async (request) => datastore.getIntake(request.actor, request.params.id),
  );

  app.put(
    '/datastore/resources/:id/intake',
    {
      config: { permission: 'datastore:manage' },
      schema: {
        tags,
        summary:
          'Pull the table from an HTTP endpoint on a schedule; a new version loads only when the content changed',
        params: ResourceParams,
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2000 }),
            format: Type.Optional(
              Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('ndjson')]),
            ),
            intervalMinutes: Type.Integer({ minimum: 5, maximum: 60 * 24 * 31 }),
            enabled: Type.Boolean({ default: true }),
          },
          { additionalProperties: false },
        ),
        response: { 200: IntakeSchema, ...problemResponses },
      },
    },
    async (request) => datastore.setIntake(request.actor, request.params.id, request.body),
  );
}
