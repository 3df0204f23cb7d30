import { createHash } from 'node:crypto';
import { canonicalJson } from '@datapolis/ledger';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Ledger, ObjectRef } from '../../kernel/audit/index.ts';
import { type Actor, can, systemActor, type UserActor } from '../../kernel/auth/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import {
  ConflictError,
  DatapolisError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../kernel/errors.ts';
import type { EventBus } from '../../kernel/events/index.ts';
import { type JobContext, JobFailedForGoodError, type Jobs } from '../../kernel/jobs/index.ts';
import { type Mailer, MailRejectedError } from '../../kernel/mail/index.ts';
import { isValidCreditCode } from '../../lib/credit-code.ts';
import type { CatalogRecord, CatalogService, LocalizedText } from '../catalog/index.ts';
import { type MailLanguage, notificationMail } from './access.mail-text.ts';
import type {
  ApplicantKind,
  Application,
  ApplicationKind,
  ApplicationState,
  Grant,
  GrantScope,
  GrantState,
  HeldGrant,
  HistoryAction,
  Notification,
  NotificationKind,
  Operation,
} from './access.model.ts';
import './access.permissions.ts';
import {
  type ApplicationRow,
  type EventRow,
  type GrantRow,
  type NotificationRow,
  accessRepository as repo,
} from './access.repository.ts';
import { USAGE_TERMS } from './access.terms.ts';

export const ACCESS_MAIL_JOB = 'access.mail';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
const MAX_PERIOD_DAYS = 366;
const EXPIRY_BATCH = 200;
/** The grants `grantsOf` returns at most: the newest tell the story. */
const GRANTS_CHANGED = 'access_grants_changed';
/** How long a caller's grants on an entry are kept, unless a change of them is announced first. */
const HELD_CACHE_MS = 5_000;
const HELD_CACHE_SIZE = 10_000;
const HELD_LIMIT = 50;
/** Mail retries back off to five minutes; ten attempts ride out a quarter of an hour of SMTP outage. */
const MAIL_ATTEMPTS = 10;
/** States an applicant may still withdraw from. */
const PENDING: readonly ApplicationState[] = ['submitted', 'more_info', 'centre_review'];

/** An organisation as this module needs it (from the identity module). */
export interface DirectoryOrganization {
  id: string;
  name: string;
  nameEn: string | null;
  kind: 'institution' | 'company' | 'other';
  creditCode: string;
}

/** Who to notify and where to write to them; the platform wires it to the identity module. */
export interface AccessDirectory {
  organization(id: string): Promise<DirectoryOrganization | undefined>;
  /** User ids of an organisation's admins and editors: who reviews its applications. */
  reviewers(organizationId: string): Promise<string[]>;
  /** User ids of the platform's operators: the big data centre. */
  operators(): Promise<string[]>;
  contact(
    userId: string,
  ): Promise<{ username: string; email: string | null; language?: MailLanguage | undefined } | undefined>;
}

export interface AccessDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  jobs: Pick<Jobs, 'enqueue'>;
  catalog: Pick<CatalogService, 'getPublished'>;
  directory: AccessDirectory;
  mailer: Mailer;
  /** Days a provider (and then the centre) has to decide. */
  reviewDays: number;
  /** Absolute address of the web app, for links in mail. */
  publicUrl?: string | undefined;
  logger?: Logger;
  now?: () => Date;
  /** Tells every process that an entry's grants changed, so that none reads a cached grant past that. */
  events?: Pick<EventBus, 'subscribe' | 'publish'>;
}

export interface ApplyInput {
  kind: ApplicationKind;
  entryCode: string;
  applicantKind: ApplicantKind;
  organizationId?: string | null | undefined;
  applicantName: string;
  creditCode?: string | null | undefined;
  purpose: string;
  scenario: string;
  fields: string[];
  operations: Operation[];
  periodStart: string;
  periodEnd: string;
  securityMeasures: string;
  termsVersion: string;
  acceptTerms: boolean;
}

export interface ReviewInput {
  decision: 'approve' | 'reject' | 'ask';
  comment?: string | undefined;
  fields?: string[] | undefined;
  periodEnd?: string | undefined;
}

export interface ReplyInput {
  comment: string;
  purpose?: string | undefined;
  scenario?: string | undefined;
  securityMeasures?: string | undefined;
  fields?: string[] | undefined;
  periodStart?: string | undefined;
  periodEnd?: string | undefined;
}

/** Which request a refusal that never reached the service belongs to (schema errors at the route). */
export type RefusedStage = 'apply' | 'review' | 'centre-review' | 'revoke';

// ---- Errors with the contract's codes ---------------------------------------------------------------

function notFound(what: string): NotFoundError {
  return new NotFoundError('NOT_FOUND', `No ${what} is visible to you.`);
}

function wrongState(message: string, state: string): ConflictError {
  return new ConflictError('WRONG_STATE', message, { state });
}

class AccessError extends DatapolisError {}

function termsNotAccepted(): DatapolisError {
  return new AccessError(
    'TERMS_NOT_ACCEPTED',
    422,
    `Read and accept the usage agreement (version ${USAGE_TERMS.version}, GET /api/v1/access/terms) before applying.`,
  );
}

// ---- Small helpers ------------------------------------------------------------------------------------

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function dayStart(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function iso(date: Date | string): string {
  return (date instanceof Date ? date : new Date(date)).toISOString();
}

function requireUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw new UnauthenticatedError();
  return actor;
}

function isOversight(actor: UserActor): boolean {
  return actor.platformRoles.some((r) => r === 'operator' || r === 'auditor');
}

