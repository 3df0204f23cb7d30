import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { jsonRequest, type RequestContext } from '../access/access-api.ts';
import { useSession } from '../auth/session.ts';
import { alertsQuery } from './alerts-model.ts';
import type {
  AlertFilter,
  AlertPage,
  AlertView,
  RunReport,
  Thresholds,
  ThresholdsView,
} from './alerts-types.ts';

const BASE = '/api/v1/security';
const enc = encodeURIComponent;

export function createAlertsApi(context: RequestContext) {
  const move = (id: string, action: 'acknowledge' | 'close' | 'escalate', note?: string) =>
    jsonRequest<AlertView>(context, 'POST', `${BASE}/alerts/${enc(id)}/${action}`, {
      body: note ? { note } : {},
    });
  return {
    list: (filter: AlertFilter, signal?: AbortSignal) =>
      jsonRequest<AlertPage>(context, 'GET', `${BASE}/alerts`, { query: alertsQuery(filter), signal }),
    get: (id: string, signal?: AbortSignal) =>
      jsonRequest<AlertView>(context, 'GET', `${BASE}/alerts/${enc(id)}`, { signal }),
    acknowledge: (id: string, note?: string) => move(id, 'acknowledge', note),
    close: (id: string, note?: string) => move(id, 'close', note),
    escalate: (id: string, note?: string) => move(id, 'escalate', note),
    thresholds: (signal?: AbortSignal) =>
      jsonRequest<ThresholdsView>(context, 'GET', `${BASE}/monitoring/thresholds`, { signal }),
    saveThresholds: (body: Thresholds) =>
      jsonRequest<ThresholdsView>(context, 'PUT', `${BASE}/monitoring/thresholds`, { body }),
    run: () => jsonRequest<RunReport>(context, 'POST', `${BASE}/monitoring/run`, { body: {} }),
  };
}

export type AlertsApi = ReturnType<typeof createAlertsApi>;

export function useAlertsApi(): AlertsApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(() => createAlertsApi({ language: i18n.language, csrfToken }), [i18n.language, csrfToken]);
}

export const ALERTS_KEY = ['security', 'alerts'] as const;
