import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { jsonRequest, type RequestContext } from '../access/access-api.ts';
import { useSession } from '../auth/session.ts';
import type { BusinessSystem, ClientSecretAnswer } from './sharing-types.ts';

const enc = encodeURIComponent;

export function createSharingApi(context: RequestContext) {
  const clients = (organizationId: string) => `/api/v1/organizations/${enc(organizationId)}/clients`;
  const client = (organizationId: string, clientId: string) => `${clients(organizationId)}/${enc(clientId)}`;

  return {
    /** The institution's business systems, revoked ones included. */
    list: (organizationId: string, signal?: AbortSignal) =>
      jsonRequest<{ items: BusinessSystem[] }>(context, 'GET', clients(organizationId), { signal }),
    register: (organizationId: string, name: string) =>
      jsonRequest<ClientSecretAnswer>(context, 'POST', clients(organizationId), { body: { name } }),
    /** A new secret; the old one and the tokens issued with it stop working. */
    rotate: (organizationId: string, clientId: string) =>
      jsonRequest<ClientSecretAnswer>(context, 'POST', `${client(organizationId, clientId)}/secret`),
    /** Revokes the system and all its tokens at once (the server answers 204). */
    revoke: (organizationId: string, clientId: string) =>
      jsonRequest<void>(context, 'DELETE', client(organizationId, clientId)),
  };
}

export type SharingApi = ReturnType<typeof createSharingApi>;

export function useSharingApi(): SharingApi {
  const { i18n } = useTranslation();
  const { data: session } = useSession();
  const csrfToken = session?.authenticated ? session.csrfToken : undefined;
  return useMemo(() => createSharingApi({ language: i18n.language, csrfToken }), [i18n.language, csrfToken]);
}

export const SHARING_KEY = ['sharing', 'clients'] as const;
