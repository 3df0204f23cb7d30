import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../../kernel/errors.ts';
import { type CkanAction, ckanParams } from '../catalog/index.ts';
import type { TableFieldType } from './datastore.model.ts';
import { type FilterSpec, parseFilters } from './datastore.query.ts';
import type { DatastoreService } from './datastore.service.ts';

/** CKAN's datastore field types for ours. */
const CKAN_TYPES: Record<TableFieldType, string> = {
  string: 'text',
  integer: 'int',
  number: 'numeric',
  boolean: 'bool',
  date: 'date',
  datetime: 'timestamp',
  time: 'time',
  year: 'int',
  yearmonth: 'text',
  duration: 'text',
  geopoint: 'json',
  geojson: 'json',
  object: 'json',
  array: 'json',
  any: 'text',
};

function str(p: Record<string, unknown>, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new ValidationError(`${key} must be a string.`, [{ path: `/${key}`, message: 'Must be a string' }]);
}

function required(p: Record<string, unknown>, key: string): string {
  const v = str(p, key);
  if (v === undefined)
    throw new ValidationError(`Missing value: ${key}.`, [{ path: `/${key}`, message: 'Missing value' }]);
  return v;
}

function natural(p: Record<string, unknown>, key: string, fallback: number): number {
  const v = p[key];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new ValidationError(`${key} must be a natural number.`, [
      { path: `/${key}`, message: 'Invalid integer' },
    ]);
  return n;
}

/** CKAN takes filters as a dict (JSON body) or a JSON string (query string). */
function filtersOf(p: Record<string, unknown>): Record<string, FilterSpec> | undefined {
  const raw = p.filters;
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return parseFilters(raw);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw))
    return raw as Record<string, FilterSpec>;
  throw new ValidationError('filters must be a dictionary.', [
    { path: '/filters', message: 'Not a dictionary' },
  ]);
}

function listOf(p: Record<string, unknown>, key: string): string[] | undefined {
  const raw = p[key];
  if (raw === undefined || raw === '') return undefined;
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === 'string') {
    if (raw.startsWith('[')) {
      try {
        return (JSON.parse(raw) as unknown[]).map(String);
      } catch {
        // a plain comma list
      }
    }
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  throw new ValidationError(`${key} must be a list.`, [{ path: `/${key}`, message: 'Not a list' }]);
}

function recordsOf(p: Record<string, unknown>): Record<string, unknown>[] {
  const raw = typeof p.records === 'string' ? safeJson(p.records) : p.records;
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((r) => r === null || typeof r !== 'object' || Array.isArray(r)))
    throw new ValidationError('records must be a list of dictionaries.', [
      { path: '/records', message: 'Not a list of dictionaries' },
    ]);
  return raw as Record<string, unknown>[];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('records is not valid JSON.', [{ path: '/records', message: 'Invalid JSON' }]);
  }
}

