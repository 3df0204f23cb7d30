import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { jsonRequest, type RequestContext } from '../access/access-api.ts';
import { useSession } from '../auth/session.ts';
import type { OrganizationUsage, TopUsage } from './usage-types.ts';

const BASE = '/api/v1/usage';

export function createUsageApi(context: RequestContext) {
  return {
    /** The city's most used open entries (public). */
    top: (query: { days: number; limit: number }, signal?: AbortSignal) =>
      jsonRequest<TopUsage>(context, 'GET', `${BASE}/top`, { query, signal }),
    /** How one organisation's data is used (its members, the operator, auditors and statisticians). */
    organization: (organizationId: string, days: number, signal?: AbortSignal) =>
      jsonRequest<OrganizationUsage>(
        context,
        'GET',
        `${BASE}/organizations/${encodeURIComponent(organizationId)}`,
        { query: { days }, signal },
      ),
  };
}

export type UsageApi = ReturnType<typeof createUsageApi>;

export function useUsageApi(): UsageApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(() => createUsageApi({ language: i18n.language, csrfToken }), [i18n.language, csrfToken]);
}

export const USAGE_KEY = ['usage'] as const;
