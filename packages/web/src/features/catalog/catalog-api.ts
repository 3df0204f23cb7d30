import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, problemFromResponse } from '../../api/client.ts';
import { useSession } from '../auth/session.ts';
import type {
  CatalogRecord,
  Dashboard,
  Diff,
  EntryDetail,
  EntryMetadata,
  EntryState,
  HarvestRequest,
  Institution,
  InstitutionEntry,
  Job,
  Objection,
  Profile,
  SearchResult,
  Submission,
  SubmissionDetail,
  ValidationResult,
  Version,
  VersionContent,
  VersionProof,
} from './catalog-types.ts';

export type QueryParams = Record<string, string | number | boolean | readonly string[] | undefined | null>;

/** Query string with repeated keys for lists (`theme=a&theme=b`), as the search route reads them. */
export function queryString(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface RequestContext {
  /** The UI language: the server writes its validation messages and reports in it. */
  language: string;
  csrfToken: string | undefined;
}

/**
 * Like the shared client, plus Accept-Language: the catalog answers with messages in the reader's
 * language, which may differ from the browser's once the reader switched language in the header.
 */
async function request<T>(
  context: RequestContext,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { query?: QueryParams; body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'accept-language': context.language,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && context.csrfToken) headers['x-csrf-token'] = context.csrfToken;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  const response = await fetch(`${path}${queryString(options.query ?? {})}`, init);
  if (!response.ok) throw await problemFromResponse(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const BASE = '/api/v1/catalog';
const enc = encodeURIComponent;

export function createCatalogApi(context: RequestContext) {
  const get = <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    request<T>(context, 'GET', path, { ...(query ? { query } : {}), signal });
  const post = <T>(path: string, body: unknown, query?: QueryParams) =>
    request<T>(context, 'POST', path, { body, ...(query ? { query } : {}) });
  const put = <T>(path: string, body: unknown, query?: QueryParams) =>
    request<T>(context, 'PUT', path, { body, ...(query ? { query } : {}) });
  const entry = (ref: string) => `${BASE}/entries/${enc(ref)}`;

  return {
    profile: (signal?: AbortSignal) => get<Profile>(`${BASE}/profile`, undefined, signal),
    institutions: (signal?: AbortSignal) => get<Institution[]>(`${BASE}/institutions`, undefined, signal),
    search: (query: QueryParams, signal?: AbortSignal) => get<SearchResult>(`${BASE}/entries`, query, signal),
    entry: (ref: string, signal?: AbortSignal) => get<EntryDetail>(entry(ref), undefined, signal),
    versions: (ref: string, signal?: AbortSignal) =>
      get<Version[]>(`${entry(ref)}/versions`, undefined, signal),
    version: (ref: string, version: number, signal?: AbortSignal) =>
      get<VersionContent>(`${entry(ref)}/versions/${version}`, undefined, signal),
    proof: (ref: string, version: number, signal?: AbortSignal) =>
      get<VersionProof>(`${entry(ref)}/versions/${version}/proof`, undefined, signal),
    diff: (ref: string, from: number, to: number, signal?: AbortSignal) =>
      get<Diff>(`${entry(ref)}/diff`, { from, to }, signal),
    objections: (ref: string, offset: number, limit: number, signal?: AbortSignal) =>
      get<{ total: number; items: Objection[] }>(`${entry(ref)}/objections`, { offset, limit }, signal),
    fileObjection: (ref: string, body: { field?: string; message: string }) =>
      post<Objection>(`${entry(ref)}/objections`, body),
    answerObjection: (id: string, body: { resolution: 'accepted' | 'rejected'; response: string }) =>
      post<Objection>(`${BASE}/objections/${enc(id)}/answer`, body),
    validate: (metadata: EntryMetadata) => post<ValidationResult>(`${BASE}/validate`, metadata),
    create: (metadata: EntryMetadata) => post<CatalogRecord>(`${BASE}/entries`, metadata),
    update: (ref: string, metadata: EntryMetadata, expectedVersion: number) =>
      put<CatalogRecord>(entry(ref), metadata, { expectedVersion }),
    retire: (ref: string, reason: string) => post<CatalogRecord>(`${entry(ref)}/retire`, { reason }),
    institutionEntries: (organizationId: string, state: EntryState | undefined, signal?: AbortSignal) =>
      get<InstitutionEntry[]>(`${BASE}/institutions/${enc(organizationId)}/entries`, { state }, signal),
    dashboard: (organizationId: string, signal?: AbortSignal) =>
      get<Dashboard>(`${BASE}/institutions/${enc(organizationId)}/quality`, undefined, signal),
    submit: (body: { organizationId: string; entryIds?: string[]; comment?: string }) =>
      post<Submission>(`${BASE}/submissions`, body),
    submissions: (
      query: { state?: string; organizationId?: string; offset: number; limit: number },
      signal?: AbortSignal,
    ) => get<{ total: number; items: Submission[] }>(`${BASE}/submissions`, query, signal),
    submission: (id: string, signal?: AbortSignal) =>
      get<SubmissionDetail>(`${BASE}/submissions/${enc(id)}`, undefined, signal),
    approve: (id: string, body: { comment?: string }) =>
      post<Submission>(`${BASE}/submissions/${enc(id)}/approve`, body),
    returnSubmission: (
      id: string,
      body: { comment?: string; entryComments?: { entryId: string; comment: string }[] },
    ) => post<Submission>(`${BASE}/submissions/${enc(id)}/return`, body),
    harvest: (body: HarvestRequest) => post<{ jobId: string }>(`${BASE}/harvests`, body),
    job: (id: string, signal?: AbortSignal) => get<Job>(`/api/v1/jobs/${enc(id)}`, undefined, signal),
  };
}

export type CatalogApi = ReturnType<typeof createCatalogApi>;

/** The catalog API for the current reader: their language, and their session's CSRF token. */
export function useCatalogApi(): CatalogApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(() => createCatalogApi({ language: i18n.language, csrfToken }), [i18n.language, csrfToken]);
}

/** True for the 409 the server sends when someone saved the entry since it was loaded. */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === 'CATALOG_VERSION_CONFLICT';
}

/** Download links for the DCAT and Data Package views of a published entry. */
export function exportLinks(code: string) {
  const base = `${BASE}/entries/${enc(code)}`;
  return {
    turtle: `${base}/dcat?format=ttl`,
    jsonld: `${base}/dcat?format=jsonld`,
    rdfxml: `${base}/dcat?format=rdf`,
    datapackage: `${base}/datapackage.json`,
  };
}
