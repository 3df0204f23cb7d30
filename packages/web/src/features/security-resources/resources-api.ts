import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { jsonRequest, type RequestContext } from '../access/access-api.ts';
import { useSession } from '../auth/session.ts';
import type { Job } from '../catalog/catalog-types.ts';
import type {
  DerivationRequest,
  DerivationView,
  RiskReport,
  RiskRequest,
  RiskThresholds,
  ScanView,
  Scenario,
  SearchRequest,
  SearchResult,
} from './resources-types.ts';

const BASE = '/api/v1/security';
const enc = encodeURIComponent;

export function createResourceSecurityApi(context: RequestContext) {
  const get = <T>(path: string, query?: Record<string, string>, signal?: AbortSignal) =>
    jsonRequest<T>(context, 'GET', path, { ...(query ? { query } : {}), signal });
  const post = <T>(path: string, body: unknown) => jsonRequest<T>(context, 'POST', path, { body });
  return {
    scan: (body: { resourceId: string; sample?: number }) => post<ScanView>(`${BASE}/scans`, body),
    scans: (resourceId: string, signal?: AbortSignal) =>
      get<{ items: ScanView[] }>(`${BASE}/scans`, { resourceId }, signal),
    scansOfEntry: (entryCode: string, signal?: AbortSignal) =>
      get<{ items: ScanView[] }>(`${BASE}/scans`, { entryCode }, signal),
    scanById: (id: string, signal?: AbortSignal) =>
      get<ScanView>(`${BASE}/scans/${enc(id)}`, undefined, signal),
    thresholds: (signal?: AbortSignal) =>
      get<Record<Scenario, RiskThresholds>>(`${BASE}/risk/thresholds`, undefined, signal),
    risk: (body: RiskRequest) => post<RiskReport>(`${BASE}/risk`, body),
    search: (body: SearchRequest) => post<SearchResult>(`${BASE}/risk/search`, body),
    derive: (body: DerivationRequest) => post<DerivationView>(`${BASE}/derivations`, body),
    derivations: (resourceId: string, signal?: AbortSignal) =>
      get<{ items: DerivationView[] }>(`${BASE}/derivations`, { resourceId }, signal),
    derivation: (id: string, signal?: AbortSignal) =>
      get<DerivationView>(`${BASE}/derivations/${enc(id)}`, undefined, signal),
    job: (jobId: string, signal?: AbortSignal) => get<Job>(`/api/v1/jobs/${enc(jobId)}`, undefined, signal),
  };
}

export type ResourceSecurityApi = ReturnType<typeof createResourceSecurityApi>;

/** The API for the current reader: their language, and their session's CSRF token. */
export function useResourceSecurityApi(): ResourceSecurityApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(
    () => createResourceSecurityApi({ language: i18n.language, csrfToken }),
    [i18n.language, csrfToken],
  );
}

/** Every query of these pages sits under this key, so a finished job refreshes them all at once. */
export const RESOURCE_SECURITY_KEY = ['security', 'resources'] as const;
