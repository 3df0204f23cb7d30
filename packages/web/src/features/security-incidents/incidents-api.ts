import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { problemFromResponse } from '../../api/client.ts';
import type { RequestContext } from '../access/access-api.ts';
import { useSession } from '../auth/session.ts';
import { queryString } from '../catalog/catalog-api.ts';
import type {
  Incident,
  IncidentDetail,
  IncidentState,
  LetterLanguage,
  LetterPreview,
  NewIncident,
  NoticeFields,
} from './incidents-types.ts';

const BASE = '/api/v1/security';
const enc = encodeURIComponent;

/** JSON in and out, PATCH included; problem documents are thrown as ApiError. */
export async function securityRequest<T>(
  context: RequestContext,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { query?: Record<string, string>; body?: unknown; signal?: AbortSignal | undefined } = {},
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

export function createIncidentsApi(context: RequestContext) {
  const incident = (id: string) => `${BASE}/incidents/${enc(id)}`;
  const send = <T>(method: 'POST' | 'PATCH', path: string, body: unknown) =>
    securityRequest<T>(context, method, path, { body });
  return {
    list: (query: { state?: IncidentState; overdue?: boolean }, signal?: AbortSignal) =>
      securityRequest<{ items: Incident[] }>(context, 'GET', `${BASE}/incidents`, {
        query: {
          ...(query.state ? { state: query.state } : {}),
          ...(query.overdue === undefined ? {} : { overdue: String(query.overdue) }),
        },
        signal,
      }),
    get: (id: string, signal?: AbortSignal) =>
      securityRequest<IncidentDetail>(context, 'GET', incident(id), { signal }),
    create: (body: NewIncident) => send<IncidentDetail>('POST', `${BASE}/incidents`, body),
    update: (id: string, body: { remediation?: string; notice?: Partial<NoticeFields> }) =>
      send<IncidentDetail>('PATCH', incident(id), body),
    move: (id: string, state: IncidentState, note?: string) =>
      send<IncidentDetail>('POST', `${incident(id)}/state`, note ? { state, note } : { state }),
    report: (id: string, reference?: string) =>
      send<IncidentDetail>('POST', `${incident(id)}/report`, reference ? { reference } : {}),
    note: (id: string, text: string) => send<IncidentDetail>('POST', `${incident(id)}/notes`, { text }),
    addTask: (id: string, body: { title: string; assignee?: string; dueDate?: string }) =>
      send<IncidentDetail>('POST', `${incident(id)}/tasks`, body),
    setTaskDone: (taskId: string, done: boolean) =>
      send<IncidentDetail>('PATCH', `${BASE}/incident-tasks/${enc(taskId)}`, { done }),
    preview: (id: string, language: LetterLanguage, signal?: AbortSignal) =>
      securityRequest<LetterPreview>(context, 'GET', `${incident(id)}/letter-preview`, {
        query: { language },
        signal,
      }),
    sendLetter: (id: string, language: LetterLanguage, recipients: string[]) =>
      send<IncidentDetail['letters'][number]>('POST', `${incident(id)}/letters`, { language, recipients }),
  };
}

export type IncidentsApi = ReturnType<typeof createIncidentsApi>;

export function useIncidentsApi(): IncidentsApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(
    () => createIncidentsApi({ language: i18n.language, csrfToken }),
    [i18n.language, csrfToken],
  );
}

export const INCIDENTS_KEY = ['security-incidents'] as const;

/** Plain links: the browser downloads the report itself. */
export function reportDownloads(id: string) {
  return { json: `${BASE}/incidents/${enc(id)}/report.json`, md: `${BASE}/incidents/${enc(id)}/report.md` };
}
