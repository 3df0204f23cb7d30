import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DatapolisError } from '../../kernel/errors.ts';
import type { App } from '../../kernel/http/index.ts';
import { problemResponses } from '../../kernel/http/index.ts';
import { dataPackage } from './catalog.datapackage.ts';
import type { LocalizedText, ProviderRef } from './catalog.model.ts';
import { RefParams } from './catalog.schemas.ts';
import type { CatalogService } from './catalog.service.ts';
import {
  DCAT_MEDIA_TYPES,
  type DcatContext,
  type DcatFormat,
  negotiateDcatFormat,
  serializeCatalog,
  serializeRecord,
} from './dcat/index.ts';

export interface DcatRouteDeps {
  catalog: CatalogService;
  /** The organisation that runs the catalog (its publisher in DCAT), by code. */
  publisherCode: string;
  /** The public address of the platform; the request's own when undefined. */
  publicUrl: string | undefined;
}

function baseUrl(request: FastifyRequest, deps: DcatRouteDeps): string {
  return deps.publicUrl ?? `${request.protocol}://${request.host}`;
}

const FORMAT_PARAM = Type.Union([
  Type.Literal('ttl'),
  Type.Literal('jsonld'),
  Type.Literal('rdf'),
  Type.Literal('nt'),
]);
const EXTENSIONS: Record<DcatFormat, string> = { ttl: 'ttl', jsonld: 'jsonld', rdf: 'rdf', nt: 'nt' };

async function context(request: FastifyRequest, deps: DcatRouteDeps): Promise<DcatContext> {
  const org = await deps.catalog.organizationByCode(deps.publisherCode);
  const publisher: ProviderRef =
    org === undefined
      ? { id: 'platform', code: 'platform', name: 'Datapolis', creditCode: '' }
      : {
          id: org.id,
          code: org.code,
          name: org.name,
          ...(org.nameEn === undefined ? {} : { nameEn: org.nameEn }),
          creditCode: org.creditCode,
        };
  return {
    baseUrl: baseUrl(request, deps),
    catalogTitle: { zh: '公共数据目录', en: 'Public data catalog', fr: 'Catalogue des données publiques' },
    catalogDescription: {
      zh: '全市公共数据资源目录，按统一的目录标准编制（《北京市数字经济促进条例》第十六条）。',
      en: "The city's catalog of public data resources, compiled to one catalog standard (Art. 16 of the Beijing digital-economy regulation).",
      fr: 'Le catalogue des ressources de données publiques de la ville, établi selon un standard unique (art. 16).',
    },
    publisher,
  };
}

function wantsPage(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /text\/html|application\/xhtml\+xml/.test(accept);
}

/** The web app answers browsers at the same URIs as the RDF, so an entry has one address. */
function sendPage(reply: FastifyReply): FastifyReply {
  if (typeof reply.sendFile !== 'function')
    throw new DatapolisError(
      'WEB_APP_NOT_BUILT',
      406,
      'This address serves RDF (Turtle, JSON-LD, RDF/XML); the web app is not built here.',
    );
  return reply.type('text/html').sendFile('index.html');
}

function notAcceptable(): DatapolisError {
  return new DatapolisError(
    'NOT_ACCEPTABLE',
    406,
    'Ask for text/turtle, application/ld+json, application/rdf+xml or application/n-triples.',
  );
}

async function streamCatalog(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: DcatRouteDeps,
  format: DcatFormat,
) {
  const ctx = await context(request, deps);
  const chunks = serializeCatalog(format, deps.catalog.published(request.actor), ctx);
  reply.header('content-type', `${DCAT_MEDIA_TYPES[format]}; charset=utf-8`);
  reply.header('vary', 'accept');
  return reply.send(Readable.from(chunks));
}

/**
 * Some entries as a DCAT catalog of their own (a year's opening plan): its IRI is `path` under the public
 * address, and it holds what the reader may see of those entries, as the whole catalog would.
 */
export async function sendEntriesCatalog(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: DcatRouteDeps,
  selection: { codes: readonly string[]; path: string; title: LocalizedText; description: LocalizedText },
  format: DcatFormat = 'ttl',
) {
  const whole = await context(request, deps);
  const ctx: DcatContext = {
    ...whole,
    catalogIri: `${whole.baseUrl.replace(/\/+$/, '')}${selection.path}`,
    catalogTitle: selection.title,
    catalogDescription: selection.description,
  };
  const records = deps.catalog.published(request.actor, 500, selection.codes);
  reply.header('content-type', `${DCAT_MEDIA_TYPES[format]}; charset=utf-8`);
  return reply.send(Readable.from(serializeCatalog(format, records, ctx)));
}

async function sendEntry(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: DcatRouteDeps,
  ref: string,
  format: DcatFormat,
) {
  const record = await deps.catalog.getPublished(request.actor, ref);
  const body = await serializeRecord(format, record, await context(request, deps));
  reply.header('vary', 'accept');
  return reply.type(`${DCAT_MEDIA_TYPES[format]}; charset=utf-8`).send(body);
}

/** DCAT-AP at the catalog's own URIs: /catalog.ttl and friends, and content negotiation on /catalog. */
export function dcatRootRoutes(root: App, deps: DcatRouteDeps): void {
  for (const format of ['ttl', 'jsonld', 'rdf', 'nt'] as const) {
    root.get(
      `/catalog.${EXTENSIONS[format]}`,
      { config: { permission: 'public' }, schema: { hide: true } },
      (request, reply) => streamCatalog(request, reply, deps, format),
    );
  }
  root.get('/catalog', { config: { permission: 'public' }, schema: { hide: true } }, (request, reply) => {
    if (wantsPage(request)) return sendPage(reply);
    const format = negotiateDcatFormat(request.headers.accept);
    if (format === undefined) throw notAcceptable();
    return streamCatalog(request, reply, deps, format);
  });
  root.get(
    '/catalog/entries/:ref',
    { config: { permission: 'public' }, schema: { hide: true, params: RefParams } },
    (request, reply) => {
      if (wantsPage(request)) return sendPage(reply);
      const format = negotiateDcatFormat(request.headers.accept);
      if (format === undefined) throw notAcceptable();
      return sendEntry(request, reply, deps, (request.params as { ref: string }).ref, format);
    },
  );
}

export function dcatApiRoutes(app: App, deps: DcatRouteDeps): void {
  app.get(
    '/catalog/export',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'The whole catalog as DCAT-AP 3 (streamed)',
        querystring: Type.Object({ format: FORMAT_PARAM }, { additionalProperties: false }),
        produces: Object.values(DCAT_MEDIA_TYPES),
      },
    },
    (request, reply) => streamCatalog(request, reply, deps, request.query.format),
  );
  app.get(
    '/catalog/entries/:ref/dcat',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'One entry as DCAT-AP 3',
        params: RefParams,
        querystring: Type.Object({ format: Type.Optional(FORMAT_PARAM) }, { additionalProperties: false }),
        produces: Object.values(DCAT_MEDIA_TYPES),
      },
    },
    (request, reply) => {
      const format = request.query.format ?? negotiateDcatFormat(request.headers.accept);
      if (format === undefined) throw notAcceptable();
      return sendEntry(request, reply, deps, request.params.ref, format);
    },
  );
  app.get(
    '/catalog/entries/:ref/datapackage.json',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'One entry as a Frictionless Data Package descriptor',
        params: RefParams,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...problemResponses },
      },
    },
    async (request) => {
      const record = await deps.catalog.getPublished(request.actor, request.params.ref);
      return dataPackage(record, baseUrl(request, deps));
    },
  );
}
