import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestContext } from '../access/access-api.ts';
import { useSession } from '../auth/session.ts';
import { securityRequest } from '../security-incidents/incidents-api.ts';
import type { previewBody } from './transfers-model.ts';
import type { RouteAssessment, Transfer, TransferState } from './transfers-types.ts';

const BASE = '/api/v1/security';
const enc = encodeURIComponent;

export interface TransferBody {
  organizationId: string;
  entryCodes: string[];
  importantDataDeclared: boolean;
  recipient: string;
  country: string;
  purpose: string;
  peopleCount: number;
  sensitivePeopleCount: number;
}

export function createTransfersApi(context: RequestContext) {
  const one = (id: string) => `${BASE}/transfers/${enc(id)}`;
  return {
    list: (state: TransferState | undefined, signal?: AbortSignal) =>
      securityRequest<{ items: Transfer[] }>(context, 'GET', `${BASE}/transfers`, {
        query: state ? { state } : {},
        signal,
      }),
    get: (id: string, signal?: AbortSignal) => securityRequest<Transfer>(context, 'GET', one(id), { signal }),
    route: (body: NonNullable<ReturnType<typeof previewBody>>, signal?: AbortSignal) =>
      securityRequest<RouteAssessment>(context, 'POST', `${BASE}/transfers/route`, { body, signal }),
    create: (body: TransferBody) => securityRequest<Transfer>(context, 'POST', `${BASE}/transfers`, { body }),
    submit: (id: string) => securityRequest<Transfer>(context, 'POST', `${one(id)}/submit`, {}),
    decide: (id: string, body: { decision: 'approve' | 'reject'; comment?: string; reference?: string }) =>
      securityRequest<Transfer>(context, 'POST', `${one(id)}/decision`, { body }),
    addAssessment: (id: string, text: string) =>
      securityRequest<Transfer>(context, 'POST', `${one(id)}/assessments`, { body: { text } }),
  };
}

export function useTransfersApi() {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(
    () => createTransfersApi({ language: i18n.language, csrfToken }),
    [i18n.language, csrfToken],
  );
}

export const TRANSFERS_KEY = ['security-transfers'] as const;
