import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, problemFromResponse } from '../../api/client.ts';
import { useSession } from '../auth/session.ts';
import { type QueryParams, queryString } from '../catalog/catalog-api.ts';
import type { Job } from '../catalog/catalog-types.ts';
import type {
  AggregateResult,
  DatastoreIntake,
  DatastoreResource,
  DatastoreVersion,
  DownloadFormat,
  IntakeRequest,
  LoadRequest,
  LoadStarted,
  RecordsPage,
  UploadResult,
  ValidationReport,
} from './datastore-types.ts';

interface RequestContext {
  /** The UI language: the server writes its messages in it. */
  language: string;
  csrfToken: string | undefined;
}

function headersFor(context: RequestContext, method: string): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'accept-language': context.language,
  };
  // Same rule as the shared client: every state-changing request proves it comes from this page.
  if (method !== 'GET' && context.csrfToken) headers['x-csrf-token'] = context.csrfToken;
  return headers;
}

async function request<T>(
  context: RequestContext,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { query?: QueryParams; body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const headers = headersFor(context, method);
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  const response = await fetch(`${path}${queryString(options.query ?? {})}`, init);
  if (!response.ok) throw await problemFromResponse(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Bytes sent so far; `total` is the file size. */
export type UploadProgress = (loaded: number, total: number) => void;

/**
 * Sends a file as the raw request body. XMLHttpRequest rather than fetch: only it reports upload progress,
 * which a large table needs for a truthful progress bar.
 */
function uploadRequest(
  context: RequestContext,
  url: string,
  file: Blob,
  onProgress: UploadProgress,
  signal: AbortSignal | undefined,
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(headersFor(context, 'POST')))
      xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) =>
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as UploadResult);
        } catch (error) {
          reject(error);
        }
        return;
      }
      // The same problem-document reading as every other call, from the XHR's answer.
      const response = new Response(xhr.responseText, {
        status: xhr.status,
        statusText: xhr.statusText,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' },
      });
      void problemFromResponse(response).then(reject, reject);
    };
    // A TypeError is what fetch throws when the network fails; ProblemAlert explains it as such.
    xhr.onerror = () => reject(new TypeError('Network request failed'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException('The upload was cancelled', 'AbortError'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(file);
  });
}

const BASE = '/api/v1/datastore';
const enc = encodeURIComponent;

export function createDatastoreApi(context: RequestContext) {
  const get = <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    request<T>(context, 'GET', path, { ...(query ? { query } : {}), signal });
  const post = <T>(path: string, body?: unknown) =>
    request<T>(context, 'POST', path, body === undefined ? {} : { body });
  const put = <T>(path: string, body: unknown) => request<T>(context, 'PUT', path, { body });
  const resource = (id: string) => `${BASE}/resources/${enc(id)}`;

  return {
    resources: (entryCode: string, signal?: AbortSignal) =>
      get<{ items: DatastoreResource[] }>(`${BASE}/resources`, { entry: entryCode }, signal),
    createResource: (body: { entryCode: string; name: string; description?: string }) =>
      post<DatastoreResource>(`${BASE}/resources`, body),
    resource: (id: string, signal?: AbortSignal) => get<DatastoreResource>(resource(id), undefined, signal),
    versions: (id: string, signal?: AbortSignal) =>
      get<{ items: DatastoreVersion[] }>(`${resource(id)}/versions`, undefined, signal),
    report: (id: string, version: number, signal?: AbortSignal) =>
      get<ValidationReport>(`${resource(id)}/versions/${version}/report`, undefined, signal),
    upload: (file: File, onProgress: UploadProgress, signal?: AbortSignal) =>
      uploadRequest(
        context,
        `${BASE}/uploads${queryString({ filename: file.name })}`,
        file,
        onProgress,
        signal,
      ),
    load: (id: string, body: LoadRequest) => post<LoadStarted>(`${resource(id)}/loads`, body),
    records: (id: string, query: QueryParams, signal?: AbortSignal) =>
      get<RecordsPage>(`${BASE}/${enc(id)}/records`, query, signal),
    aggregate: (id: string, query: QueryParams, signal?: AbortSignal) =>
      get<AggregateResult>(`${BASE}/${enc(id)}/aggregate`, query, signal),
    job: (jobId: string, signal?: AbortSignal) => get<Job>(`/api/v1/jobs/${enc(jobId)}`, undefined, signal),
    cancelJob: (jobId: string) => post<Job>(`/api/v1/jobs/${enc(jobId)}/cancel`),
    /** The table's scheduled intake; null when none is set up yet. */
    intake: async (id: string, signal?: AbortSignal): Promise<DatastoreIntake | null> => {
      try {
        return await get<DatastoreIntake>(`${resource(id)}/intake`, undefined, signal);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'DATASTORE_INTAKE_NOT_FOUND') return null;
        throw error;
      }
    },
    setIntake: (id: string, body: IntakeRequest) => put<DatastoreIntake>(`${resource(id)}/intake`, body),
  };
}

export type DatastoreApi = ReturnType<typeof createDatastoreApi>;

/** The datastore API for the current reader: their language, and their session's CSRF token. */
export function useDatastoreApi(): DatastoreApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(
    () => createDatastoreApi({ language: i18n.language, csrfToken }),
    [i18n.language, csrfToken],
  );
}

/** Plain links: the browser downloads the file itself, with the session cookie, however large it is. */
export function downloadUrl(id: string, format: DownloadFormat, version?: number): string {
  return `${BASE}/${enc(id)}/download${queryString({ format, version })}`;
}
