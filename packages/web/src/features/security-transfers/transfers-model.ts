import type { SessionUser } from '../../api/types.ts';
import type { ReasonCode, RouteAssessment, TransferDraft } from './transfers-types.ts';

export const TRANSFER_PERMISSIONS = {
  read: 'security:transfers:read',
  request: 'security:transfers:request',
  decide: 'security:transfers:decide',
} as const;

const holds = (user: SessionUser | undefined, permission: string) =>
  user?.permissions.includes(permission) ?? false;
export const mayReadTransfers = (user: SessionUser | undefined) => holds(user, TRANSFER_PERMISSIONS.read);
export const mayRequestTransfers = (user: SessionUser | undefined) =>
  holds(user, TRANSFER_PERMISSIONS.request);
export const mayDecideTransfers = (user: SessionUser | undefined) => holds(user, TRANSFER_PERMISSIONS.decide);

const isCount = (v: number | null): v is number => v !== null && Number.isInteger(v) && v >= 0;

/**
 * What to ask the server for the live route, or null while the form cannot say yet (no organisation,
 * no data, a count missing or negative, a country code not of two letters).
 */
export function previewBody(draft: TransferDraft, transferId?: string) {
  if (!draft.organizationId || draft.entryCodes.length === 0) return null;
  if (!isCount(draft.peopleCount) || !isCount(draft.sensitivePeopleCount)) return null;
  const country = draft.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) return null;
  return {
    organizationId: draft.organizationId,
    ...(transferId ? { transferId } : {}),
    entryCodes: draft.entryCodes,
    importantDataDeclared: draft.importantDataDeclared,
    country,
    peopleCount: draft.peopleCount,
    sensitivePeopleCount: draft.sensitivePeopleCount,
  };
}

/** The i18n key and values of one reason, so that it reads in the reader's language. */
export function reasonText(reason: RouteAssessment['reasons'][number]): {
  key: `securityTransfers.reasons.${ReasonCode}`;
  values: Record<string, number>;
} {
  return {
    key: `securityTransfers.reasons.${reason.code}`,
    values: { value: reason.value ?? 0, threshold: reason.threshold ?? 0 },
  };
}

/** Route tones for badges: the words carry the meaning, the colour repeats it. */
export const ROUTE_TONES = {
  'security-assessment': 'red',
  'standard-contract-or-certification': 'orange',
  exempt: 'green',
} as const;
