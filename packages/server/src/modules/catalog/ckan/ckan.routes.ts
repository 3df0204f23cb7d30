import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { NotFoundError, ValidationError } from '../../../kernel/errors.ts';
import type { App } from '../../../kernel/http/index.ts';
import { THEMES } from '../catalog.codelists.ts';
import type { FacetName } from '../catalog.facets.ts';
import type { EntryMetadata } from '../catalog.model.ts';
import { UnsupportedQueryError } from '../catalog.search-sql.ts';
import type { CatalogService, SearchParams } from '../catalog.service.ts';
import {
  parseCkanQuery,
  parseFilterQueries,
  type QueryNode,
  QuerySyntaxError,
} from '../search/ckan-query.ts';
import {
  CkanInputError,
  metadataFromPackage,
  organizationDict,
  packageDict,
  resourceDict,
  themeLabel,
} from './ckan.mapping.ts';

export interface CkanRouteDeps {
  catalog: CatalogService;
  siteTitle: string;
  /** The public address of the platform; the request's own when undefined. */
  publicUrl: string | undefined;
  /** Actions other modules serve in the same API (the datastore's datastore_* actions). */
  extraActions?: CkanAction[];
}

/** One CKAN action: read from the query string or the JSON body; writes only by POST. */
export interface CkanAction {
  name: string;
  permission: string;
  write: boolean;
  summary: string;
  handler: (request: FastifyRequest) => Promise<unknown>;
}

/** CKAN facet field names and the catalog facet each one reads. */
const CKAN_FACETS: Record<string, FacetName> = {
  organization: 'organization',
  owner_org: 'organization',
  tags: 'keyword',
  res_format: 'format',
  license_id: 'license',
  groups: 'theme',
  theme: 'theme',
  open_type: 'openType',
  share_type: 'shareType',
  grade: 'grade',
  update_cycle: 'updateCycle',
  classification: 'classification',
};

const SORTS: Record<string, SearchParams['sort']> = {
  'score desc, metadata_modified desc': 'relevance',
  'score desc': 'relevance',
  'metadata_modified desc': 'newest',
  'metadata_created desc': 'newest',
  'title_string asc': 'name',
  'name asc': 'name',
  'views_recent desc': 'usage',
  'views_total desc': 'usage',
};

const ERROR_TYPES: Record<number, { status: number; type: string }> = {
  400: { status: 409, type: 'Validation Error' },
  401: { status: 403, type: 'Authorization Error' },
  403: { status: 403, type: 'Authorization Error' },
  404: { status: 404, type: 'Not Found Error' },
  409: { status: 409, type: 'Validation Error' },
  413: { status: 413, type: 'Validation Error' },
  415: { status: 400, type: 'Validation Error' },
  429: { status: 429, type: 'Rate Limit Error' },
};

function actionOf(request: FastifyRequest): string {
  return (request.url.split('?')[0] ?? '').split('/').pop() ?? '';
}

/** Every action reads its parameters from the query string (GET) or the JSON body (POST), as CKAN does. */
export function params(request: FastifyRequest): Record<string, unknown> {
  const body =
    request.body !== null && typeof request.body === 'object'
      ? (request.body as Record<string, unknown>)
      : {};
  return { ...(request.query as Record<string, unknown>), ...body };
}

function text(p: Record<string, unknown>, key: string): string | undefined {
  const value = p[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ValidationError(`${key} must be a string.`, [{ path: `/${key}`, message: 'Must be a string' }]);
}

function integer(p: Record<string, unknown>, key: string, fallback: number, max: number): number {
  const raw = p[key];
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new ValidationError(`${key} must be a natural number.`, [
      { path: `/${key}`, message: 'Invalid integer' },
    ]);
  return Math.min(n, max);
}

function bool(p: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const raw = p[key];
  if (raw === undefined) return fallback;
  return raw === true || raw === 'true' || raw === 'True' || raw === '1';
}

function list(p: Record<string, unknown>, key: string): string[] {
  const raw = p[key];
  if (raw === undefined) return [];
  if (Array.isArray(raw)) return raw.map(String);
  const value = String(raw);
  if (value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through: a plain value
    }
    throw new ValidationError(`${key} must be a JSON list.`, [
      { path: `/${key}`, message: 'Invalid JSON list' },
    ]);
  }
  return [value];
}

