import type { FieldError } from '../../api/client.ts';
import type { Membership } from '../../api/types.ts';
import type { InformationItem } from '../catalog/catalog-types.ts';
import type { ApplicantKind, ApplicationKind, ApplicationRequest, Operation } from './access-types.ts';
import { isValidCreditCode } from './credit-code.ts';
import { fieldOfPath, problemCode } from './problem-codes.ts';

/** What the guided form holds; dates are `YYYY-MM-DD` as `<input type="date">` gives them. */
export interface ApplyValues {
  kind: ApplicationKind;
  applicantKind: ApplicantKind;
  organizationId?: string | undefined;
  applicantName: string;
  creditCode?: string | undefined;
  purpose: string;
  scenario: string;
  fields: string[];
  operations: Operation[];
  periodStart: string;
  periodEnd: string;
  securityMeasures: string;
  acceptTerms: boolean;
}

export type ApplyField = keyof ApplyValues;

export const APPLY_STEPS = ['applicant', 'purpose', 'data', 'security', 'terms', 'summary'] as const;
export type ApplyStep = (typeof APPLY_STEPS)[number];

/** The fields each step asks for; "Next" checks these before moving on. */
export const STEP_FIELDS: Record<ApplyStep, ApplyField[]> = {
  applicant: ['kind', 'applicantKind', 'organizationId', 'applicantName', 'creditCode'],
  purpose: ['purpose', 'scenario'],
  data: ['fields', 'operations', 'periodStart', 'periodEnd'],
  security: ['securityMeasures'],
  terms: ['acceptTerms'],
  summary: [],
};

/** The contract's limit: a grant lasts at most 366 days. */
export const MAX_PERIOD_DAYS = 366;

export function stepOf(field: ApplyField): ApplyStep {
  return APPLY_STEPS.find((step) => STEP_FIELDS[step].includes(field)) ?? 'summary';
}

/** Organisations need their unified social credit code; a research body may apply without one. */
export function needsCreditCode(kind: ApplicantKind): boolean {
  return kind === 'company' || kind === 'institution';
}

export function needsOrganization(kind: ApplicantKind): boolean {
  return kind === 'company' || kind === 'institution';
}

