import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../api/types.ts';
import { useCatalogApi } from './catalog-api.ts';
import type { Institution } from './catalog-types.ts';
import { codeLabel, organizationName, type Shown } from './localized.ts';

/** The catalog standard: its code lists label themes, formats, licences, grades and types in three languages. */
export function useProfile() {
  const api = useCatalogApi();
  return useQuery({
    queryKey: ['catalog', 'profile'],
    queryFn: ({ signal }) => api.profile(signal),
    staleTime: 10 * 60_000,
  });
}

export function useInstitutions(enabled = true) {
  const api = useCatalogApi();
  return useQuery({
    queryKey: ['catalog', 'institutions'],
    queryFn: ({ signal }) => api.institutions(signal),
    staleTime: 60_000,
    enabled,
  });
}

/** Labels of code-list values and institutions in the reader's language, raw codes until they load. */
export function useLabels() {
  const { i18n } = useTranslation();
  const profile = useProfile();
  const institutions = useInstitutions();
  const language = i18n.language;
  const code = useCallback(
    (list: string, value: string) => codeLabel(profile.data, list, value, language),
    [profile.data, language],
  );
  const institution = useCallback(
    (codeOrId: string): Shown => {
      const org = institutions.data?.find((o) => o.code === codeOrId || o.id === codeOrId);
      return org === undefined ? { text: codeOrId, lang: 'zh-CN' } : organizationName(org, language);
    },
    [institutions.data, language],
  );
  return { code, institution, profile: profile.data, institutions: institutions.data };
}

const OVERSIGHT_ROLES = ['operator', 'auditor', 'security_officer'];

/** May this user read the institution's drafts and quality dashboard (its staff, or oversight roles)? */
export function isStaffOf(user: SessionUser | undefined, organizationId: string): boolean {
  if (user === undefined) return false;
  if (user.platformRoles.some((r) => OVERSIGHT_ROLES.includes(r))) return true;
  return user.memberships.some((m) => m.organizationId === organizationId);
}

/** May this user submit the institution's catalog and retire its entries (its admins, or the operator)? */
export function canSubmitFor(user: SessionUser | undefined, organizationId: string): boolean {
  if (user === undefined) return false;
  if (user.platformRoles.includes('operator')) return true;
  return user.memberships.some((m) => m.organizationId === organizationId && m.role === 'admin');
}

/** Institutions this user may draft entries for: all of them for the operator, else where they edit. */
export function editableInstitutions(
  user: SessionUser | undefined,
  institutions: Institution[] | undefined,
): Institution[] {
  if (user === undefined || institutions === undefined) return [];
  const list = institutions.filter((o) => o.kind === 'institution');
  if (user.platformRoles.includes('operator')) return list;
  const mine = new Set(
    user.memberships.filter((m) => m.role === 'admin' || m.role === 'editor').map((m) => m.organizationId),
  );
  return list.filter((o) => mine.has(o.id));
}

/** Institutions this user may import DCAT catalogs into: all for the operator, else those they administer. */
export function harvestableInstitutions(
  user: SessionUser | undefined,
  institutions: Institution[] | undefined,
): Institution[] {
  if (user === undefined || institutions === undefined) return [];
  const list = institutions.filter((o) => o.kind === 'institution');
  if (user.platformRoles.includes('operator')) return list;
  return list.filter((o) => canSubmitFor(user, o.id));
}

/** The public institutions the user is a member of, for "My catalog". */
export function myInstitutions(
  user: SessionUser | undefined,
  institutions: Institution[] | undefined,
): Institution[] {
  if (user === undefined || institutions === undefined) return [];
  const mine = new Set(user.memberships.map((m) => m.organizationId));
  return institutions.filter((o) => o.kind === 'institution' && mine.has(o.id));
}
