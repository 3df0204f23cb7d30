import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { jsonRequest, type RequestContext } from '../access/access-api.ts';
import { useSession } from '../auth/session.ts';
import type { QueryParams } from '../catalog/catalog-api.ts';
import type { CityPlan, Plan, PlanItemInput } from './opening-types.ts';

const BASE = '/api/v1/opening';
const enc = encodeURIComponent;

export function createOpeningApi(context: RequestContext) {
  const get = <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    jsonRequest<T>(context, 'GET', path, { ...(query ? { query } : {}), signal });
  const post = <T>(path: string, body?: unknown) =>
    jsonRequest<T>(context, 'POST', path, body === undefined ? {} : { body });
  const plan = (id: string) => `${BASE}/plans/${enc(id)}`;

  return {
    plans: (query: { year?: number; organizationId?: string }, signal?: AbortSignal) =>
      get<{ items: Plan[] }>(`${BASE}/plans`, query, signal),
    plan: (id: string, signal?: AbortSignal) => get<Plan>(plan(id), undefined, signal),
    create: (body: { organizationId: string; year: number }) => post<Plan>(`${BASE}/plans`, body),
    saveItems: (id: string, items: PlanItemInput[]) =>
      jsonRequest<Plan>(context, 'PUT', `${plan(id)}/items`, { body: { items } }),
    submit: (id: string) => post<Plan>(`${plan(id)}/submit`),
    review: (id: string, body: { decision: 'approve' | 'return'; comment?: string }) =>
      post<Plan>(`${plan(id)}/review`, body),
    city: (year: number, signal?: AbortSignal) => get<CityPlan>(`${BASE}/city/${year}`, undefined, signal),
  };
}

export type OpeningApi = ReturnType<typeof createOpeningApi>;

export function useOpeningApi(): OpeningApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(() => createOpeningApi({ language: i18n.language, csrfToken }), [i18n.language, csrfToken]);
}

export const OPENING_KEY = ['opening'] as const;

/** Plain links: the browser downloads the files itself. */
export function cityPlanDownloads(year: number) {
  return { csv: `${BASE}/city/${year}/plan.csv`, ttl: `${BASE}/city/${year}/plan.ttl` };
}
