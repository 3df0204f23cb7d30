import type { SessionUser } from '../../api/types.ts';
import type {
  Application,
  ApplicationState,
  CentreReviewRequest,
  Grant,
  GrantState,
  ReplyRequest,
  ReviewDecision,
  ReviewRequest,
} from './access-types.ts';
import { daysBetween } from './apply-form.ts';

type Tone = 'green' | 'blue' | 'orange' | 'red' | 'purple' | 'grey';

const STATE_TONES: Record<ApplicationState, Tone> = {
  submitted: 'blue',
  more_info: 'orange',
  centre_review: 'purple',
  approved: 'green',
  rejected: 'red',
  withdrawn: 'grey',
};
const GRANT_TONES: Record<GrantState, Tone> = { active: 'green', expired: 'grey', revoked: 'red' };

export function applicationTone(state: string): Tone {
  return STATE_TONES[state as ApplicationState] ?? 'grey';
}

export function grantTone(state: string): Tone {
  return GRANT_TONES[state as GrantState] ?? 'grey';
}

/** States in which somebody still has to act. */
export function isOpen(state: ApplicationState): boolean {
  return state === 'submitted' || state === 'more_info' || state === 'centre_review';
}

/** Past its review deadline while the provider still has to decide. */
export function isOverdue(application: Pick<Application, 'state' | 'reviewDeadline'>, now = new Date()) {
  return application.state === 'submitted' && Date.parse(application.reviewDeadline) < now.getTime();
}

/** Oldest deadline first; what is overdue comes first of all, as the provider must answer it now. */
export function byDeadline(a: Application, b: Application): number {
  return a.reviewDeadline.localeCompare(b.reviewDeadline);
}

export interface TimeLeft {
  /** Translation key under access.time. */
  key: 'daysLeft' | 'hoursLeft' | 'overdueDays' | 'overdueHours' | 'ended';
  count: number;
}

/** Time until an instant, in whole days (or hours in the last day), or how long ago it passed. */
export function timeLeft(until: string, now = new Date(), ended = false): TimeLeft {
  const ms = Date.parse(until) - now.getTime();
  if (Number.isNaN(ms)) return { key: 'ended', count: 0 };
  if (ms <= 0 && ended) return { key: 'ended', count: 0 };
  const hours = Math.abs(ms) / 3_600_000;
  if (ms > 0)
    return hours < 24
      ? { key: 'hoursLeft', count: Math.max(1, Math.floor(hours)) }
      : { key: 'daysLeft', count: Math.floor(hours / 24) };
  return hours < 24
    ? { key: 'overdueHours', count: Math.max(1, Math.floor(hours)) }
    : { key: 'overdueDays', count: Math.floor(hours / 24) };
}

/** What the signed-in user may do with one application; the server checks again. */
export interface ApplicationAbilities {
  reply: boolean;
  withdraw: boolean;
  review: boolean;
  centreReview: boolean;
}

export function abilitiesOf(application: Application, user: SessionUser | undefined): ApplicationAbilities {
  if (user === undefined) return { reply: false, withdraw: false, review: false, centreReview: false };
  const applicant = application.applicant.userId === user.id;
  const reviewer = user.memberships.some(
    (m) =>
      m.organizationId === application.providerOrganizationId && (m.role === 'admin' || m.role === 'editor'),
  );
  return {
    reply: applicant && application.state === 'more_info',
    withdraw: applicant && isOpen(application.state),
    review: reviewer && application.state === 'submitted',
    centreReview: user.platformRoles.includes('operator') && application.state === 'centre_review',
  };
}

/** May this user revoke grants of the organisation (its admins, or the operator)? */
export function mayRevoke(
  grant: Pick<Grant, 'providerOrganizationId' | 'state'>,
  user: SessionUser | undefined,
) {
  if (user === undefined || grant.state !== 'active') return false;
  if (user.platformRoles.includes('operator')) return true;
  return user.memberships.some(
    (m) => m.organizationId === grant.providerOrganizationId && m.role === 'admin',
  );
}