const Envelope = Type.Object({ help: Type.String(), success: Type.Boolean(), result: Type.Unknown() });
const AnyQuery = Type.Object({}, { additionalProperties: true });
const AnyBody = Type.Object({}, { additionalProperties: true });

export function ckanRoutes(root: App, deps: CkanRouteDeps): void {
  const { catalog } = deps;

  function siteUrl(request: FastifyRequest): string {
    return deps.publicUrl ?? `${request.protocol}://${request.host}`;
  }

  function helpUrl(request: FastifyRequest): string {
    return `${siteUrl(request)}/api/3/action/help_show?name=${actionOf(request)}`;
  }

  function ok(request: FastifyRequest, result: unknown) {
    return { help: helpUrl(request), success: true, result };
  }

  async function queryOf(p: Record<string, unknown>): Promise<QueryNode | undefined> {
    const q = text(p, 'q');
    const fq = [...list(p, 'fq_list'), ...(text(p, 'fq') === undefined ? [] : [text(p, 'fq')!])];
    try {
      const parts: QueryNode[] = [];
      if (q !== undefined && q.trim() !== '') parts.push(parseCkanQuery(q));
      if (fq.length > 0) parts.push(parseFilterQueries(fq));
      const real = parts.filter((n) => n.kind !== 'all');
      if (real.length === 0) return undefined;
      return real.length === 1 ? real[0] : { kind: 'and', children: real };
    } catch (error) {
      if (error instanceof QuerySyntaxError)
        throw new ValidationError(
          `Search Query is invalid: ${error.message}`,
          [{ path: '/q', message: error.message }],
          'CKAN_SEARCH_QUERY_INVALID',
        );
      throw error;
    }
  }

  async function packageSearch(request: FastifyRequest) {
    const p = params(request);
    const rows = integer(p, 'rows', 10, 1000);
    const start = integer(p, 'start', 0, 100_000);
    const sortText = (text(p, 'sort') ?? 'score desc, metadata_modified desc').trim().replace(/\s+/g, ' ');
    const sort = SORTS[sortText];
    if (sort === undefined)
      throw new ValidationError(`Cannot sort by "${sortText}".`, [
        { path: '/sort', message: `Use one of: ${Object.keys(SORTS).join('; ')}` },
      ]);
    const facetFields = bool(p, 'facet', true) ? list(p, 'facet.field') : [];
    for (const f of facetFields)
      if (CKAN_FACETS[f] === undefined)
        throw new ValidationError(`Cannot facet on "${f}".`, [
          { path: '/facet.field', message: `Unknown facet ${f}` },
        ]);
    const facetLimit = integer(p, 'facet.limit', 50, 1000);
    const query = await queryOf(p);
    let result: Awaited<ReturnType<CatalogService['searchRecords']>>;
    try {
      result = await catalog.searchRecords(request.actor, {
        ...(query === undefined ? {} : { query }),
        sort,
        offset: start,
        limit: rows,
        // Harvesters paging through everything ask for no facets: none are counted.
        facetLimit: facetFields.length === 0 ? 0 : Math.max(1, facetLimit),
        // CKAN clients page until `count`: it is exact, as Solr's is.
        exact: true,
      });
    } catch (error) {
      if (error instanceof UnsupportedQueryError)
        throw new ValidationError(
          `Search Query is invalid: ${error.message}`,
          [{ path: '/q', message: error.message }],
          'CKAN_SEARCH_QUERY_INVALID',
        );
      throw error;
    }
    const records = result.records;
    const facets: Record<string, Record<string, number>> = {};
    const searchFacets: Record<
      string,
      { title: string; items: { name: string; display_name: string; count: number }[] }
    > = {};
    for (const field of facetFields) {
      const values = result.facets[CKAN_FACETS[field]!].slice(0, facetLimit);
      facets[field] = Object.fromEntries(values.map((v) => [v.value, v.count]));
      searchFacets[field] = {
        title: field,
        items: values.map((v) => ({
          name: v.value,
          display_name: CKAN_FACETS[field] === 'theme' ? themeLabel(v.value) : v.value,
          count: v.count,
        })),
      };
    }
    return {
      count: result.total,
      sort: sortText,
      facets,
      results: records.map((r) => packageDict(r, siteUrl(request))),
      search_facets: searchFacets,
    };
  }

  async function requiredRef(p: Record<string, unknown>, key = 'id'): Promise<string> {
    const ref = text(p, key) ?? (key === 'id' ? text(p, 'name') : undefined);
    if (ref === undefined || ref === '')
      throw new ValidationError(`${key} is required.`, [{ path: `/${key}`, message: 'Missing value' }]);
    return ref;
  }

  async function organizationFor(ref: string | undefined) {
    if (ref === undefined)
      throw new ValidationError('owner_org is required.', [{ path: '/owner_org', message: 'Missing value' }]);
    const all = await catalog.institutions();
    const org = all.find((o) => o.id === ref || o.code === ref);
    if (org === undefined)
      throw new ValidationError('owner_org is not an organisation here.', [
        { path: '/owner_org', message: 'Organization does not exist' },
      ]);
    return org;
  }

  function toMetadata(dict: Record<string, unknown>, org: { id: string; creditCode: string }): EntryMetadata {
    try {
      return metadataFromPackage(dict, org);
    } catch (error) {
      if (error instanceof CkanInputError)
        throw new ValidationError(error.message, [{ path: `/${error.field}`, message: error.message }]);
      throw error;
    }
  }

  const actions: CkanAction[] = [
    {
      name: 'package_search',
      permission: 'public',
      write: false,
      summary: 'Search datasets (Solr-style q and fq, facets, paging)',
      handler: packageSearch,
    },
    {
      name: 'package_show',
      permission: 'public',
      write: false,
      summary: 'One dataset by id or name',
      handler: async (request) =>
        packageDict(
          await catalog.getPublished(request.actor, await requiredRef(params(request))),
          siteUrl(request),
        ),
    },
    {
      name: 'package_list',
      permission: 'public',
      write: false,
      summary: 'Names of all datasets',
      handler: async (request) => {
        const p = params(request);
        const limit = integer(p, 'limit', 1_000_000, 1_000_000);
        const offset = integer(p, 'offset', 0, 10_000_000);
        const names: string[] = [];
        let index = 0;
        for await (const record of catalog.published(request.actor)) {
          if (index >= offset && names.length < limit) names.push(record.code);
          index += 1;
          if (names.length >= limit) break;
        }
        return names;
      },
    },
    {
      name: 'organization_list',
      permission: 'public',
      write: false,
      summary: 'Organisations (names, or dicts with all_fields)',
      handler: async (request) => {
        const p = params(request);
        const all = await catalog.institutions();
        const wanted = list(p, 'organizations');
        const orgs = (wanted.length === 0 ? all : all.filter((o) => wanted.includes(o.code))).sort((a, b) =>
          a.code.localeCompare(b.code),
        );
        const page = orgs.slice(
          integer(p, 'offset', 0, 100_000),
          integer(p, 'offset', 0, 100_000) + integer(p, 'limit', 1000, 1000),
        );
        return bool(p, 'all_fields', false)
          ? page.map((o) => ({ ...organizationDict(o), package_count: o.listed, display_name: o.name }))
          : page.map((o) => o.code);
      },
    },
    {
      name: 'organization_show',
      permission: 'public',
      write: false,
      summary: 'One organisation, optionally with its datasets',
      handler: async (request) => {
        const p = params(request);
        const ref = await requiredRef(p);
        const org = (await catalog.institutions()).find((o) => o.id === ref || o.code === ref);
        if (org === undefined) throw new NotFoundError('CKAN_NOT_FOUND', 'Organization not found');
        const base = {
          ...organizationDict(org),
          package_count: org.listed,
          display_name: org.name,
          users: [],
          extras: [],
          groups: [],
          tags: [],
        };
        if (!bool(p, 'include_datasets', false)) return base;
        const found = await catalog.searchRecords(request.actor, {
          filters: { organization: [org.code] },
          limit: 1000,
          sort: 'name',
          facetLimit: 0,
          exact: true,
        });
        return { ...base, packages: found.records.map((r) => packageDict(r, siteUrl(request))) };
      },
    },
    {
      name: 'group_list',
      permission: 'public',
      write: false,
      summary: 'Groups (the catalog themes)',
      handler: async (request) => {
        const p = params(request);
        const counts = (await catalog.search(request.actor, { limit: 0, facetLimit: 1000 })).facets.theme;
        if (!bool(p, 'all_fields', false)) return THEMES.map((t) => t.code);
        return THEMES.map((t) => ({
          id: t.code,
          name: t.code,
          title: t.label.zh,
          display_name: t.label.zh,
          description: t.label.en,
          type: 'group',
          is_organization: false,
          state: 'active',
          image_display_url: '',
          package_count: counts.find((c) => c.value === t.code)?.count ?? 0,
        }));
      },
    },
    {
      name: 'tag_list',
      permission: 'public',
      write: false,
      summary: 'Tags (the catalog keywords), optionally filtered by a prefix',
      handler: async (request) => {
        const p = params(request);
        const prefix = (text(p, 'query') ?? '').toLowerCase();
        const tags = (await catalog.search(request.actor, { limit: 0, facetLimit: 5000 })).facets.keyword
          .map((k) => k.value)
          .filter((k) => k.toLowerCase().startsWith(prefix))
          .sort();
        return bool(p, 'all_fields', false)
          ? tags.map((t) => ({ id: t, name: t, display_name: t, vocabulary_id: null, state: 'active' }))
          : tags;
      },
    },
    {
      name: 'resource_show',
      permission: 'public',
      write: false,
      summary: 'One resource (distribution) by id',
      handler: async (request) => {
        const id = await requiredRef(params(request));
        const [entryId, distributionId] = id.split('--');
        if (entryId === undefined || distributionId === undefined)
          throw new NotFoundError('CKAN_NOT_FOUND', 'Resource was not found.');
        const record = await catalog.getPublished(request.actor, entryId).catch(() => {
          throw new NotFoundError('CKAN_NOT_FOUND', 'Resource was not found.');
        });
        const position = record.metadata.distributions.findIndex((d) => d.id === distributionId);
        if (position < 0) throw new NotFoundError('CKAN_NOT_FOUND', 'Resource was not found.');
        return resourceDict(record, record.metadata.distributions[position]!, position);
      },
    },
    {
      name: 'status_show',
      permission: 'public',
      write: false,
      summary: 'Site information',
      handler: async (request) => ({
        site_title: deps.siteTitle,
        site_description: 'Public data catalog of the city',
        site_url: siteUrl(request),
        ckan_version: '2.10.4',
        error_emails_to: null,
        locale_default: 'zh_Hans_CN',
        extensions: ['datapolis', 'dcat'],
      }),
    },
    {
      name: 'help_show',
      permission: 'public',
      write: false,
      summary: 'What an action does',
      handler: async (request) => {
        const name = await requiredRef(params(request), 'name');
        const found = actions.find((a) => a.name === name);
        if (found === undefined) throw new NotFoundError('CKAN_NOT_FOUND', `No action ${name}.`);
        return `${found.name}: ${found.summary}.${found.write ? ' POST with a JSON body and an API token.' : ' GET or POST.'}`;
      },
    },
    {
      name: 'package_create',
      permission: 'catalog:edit',
      write: true,
      summary: 'Create a dataset (a draft entry of the owner organisation)',
      handler: async (request) => {
        const p = params(request);
        const org = await organizationFor(text(p, 'owner_org'));
        const record = await catalog.create(request.actor, toMetadata(p, org), 'en');
        return packageDict(record, siteUrl(request));
      },
    },
    {
      name: 'package_update',
      permission: 'catalog:edit',
      write: true,
      summary: 'Replace a dataset (saves a new version of the entry)',
      handler: async (request) => {
        const p = params(request);
        const ref = await requiredRef(p);
        const current = await catalog.get(request.actor, ref);
        const org = await organizationFor(text(p, 'owner_org') ?? current.entry.provider.id);
        const metadata = toMetadata({ ...p, resource_code: current.entry.code }, org);
        const record = await catalog.update(request.actor, current.entry.id, metadata, 'en');
        return packageDict(record, siteUrl(request));
      },
    },
    {
      name: 'package_patch',
      permission: 'catalog:edit',
      write: true,
      summary: 'Change some fields of a dataset',
      handler: async (request) => {
        const p = params(request);
        const ref = await requiredRef(p);
        const current = await catalog.get(request.actor, ref);
        const base =
          current.working === undefined
            ? current.entry
            : { ...current.entry, metadata: current.working.metadata };
        const shown = packageDict(base, siteUrl(request));
        const merged: Record<string, unknown> = { ...shown, ...p };
        // A plain title or notes in the patch wins over the translations the current package carries.
        if (p.title !== undefined && p.title_translated === undefined)
          merged.title_translated = { ...shown.title_translated, zh: p.title };
        if (p.notes !== undefined && p.notes_translated === undefined)
          merged.notes_translated = { ...shown.notes_translated, zh: p.notes };
        const org = { id: base.provider.id, creditCode: base.provider.creditCode };
        const record = await catalog.update(
          request.actor,
          current.entry.id,
          toMetadata({ ...merged, resource_code: base.code }, org),
          'en',
        );
        return packageDict(record, siteUrl(request));
      },
    },
    {
      name: 'package_delete',
      permission: 'catalog:submit',
      write: true,
      summary: 'Delete a dataset (the entry is retired; its history stays)',
      handler: async (request) => {
        const ref = await requiredRef(params(request));
        await catalog.retire(request.actor, ref, 'package_delete');
        return null;
      },
    },
  ];

  actions.push(...(deps.extraActions ?? []));

  async function ckan(app: App): Promise<void> {
    // Errors keep CKAN's envelope and status codes, whoever raised them (the gate, a schema, a service).
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (!type.startsWith('application/problem+json') || typeof payload !== 'string') return payload;
      const problem = JSON.parse(payload) as {
        status: number;
        detail: string;
        code: string;
        errors?: { path: string; message: string }[];
      };
      const mapped = ERROR_TYPES[problem.status] ?? { status: problem.status, type: 'Internal Server Error' };
      const error: Record<string, unknown> = { __type: mapped.type, message: problem.detail };
      for (const e of problem.errors ?? []) {
        const key = e.path.replace(/^\//, '').replaceAll('/', '.') || 'message';
        error[key] = [...((error[key] as string[] | undefined) ?? []), e.message];
      }
      reply.status(mapped.status);
      reply.header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify({ help: helpUrl(request), success: false, error });
    });

    for (const action of actions) {
      const schema = {
        tags: ['ckan'],
        summary: `CKAN ${action.name}: ${action.summary}`,
        querystring: AnyQuery,
        response: { 200: Envelope },
      };
      const handler = async (request: FastifyRequest) => ok(request, await action.handler(request));
      // Changes only by POST, as CKAN does: a GET that writes could be triggered from another site.
      if (!action.write)
        app.get(`/${action.name}`, { config: { permission: action.permission }, schema }, handler);
      app.post(
        `/${action.name}`,
        {
          config: { permission: action.permission },
          schema: { ...schema, body: Type.Union([AnyBody, Type.Null()]) },
        },
        handler,
      );
    }
  }

  root.register(async (scope) => ckan(scope as unknown as App), { prefix: '/api/3/action' });
  // Older clients call /api/action without the version.
  root.register(async (scope) => ckan(scope as unknown as App), { prefix: '/api/action' });
}