/** The datastore_* actions of CKAN's DataStore API, served beside the catalog's actions. */
export function datastoreCkanActions(datastore: DatastoreService): CkanAction[] {
  async function search(request: FastifyRequest) {
    const p = ckanParams(request);
    const id = required(p, 'resource_id');
    const limit = Math.min(natural(p, 'limit', 100), 32_000);
    const offset = natural(p, 'offset', 0);
    const fields = listOf(p, 'fields');
    const sort = str(p, 'sort');
    const q = str(p, 'q');
    const filters = filtersOf(p);
    const includeTotal =
      p.include_total === undefined || p.include_total === true || p.include_total === 'true';
    const page = await datastore.records(request.actor, id, {
      ...(filters === undefined ? {} : { filters }),
      ...(q === undefined ? {} : { q }),
      ...(fields === undefined ? {} : { fields: fields.filter((f) => f !== '_id') }),
      ...(sort === undefined ? {} : { sort }),
      limit,
      offset,
      total: includeTotal ? 'exact' : 'none',
    });
    const lists = str(p, 'records_format') === 'lists';
    const base = `/api/3/action/datastore_search?resource_id=${id}`;
    return {
      resource_id: id,
      fields: [
        { id: '_id', type: 'int' },
        ...page.fields.map((f) => ({ id: f.name, type: CKAN_TYPES[f.type] ?? 'text' })),
      ],
      records: lists ? page.records.map((r) => [r._id, ...page.fields.map((f) => r[f.name])]) : page.records,
      ...(page.total === null ? {} : { total: page.total, total_was_estimated: !page.totalExact }),
      limit,
      offset,
      records_format: lists ? 'lists' : 'objects',
      _links: { start: base, next: `${base}&offset=${offset + limit}` },
    };
  }

  return [
    {
      name: 'datastore_search',
      permission: 'public',
      write: false,
      summary: 'Rows of a data table (filters, q, fields, sort, limit, offset)',
      handler: search,
    },
    {
      name: 'datastore_search_sql',
      permission: 'public',
      write: false,
      summary: 'One read-only SELECT over the data tables you may read',
      handler: async (request) => {
        const p = ckanParams(request);
        const text = required(p, 'sql');
        const result = await datastore.runSql(request.actor, text);
        return {
          sql: text,
          records: result.records,
          fields: result.fields.map((id) => ({ id })),
          ...(result.truncated ? { records_truncated: true } : {}),
        };
      },
    },
    {
      name: 'datastore_info',
      permission: 'public',
      write: false,
      summary: "A data table's fields and row count",
      handler: async (request) => {
        const p = ckanParams(request);
        const id = str(p, 'id') ?? required(p, 'resource_id');
        const { resource, version, fields } = await datastore.info(request.actor, id);
        return {
          meta: {
            id: resource.id,
            count: version?.rows ?? 0,
            table_type: 'BASE TABLE',
            version: version?.version ?? null,
          },
          fields: fields.map((f) => ({
            id: f.name,
            type: CKAN_TYPES[f.type] ?? 'text',
            schema: { native_type: version?.columns?.find((c) => c.field === f.name)?.type ?? 'text' },
          })),
        };
      },
    },
    {
      name: 'datastore_create',
      permission: 'datastore:manage',
      write: true,
      summary:
        'Create a data table (for an entry, via resource.package_id) or a new version of one from fields and records',
      handler: async (request) => {
        const p = ckanParams(request);
        let id = str(p, 'resource_id');
        if (id === undefined) {
          const resource = p.resource as
            | { package_id?: string; name?: string; description?: string }
            | undefined;
          if (resource?.package_id === undefined)
            throw new ValidationError(
              'Give resource_id, or resource with package_id (the catalog entry code).',
              [{ path: '/resource_id', message: 'Missing value' }],
            );
          const created = await datastore.createResource(request.actor, {
            entryCode: resource.package_id,
            name: resource.name ?? 'data',
            description: resource.description,
          });
          id = created.id;
        }
        const rawFields = p.fields;
        const fields = Array.isArray(rawFields)
          ? (rawFields as { id?: unknown; type?: unknown }[]).map((f, i) => {
              if (typeof f?.id !== 'string' || f.id === '')
                throw new ValidationError(`fields[${i}] needs an id.`, [
                  { path: `/fields/${i}/id`, message: 'Missing value' },
                ]);
              return { id: f.id, ...(typeof f.type === 'string' ? { type: f.type } : {}) };
            })
          : undefined;
        const records = recordsOf(p);
        const primaryKey = listOf(p, 'primary_key');
        if (fields === undefined && records.length === 0)
          throw new ValidationError('Give fields, records or both.', [
            { path: '/fields', message: 'Missing value' },
          ]);
        const { version } = await datastore.createFromRecords(request.actor, id, {
          fields,
          records,
          ...(primaryKey === undefined ? {} : { primaryKey }),
        });
        return {
          resource_id: id,
          version,
          fields: fields ?? [],
          ...(primaryKey === undefined ? {} : { primary_key: primaryKey }),
        };
      },
    },
    {
      name: 'datastore_upsert',
      permission: 'datastore:manage',
      write: true,
      summary: 'Insert or update rows of the live version, matched on the primary key',
      handler: async (request) => {
        const p = ckanParams(request);
        const id = required(p, 'resource_id');
        const method = str(p, 'method') ?? 'upsert';
        if (method !== 'upsert' && method !== 'insert' && method !== 'update')
          throw new ValidationError('method must be upsert, insert or update.', [
            { path: '/method', message: 'Unknown method' },
          ]);
        const records = recordsOf(p);
        await datastore.upsertRecords(request.actor, id, records, method);
        return { resource_id: id, method, records };
      },
    },
    {
      name: 'datastore_delete',
      permission: 'datastore:manage',
      write: true,
      summary: 'Delete rows matching filters, or take the whole table offline',
      handler: async (request) => {
        const p = ckanParams(request);
        const id = required(p, 'resource_id');
        const filters = filtersOf(p);
        if (filters !== undefined && Object.keys(filters).length === 0)
          throw new ValidationError('filters is empty; leave it out to take the whole table offline.', [
            { path: '/filters', message: 'Empty' },
          ]);
        const result = await datastore.deleteRecords(request.actor, id, filters);
        return { resource_id: id, ...(filters === undefined ? {} : { filters }), deleted: result.deleted };
      },
    },
  ];
}
