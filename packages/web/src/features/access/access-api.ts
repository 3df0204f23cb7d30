import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { problemFromResponse } from '../../api/client.ts';
import { useSession } from '../auth/session.ts';
import { type QueryParams, queryString } from '../catalog/catalog-api.ts';
import type {
  Application,
  ApplicationRequest,
  ApplicationState,
  ApplicationView,
  CentreReviewRequest,
  Grant,
  GrantState,
  GrantView,
  Notification,
  ReplyRequest,
  ReviewRequest,
  Terms,
} from './access-types.ts';

export interface RequestContext {
  /** The UI language: the server writes its messages in it. */
  language: string;
  csrfToken: string | undefined;
  /** Origin of the API; empty in the browser (same origin), a stand-in server's address in tests. */
  base?: string;
}

/** JSON in and out with Accept-Language and the CSRF header, problem documents thrown as ApiError. */
export async function jsonRequest<T>(
  context: RequestContext,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
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
  const response = await fetch(`${context.base ?? ''}${path}${queryString(options.query ?? {})}`, init);
  if (!response.ok) throw await problemFromResponse(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const BASE = '/api/v1/access';
const enc = encodeURIComponent;

export function createAccessApi(context: RequestContext) {
  const get = <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    jsonRequest<T>(context, 'GET', path, { ...(query ? { query } : {}), signal });
  const post = <T>(path: string, body?: unknown) =>
    jsonRequest<T>(context, 'POST', path, body === undefined ? {} : { body });
  const application = (id: string) => `${BASE}/applications/${enc(id)}`;

  return {
    terms: (signal?: AbortSignal) => get<Terms>(`${BASE}/terms`, undefined, signal),
    apply: (body: ApplicationRequest) => post<Application>(`${BASE}/applications`, body),
    applications: (
      query: { view: ApplicationView; state?: ApplicationState; limit?: number; offset?: number },
      signal?: AbortSignal,
    ) => get<{ items: Application[]; total: number }>(`${BASE}/applications`, query, signal),
    application: (id: string, signal?: AbortSignal) => get<Application>(application(id), undefined, signal),
    review: (id: string, body: ReviewRequest) => post<Application>(`${application(id)}/review`, body),
    centreReview: (id: string, body: CentreReviewRequest) =>
      post<Application>(`${application(id)}/centre-review`, body),
    reply: (id: string, body: ReplyRequest) => post<Application>(`${application(id)}/reply`, body),
    withdraw: (id: string) => post<Application>(`${application(id)}/withdraw`),
    grants: (query: { view: GrantView; state?: GrantState }, signal?: AbortSignal) =>
      get<{ items: Grant[]; total: number }>(`${BASE}/grants`, query, signal),
    revoke: (id: string, reason: string) => post<Grant>(`${BASE}/grants/${enc(id)}/revoke`, { reason }),
    notifications: (query: { unread?: boolean; limit?: number }, signal?: AbortSignal) =>
      get<{ items: Notification[]; unread: number }>('/api/v1/notifications', query, signal),
    markRead: (id: string) => post<void>(`/api/v1/notifications/${enc(id)}/read`),
  };
}

export type AccessApi = ReturnType<typeof createAccessApi>;

/** The access API for the current reader: their language, and their session's CSRF token. */
export function useAccessApi(): AccessApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(() => createAccessApi({ language: i18n.language, csrfToken }), [i18n.language, csrfToken]);
}

export const ACCESS_KEY = ['access'] as const;
export const NOTIFICATIONS_KEY = ['notifications'] as const;