export interface ReviewValues {
  decision: ReviewDecision;
  comment?: string | undefined;
  /** The fields the reviewer grants; all the asked ones by default. */
  fields?: string[] | undefined;
  /** An earlier end than asked, or the asked one. */
  periodEnd?: string | undefined;
}

/**
 * The provider's review body, or the translation key (under access.review.invalid) of why it cannot go:
 * a reason is needed to refuse or to ask, and narrowing may only take away.
 */
export function reviewRequest(
  application: Pick<Application, 'fields' | 'periodStart' | 'periodEnd'>,
  values: ReviewValues,
):
  | { request: ReviewRequest; problem?: undefined }
  | { request?: undefined; problem: { field: 'comment' | 'fields' | 'periodEnd'; key: string } } {
  const comment = values.comment?.trim() ?? '';
  if (values.decision !== 'approve' && comment === '')
    return {
      problem: {
        field: 'comment',
        key: values.decision === 'reject' ? 'reasonRequired' : 'questionRequired',
      },
    };
  const request: ReviewRequest = { decision: values.decision };
  if (comment !== '') request.comment = comment;
  if (values.decision !== 'approve') return { request };
  const fields = values.fields ?? application.fields;
  if (fields.length === 0) return { problem: { field: 'fields', key: 'fieldsRequired' } };
  if (fields.some((f) => !application.fields.includes(f)))
    return { problem: { field: 'fields', key: 'onlyNarrow' } };
  // Keep the asked order; send the list only when it really narrows.
  if (fields.length < application.fields.length)
    request.fields = application.fields.filter((f) => fields.includes(f));
  const end = values.periodEnd?.trim() ?? '';
  if (end !== '' && end !== application.periodEnd) {
    const afterStart = daysBetween(application.periodStart, end);
    const beforeAsked = daysBetween(end, application.periodEnd);
    if (afterStart === undefined || beforeAsked === undefined)
      return { problem: { field: 'periodEnd', key: 'dateRequired' } };
    if (afterStart <= 0) return { problem: { field: 'periodEnd', key: 'afterStart' } };
    if (beforeAsked < 0) return { problem: { field: 'periodEnd', key: 'onlyEarlier' } };
    request.periodEnd = end;
  }
  return { request };
}

export function centreReviewRequest(
  decision: 'approve' | 'reject',
  comment: string | undefined,
): { request: CentreReviewRequest; problem?: undefined } | { request?: undefined; problem: string } {
  const text = comment?.trim() ?? '';
  if (decision === 'reject' && text === '') return { problem: 'reasonRequired' };
  return { request: text === '' ? { decision } : { decision, comment: text } };
}

export interface ReplyValues {
  comment?: string;
  purpose?: string;
  scenario?: string;
  securityMeasures?: string;
  fields?: string[];
  periodStart?: string;
  periodEnd?: string;
}

/** The applicant's answer: the comment, plus only what they changed. */
export function replyRequest(
  application: Pick<
    Application,
    'purpose' | 'scenario' | 'securityMeasures' | 'fields' | 'periodStart' | 'periodEnd'
  >,
  values: ReplyValues,
): { request: ReplyRequest; problem?: undefined } | { request?: undefined; problem: string } {
  const comment = values.comment?.trim() ?? '';
  if (comment === '') return { problem: 'answerRequired' };
  const request: ReplyRequest = { comment };
  for (const key of ['purpose', 'scenario', 'securityMeasures'] as const) {
    const value = values[key]?.trim();
    if (value && value !== application[key]) request[key] = value;
  }
  if (values.fields && values.fields.length > 0 && values.fields.join('\n') !== application.fields.join('\n'))
    request.fields = [...values.fields];
  if (values.periodStart && values.periodStart !== application.periodStart)
    request.periodStart = values.periodStart;
  if (values.periodEnd && values.periodEnd !== application.periodEnd) request.periodEnd = values.periodEnd;
  return { request };
}

/** Revoking takes a reason, which the grantee reads in their notification. */
export function revokeReason(reason: string | undefined): string | undefined {
  const text = reason?.trim() ?? '';
  return text === '' ? undefined : text;
}
