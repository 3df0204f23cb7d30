import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { jsonRequest, type RequestContext } from '../access/access-api.ts';
import { useSession } from '../auth/session.ts';
import type {
  Dashboard,
  DatasetAssessment,
  FieldAssessment,
  GradingView,
  ImportantData,
  MatrixView,
  OfficerRole,
  Officers,
  ScannerProposal,
} from './security-types.ts';

const BASE = '/api/v1/security';
const enc = encodeURIComponent;

export function createSecurityApi(context: RequestContext) {
  const get = <T>(path: string, signal?: AbortSignal) => jsonRequest<T>(context, 'GET', path, { signal });
  const grading = (code: string) => `${BASE}/gradings/${enc(code)}`;
  const org = (id: string) => `${BASE}/organizations/${enc(id)}`;
  return {
    dashboard: (signal?: AbortSignal) => get<Dashboard>(`${BASE}/dashboard`, signal),
    matrix: (signal?: AbortSignal) => get<MatrixView>(`${BASE}/grading/matrix`, signal),
    grading: (code: string, signal?: AbortSignal) => get<GradingView>(grading(code), signal),
    saveDraft: (
      code: string,
      body: { fields: FieldAssessment[]; dataset: DatasetAssessment | null; proposals?: ScannerProposal[] },
    ) => jsonRequest<GradingView>(context, 'PUT', grading(code), { body }),
    submit: (code: string) =>
      jsonRequest<GradingView>(context, 'POST', `${grading(code)}/submit`, { body: {} }),
    review: (code: string, body: { decision: 'confirm' | 'return'; comment?: string }) =>
      jsonRequest<GradingView>(context, 'POST', `${grading(code)}/review`, { body }),
    officers: (organizationId: string, signal?: AbortSignal) =>
      get<Officers>(`${org(organizationId)}/officers`, signal),
    appoint: (
      organizationId: string,
      role: OfficerRole,
      body: { userId: string; name: string; email?: string; phone?: string },
    ) => jsonRequest<Officers>(context, 'PUT', `${org(organizationId)}/officers/${enc(role)}`, { body }),
    importantData: (organizationId: string, signal?: AbortSignal) =>
      get<ImportantData>(`${org(organizationId)}/important-data`, signal),
  };
}

export type SecurityApi = ReturnType<typeof createSecurityApi>;

export function useSecurityApi(): SecurityApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(() => createSecurityApi({ language: i18n.language, csrfToken }), [i18n.language, csrfToken]);
}

export const SECURITY_KEY = ['security'] as const;

/** A plain link: the browser downloads the file itself. */
export function importantDataCsvUrl(organizationId: string): string {
  return `${BASE}/organizations/${enc(organizationId)}/important-data.csv`;
}