export function mayChooseOrganization(kind: ApplicantKind): boolean {
  return kind !== 'individual';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayNumber(date: string): number | undefined {
  if (!DATE.test(date)) return undefined;
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(time) ? undefined : Math.round(time / 86_400_000);
}

/** Whole days from one plain date to another; undefined when either is not a date. */
export function daysBetween(from: string, to: string): number | undefined {
  const a = dayNumber(from);
  const b = dayNumber(to);
  return a === undefined || b === undefined ? undefined : b - a;
}

/** A plain date `days` after another (used for the default period). */
export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

export function today(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** A new application: the applicant as a person, a year's period from today, rows only. */
export function initialApplyValues(
  kind: ApplicationKind,
  displayName: string,
  now: Date = new Date(),
): ApplyValues {
  const start = today(now);
  return {
    kind,
    applicantKind: kind === 'share' ? 'institution' : 'individual',
    organizationId: undefined,
    applicantName: kind === 'share' ? '' : displayName,
    creditCode: undefined,
    purpose: '',
    scenario: '',
    fields: [],
    operations: ['records'],
    periodStart: start,
    periodEnd: addDays(start, 365),
    securityMeasures: '',
    acceptTerms: false,
  };
}

/** Translation key (under access.apply.invalid) of what is wrong with one field, or undefined. */
export function fieldProblem(field: ApplyField, values: Partial<ApplyValues>): string | undefined {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const kind = values.applicantKind ?? 'individual';
  switch (field) {
    case 'kind':
    case 'applicantKind':
      if (values.kind === 'share' && kind !== 'institution') return 'institutionOnly';
      return undefined;
    case 'organizationId':
      return needsOrganization(kind) && !values.organizationId ? 'organizationRequired' : undefined;
    case 'applicantName':
      return text(values.applicantName) === '' ? 'required' : undefined;
    case 'creditCode': {
      const code = text(values.creditCode).toUpperCase();
      if (code === '') return needsCreditCode(kind) ? 'creditCodeRequired' : undefined;
      return isValidCreditCode(code) ? undefined : 'creditCodeInvalid';
    }
    case 'purpose':
    case 'scenario':
    case 'securityMeasures':
      return text(values[field]) === '' ? 'required' : undefined;
    case 'fields':
      return (values.fields?.length ?? 0) === 0 ? 'fieldsRequired' : undefined;
    case 'operations':
      return (values.operations?.length ?? 0) === 0 ? 'operationsRequired' : undefined;
    case 'periodStart':
      return dayNumber(values.periodStart ?? '') === undefined ? 'dateRequired' : undefined;
    case 'periodEnd': {
      if (dayNumber(values.periodEnd ?? '') === undefined) return 'dateRequired';
      const days = daysBetween(values.periodStart ?? '', values.periodEnd ?? '');
      if (days === undefined) return undefined;
      if (days <= 0) return 'periodOrder';
      return days > MAX_PERIOD_DAYS ? 'periodTooLong' : undefined;
    }
    case 'acceptTerms':
      return values.acceptTerms === true ? undefined : 'termsRequired';
  }
}

export interface Problem {
  field: ApplyField;
  key: string;
}

/** Every problem of the given fields (all of them by default), in the order of the steps. */
export function validateApply(
  values: Partial<ApplyValues>,
  fields: readonly ApplyField[] = APPLY_STEPS.flatMap((s) => STEP_FIELDS[s]),
): Problem[] {
  return fields.flatMap((field) => {
    const key = fieldProblem(field, values);
    return key === undefined ? [] : [{ field, key }];
  });
}

/**
 * The POST body, or the problems that keep it from being sent: nothing leaves the form before the usage
 * agreement is accepted.
 */
export function applicationRequest(
  entryCode: string,
  values: ApplyValues,
  termsVersion: string | undefined,
): { request: ApplicationRequest; problems: [] } | { request: undefined; problems: Problem[] } {
  const problems = validateApply(values);
  if (termsVersion === undefined && problems.every((p) => p.field !== 'acceptTerms'))
    problems.push({ field: 'acceptTerms', key: 'termsMissing' });
  if (problems.length > 0 || termsVersion === undefined || values.acceptTerms !== true)
    return { request: undefined, problems };
  const organizationId = mayChooseOrganization(values.applicantKind) ? values.organizationId : undefined;
  const creditCode = values.creditCode?.trim().toUpperCase();
  return {
    problems: [],
    request: {
      kind: values.kind,
      entryCode,
      applicantKind: values.applicantKind,
      ...(organizationId ? { organizationId } : {}),
      applicantName: values.applicantName.trim(),
      ...(creditCode && values.applicantKind !== 'individual' ? { creditCode } : {}),
      purpose: values.purpose.trim(),
      scenario: values.scenario.trim(),
      fields: [...values.fields],
      operations: [...values.operations],
      periodStart: values.periodStart,
      periodEnd: values.periodEnd,
      securityMeasures: values.securityMeasures.trim(),
      termsVersion,
      acceptTerms: true,
    },
  };
}

const REQUEST_FIELDS: Record<string, ApplyField> = {
  kind: 'kind',
  applicantKind: 'applicantKind',
  organizationId: 'organizationId',
  applicantName: 'applicantName',
  creditCode: 'creditCode',
  purpose: 'purpose',
  scenario: 'scenario',
  fields: 'fields',
  operations: 'operations',
  periodStart: 'periodStart',
  periodEnd: 'periodEnd',
  securityMeasures: 'securityMeasures',
  acceptTerms: 'acceptTerms',
  termsVersion: 'acceptTerms',
};

/** Refusals that concern one field even when the server names none. */
const CODE_FIELDS: Record<string, ApplyField> = {
  'terms-not-accepted': 'acceptTerms',
  'unknown-field': 'fields',
  'not-an-institution': 'organizationId',
};

export interface PlacedProblem {
  /** The form field the message goes on; undefined for a message about the whole application. */
  field: ApplyField | undefined;
  message: string;
}

/**
 * A refused submission's messages, each on the field it is about: the problem's own field errors first,
 * else the field its code concerns, else the whole form.
 */
export function placeServerProblems(error: {
  code?: string | undefined;
  detail?: string | undefined;
  title: string;
  errors: FieldError[];
}): PlacedProblem[] {
  const placed: PlacedProblem[] = [];
  for (const e of error.errors) {
    const field = REQUEST_FIELDS[fieldOfPath(e.path) ?? ''];
    placed.push({ field, message: e.message });
  }
  if (placed.length > 0) return placed;
  const code = problemCode(error);
  return [
    { field: code === undefined ? undefined : CODE_FIELDS[code], message: error.detail ?? error.title },
  ];
}

/**
 * Organisations the applicant may apply for: public institutions for sharing or as an institution,
 * other organisations as a company, any of them as a research body.
 */
export function applicantOrganizations(
  memberships: readonly Membership[],
  institutionIds: ReadonlySet<string> | undefined,
  kind: ApplicationKind,
  applicantKind: ApplicantKind,
): Membership[] {
  if (applicantKind === 'individual') return [];
  if (kind === 'share' || applicantKind === 'institution')
    return institutionIds === undefined
      ? [...memberships]
      : memberships.filter((m) => institutionIds.has(m.organizationId));
  if (applicantKind === 'research' || institutionIds === undefined) return [...memberships];
  return memberships.filter((m) => !institutionIds.has(m.organizationId));
}

/** The information items as the field checkboxes list them: name, grade, personal-information flag. */
export function fieldChoices(items: readonly InformationItem[]) {
  return items.map((item) => ({
    name: item.name,
    grade: item.grade,
    personal: item.personalInfo !== 'none',
    sensitive: item.personalInfo === 'sensitive',
  }));
}

/**
 * What the reader may ask for on an entry: conditional opening when its open type is conditional, sharing
 * when its share type is and the reader belongs to a public institution. Core data is never opened.
 */
export function availableKinds(
  metadata: { openType: string; shareType: string; grade: string },
  institutionMember: boolean,
): ApplicationKind[] {
  if (metadata.grade === 'core') return [];
  const kinds: ApplicationKind[] = [];
  if (metadata.openType === 'conditional') kinds.push('open');
  if (metadata.shareType === 'conditional' && institutionMember) kinds.push('share');
  return kinds;
}