/** Text the applicant must give: trimmed, not empty. */
function requiredText(value: string | undefined, path: string, errors: FieldError[]): string {
  const text = (value ?? '').trim();
  if (text === '') errors.push({ path, message: 'is required' });
  return text;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Only field names the schema knows go on the log: a client-chosen property name might carry anything. */
const LOGGABLE_PATHS = new Set([
  'kind',
  'entryCode',
  'applicantKind',
  'organizationId',
  'applicantName',
  'creditCode',
  'purpose',
  'scenario',
  'fields',
  'operations',
  'periodStart',
  'periodEnd',
  'securityMeasures',
  'termsVersion',
  'acceptTerms',
  'decision',
  'comment',
  'reason',
  'id',
]);

function loggablePaths(errors: readonly FieldError[] | undefined): string[] {
  const names = (errors ?? []).map((e) => e.path.replace(/^\//, '').split(/[./]/)[0] ?? '');
  return unique(names.filter((n) => LOGGABLE_PATHS.has(n))).sort();
}

function periodErrors(start: string, end: string, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!isIsoDate(start)) errors.push({ path: 'periodStart', message: 'must be a date YYYY-MM-DD' });
  if (!isIsoDate(end)) errors.push({ path: 'periodEnd', message: 'must be a date YYYY-MM-DD' });
  if (errors.length > 0) return errors;
  if (start < today) errors.push({ path: 'periodStart', message: 'must not be in the past' });
  const days = (dayStart(end).getTime() - dayStart(start).getTime()) / DAY_MS;
  if (days <= 0) errors.push({ path: 'periodEnd', message: 'must be after periodStart' });
  else if (days > MAX_PERIOD_DAYS)
    errors.push({ path: 'periodEnd', message: `must be at most ${MAX_PERIOD_DAYS} days after periodStart` });
  return errors;
}

function fieldNamesOf(record: CatalogRecord): Set<string> {
  return new Set(record.metadata.informationItems.map((item) => item.name));
}

function unknownFields(fields: readonly string[], known: Set<string>): FieldError[] {
  return fields.flatMap((name, i) =>
    known.has(name) ? [] : [{ path: `fields/${i}`, message: `the entry has no information item "${name}"` }],
  );
}

function unknownFieldError(errors: FieldError[]): DatapolisError {
  return new AccessError('UNKNOWN_FIELD', 422, 'Some fields are not information items of this entry.', {
    errors,
  });
}

/** What the applicant declared: hashed into the log, so the log proves the text without holding it. */
function declaredContent(row: ApplicationRow) {
  return {
    kind: row.kind,
    entryCode: row.entry_code,
    applicant: {
      userId: row.applicant_user_id,
      kind: row.applicant_kind,
      organizationId: row.applicant_organization_id,
      name: row.applicant_name,
      creditCode: row.applicant_credit_code,
    },
    purpose: row.purpose,
    scenario: row.scenario,
    fields: row.fields,
    operations: row.operations,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    securityMeasures: row.security_measures,
    terms: { version: row.terms_version, hash: row.terms_hash, acceptedAt: iso(row.terms_accepted_at) },
  };
}

function contentHash(row: ApplicationRow): string {
  return sha256Hex(canonicalJson(declaredContent(row)));
}

function grantView(row: GrantRow, now: Date): Grant {
  const state: GrantState = row.state === 'active' && row.valid_until <= now ? 'expired' : row.state;
  return {
    id: row.id,
    applicationId: row.application_id,
    kind: row.kind,
    entryCode: row.entry_code,
    entryTitle: row.entry_title,
    providerOrganizationId: row.provider_organization_id,
    grantee: {
      userId: row.grantee_user_id,
      username: row.grantee_username,
      organizationId: row.grantee_organization_id,
    },
    fields: row.fields,
    operations: row.operations,
    validFrom: iso(row.valid_from),
    validUntil: iso(row.valid_until),
    state,
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
    revokedReason: row.revoked_reason,
    createdAt: iso(row.created_at),
  };
}

function notificationView(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    params: row.params,
    link: row.link,
    createdAt: iso(row.created_at),
    readAt: row.read_at === null ? null : iso(row.read_at),
  };
}

function titleParams(title: LocalizedText): Record<string, string> {
  return {
    entryTitle: title.zh,
    ...(title.en === undefined ? {} : { entryTitleEn: title.en }),
    ...(title.fr === undefined ? {} : { entryTitleFr: title.fr }),
  };
}

export type AccessService = ReturnType<typeof createAccessService>;

/**
 * Conditional opening (Art. 18) and conditional sharing (Art. 17): applications, their review by the
 * provider institution (and by the big data centre for important data), the grants they lead to, and
 * the notices that tell people what happened.
 */
export function createAccessService(deps: AccessDeps) {
  const { db, ledger, jobs, catalog, directory, mailer } = deps;
  const now = deps.now ?? (() => new Date());

  // The policy asks for a caller's grants on every read of conditional data: they are kept a few seconds
  // per caller and entry, and forgotten in every process as soon as a grant of the entry is made, revoked
  // or expires (here before the change commits, elsewhere on its notification).
  const held = new Map<string, { at: number; rows: Awaited<ReturnType<typeof repo.grantsOf>> }>();
  function forgetHeld(entryCode: string): void {
    for (const key of held.keys()) if (key.startsWith(`${entryCode}\u0000`)) held.delete(key);
  }
  deps.events?.subscribe(GRANTS_CHANGED, forgetHeld, () => held.clear());
  async function grantsChanged(trx: Transaction<Database>, entryCode: string): Promise<void> {
    forgetHeld(entryCode);
    await deps.events?.publish(trx, GRANTS_CHANGED, entryCode);
  }
  const reviewMs = deps.reviewDays * DAY_MS;

  // ---- Log entries and notices --------------------------------------------------------------------

  /** A refused attempt goes on the log in its own transaction: the attempt itself changed nothing. */
  async function logRefusal(
    actor: Actor,
    action: string,
    objects: ObjectRef[],
    error: DatapolisError,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    const paths = loggablePaths(error.errors);
    await db.transaction().execute((trx) =>
      ledger.record(trx, actor, {
        action,
        objects,
        details: { code: error.code, ...details, ...(paths.length === 0 ? {} : { paths }) },
      }),
    );
  }

  /** Runs `fn`; a 4xx refusal is written to the log before it is thrown. */
  async function refusalsLogged<T>(
    actor: Actor,
    action: string,
    objects: () => ObjectRef[],
    details: Record<string, unknown>,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (
        error instanceof DatapolisError &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 401
      ) {
        await logRefusal(actor, action, objects(), error, details);
      }
      throw error;
    }
  }

  interface Notice {
    userIds: string[];
    kind: NotificationKind;
    params: Record<string, string>;
    link: string | null;
    /** Also by e-mail (the applicant's notices), when an SMTP server is configured. */
    mail: boolean;
  }

  /** Notifications are written, and their mails queued, in the transaction of the change they tell of. */
  async function notify(trx: Transaction<Database>, notices: Notice[]): Promise<void> {
    for (const notice of notices) {
      const recipients = unique(notice.userIds);
      const rows = await repo.insertNotifications(
        trx,
        recipients.map((userId) => ({
          user_id: userId,
          kind: notice.kind,
          params: JSON.stringify(notice.params),
          link: notice.link,
          read_at: null,
        })),
      );
      if (!notice.mail || !mailer.enabled) continue;
      for (const row of rows) {
        await jobs.enqueue(trx, {
          kind: ACCESS_MAIL_JOB,
          payload: { notificationId: row.id },
          maxAttempts: MAIL_ATTEMPTS,
        });
      }
    }
  }

  function applicationLink(id: string): string {
    return `/access/applications/${id}`;
  }

  function applicationParams(
    row: ApplicationRow,
    extra: Record<string, string> = {},
  ): Record<string, string> {
    return { applicationId: row.id, entryCode: row.entry_code, ...titleParams(row.entry_title), ...extra };
  }

  // ---- Views ----------------------------------------------------------------------------------------

  function organizationNames() {
    const cache = new Map<string, Promise<LocalizedText | string>>();
    return (id: string): Promise<LocalizedText | string> => {
      let name = cache.get(id);
      if (name === undefined) {
        name = directory
          .organization(id)
          .then((org) =>
            org === undefined ? id : { zh: org.name, ...(org.nameEn === null ? {} : { en: org.nameEn }) },
          );
        cache.set(id, name);
      }
      return name;
    };
  }

  function applicationView(row: ApplicationRow, events: EventRow[], providerName: LocalizedText | string) {
    const declared = declaredContent(row);
    const view: Application = {
      id: row.id,
      ...declared,
      entryTitle: row.entry_title,
      providerOrganizationId: row.provider_organization_id,
      providerName,
      grade: row.grade,
      needsCentre: row.needs_centre,
      applicant: { ...declared.applicant, username: row.applicant_username },
      state: row.state,
      reviewDeadline: iso(row.review_deadline),
      history: events.map((e) => ({
        at: iso(e.at),
        actor: e.actor_username,
        action: e.action,
        comment: e.comment,
      })),
      grantId: row.grant_id,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
    return view;
  }

  async function applicationViews(rows: ApplicationRow[]): Promise<Application[]> {
    const events = await repo.eventsOf(
      db,
      rows.map((r) => r.id),
    );
    const nameOf = organizationNames();
    return Promise.all(
      rows.map(async (r) =>
        applicationView(r, events.get(r.id) ?? [], await nameOf(r.provider_organization_id)),
      ),
    );
  }

  async function oneView(row: ApplicationRow): Promise<Application> {
    return (await applicationViews([row]))[0]!;
  }

  // ---- Who may see and do what --------------------------------------------------------------------

  function seesApplication(actor: UserActor, row: ApplicationRow): boolean {
    return (
      row.applicant_user_id === actor.userId ||
      actor.memberships.has(row.provider_organization_id) ||
      isOversight(actor)
    );
  }

  async function visibleApplication(actor: UserActor, id: string): Promise<ApplicationRow> {
    const row = UUID.test(id) ? await repo.applicationById(db, id) : undefined;
    if (row === undefined || !seesApplication(actor, row)) throw notFound(`application ${id}`);
    return row;
  }

  /** A reviewer may not decide on their own request, nor on one made for an organisation they belong to. */
  function checkNotOwnInstitution(actor: UserActor, row: ApplicationRow): void {
    if (
      row.applicant_user_id === actor.userId ||
      (row.applicant_organization_id !== null && actor.memberships.has(row.applicant_organization_id))
    ) {
      throw new ForbiddenError(
        'You belong to the applicant’s organisation (or are the applicant): another reviewer must decide.',
        'OWN_INSTITUTION',
      );
    }
  }

  function applicationObjects(row: Pick<ApplicationRow, 'id' | 'entry_id'>): ObjectRef[] {
    return [
      { type: 'access-application', id: row.id },
      { type: 'catalog-entry', id: row.entry_id },
    ];
  }

  // ---- Applying -------------------------------------------------------------------------------------

  async function loadEntry(actor: Actor, entryCode: string): Promise<CatalogRecord> {
    try {
      return await catalog.getPublished(actor, entryCode);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw notFound(`published catalog entry ${JSON.stringify(entryCode)}`);
      throw error;
    }
  }

  async function apply(actor: Actor, input: ApplyInput): Promise<Application> {
    const user = requireUser(actor);
    let entryObjects: ObjectRef[] = [];
    return refusalsLogged(
      actor,
      'access.application.refused',
      () => entryObjects,
      { kind: input.kind },
      async () => {
        const errors: FieldError[] = [];
        const purpose = requiredText(input.purpose, 'purpose', errors);
        const scenario = requiredText(input.scenario, 'scenario', errors);
        const securityMeasures = requiredText(input.securityMeasures, 'securityMeasures', errors);
        const applicantName = requiredText(input.applicantName, 'applicantName', errors);
        const today = now().toISOString().slice(0, 10);
        errors.push(...periodErrors(input.periodStart, input.periodEnd, today));
        const fields = unique(input.fields.map((f) => f.trim()));
        if (fields.length === 0 || fields.includes(''))
          errors.push({ path: 'fields', message: 'name at least one information item' });
        const operations = unique(input.operations);
        if (operations.length === 0)
          errors.push({ path: 'operations', message: 'name at least one operation' });
        const creditCode = input.creditCode?.trim().toUpperCase() || null;
        const organizationId = input.organizationId ?? null;
        if (errors.length > 0) throw new ValidationError('The application is incomplete.', errors);

        if (input.acceptTerms !== true || input.termsVersion !== USAGE_TERMS.version)
          throw termsNotAccepted();

        const entry = await loadEntry(actor, input.entryCode);
        entryObjects = [{ type: 'catalog-entry', id: entry.id }];
        const metadata = entry.metadata;
        if (metadata.grade === 'core')
          throw new ForbiddenError('Core data is never opened or shared.', 'CORE_DATA');
        if (input.kind === 'open' && metadata.openType !== 'conditional')
          throw new ConflictError(
            'NOT_CONDITIONAL',
            `This entry is not opened under conditions (its open type is ${metadata.openType}).`,
          );
        if (input.kind === 'share' && metadata.shareType !== 'conditional')
          throw new ConflictError(
            'NOT_CONDITIONAL',
            `This entry is not shared under conditions (its share type is ${metadata.shareType}).`,
          );
        const providerId = metadata.organizationId;
        if (user.memberships.has(providerId))
          throw new ValidationError('Your organisation provides this entry: its members read it already.', [
            { path: 'entryCode', message: 'is an entry of your own organisation' },
          ]);

        const organization = await checkApplicant(user, input, organizationId, creditCode);
        const unknown = unknownFields(fields, fieldNamesOf(entry));
        if (unknown.length > 0) throw unknownFieldError(unknown);

        const reviewers = (await directory.reviewers(providerId)).filter((id) => id !== user.userId);
        const submittedAt = now();
        const row = await db.transaction().execute(async (trx) => {
          const partial = {
            kind: input.kind,
            entry_id: entry.id,
            entry_code: entry.code,
            entry_title: JSON.stringify(metadata.title),
            provider_organization_id: providerId,
            grade: metadata.grade,
            needs_centre: metadata.grade === 'important',
            applicant_user_id: user.userId,
            applicant_username: user.username,
            applicant_kind: input.applicantKind,
            applicant_organization_id: organization?.id ?? null,
            applicant_name: applicantName,
            applicant_credit_code: creditCode,
            purpose,
            scenario,
            fields,
            operations,
            period_start: input.periodStart,
            period_end: input.periodEnd,
            security_measures: securityMeasures,
            terms_version: USAGE_TERMS.version,
            terms_hash: USAGE_TERMS.hash,
            terms_accepted_at: submittedAt,
            state: 'submitted' as const,
            review_deadline: new Date(submittedAt.getTime() + reviewMs),
            provider_approved_by: null,
            grant_id: null,
          };
          const inserted = await repo.insertApplication(trx, { ...partial, content_hash: '' });
          const stored = await repo.updateApplication(trx, inserted.id, {
            content_hash: contentHash(inserted),
          });
          await repo.insertEvent(trx, {
            application_id: stored.id,
            actor_user_id: user.userId,
            actor_username: user.username,
            action: 'submitted',
            comment: null,
            details: null,
          });
          await ledger.record(trx, actor, {
            action: 'access.application.submitted',
            objects: [
              ...applicationObjects(stored),
              { type: 'organization', id: providerId },
              ...(stored.applicant_organization_id === null
                ? []
                : [{ type: 'organization', id: stored.applicant_organization_id }]),
            ],
            content: declaredContent(stored),
            details: {
              kind: stored.kind,
              applicantKind: stored.applicant_kind,
              needsCentre: stored.needs_centre,
              contentHash: stored.content_hash,
            },
          });
          await notify(trx, [
            {
              userIds: reviewers,
              kind: 'application.submitted',
              params: applicationParams(stored),
              link: applicationLink(stored.id),
              mail: false,
            },
          ]);
          return stored;
        });
        return oneView(row);
      },
    );
  }

  /**
   * Who the applicant says they are, checked against what the platform knows: the organisation must be
   * one of theirs, institutions must be public institutions, and credit codes must pass their check
   * character (and match the organisation's registered code).
   */
  async function checkApplicant(
    user: UserActor,
    input: ApplyInput,
    organizationId: string | null,
    creditCode: string | null,
  ): Promise<DirectoryOrganization | undefined> {
    const institutionOnly = (message: string) => new ForbiddenError(message, 'NOT_AN_INSTITUTION');
    if (input.kind === 'share' && input.applicantKind !== 'institution')
      throw institutionOnly('Sharing requests are made by a public institution, for that institution.');
    const errors: FieldError[] = [];
    let organization: DirectoryOrganization | undefined;
    if (organizationId !== null) {
      organization = user.memberships.has(organizationId)
        ? await directory.organization(organizationId)
        : undefined;
      if (organization === undefined)
        errors.push({ path: 'organizationId', message: 'must be an organisation you are a member of' });
    }
    if (input.applicantKind === 'institution') {
      if (organizationId === null) {
        const ownInstitution = (
          await Promise.all([...user.memberships.keys()].map((id) => directory.organization(id)))
        ).some((org) => org?.kind === 'institution');
        if (!ownInstitution) throw institutionOnly('You are not a member of any public institution.');
        errors.push({ path: 'organizationId', message: 'name the institution you apply for' });
      } else if (organization !== undefined && organization.kind !== 'institution') {
        throw institutionOnly('The organisation you apply for is not a public institution.');
      } else if (organization === undefined) {
        throw institutionOnly('You are not a member of that institution.');
      }
    }
    if (input.applicantKind === 'individual') {
      if (organizationId !== null)
        errors.push({ path: 'organizationId', message: 'an individual applies for no organisation' });
      if (creditCode !== null)
        errors.push({ path: 'creditCode', message: 'an individual has no credit code' });
    }
    const needsCode = input.applicantKind === 'company' || input.applicantKind === 'institution';
    if (creditCode === null) {
      if (needsCode)
        errors.push({ path: 'creditCode', message: 'is required for companies and institutions' });
    } else if (!isValidCreditCode(creditCode)) {
      errors.push({
        path: 'creditCode',
        message: 'is not a valid unified social credit code (18 characters, check character last)',
      });
    } else if (organization !== undefined && organization.creditCode !== creditCode) {
      errors.push({ path: 'creditCode', message: 'does not match the registered code of the organisation' });
    }
    if (errors.length > 0) throw new ValidationError('The applicant is not described correctly.', errors);
    return organization;
  }

  // ---- Reading applications -------------------------------------------------------------------------

  async function list(
    actor: Actor,
    query: {
      view?: 'mine' | 'provider' | 'centre' | undefined;
      state?: ApplicationState | undefined;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: Application[]; total: number }> {
    const user = requireUser(actor);
    const view = query.view ?? 'mine';
    const paging = { limit: query.limit, offset: query.offset };
    const state = query.state === undefined ? {} : { state: query.state };
    let page: { rows: ApplicationRow[]; total: number };
    if (view === 'mine') {
      page = await repo.listApplications(db, {
        applicantUserId: user.userId,
        order: 'created',
        ...state,
        ...paging,
      });
    } else if (view === 'provider') {
      page = await repo.listApplications(db, {
        ...(isOversight(user) ? { all: true } : { providerOrganizationIds: [...user.memberships.keys()] }),
        order: 'deadline',
        ...state,
        ...paging,
      });
    } else {
      if (!can(user, 'access:centre-review') && !user.platformRoles.includes('auditor'))
        throw new ForbiddenError('The centre view is for the big data centre’s operators.');
      page = await repo.listApplications(db, {
        all: true,
        centre: true,
        state: query.state ?? 'centre_review',
        order: 'deadline',
        ...paging,
      });
    }
    return { items: await applicationViews(page.rows), total: page.total };
  }

  async function get(actor: Actor, id: string): Promise<Application> {
    return oneView(await visibleApplication(requireUser(actor), id));
  }

  // ---- Deciding -------------------------------------------------------------------------------------

  /** The grant an approval creates: from the later of now and the period's start, to the end of its last day. */
  async function createGrant(
    trx: Transaction<Database>,
    actor: Actor,
    row: ApplicationRow,
    at: Date,
  ): Promise<GrantRow> {
    const start = dayStart(row.period_start);
    const validFrom = start > at ? start : at;
    const validUntil = new Date(dayStart(row.period_end).getTime() + DAY_MS);
    await grantsChanged(trx, row.entry_code);
    const grant = await repo.insertGrant(trx, {
      application_id: row.id,
      kind: row.kind,
      entry_code: row.entry_code,
      entry_title: JSON.stringify(row.entry_title),
      provider_organization_id: row.provider_organization_id,
      grantee_user_id: row.applicant_user_id,
      grantee_username: row.applicant_username,
      grantee_organization_id: row.applicant_organization_id,
      fields: row.fields,
      operations: row.operations,
      valid_from: validFrom,
      valid_until: validUntil,
      state: 'active',
      revoked_at: null,
      revoked_by: null,
      revoked_reason: null,
    });
    await ledger.record(trx, actor, {
      action: 'access.grant.created',
      objects: [
        { type: 'access-grant', id: grant.id },
        ...applicationObjects(row),
        { type: 'user', id: grant.grantee_user_id },
        ...(grant.grantee_organization_id === null
          ? []
          : [{ type: 'organization', id: grant.grantee_organization_id }]),
      ],
      details: {
        kind: grant.kind,
        fields: grant.fields,
        operations: grant.operations,
        validFrom: iso(grant.valid_from),
        validUntil: iso(grant.valid_until),
      },
    });
    return grant;
  }

  /**
   * A decision that goes back to the applicant (a question, a refusal): the application's new state, its
   * history, the log, and the applicant told in the app and by mail, in one transaction.
   */
  async function answerApplicant(
    trx: Transaction<Database>,
    who: { user: UserActor; actor: Actor },
    id: string,
    step: {
      state: ApplicationState;
      history: HistoryAction;
      action: string;
      kind: NotificationKind;
      comment: string | null;
      details?: Record<string, unknown>;
    },
  ): Promise<ApplicationRow> {
    const updated = await repo.updateApplication(trx, id, { state: step.state });
    await event(trx, who.user, updated, step.history, step.comment);
    await ledger.record(trx, who.actor, {
      action: step.action,
      objects: applicationObjects(updated),
      content: { comment: step.comment },
      ...(step.details === undefined ? {} : { details: step.details }),
    });
    await notify(trx, [
      {
        userIds: [updated.applicant_user_id],
        kind: step.kind,
        params: applicationParams(updated, step.comment === null ? {} : { comment: step.comment }),
        link: applicationLink(id),
        mail: true,
      },
    ]);
    return updated;
  }

  async function event(
    trx: Transaction<Database>,
    user: UserActor,
    row: ApplicationRow,
    action: HistoryAction,
    comment: string | null,
    details: Record<string, unknown> | null = null,
  ): Promise<void> {
    await repo.insertEvent(trx, {
      application_id: row.id,
      actor_user_id: user.userId,
      actor_username: user.username,
      action,
      comment,
      details: details === null ? null : JSON.stringify(details),
    });
  }

  /** Locks the application and checks its state again: a decision made meanwhile wins. */
  async function lockInState(
    trx: Transaction<Database>,
    id: string,
    states: readonly ApplicationState[],
  ): Promise<ApplicationRow> {
    const row = await repo.lockApplication(trx, id);
    if (row === undefined) throw notFound(`application ${id}`);
    if (!states.includes(row.state))
      throw wrongState(
        `The application is ${row.state}; this step needs it ${states.join(' or ')}.`,
        row.state,
      );
    return row;
  }

  function commentFor(decision: string, comment: string | undefined, required: boolean): string | null {
    const text = comment?.trim() ?? '';
    if (required && text === '')
      throw new ValidationError(`A comment is required to ${decision}.`, [
        { path: 'comment', message: 'is required' },
      ]);
    return text === '' ? null : text;
  }

  /** The provider's decision. Approval may narrow the fields and the end of the period, never widen them. */
  async function review(actor: Actor, id: string, input: ReviewInput): Promise<Application> {
    const user = requireUser(actor);
    const found = await visibleApplication(user, id);
    return refusalsLogged(
      actor,
      'access.application.review-refused',
      () => applicationObjects(found),
      { stage: 'provider', decision: input.decision },
      async () => {
        if (!can(user, 'access:review', { organizationId: found.provider_organization_id }))
          throw new ForbiddenError(
            'Only the provider institution’s admins and editors review this application.',
          );
        checkNotOwnInstitution(user, found);
        if (found.state !== 'submitted')
          throw wrongState(
            `The application is ${found.state}; only a submitted one can be reviewed.`,
            found.state,
          );
        const comment = commentFor(input.decision, input.comment, input.decision !== 'approve');
        const narrowed: { fields?: string[]; period_end?: string } = {};
        if (input.decision === 'approve') {
          const fieldErrors: FieldError[] = [];
          if (input.fields !== undefined) {
            const fields = unique(input.fields);
            if (fields.length === 0) fieldErrors.push({ path: 'fields', message: 'keep at least one field' });
            fields.forEach((f, i) => {
              if (!found.fields.includes(f))
                fieldErrors.push({
                  path: `fields/${i}`,
                  message: `"${f}" was not asked for: fields may only narrow`,
                });
            });
            narrowed.fields = fields;
          }
          if (input.periodEnd !== undefined) {
            if (!isIsoDate(input.periodEnd))
              fieldErrors.push({ path: 'periodEnd', message: 'must be a date YYYY-MM-DD' });
            else if (input.periodEnd > found.period_end || input.periodEnd <= found.period_start)
              fieldErrors.push({
                path: 'periodEnd',
                message: `may only move earlier, within ${found.period_start} … ${found.period_end}`,
              });
            narrowed.period_end = input.periodEnd;
          }
          const endsAt = new Date(dayStart(narrowed.period_end ?? found.period_end).getTime() + DAY_MS);
          if (fieldErrors.length === 0 && endsAt <= now())
            fieldErrors.push({ path: 'periodEnd', message: 'the period asked for is already over' });
          if (fieldErrors.length > 0)
            throw new ValidationError('The approval does not fit the application.', fieldErrors);
        }
        const centre = input.decision === 'approve' && found.needs_centre;
        const operators = centre ? (await directory.operators()).filter((u) => u !== user.userId) : [];

        const row = await db.transaction().execute(async (trx) => {
          const locked = await lockInState(trx, id, ['submitted']);
          const at = now();
          if (input.decision === 'ask')
            return answerApplicant(trx, { user, actor }, id, {
              state: 'more_info',
              history: 'asked',
              action: 'access.application.asked',
              kind: 'application.asked',
              comment,
            });
          if (input.decision === 'reject')
            return answerApplicant(trx, { user, actor }, id, {
              state: 'rejected',
              history: 'rejected',
              action: 'access.application.rejected',
              kind: 'application.rejected',
              comment,
              details: { stage: 'provider' },
            });
          const changes = {
            ...(narrowed.fields === undefined ? {} : { fields: narrowed.fields }),
            ...(narrowed.period_end === undefined ? {} : { period_end: narrowed.period_end }),
          };
          const narrowedFrom = {
            ...(narrowed.fields === undefined ? {} : { fields: locked.fields }),
            ...(narrowed.period_end === undefined ? {} : { periodEnd: locked.period_end }),
          };
          let updated = await repo.updateApplication(trx, id, {
            ...changes,
            provider_approved_by: user.userId,
            ...(centre
              ? { state: 'centre_review' as const, review_deadline: new Date(at.getTime() + reviewMs) }
              : { state: 'approved' as const }),
          });
          await event(
            trx,
            user,
            updated,
            'approved',
            comment,
            Object.keys(narrowedFrom).length > 0 ? narrowedFrom : null,
          );
          await ledger.record(trx, actor, {
            action: 'access.application.approved',
            objects: applicationObjects(updated),
            ...(comment === null ? {} : { content: { comment } }),
            details: {
              stage: 'provider',
              needsCentre: centre,
              ...(narrowed.fields === undefined ? {} : { fields: narrowed.fields }),
              ...(narrowed.period_end === undefined ? {} : { periodEnd: narrowed.period_end }),
            },
          });
          if (centre) {
            await notify(trx, [
              {
                userIds: operators,
                kind: 'application.centre_review',
                params: applicationParams(updated),
                link: applicationLink(id),
                mail: false,
              },
            ]);
            return updated;
          }
          const grant = await createGrant(trx, actor, updated, at);
          updated = await repo.updateApplication(trx, id, { grant_id: grant.id });
          await notify(trx, [approvedNotice(updated, grant)]);
          return updated;
        });
        return oneView(row);
      },
    );
  }

  function approvedNotice(row: ApplicationRow, grant: GrantRow): Notice {
    return {
      userIds: [row.applicant_user_id],
      kind: 'application.approved',
      params: applicationParams(row, { grantId: grant.id, validUntil: iso(grant.valid_until) }),
      link: applicationLink(row.id),
      mail: true,
    };
  }

  /** The big data centre's decision on important data, after the provider approved. */
  async function centreReview(
    actor: Actor,
    id: string,
    input: { decision: 'approve' | 'reject'; comment?: string | undefined },
  ): Promise<Application> {
    const user = requireUser(actor);
    const found = await visibleApplication(user, id);
    return refusalsLogged(
      actor,
      'access.application.review-refused',
      () => applicationObjects(found),
      { stage: 'centre', decision: input.decision },
      async () => {
        if (!can(user, 'access:centre-review'))
          throw new ForbiddenError('Only the big data centre’s operators decide here.');
        checkNotOwnInstitution(user, found);
        if (found.state !== 'centre_review')
          throw wrongState(
            `The application is ${found.state}; the centre decides only after the provider approved.`,
            found.state,
          );
        if (found.provider_approved_by === user.userId)
          throw new ForbiddenError(
            'You approved this application for the provider: another operator decides for the centre.',
            'SAME_REVIEWER',
          );
        const comment = commentFor(input.decision, input.comment, input.decision === 'reject');
        const row = await db.transaction().execute(async (trx) => {
          await lockInState(trx, id, ['centre_review']);
          if (input.decision === 'reject')
            return answerApplicant(trx, { user, actor }, id, {
              state: 'rejected',
              history: 'centre_rejected',
              action: 'access.application.centre-rejected',
              kind: 'application.rejected',
              comment,
            });
          let updated = await repo.updateApplication(trx, id, { state: 'approved' });
          await event(trx, user, updated, 'centre_approved', comment);
          await ledger.record(trx, actor, {
            action: 'access.application.centre-approved',
            objects: applicationObjects(updated),
            ...(comment === null ? {} : { content: { comment } }),
          });
          const grant = await createGrant(trx, actor, updated, now());
          updated = await repo.updateApplication(trx, id, { grant_id: grant.id });
          await notify(trx, [approvedNotice(updated, grant)]);
          return updated;
        });
        return oneView(row);
      },
    );
  }

  /** The applicant answers a question; the application goes back to the provider with a new deadline. */
  async function reply(actor: Actor, id: string, input: ReplyInput): Promise<Application> {
    const user = requireUser(actor);
    const found = await visibleApplication(user, id);
    return refusalsLogged(
      actor,
      'access.application.reply-refused',
      () => applicationObjects(found),
      {},
      async () => {
        if (found.applicant_user_id !== user.userId)
          throw new ForbiddenError('Only the applicant replies to questions on an application.');
        if (found.state !== 'more_info')
          throw wrongState(
            `The application is ${found.state}; replies are for questions asked.`,
            found.state,
          );
        const errors: FieldError[] = [];
        const comment = requiredText(input.comment, 'comment', errors);
        const text = (value: string | undefined, path: string) =>
          value === undefined ? undefined : requiredText(value, path, errors);
        const purpose = text(input.purpose, 'purpose');
        const scenario = text(input.scenario, 'scenario');
        const securityMeasures = text(input.securityMeasures, 'securityMeasures');
        const periodStart = input.periodStart ?? found.period_start;
        const periodEnd = input.periodEnd ?? found.period_end;
        if (input.periodStart !== undefined || input.periodEnd !== undefined)
          errors.push(...periodErrors(periodStart, periodEnd, now().toISOString().slice(0, 10)));
        const fields = input.fields === undefined ? undefined : unique(input.fields.map((f) => f.trim()));
        if (fields !== undefined && (fields.length === 0 || fields.includes('')))
          errors.push({ path: 'fields', message: 'name at least one information item' });
        if (errors.length > 0) throw new ValidationError('The reply is incomplete.', errors);
        if (fields !== undefined) {
          const unknown = unknownFields(fields, fieldNamesOf(await loadEntry(actor, found.entry_code)));
          if (unknown.length > 0) throw unknownFieldError(unknown);
        }
        const reviewers = (await directory.reviewers(found.provider_organization_id)).filter(
          (u) => u !== user.userId,
        );
        const row = await db.transaction().execute(async (trx) => {
          await lockInState(trx, id, ['more_info']);
          const changed = await repo.updateApplication(trx, id, {
            state: 'submitted',
            review_deadline: new Date(now().getTime() + reviewMs),
            ...(purpose === undefined ? {} : { purpose }),
            ...(scenario === undefined ? {} : { scenario }),
            ...(securityMeasures === undefined ? {} : { security_measures: securityMeasures }),
            ...(fields === undefined ? {} : { fields }),
            period_start: periodStart,
            period_end: periodEnd,
          });
          const updated = await repo.updateApplication(trx, id, { content_hash: contentHash(changed) });
          await event(trx, user, updated, 'replied', comment);
          await ledger.record(trx, actor, {
            action: 'access.application.replied',
            objects: applicationObjects(updated),
            content: { comment, declared: declaredContent(updated) },
            details: { contentHash: updated.content_hash },
          });
          await notify(trx, [
            {
              userIds: reviewers,
              kind: 'application.submitted',
              params: applicationParams(updated, { replied: 'true' }),
              link: applicationLink(id),
              mail: false,
            },
          ]);
          return updated;
        });
        return oneView(row);
      },
    );
  }

  async function withdraw(actor: Actor, id: string): Promise<Application> {
    const user = requireUser(actor);
    const found = await visibleApplication(user, id);
    return refusalsLogged(
      actor,
      'access.application.withdraw-refused',
      () => applicationObjects(found),
      {},
      async () => {
        if (found.applicant_user_id !== user.userId)
          throw new ForbiddenError('Only the applicant withdraws an application.');
        if (!PENDING.includes(found.state))
          throw wrongState(
            `The application is ${found.state}; only a pending one can be withdrawn.`,
            found.state,
          );
        const row = await db.transaction().execute(async (trx) => {
          await lockInState(trx, id, PENDING);
          const updated = await repo.updateApplication(trx, id, { state: 'withdrawn' });
          await event(trx, user, updated, 'withdrawn', null);
          await ledger.record(trx, actor, {
            action: 'access.application.withdrawn',
            objects: applicationObjects(updated),
          });
          return updated;
        });
        return oneView(row);
      },
    );
  }

  // ---- Grants ---------------------------------------------------------------------------------------

  async function grants(
    actor: Actor,
    query: {
      view?: 'mine' | 'provider' | undefined;
      state?: GrantState | undefined;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: Grant[]; total: number }> {
    const user = requireUser(actor);
    const at = now();
    const common = {
      now: at,
      limit: query.limit,
      offset: query.offset,
      ...(query.state === undefined ? {} : { state: query.state }),
    };
    const page =
      (query.view ?? 'mine') === 'mine'
        ? await repo.listGrants(db, {
            granteeUserId: user.userId,
            granteeOrganizationIds: [...user.memberships.keys()],
            ...common,
          })
        : await repo.listGrants(db, {
            ...(isOversight(user)
              ? { all: true }
              : { providerOrganizationIds: [...user.memberships.keys()] }),
            ...common,
          });
    return { items: page.rows.map((r) => grantView(r, at)), total: page.total };
  }

  function grantObjects(row: GrantRow): ObjectRef[] {
    return [
      { type: 'access-grant', id: row.id },
      { type: 'access-application', id: row.application_id },
    ];
  }

  async function revoke(actor: Actor, id: string, reason: string): Promise<Grant> {
    const user = requireUser(actor);
    const found = UUID.test(id) ? await repo.grantById(db, id) : undefined;
    if (
      found === undefined ||
      !(
        found.grantee_user_id === user.userId ||
        user.memberships.has(found.provider_organization_id) ||
        isOversight(user)
      )
    )
      throw notFound(`grant ${id}`);
    return refusalsLogged(
      actor,
      'access.grant.revoke-refused',
      () => grantObjects(found),
      {},
      async () => {
        if (!can(user, 'access:revoke', { organizationId: found.provider_organization_id }))
          throw new ForbiddenError('Only the provider institution’s admins and the operators revoke grants.');
        const text = reason.trim();
        if (text === '')
          throw new ValidationError('Give the reason for revoking.', [
            { path: 'reason', message: 'is required' },
          ]);
        const activeNow = (row: GrantRow) => row.state === 'active' && row.valid_until > now();
        if (!activeNow(found))
          throw wrongState(
            `The grant is ${grantView(found, now()).state}; only an active grant can be revoked.`,
            found.state,
          );
        const row = await db.transaction().execute(async (trx) => {
          const locked = await repo.lockGrant(trx, id);
          if (locked === undefined || !activeNow(locked))
            throw wrongState('The grant was revoked or expired meanwhile.', locked?.state ?? 'gone');
          await grantsChanged(trx, locked.entry_code);
          const updated = await repo.updateGrant(trx, id, {
            state: 'revoked',
            revoked_at: now(),
            revoked_by: user.userId,
            revoked_reason: text,
          });
          await ledger.record(trx, actor, {
            action: 'access.grant.revoked',
            objects: grantObjects(updated),
            content: { reason: text },
          });
          await notify(trx, [
            {
              userIds: [updated.grantee_user_id],
              kind: 'grant.revoked',
              params: {
                applicationId: updated.application_id,
                grantId: updated.id,
                entryCode: updated.entry_code,
                ...titleParams(updated.entry_title),
                reason: text,
              },
              link: applicationLink(updated.application_id),
              mail: true,
            },
          ]);
          return updated;
        });
        return grantView(row, now());
      },
    );
  }

  /**
   * The scopes under which `actor` may read `entryCode` at `at`: the policy's one question to this module.
   * A grant is never active past its end, whether or not the sweep has marked it; an API token must carry
   * the `access:use` scope to use grants.
   */
  async function activeGrants(actor: Actor, entryCode: string, at?: Date): Promise<GrantScope[]> {
    if (actor.kind !== 'user' || !can(actor, 'access:use')) return [];
    const rows = await repo.activeGrants(
      db,
      actor.userId,
      [...actor.memberships.keys()],
      entryCode,
      at ?? now(),
    );
    return rows.map((r) => ({
      grantId: r.id,
      kind: r.kind,
      fields: r.fields,
      operations: r.operations,
      validUntil: r.valid_until,
    }));
  }

  /**
   * Every grant the caller holds on `entryCode` (own, and shares of their institutions), newest first, with
   * its state at `at` (an active grant past its end reads `expired`): lets the policy tell a caller whose
   * grant ended or was revoked from one who never had one. Same rules as `activeGrants` for who gets any.
   */
  async function grantsOf(actor: Actor, entryCode: string, at?: Date): Promise<HeldGrant[]> {
    if (actor.kind !== 'user' || !can(actor, 'access:use')) return [];
    const when = at ?? now();
    const organizations = [...actor.memberships.keys()].sort();
    const key = `${entryCode}\u0000${actor.userId}\u0000${organizations.join(',')}`;
    let rows = held.get(key);
    if (rows === undefined || Date.now() - rows.at > HELD_CACHE_MS) {
      if (held.size >= HELD_CACHE_SIZE) held.clear();
      rows = {
        at: Date.now(),
        rows: await repo.grantsOf(db, actor.userId, organizations, entryCode, HELD_LIMIT),
      };
      held.set(key, rows);
    }
    return rows.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      fields: r.fields,
      operations: r.operations,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      state: r.state === 'active' && r.valid_until <= when ? 'expired' : r.state,
    }));
  }

  /** Marks grants past their end as expired, logs each and tells its holder. Returns how many. */
  async function expireGrants(at: Date = now()): Promise<number> {
    const sweeper = systemActor('access-expiry');
    let total = 0;
    for (;;) {
      const expired = await db.transaction().execute(async (trx) => {
        const rows = await repo.expireDue(trx, at, EXPIRY_BATCH);
        for (const code of new Set(rows.map((r) => r.entry_code))) await grantsChanged(trx, code);
        for (const row of rows) {
          await ledger.record(trx, sweeper, {
            action: 'access.grant.expired',
            objects: grantObjects(row),
            details: { validUntil: iso(row.valid_until) },
          });
        }
        await notify(
          trx,
          rows.map((row) => ({
            userIds: [row.grantee_user_id],
            kind: 'grant.expired' as const,
            params: {
              applicationId: row.application_id,
              grantId: row.id,
              entryCode: row.entry_code,
              ...titleParams(row.entry_title),
            },
            link: applicationLink(row.application_id),
            mail: true,
          })),
        );
        return rows.length;
      });
      total += expired;
      if (expired < EXPIRY_BATCH) return total;
    }
  }

  // ---- Notifications --------------------------------------------------------------------------------

  async function notifications(
    actor: Actor,
    query: { unread?: boolean | undefined; limit: number },
  ): Promise<{ items: Notification[]; unread: number }> {
    const user = requireUser(actor);
    const { rows, unread } = await repo.listNotifications(
      db,
      user.userId,
      query.unread === true,
      query.limit,
    );
    return { items: rows.map(notificationView), unread };
  }

  async function markRead(actor: Actor, id: string): Promise<void> {
    const user = requireUser(actor);
    const marked = UUID.test(id) ? await repo.markRead(db, id, user.userId) : false;
    if (!marked) throw notFound(`notification ${id}`);
  }

  /** The job that mails one notification to its recipient, in their language (or Chinese with English). */
  async function runMail(ctx: JobContext<{ notificationId?: unknown }>): Promise<unknown> {
    const id = ctx.payload.notificationId;
    const row = typeof id === 'string' && UUID.test(id) ? await repo.notificationById(db, id) : undefined;
    if (row === undefined) return { sent: false, reason: 'notification gone' };
    const contact = await directory.contact(row.user_id);
    if (contact === undefined || contact.email === null || contact.email === '')
      return { sent: false, reason: 'no address' };
    const link =
      row.link === null || deps.publicUrl === undefined ? undefined : `${deps.publicUrl}${row.link}`;
    const mail = notificationMail(row.kind as NotificationKind, row.params, link, contact.language);
    try {
      const sent = await mailer.send({ to: contact.email, ...mail });
      return { sent: true, messageId: sent.messageId };
    } catch (error) {
      if (error instanceof MailRejectedError) throw new JobFailedForGoodError(error.message);
      throw error;
    }
  }

  /** A request the route refused before the service saw it (a schema error) still goes on the log. */
  async function recordRefusedRequest(
    actor: Actor,
    stage: RefusedStage,
    id: string | undefined,
    error: DatapolisError,
  ): Promise<void> {
    if (actor.kind !== 'user') return;
    const target = id !== undefined && UUID.test(id) ? id : undefined;
    const action =
      stage === 'apply'
        ? 'access.application.refused'
        : stage === 'revoke'
          ? 'access.grant.revoke-refused'
          : 'access.application.review-refused';
    const objects: ObjectRef[] =
      target === undefined
        ? []
        : [{ type: stage === 'revoke' ? 'access-grant' : 'access-application', id: target }];
    await logRefusal(actor, action, objects, error, stage === 'centre-review' ? { stage: 'centre' } : {});
  }

  return {
    terms: () => USAGE_TERMS,
    apply,
    list,
    get,
    review,
    centreReview,
    reply,
    withdraw,
    grants,
    revoke,
    activeGrants,
    grantsOf,
    expireGrants,
    notifications,
    markRead,
    runMail,
    recordRefusedRequest,
  };
}
