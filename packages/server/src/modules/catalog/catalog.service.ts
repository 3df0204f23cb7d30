import { createHash } from 'node:crypto';
import { canonicalJson } from '@datapolis/ledger';
import type { Kysely, Transaction } from 'kysely';
import type { Ledger } from '../../kernel/audit/index.ts';
import { type Actor, actorRef, can, requirePermission } from '../../kernel/auth/index.ts';
import type { Database } from '../../kernel/db/database.ts';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../kernel/errors.ts';
import { fetchOutbound, OutboundRefusedError } from '../../lib/outbound.ts';
import { FACET_PREFIX, type FacetName } from './catalog.facets.ts';
import {
  type CatalogRecord,
  CLASSIFICATION_CLASS,
  type ContactPoint,
  derivedGrade,
  type EntryMetadata,
  type EntryState,
  type Grade,
  type InformationItem,
  type LocalizedText,
  type OpenType,
  type ProviderRef,
  RESOURCE_CODE_PATTERN,
  type ShareType,
} from './catalog.model.ts';
import {
  type CatalogProfile,
  checkExtension,
  DEFAULT_PROFILE,
  extendProfile,
  type Language,
  type ProfileExtension,
  validateEntry,
} from './catalog.profile.ts';
import { assessQuality, type QualityReport } from './catalog.quality.ts';
import {
  type Condition,
  type EntryRow,
  catalogRepository as repo,
  type SearchRow,
  type SearchSampling,
  type Visibility,
} from './catalog.repository.ts';
import { compileQuery, facetCondition } from './catalog.search-sql.ts';
import { indexColumns, tsQueryFor } from './catalog.search-text.ts';
import type { QueryNode } from './search/ckan-query.ts';

/** An organisation as the catalog needs it: who provides, and whether it is a public institution. */
export interface CatalogOrganization extends ProviderRef {
  kind: 'institution' | 'company' | 'other';
}

export interface CatalogDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  /** Every registered organisation (a few hundred at most); read often, so the service caches it briefly. */
  organizations: () => Promise<CatalogOrganization[]>;
  /** Link checks may fetch private and loopback addresses (tests, closed intranets). */
  outboundAllowPrivate: boolean;
  now?: () => Date;
  /** Where search stops counting every match and estimates (ADR 0009); the default suits a million entries. */
  searchSampling?: SearchSampling;
  /** Whether a second connection is free at once (PostgreSQL's pool): a deep search page then uses two. */
  spareConnection?: () => boolean;
}

export interface SearchParams {
  q?: string;
  /** CKAN-style structured query (already parsed). */
  query?: QueryNode;
  filters?: Partial<Record<FacetName, string[]>>;
  sort?: 'relevance' | 'newest' | 'name' | 'usage';
  offset?: number;
  limit?: number;
  facetLimit?: number;
  /** Count every match and rank all of them, however many (slower past a few thousand matches). */
  exact?: boolean;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface EntrySummary {
  id: string;
  code: string;
  version: number;
  title: EntryMetadata['title'];
  summary: EntryMetadata['summary'];
  provider: ProviderRef;
  theme: string;
  keywords: string[];
  formats: string[];
  openType: string;
  shareType: string;
  grade: string;
  updateCycle: string;
  license?: string;
  lastUpdate?: string;
  publishedAt: string;
  updatedAt: string;
  usageCount: number;
  qualityScore: number;
}

export interface SearchResult {
  total: number;
  /** The total and the facet counts are estimated from a sample of the matches (ADR 0009). */
  approximate: boolean;
  offset: number;
  limit: number;
  items: EntrySummary[];
  facets: Record<FacetName, FacetValue[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EDITABLE: EntryState[] = ['draft', 'returned', 'published'];

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function contentHash(metadata: EntryMetadata): string {
  return sha256Hex(canonicalJson(metadata));
}

/** Field-by-field differences between two versions, as JSON pointers with the values before and after. */
export function diffMetadata(
  before: unknown,
  after: unknown,
  path = '',
): { path: string; before: unknown; after: unknown }[] {
  if (canonicalJson(before ?? null) === canonicalJson(after ?? null)) return [];
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
    return keys.flatMap((k) => diffMetadata(b[k], a[k], `${path}/${k}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => diffMetadata(v, after[i], `${path}/${i}`));
  }
  return [{ path: path === '' ? '/' : path, before: before ?? null, after: after ?? null }];
}

export function createCatalogService(deps: CatalogDeps) {
  const { db, ledger } = deps;
  const now = deps.now ?? (() => new Date());

  // Another process may extend the standard: the cached profile is re-read after a few seconds.
  let profileCache: { at: number; profile: CatalogProfile } | undefined;
  let orgCache:
    | { at: number; byId: Map<string, CatalogOrganization>; byCode: Map<string, CatalogOrganization> }
    | undefined;

  async function organizations() {
    if (orgCache === undefined || Date.now() - orgCache.at > 10_000) {
      const list = await deps.organizations();
      orgCache = {
        at: Date.now(),
        byId: new Map(list.map((o) => [o.id, o])),
        byCode: new Map(list.map((o) => [o.code, o])),
      };
    }
    return orgCache;
  }

  async function organization(id: string): Promise<CatalogOrganization> {
    let org = (await organizations()).byId.get(id);
    if (org === undefined) {
      orgCache = undefined;
      org = (await organizations()).byId.get(id);
    }
    if (org === undefined)
      throw new ValidationError('The provider is not a registered organisation.', [
        { path: '/organizationId', message: `No organisation has id ${id}.` },
      ]);
    return org;
  }

  function providerRef(org: CatalogOrganization): ProviderRef {
    return {
      id: org.id,
      code: org.code,
      name: org.name,
      ...(org.nameEn === undefined ? {} : { nameEn: org.nameEn }),
      creditCode: org.creditCode,
    };
  }

  async function profile(): Promise<CatalogProfile> {
    if (profileCache === undefined || Date.now() - profileCache.at > 5_000) {
      const latest = await repo.latestProfile(db);
      profileCache = {
        at: Date.now(),
        profile:
          latest === undefined
            ? DEFAULT_PROFILE
            : extendProfile(DEFAULT_PROFILE, latest.extension, latest.version + 1),
      };
    }
    return profileCache.profile;
  }

  async function visibility(actor: Actor): Promise<Visibility> {
    if (actor.kind === 'system') return { all: true, ownOrganizations: [], institutionMember: false };
    if (actor.kind !== 'user') return { all: false, ownOrganizations: [], institutionMember: false };
    if (actor.platformRoles.some((r) => r === 'operator' || r === 'auditor' || r === 'security_officer'))
      return { all: true, ownOrganizations: [], institutionMember: false };
    const own = [...actor.memberships.keys()];
    const orgs = await organizations();
    return {
      all: false,
      ownOrganizations: own,
      institutionMember: own.some((id) => orgs.byId.get(id)?.kind === 'institution'),
    };
  }

  /** May this actor see the working copy (drafts, submissions) of an organisation's entries? */
  function seesWorkingCopy(actor: Actor, organizationId: string): boolean {
    // A token scoped to editing still sees what it edits.
    return ['catalog:manage-own', 'catalog:edit', 'catalog:submit'].some((p) =>
      can(actor, p, { organizationId }),
    );
  }

  function seesPublished(
    v: Visibility,
    row: Pick<EntryRow, 'listed' | 'organization_id' | 'published'>,
  ): boolean {
    if (!row.listed || row.published === null) return false;
    if (v.all || row.published.openType !== 'not_open') return true;
    if (v.ownOrganizations.includes(row.organization_id)) return true;
    return v.institutionMember && row.published.shareType !== 'not_shared';
  }

  async function findRow(ref: string): Promise<EntryRow | undefined> {
    return UUID.test(ref) ? repo.entryById(db, ref) : repo.entryByCode(db, ref);
  }

  function notFound(ref: string): NotFoundError {
    return new NotFoundError('CATALOG_ENTRY_NOT_FOUND', `No catalog entry ${ref} is visible to you.`);
  }

  /** Normalises what the provider sent: derived grade, trimmed lists, the provider's own id. */
  function normalise(input: EntryMetadata, organizationId: string): EntryMetadata {
    const keywords = [...new Set(input.keywords.map((k) => k.trim()).filter((k) => k !== ''))];
    const formats = [...new Set(input.formats.map((f) => f.trim()).filter((f) => f !== ''))];
    // Distributions without an id (or with one already taken) get the next free dN.
    const taken = new Set<string>();
    let counter = 0;
    const distributions = input.distributions.map((d) => {
      let id = d.id;
      if (id === '' || taken.has(id)) {
        do id = `d${++counter}`;
        while (taken.has(id) || input.distributions.some((other) => other.id === id));
      }
      taken.add(id);
      return { ...d, id };
    });
    return {
      ...input,
      organizationId,
      keywords,
      formats,
      distributions,
      grade: derivedGrade(input.grade, input.informationItems),
    };
  }

  /** The provider's credit code must be the provider's own; a typo would otherwise pass its checksum. */
  function checkProvider(metadata: EntryMetadata, org: CatalogOrganization, lang: Language): void {
    if (metadata.providerCreditCode === '' || metadata.providerCreditCode === org.creditCode) return;
    const message =
      lang === 'zh'
        ? `统一社会信用代码应为提供方 ${org.name} 的代码 ${org.creditCode}。`
        : lang === 'fr'
          ? `Le code de crédit social doit être celui du fournisseur ${org.name} : ${org.creditCode}.`
          : `The credit code must be the provider's own (${org.name}: ${org.creditCode}).`;
    throw new ValidationError(
      summaryMessage(lang, 1),
      [{ path: '/providerCreditCode', message }],
      'CATALOG_ENTRY_INVALID',
    );
  }

  async function checkValid(metadata: EntryMetadata, lang: Language, harvested = false): Promise<void> {
    const errors = validateEntry(metadata, await profile(), lang, { harvested });
    if (errors.length > 0)
      throw new ValidationError(summaryMessage(lang, errors.length), errors, 'CATALOG_ENTRY_INVALID');
  }

  function summaryMessage(lang: Language, count: number): string {
    if (lang === 'zh') return `目录条目不符合目录标准：${count} 处问题。`;
    if (lang === 'fr') return `L'entrée ne respecte pas le standard du catalogue : ${count} problème(s).`;
    return `The entry does not meet the catalog standard: ${count} problem(s).`;
  }

  /** Takes the profile read before the transaction: on the embedded database a read outside it would wait for it. */
  async function assignCode(
    trx: Transaction<Database>,
    metadata: EntryMetadata,
    prof: CatalogProfile,
  ): Promise<string> {
    const themeIndex =
      Math.max(
        0,
        (prof.codeLists.themes ?? []).findIndex((t) => t.code === metadata.theme),
      ) + 1;
    const prefix = `${CLASSIFICATION_CLASS[metadata.classification]}-${String(themeIndex).padStart(2, '0')}-001-001`;
    const sequence = await repo.nextSequence(trx, prefix);
    if (sequence > 999_999)
      throw new ConflictError('CATALOG_CODE_EXHAUSTED', `No resource code is left under ${prefix}.`);
    return `${prefix}-${String(sequence).padStart(6, '0')}`;
  }

  async function saveVersion(
    trx: Transaction<Database>,
    actor: Actor,
    row: { id: string; code: string; organization_id: string },
    version: number,
    metadata: EntryMetadata,
    action:
      | 'catalog.entry.drafted'
      | 'catalog.entry.revised'
      | 'catalog.entry.harvested'
      | 'catalog.entry.regraded',
    details: Record<string, unknown> = {},
  ): Promise<number> {
    const index = await ledger.record(trx, actor, {
      action,
      objects: [
        { type: 'catalog-entry', id: row.id },
        { type: 'organization', id: row.organization_id },
      ],
      content: metadata,
      details: { code: row.code, version, ...details },
    });
    await repo.insertVersion(trx, {
      entry_id: row.id,
      version,
      metadata,
      content_hash: contentHash(metadata),
      ledger_index: index,
      action,
      actor: `${actorRef(actor).type}:${actorRef(actor).id}`,
    });
    return index;
  }

  async function publishVersion(
    trx: Transaction<Database>,
    actor: Actor,
    row: EntryRow,
    details: Record<string, unknown>,
  ) {
    const metadata = row.working;
    const index = await ledger.record(trx, actor, {
      action: 'catalog.entry.published',
      objects: [
        { type: 'catalog-entry', id: row.id },
        { type: 'organization', id: row.organization_id },
      ],
      content: metadata,
      details: { code: row.code, version: row.version, ...details },
    });
    await repo.publish(trx, row.id, row.version, metadata, indexColumns(metadata));
    await repo.markVersionPublished(trx, row.id, row.version, index);
  }

  async function qualityOf(metadata: EntryMetadata, unreachable = 0): Promise<QualityReport> {
    return assessQuality(metadata, await profile(), now(), unreachable);
  }

  /** Broken links that still point where the entry points now (a fixed URL no longer counts). */
  function brokenNow(
    metadata: EntryMetadata,
    broken: { distributionId: string; url: string }[] | undefined,
  ): number {
    if (broken === undefined) return 0;
    return broken.filter((b) =>
      metadata.distributions.some((d) => d.id === b.distributionId && d.url === b.url),
    ).length;
  }

  async function toRecord(row: EntryRow, which: 'published' | 'working'): Promise<CatalogRecord> {
    const metadata = which === 'published' && row.published !== null ? row.published : row.working;
    const version =
      which === 'published' && row.published_version !== null ? row.published_version : row.version;
    const org = await organization(row.organization_id);
    // Readers of the published version see it as published, whatever its next draft is doing.
    const state =
      which === 'published' && row.published !== null && row.state !== 'retired' ? 'published' : row.state;
    return {
      id: row.id,
      code: row.code,
      state,
      version,
      metadata,
      provider: providerRef(org),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      ...(row.published_at === null ? {} : { publishedAt: row.published_at.toISOString() }),
      usageCount: Number(row.usage_count),
    };
  }

  // ---- Writing -----------------------------------------------------------------------------------

  async function create(actor: Actor, input: EntryMetadata, lang: Language): Promise<CatalogRecord> {
    requirePermission(actor, 'catalog:edit', { organizationId: input.organizationId });
    const org = await organization(input.organizationId);
    // Only a harvest records where an entry came from.
    const { sourceUri: _ignored, ...rest } = input;
    const metadata = normalise(
      { ...rest, providerCreditCode: input.providerCreditCode || org.creditCode },
      org.id,
    );
    await checkValid(metadata, lang);
    checkProvider(metadata, org, lang);
    const quality = (await qualityOf(metadata)).score;
    const prof = await profile();
    const row = await db.transaction().execute(async (trx) => {
      const code = metadata.code ?? (await assignCode(trx, metadata, prof));
      if (metadata.code !== undefined) await bumpFor(trx, metadata.code);
      const stored = { ...metadata, code };
      const inserted = await repo.insertEntry(trx, {
        code,
        organization_id: org.id,
        metadata: stored,
        source_uri: null,
        quality,
      });
      await saveVersion(trx, actor, inserted, 1, stored, 'catalog.entry.drafted');
      return inserted;
    });
    return toRecord(row, 'working');
  }

  async function bumpFor(trx: Transaction<Database>, code: string): Promise<void> {
    if (!RESOURCE_CODE_PATTERN.test(code)) return;
    const prefix = code.slice(0, 12);
    await repo.bumpSequence(trx, prefix, Number(code.slice(13)));
  }

  async function update(
    actor: Actor,
    ref: string,
    input: EntryMetadata,
    lang: Language,
    expectedVersion?: number,
  ): Promise<CatalogRecord> {
    const existing = await findRow(ref);
    if (existing === undefined || !seesWorkingCopy(actor, existing.organization_id)) throw notFound(ref);
    requirePermission(actor, 'catalog:edit', { organizationId: existing.organization_id });
    if (input.organizationId !== existing.organization_id)
      throw new ValidationError('An entry cannot move to another provider.', [
        {
          path: '/organizationId',
          message: 'The provider of an entry does not change; retire it and create a new one.',
        },
      ]);
    const org = await organization(existing.organization_id);
    const { sourceUri: _ignored, ...rest } = input;
    const metadata = normalise(
      {
        ...rest,
        code: input.code ?? existing.code,
        providerCreditCode: input.providerCreditCode || org.creditCode,
        ...(existing.source_uri === null ? {} : { sourceUri: existing.source_uri }),
      },
      existing.organization_id,
    );
    await checkValid(metadata, lang, existing.source_uri !== null);
    checkProvider(metadata, org, lang);
    const quality = (await qualityOf(metadata)).score;
    const row = await db.transaction().execute(async (trx) => {
      const current = (await repo.entryById(trx, existing.id, true))!;
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        throw new ConflictError(
          'CATALOG_VERSION_CONFLICT',
          `The entry is at version ${current.version}, not ${expectedVersion}: reload it and edit again.`,
          {
            version: current.version,
          },
        );
      if (!EDITABLE.includes(current.state))
        throw new ConflictError(
          'CATALOG_ENTRY_LOCKED',
          `The entry is ${current.state}: it cannot be edited now.`,
        );
      if (canonicalJson(current.working) === canonicalJson(metadata)) return current;
      if (metadata.code !== current.code) await bumpFor(trx, metadata.code!);
      const version = current.version + 1;
      await repo.saveWorking(trx, current.id, {
        version,
        metadata,
        state: current.state === 'returned' ? 'returned' : 'draft',
        quality,
        ...(metadata.code !== current.code ? { code: metadata.code! } : {}),
      });
      await saveVersion(
        trx,
        actor,
        { ...current, code: metadata.code! },
        version,
        metadata,
        'catalog.entry.revised',
      );
      return (await repo.entryById(trx, current.id))!;
    });
    return toRecord(row, 'working');
  }

  async function submit(
    actor: Actor,
    organizationId: string,
    entryIds: string[] | undefined,
    comment: string | undefined,
    lang: Language,
  ) {
    requirePermission(actor, 'catalog:submit', { organizationId });
    await organization(organizationId);
    const prof = await profile();
    return db.transaction().execute(async (trx) => {
      const candidates = await repo.entriesOfOrganization(trx, organizationId, ['draft', 'returned']);
      const chosen = entryIds === undefined ? candidates : candidates.filter((c) => entryIds.includes(c.id));
      if (entryIds !== undefined) {
        const missing = entryIds.filter((id) => !chosen.some((c) => c.id === id));
        if (missing.length > 0)
          throw new ConflictError(
            'CATALOG_NOT_SUBMITTABLE',
            `These entries are not drafts of this institution: ${missing.join(', ')}.`,
          );
      }
      if (chosen.length === 0)
        throw new ConflictError('CATALOG_NOTHING_TO_SUBMIT', 'There is no draft to submit.');
      const errors: FieldError[] = [];
      for (const entry of chosen)
        for (const e of validateEntry(entry.working, prof, lang, { harvested: entry.source_uri !== null }))
          errors.push({ path: `/${entry.code}${e.path}`, message: e.message });
      if (errors.length > 0)
        throw new ValidationError(summaryMessage(lang, errors.length), errors, 'CATALOG_ENTRY_INVALID');
      const submission = await repo.insertSubmission(trx, {
        organization_id: organizationId,
        entries: chosen.map((c) => ({ entryId: c.id, version: c.version })),
        submitted_by: actor.kind === 'user' ? actor.userId : '00000000-0000-4000-8000-000000000000',
        comment: comment ?? null,
      });
      await repo.setState(
        trx,
        chosen.map((c) => c.id),
        'submitted',
      );
      await ledger.record(trx, actor, {
        action: 'catalog.submission.submitted',
        objects: [
          { type: 'catalog-submission', id: submission.id },
          { type: 'organization', id: organizationId },
        ],
        content: submission.entries,
        details: { entries: chosen.length },
      });
      return submissionView(submission);
    });
  }

  function submissionView(row: Awaited<ReturnType<typeof repo.insertSubmission>>) {
    return {
      id: row.id,
      organizationId: row.organization_id,
      state: row.state,
      entries: row.entries,
      ...(row.comment === null ? {} : { comment: row.comment }),
      ...(row.review_comment === null ? {} : { reviewComment: row.review_comment }),
      entryComments: row.entry_comments,
      submittedBy: row.submitted_by,
      submittedAt: row.submitted_at.toISOString(),
      ...(row.reviewed_by === null ? {} : { reviewedBy: row.reviewed_by }),
      ...(row.reviewed_at === null ? {} : { reviewedAt: row.reviewed_at.toISOString() }),
    };
  }

  async function review(
    actor: Actor,
    id: string,
    decision: { approve: boolean; comment?: string; entryComments?: { entryId: string; comment: string }[] },
  ) {
    requirePermission(actor, 'catalog:review');
    if (
      !decision.approve &&
      (decision.comment ?? '').trim() === '' &&
      (decision.entryComments ?? []).length === 0
    )
      throw new ValidationError('Say what to fix when returning a catalog.', [
        { path: '/comment', message: 'A comment is required to return a submission.' },
      ]);
    return db.transaction().execute(async (trx) => {
      const submission = UUID.test(id) ? await repo.submission(trx, id, true) : undefined;
      if (submission === undefined)
        throw new NotFoundError('CATALOG_SUBMISSION_NOT_FOUND', `No submission ${id}.`);
      if (submission.state !== 'pending')
        throw new ConflictError(
          'CATALOG_SUBMISSION_DECIDED',
          `This submission was already ${submission.state}.`,
        );
      const rows = await repo.entriesByIds(
        trx,
        submission.entries.map((e) => e.entryId),
      );
      if (decision.approve) {
        for (const row of rows) await publishVersion(trx, actor, row, { submission: submission.id });
      } else {
        await repo.setState(
          trx,
          rows.map((r) => r.id),
          'returned',
        );
      }
      await repo.reviewSubmission(trx, submission.id, {
        state: decision.approve ? 'approved' : 'returned',
        reviewed_by: actor.kind === 'user' ? actor.userId : '00000000-0000-4000-8000-000000000000',
        comment: decision.comment ?? null,
        entry_comments: decision.entryComments ?? [],
      });
      await ledger.record(trx, actor, {
        action: decision.approve ? 'catalog.submission.approved' : 'catalog.submission.returned',
        objects: [
          { type: 'catalog-submission', id: submission.id },
          { type: 'organization', id: submission.organization_id },
        ],
        ...(decision.comment === undefined && decision.entryComments === undefined
          ? {}
          : { content: { comment: decision.comment ?? null, entryComments: decision.entryComments ?? [] } }),
        details: { entries: rows.length },
      });
      return submissionView((await repo.submission(trx, submission.id))!);
    });
  }

  async function retire(actor: Actor, ref: string, reason: string) {
    const existing = await findRow(ref);
    if (existing === undefined || !seesWorkingCopy(actor, existing.organization_id)) throw notFound(ref);
    requirePermission(actor, 'catalog:submit', { organizationId: existing.organization_id });
    if (existing.state === 'retired')
      throw new ConflictError('CATALOG_ENTRY_RETIRED', 'The entry is already retired.');
    if (existing.state === 'submitted')
      throw new ConflictError(
        'CATALOG_ENTRY_LOCKED',
        'The entry is under review; wait for the decision before retiring it.',
      );
    await db.transaction().execute(async (trx) => {
      await repo.retire(trx, existing.id);
      await ledger.record(trx, actor, {
        action: 'catalog.entry.retired',
        objects: [
          { type: 'catalog-entry', id: existing.id },
          { type: 'organization', id: existing.organization_id },
        ],
        content: { reason },
        details: { code: existing.code },
      });
    });
    return toRecord((await repo.entryById(db, existing.id))!, 'working');
  }

  // ---- Reading -----------------------------------------------------------------------------------

  async function get(actor: Actor, ref: string) {
    const row = await findRow(ref);
    if (row === undefined) throw notFound(ref);
    const v = await visibility(actor);
    const editor = seesWorkingCopy(actor, row.organization_id);
    const published = seesPublished(v, row);
    if (!published && !editor) throw notFound(ref);
    const record = await toRecord(row, published ? 'published' : 'working');
    const working =
      editor && (row.published_version === null || row.version !== row.published_version)
        ? { version: row.version, state: row.state, metadata: row.working }
        : undefined;
    const lastReturn = editor && row.state === 'returned' ? await repo.lastReturnFor(db, row.id) : undefined;
    return {
      entry: record,
      published: row.published_version !== null && row.listed,
      ...(working === undefined ? {} : { working }),
      ...(lastReturn === undefined
        ? {}
        : {
            returned: {
              submissionId: lastReturn.id,
              comment: lastReturn.comment ?? undefined,
              entryComment: lastReturn.entry_comments.find((c) => c.entryId === row.id)?.comment,
              at: new Date(lastReturn.reviewed_at).toISOString(),
            },
          }),
      quality: await qualityOf(
        editor ? row.working : record.metadata,
        brokenNow(editor ? row.working : record.metadata, (await repo.brokenLinks(db, [row.id])).get(row.id)),
      ),
      can: {
        edit:
          editor &&
          can(actor, 'catalog:edit', { organizationId: row.organization_id }) &&
          EDITABLE.includes(row.state),
        submit: editor && can(actor, 'catalog:submit', { organizationId: row.organization_id }),
        answerObjections: can(actor, 'catalog:objections:answer', { organizationId: row.organization_id }),
        fileObjection: actor.kind === 'user' && published,
      },
    };
  }

  /** An entry a reader may see, as published (for exports and the CKAN API). */
  async function getPublished(actor: Actor, ref: string): Promise<CatalogRecord> {
    const row = await findRow(ref);
    if (row === undefined || !seesPublished(await visibility(actor), row)) throw notFound(ref);
    return toRecord(row, 'published');
  }

  async function readableRow(actor: Actor, ref: string): Promise<EntryRow> {
    const row = await findRow(ref);
    if (row === undefined) throw notFound(ref);
    if (!seesWorkingCopy(actor, row.organization_id) && !seesPublished(await visibility(actor), row))
      throw notFound(ref);
    return row;
  }

  /** Readers who only see the published entry see only published versions of its history. */
  async function versions(actor: Actor, ref: string) {
    const row = await readableRow(actor, ref);
    const editor = seesWorkingCopy(actor, row.organization_id);
    const list = await repo.versions(db, row.id);
    return list
      .filter((v) => editor || v.published_at !== null)
      .map((v) => ({
        version: v.version,
        action: v.action,
        actor: v.actor,
        contentHash: v.content_hash,
        ledgerIndex: Number(v.ledger_index),
        createdAt: v.created_at.toISOString(),
        ...(v.published_at === null ? {} : { publishedAt: v.published_at.toISOString() }),
        ...(v.publish_ledger_index === null ? {} : { publishLedgerIndex: Number(v.publish_ledger_index) }),
        current: v.version === row.published_version,
      }));
  }

  async function versionRow(actor: Actor, ref: string, version: number) {
    const row = await readableRow(actor, ref);
    const found = await repo.version(db, row.id, version);
    if (found === undefined || (!seesWorkingCopy(actor, row.organization_id) && found.published_at === null))
      throw new NotFoundError(
        'CATALOG_VERSION_NOT_FOUND',
        `Entry ${ref} has no version ${version} visible to you.`,
      );
    return found;
  }

  async function version(actor: Actor, ref: string, n: number) {
    const found = await versionRow(actor, ref, n);
    return {
      version: found.version,
      metadata: found.metadata,
      contentHash: found.content_hash,
      createdAt: found.created_at.toISOString(),
    };
  }

  async function diff(actor: Actor, ref: string, from: number, to: number) {
    const [a, b] = await Promise.all([versionRow(actor, ref, from), versionRow(actor, ref, to)]);
    return { from, to, changes: diffMetadata(a.metadata, b.metadata) };
  }

  /**
   * What an outsider needs to check one version against the transparency log: the log entry that holds
   * the version's content hash, a signed tree head covering it, and the inclusion proof.
   */
  async function proof(actor: Actor, ref: string, n: number) {
    const found = await versionRow(actor, ref, n);
    const index = Number(found.publish_ledger_index ?? found.ledger_index);
    const treeHead = await ledger.signLatest();
    const [entry, inclusion] = await Promise.all([
      ledger.getEntry(index),
      ledger.proveInclusion(index, treeHead.treeSize),
    ]);
    return {
      version: found.version,
      contentHash: found.content_hash,
      ledgerEntry: entry,
      treeHead,
      inclusion,
    };
  }

  /** The matches and facets of a search, before they are shaped for the caller. */
  async function runSearch(actor: Actor, params: SearchParams) {
    const orgs = await organizations();
    const conditions: Condition[] = [];
    for (const [name, values] of Object.entries(params.filters ?? {}) as [FacetName, string[]][]) {
      if (values.length === 0) continue;
      const resolved = name === 'organization' ? values.map((v) => orgs.byCode.get(v)?.id ?? v) : values;
      conditions.push(facetCondition(name, resolved));
    }
    const tsQuery = params.q === undefined ? undefined : tsQueryFor(params.q);
    let rankQuery: string | undefined;
    if (params.query !== undefined) {
      const compiled = compileQuery(params.query, (code) => orgs.byCode.get(code)?.id);
      if (compiled.condition !== undefined) conditions.push(compiled.condition);
      const ranked = compiled.texts.map((t) => tsQueryFor(t)).filter((t) => t !== undefined);
      if (ranked.length > 0) rankQuery = ranked.map((t) => `(${t})`).join(' | ');
    }
    const offset = params.offset ?? 0;
    const limit = params.limit ?? 20;
    if (params.q !== undefined && params.q.trim() !== '' && tsQuery === undefined) {
      // Only punctuation: nothing can match, and saying so is better than listing everything.
      return {
        orgs,
        offset,
        limit,
        total: 0,
        approximate: false,
        rows: [] as SearchRow[],
        facets: emptyFacets(),
      };
    }
    const result = await repo.search(db, {
      visibility: await visibility(actor),
      conditions,
      tsQuery,
      ...(rankQuery === undefined ? {} : { rankQuery }),
      sort: params.sort ?? (tsQuery === undefined && rankQuery === undefined ? 'newest' : 'relevance'),
      offset,
      limit,
      facetLimit: params.facetLimit ?? 50,
      ...(params.exact === true ? { exact: true } : {}),
      ...(deps.searchSampling === undefined ? {} : { sampling: deps.searchSampling }),
      ...(deps.spareConnection === undefined ? {} : { spareConnection: deps.spareConnection }),
    });
    const facets = emptyFacets();
    for (const { term, count } of result.facets) {
      for (const [name, prefix] of Object.entries(FACET_PREFIX) as [FacetName, string][]) {
        if (term.startsWith(prefix)) {
          const raw = term.slice(prefix.length);
          facets[name].push({
            value: name === 'organization' ? (orgs.byId.get(raw)?.code ?? raw) : raw,
            count,
          });
          break;
        }
      }
    }
    return {
      orgs,
      offset,
      limit,
      total: result.total,
      approximate: result.approximate,
      rows: result.rows,
      facets,
    };
  }

  async function search(actor: Actor, params: SearchParams): Promise<SearchResult> {
    const found = await runSearch(actor, params);
    const prof = await profile();
    return {
      total: found.total,
      approximate: found.approximate,
      offset: found.offset,
      limit: found.limit,
      items: found.rows.map((r) => summaryOf(r, found.orgs.byId.get(r.organization_id), prof)),
      facets: found.facets,
    };
  }

  /** The same search with whole published records (CKAN package_search), without reading each one again. */
  async function searchRecords(actor: Actor, params: SearchParams) {
    const found = await runSearch(actor, params);
    const records: CatalogRecord[] = [];
    for (const r of found.rows) {
      const org = found.orgs.byId.get(r.organization_id) ?? (await organization(r.organization_id));
      records.push({
        id: r.id,
        code: r.code,
        // Search lists only listed entries, which readers see as published.
        state: 'published',
        version: r.published_version,
        metadata: r.published,
        provider: providerRef(org),
        createdAt: new Date(r.created_at).toISOString(),
        updatedAt: new Date(r.updated_at).toISOString(),
        publishedAt: new Date(r.published_at).toISOString(),
        usageCount: Number(r.usage_count),
      });
    }
    return { total: found.total, facets: found.facets, records };
  }

  function emptyFacets(): Record<FacetName, FacetValue[]> {
    return Object.fromEntries(Object.keys(FACET_PREFIX).map((k) => [k, []])) as unknown as Record<
      FacetName,
      FacetValue[]
    >;
  }

  function summaryOf(
    row: SearchRow,
    org: CatalogOrganization | undefined,
    prof: CatalogProfile,
  ): EntrySummary {
    const m = row.published;
    return {
      id: row.id,
      code: row.code,
      version: row.published_version,
      title: m.title,
      summary: m.summary,
      provider:
        org === undefined
          ? { id: row.organization_id, code: '', name: '', creditCode: m.providerCreditCode }
          : providerRef(org),
      theme: m.theme,
      keywords: m.keywords,
      formats: m.formats,
      openType: m.openType,
      shareType: m.shareType,
      grade: m.grade,
      updateCycle: m.updateCycle,
      ...(m.license === undefined ? {} : { license: m.license }),
      ...(m.lastUpdate === undefined ? {} : { lastUpdate: m.lastUpdate }),
      publishedAt: new Date(row.published_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      usageCount: Number(row.usage_count),
      // Timeliness changes with the calendar, so the score is worked out at read time.
      qualityScore: assessQuality(m, prof, now()).score,
    };
  }

  /**
   * Every entry the reader may see (or only those of `codes`), in code order, a batch at a time (exports
   * stream this).
   */
  async function* published(
    actor: Actor,
    batchSize = 500,
    codes?: readonly string[],
  ): AsyncGenerator<CatalogRecord> {
    const v = await visibility(actor);
    let after = '';
    for (;;) {
      const rows = await repo.listedBatch(db, v, after, batchSize, codes);
      for (const row of rows) yield toRecord(row, 'published');
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!.code;
    }
  }

  async function publishedCount(actor: Actor): Promise<number> {
    return repo.listedCount(db, await visibility(actor));
  }

  // ---- Objections --------------------------------------------------------------------------------

  function objectionView(row: Awaited<ReturnType<typeof repo.insertObjection>>, showReporter: boolean) {
    const answeredAt = row.answered_at;
    return {
      id: row.id,
      entryId: row.entry_id,
      organizationId: row.organization_id,
      ...(row.field === null ? {} : { field: row.field }),
      message: row.message,
      state: row.state,
      ...(row.response === null ? {} : { response: row.response }),
      createdAt: row.created_at.toISOString(),
      // Hours from the report to the answer: public, so that slow answers show.
      ...(answeredAt === null
        ? {}
        : {
            answeredAt: answeredAt.toISOString(),
            responseHours:
              Math.round(((answeredAt.getTime() - row.created_at.getTime()) / 3_600_000) * 10) / 10,
          }),
      ...(showReporter ? { reporterId: row.reporter_id } : {}),
    };
  }

  async function fileObjection(actor: Actor, ref: string, input: { field?: string; message: string }) {
    requirePermission(actor, 'catalog:objections:file');
    if (actor.kind !== 'user') throw new ForbiddenError('Only people can file objections.');
    const row = await findRow(ref);
    if (row === undefined || !seesPublished(await visibility(actor), row)) throw notFound(ref);
    const created = await db.transaction().execute(async (trx) => {
      const objection = await repo.insertObjection(trx, {
        entry_id: row.id,
        organization_id: row.organization_id,
        reporter_id: actor.userId,
        field: input.field ?? null,
        message: input.message,
      });
      await ledger.record(trx, actor, {
        action: 'catalog.objection.filed',
        objects: [
          { type: 'catalog-objection', id: objection.id },
          { type: 'catalog-entry', id: row.id },
        ],
        content: input,
      });
      return objection;
    });
    return objectionView(created, true);
  }

  async function answerObjection(
    actor: Actor,
    id: string,
    input: { resolution: 'accepted' | 'rejected'; response: string },
  ) {
    const existing = UUID.test(id) ? await repo.objection(db, id) : undefined;
    if (existing === undefined) throw new NotFoundError('CATALOG_OBJECTION_NOT_FOUND', `No objection ${id}.`);
    requirePermission(actor, 'catalog:objections:answer', { organizationId: existing.organization_id });
    const answered = await db.transaction().execute(async (trx) => {
      const current = (await repo.objection(trx, id, true))!;
      if (current.state !== 'open')
        throw new ConflictError('CATALOG_OBJECTION_ANSWERED', 'This objection has been answered already.');
      await repo.answerObjection(trx, id, input.resolution, input.response);
      await ledger.record(trx, actor, {
        action: 'catalog.objection.answered',
        objects: [
          { type: 'catalog-objection', id },
          { type: 'catalog-entry', id: current.entry_id },
        ],
        content: input,
        details: { resolution: input.resolution },
      });
      return (await repo.objection(trx, id))!;
    });
    return objectionView(answered, true);
  }

  async function objections(
    actor: Actor,
    filter: { entry?: string; organizationId?: string; state?: string },
    offset: number,
    limit: number,
  ) {
    let entryId: string | undefined;
    if (filter.entry !== undefined) entryId = (await readableRow(actor, filter.entry)).id;
    const page = await repo.objections(
      db,
      {
        ...(entryId === undefined ? {} : { entryId }),
        ...(filter.organizationId === undefined ? {} : { organizationId: filter.organizationId }),
        ...(filter.state === undefined ? {} : { state: filter.state }),
        ...(entryId === undefined ? { visibleTo: await visibility(actor) } : {}),
      },
      offset,
      limit,
    );
    return {
      total: page.total,
      items: page.items.map((o) =>
        objectionView(o, can(actor, 'catalog:objections:answer', { organizationId: o.organization_id })),
      ),
    };
  }

  // ---- Submissions, quality, institutions --------------------------------------------------------

  async function submissions(
    actor: Actor,
    filter: { state?: string; organizationId?: string },
    offset: number,
    limit: number,
  ) {
    let organizationIds: string[] | undefined;
    if (filter.organizationId !== undefined) {
      requirePermission(actor, 'catalog:manage-own', { organizationId: filter.organizationId });
      organizationIds = [filter.organizationId];
    } else if (
      !can(actor, 'catalog:review') &&
      !(actor.kind === 'user' && actor.platformRoles.some((r) => r === 'auditor' || r === 'security_officer'))
    ) {
      organizationIds = actor.kind === 'user' ? [...actor.memberships.keys()] : [];
    }
    const page = await repo.submissions(
      db,
      {
        ...(filter.state === undefined ? {} : { state: filter.state }),
        ...(organizationIds === undefined ? {} : { organizationIds }),
      },
      offset,
      limit,
    );
    return { total: page.total, items: page.items.map(submissionView) };
  }

  async function submissionDetail(actor: Actor, id: string, lang: Language) {
    const row = UUID.test(id) ? await repo.submission(db, id) : undefined;
    if (row === undefined || !can(actor, 'catalog:manage-own', { organizationId: row.organization_id }))
      throw new NotFoundError('CATALOG_SUBMISSION_NOT_FOUND', `No submission ${id}.`);
    const prof = await profile();
    const entries = await repo.entriesByIds(
      db,
      row.entries.map((e) => e.entryId),
    );
    return {
      ...submissionView(row),
      items: row.entries.map((ref) => {
        const entry = entries.find((e) => e.id === ref.entryId)!;
        const previous = entry.published_version;
        return {
          entryId: entry.id,
          code: entry.code,
          version: ref.version,
          title: entry.working.title,
          state: entry.state,
          previousVersion: previous ?? undefined,
          problems: validateEntry(entry.working, prof, lang, { harvested: entry.source_uri !== null }),
          quality: assessQuality(entry.working, prof, now()).score,
        };
      }),
    };
  }

  async function dashboard(actor: Actor, organizationId: string) {
    requirePermission(actor, 'catalog:manage-own', { organizationId });
    const org = await organization(organizationId);
    const prof = await profile();
    const rows = await repo.entriesOfOrganization(db, organizationId);
    const open = await repo.objections(db, { organizationId, state: 'open' }, 0, 1000);
    const at = now();
    const todo: {
      entryId: string;
      code: string;
      title: EntryMetadata['title'];
      kind: string;
      severity: number;
      amount?: number;
    }[] = [];
    let scoreSum = 0;
    let overdue = 0;
    const active = rows.filter((r) => r.state !== 'retired');
    const broken = await repo.brokenLinks(
      db,
      active.map((r) => r.id),
    );
    for (const row of active) {
      const report = assessQuality(row.working, prof, at, brokenNow(row.working, broken.get(row.id)));
      scoreSum += report.score;
      if (report.daysOverdue > 0) overdue += 1;
      for (const issue of report.issues)
        todo.push({
          entryId: row.id,
          code: row.code,
          title: row.working.title,
          kind: issue.kind,
          severity: issue.severity,
          ...(issue.amount === undefined ? {} : { amount: issue.amount }),
        });
      if (row.state === 'returned')
        todo.push({
          entryId: row.id,
          code: row.code,
          title: row.working.title,
          kind: 'returned',
          severity: 3,
        });
    }
    for (const o of open.items) {
      const entry = rows.find((r) => r.id === o.entry_id);
      if (entry === undefined) continue;
      const days = Math.floor((at.getTime() - o.created_at.getTime()) / 86_400_000);
      todo.push({
        entryId: entry.id,
        code: entry.code,
        title: entry.working.title,
        kind: 'open-objection',
        severity: 3,
        amount: days,
      });
    }
    // Most urgent first: severity, then the larger amount (days overdue, days waiting).
    todo.sort(
      (a, b) => b.severity - a.severity || (b.amount ?? 0) - (a.amount ?? 0) || a.code.localeCompare(b.code),
    );
    const byState: Record<string, number> = {};
    for (const row of rows) byState[row.state] = (byState[row.state] ?? 0) + 1;
    return {
      organization: providerRef(org),
      entries: active.length,
      byState,
      score: active.length === 0 ? 0 : Math.round(scoreSum / active.length),
      overdue,
      openObjections: open.total,
      todo,
    };
  }

  async function institutions() {
    const counts = await repo.countsByOrganization(db);
    const orgs = await organizations();
    return [...orgs.byId.values()]
      .map((org) => {
        const c = counts.find((x) => x.organization_id === org.id);
        return {
          ...providerRef(org),
          kind: org.kind,
          listed: Number(c?.listed ?? 0),
          entries: Number(c?.total ?? 0),
          quality: c?.quality ?? null,
        };
      })
      .sort((a, b) => b.listed - a.listed || a.code.localeCompare(b.code));
  }

  async function entriesOf(actor: Actor, organizationId: string, state?: EntryState) {
    requirePermission(actor, 'catalog:manage-own', { organizationId });
    const rows = await repo.entriesOfOrganization(
      db,
      organizationId,
      state === undefined ? undefined : [state],
    );
    const prof = await profile();
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      title: r.working.title,
      state: r.state,
      version: r.version,
      publishedVersion: r.published_version ?? undefined,
      grade: r.working.grade,
      openType: r.working.openType,
      updatedAt: r.updated_at.toISOString(),
      quality: assessQuality(r.working, prof, now()).score,
    }));
  }

  // ---- Profile -----------------------------------------------------------------------------------

  async function updateProfile(actor: Actor, extension: ProfileExtension) {
    requirePermission(actor, 'catalog:profile:manage');
    const errors = checkExtension(DEFAULT_PROFILE, extension);
    if (errors.length > 0)
      throw new ValidationError('The profile extension is not valid.', errors, 'CATALOG_PROFILE_INVALID');
    await db.transaction().execute(async (trx) => {
      const latest = await repo.latestProfile(trx);
      const version = (latest?.version ?? 0) + 1;
      await repo.insertProfile(trx, {
        version,
        extension,
        created_by: `${actorRef(actor).type}:${actorRef(actor).id}`,
      });
      await ledger.record(trx, actor, {
        action: 'catalog.profile.updated',
        objects: [{ type: 'catalog-profile', id: String(version) }],
        content: extension,
        details: { version },
      });
    });
    profileCache = undefined;
    return profile();
  }

  async function validate(input: EntryMetadata, lang: Language, harvested = false) {
    const metadata = { ...input, grade: derivedGrade(input.grade, input.informationItems) };
    const errors = validateEntry(metadata, await profile(), lang, { harvested });
    return { valid: errors.length === 0, errors, grade: metadata.grade, quality: await qualityOf(metadata) };
  }

  // ---- Harvest -----------------------------------------------------------------------------------

  /**
   * Imports one harvested record: a new source makes a new entry, a known source a new version when the
   * content changed, nothing when it did not. With `publish`, the operator's import is published at once.
   */
  async function upsertHarvested(
    actor: Actor,
    organizationId: string,
    metadata: EntryMetadata,
    options: { publish: boolean; lang: Language },
  ): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; id: string; code: string }> {
    requirePermission(actor, 'catalog:harvest', { organizationId });
    if (options.publish) requirePermission(actor, 'catalog:review');
    const org = await organization(organizationId);
    const sourceUri = metadata.sourceUri;
    if (sourceUri === undefined) throw new ValidationError('A harvested record needs its source IRI.');
    const normalised = normalise({ ...metadata, providerCreditCode: org.creditCode }, org.id);
    const prof = await profile();
    const errors = validateEntry(normalised, prof, options.lang, { harvested: true });
    if (errors.length > 0)
      throw new ValidationError(
        errors.map((e) => `${e.path}: ${e.message}`).join(' '),
        errors,
        'CATALOG_ENTRY_INVALID',
      );
    const quality = (await qualityOf(normalised)).score;
    return db.transaction().execute(async (trx) => {
      const existing = await repo.entryBySource(trx, sourceUri);
      if (existing === undefined) {
        const code = await assignCode(trx, normalised, prof);
        const stored = { ...normalised, code };
        const row = await repo.insertEntry(trx, {
          code,
          organization_id: org.id,
          metadata: stored,
          source_uri: sourceUri,
          quality,
        });
        await saveVersion(trx, actor, row, 1, stored, 'catalog.entry.harvested', { source: sourceUri });
        if (options.publish)
          await publishVersion(trx, actor, (await repo.entryById(trx, row.id))!, { source: sourceUri });
        return { outcome: 'created' as const, id: row.id, code };
      }
      if (existing.organization_id !== org.id)
        throw new ConflictError(
          'CATALOG_SOURCE_TAKEN',
          `The record ${sourceUri} belongs to another institution's catalog.`,
        );
      const stored = { ...normalised, code: existing.code };
      const current = (await repo.entryById(trx, existing.id, true))!;
      if (
        canonicalJson(current.working) === canonicalJson(stored) &&
        (!options.publish || current.published_version === current.version)
      )
        return { outcome: 'unchanged' as const, id: existing.id, code: existing.code };
      if (current.state === 'submitted')
        throw new ConflictError(
          'CATALOG_ENTRY_LOCKED',
          'The entry is under review; harvest it again after the decision.',
        );
      if (canonicalJson(current.working) !== canonicalJson(stored)) {
        const version = current.version + 1;
        await repo.saveWorking(trx, current.id, {
          version,
          metadata: stored,
          state: current.state === 'retired' ? 'draft' : 'draft',
          quality,
        });
        await saveVersion(trx, actor, current, version, stored, 'catalog.entry.harvested', {
          source: sourceUri,
        });
      }
      if (options.publish)
        await publishVersion(trx, actor, (await repo.entryById(trx, current.id))!, { source: sourceUri });
      return { outcome: 'updated' as const, id: existing.id, code: existing.code };
    });
  }

  /**
   * Checks that every distribution URL of the published entries (of one institution, or all) answers,
   * and keeps the latest result per distribution for the quality score.
   */
  async function checkLinks(
    actor: Actor,
    organizationId: string | undefined,
    onProgress: (done: number, total: number) => Promise<void>,
  ): Promise<{ checked: number; broken: number }> {
    if (organizationId === undefined) requirePermission(actor, 'catalog:review');
    else requirePermission(actor, 'catalog:submit', { organizationId });
    const targets: { entryId: string; distributionId: string; url: string }[] = [];
    for await (const record of published(actor)) {
      if (organizationId !== undefined && record.provider.id !== organizationId) continue;
      for (const d of record.metadata.distributions)
        if (d.url !== undefined && /^https?:\/\//.test(d.url))
          targets.push({ entryId: record.id, distributionId: d.id, url: d.url });
    }
    let broken = 0;
    let done = 0;
    for (const target of targets) {
      const result = await probe(target.url, deps.outboundAllowPrivate);
      if (!result.ok) broken += 1;
      await repo.saveLinkCheck(db, {
        entry_id: target.entryId,
        distribution_id: target.distributionId,
        url: target.url,
        ok: result.ok,
        status: result.status,
        error: result.error,
      });
      done += 1;
      if (done % 10 === 0 || done === targets.length) await onProgress(done, targets.length);
    }
    // The stored scores (institution averages) catch up with the links and the calendar.
    const checkedIds = [...new Set(targets.map((t) => t.entryId))];
    const brokenMap = await repo.brokenLinks(db, checkedIds);
    const prof = await profile();
    for (const row of await repo.entriesByIds(db, checkedIds))
      await repo.setQuality(
        db,
        row.id,
        assessQuality(row.working, prof, now(), brokenNow(row.working, brokenMap.get(row.id))).score,
      );
    return { checked: targets.length, broken };
  }

  /**
   * What another module's access policy needs to know of an entry, whoever asks: the published version's
   * terms when there is one, otherwise the working copy's (the data of an unpublished entry is the
   * provider's alone, which the policy decides from `published`).
   */
  async function accessFacts(ref: string): Promise<EntryAccessFacts | undefined> {
    const row = await findRow(ref);
    if (row === undefined) return undefined;
    const metadata = row.published ?? row.working;
    return {
      id: row.id,
      code: row.code,
      organizationId: row.organization_id,
      title: metadata.title,
      published: row.listed && row.published !== null,
      openType: metadata.openType,
      shareType: metadata.shareType,
      grade: metadata.grade,
    };
  }

  /**
   * For opening plans (Art. 18): the access facts of each entry with every publication of it, oldest
   * first, so that a plan can tell when an entry first went out with a given open type. Whoever asks.
   */
  async function openingHistory(codes: readonly string[]): Promise<Map<string, OpeningHistory>> {
    const rows = await repo.openingHistory(db, [...new Set(codes)]);
    return new Map(
      rows.map((row) => [
        row.code,
        {
          id: row.id,
          code: row.code,
          organizationId: row.organization_id,
          title: row.title,
          published: row.published,
          openType: row.open_type,
          shareType: row.share_type,
          grade: row.grade,
          publications: row.publications.map((p) => ({ openType: p.openType, publishedAt: new Date(p.at) })),
        },
      ]),
    );
  }

  /**
   * For grading (GB/T 43697-2024): entries not retired, as their working copy describes them, of some codes
   * or organisations (every organisation when neither is given). Whoever asks: the caller decides who sees.
   */
  async function gradingSubjects(
    filter: { codes?: readonly string[]; organizationIds?: readonly string[] } = {},
  ): Promise<GradingSubject[]> {
    const rows: EntryRow[] = [];
    if (filter.codes !== undefined) {
      for (const code of new Set(filter.codes)) {
        const row = await repo.entryByCode(db, code);
        if (row !== undefined) rows.push(row);
      }
    } else {
      for (const id of filter.organizationIds ?? [...(await organizations()).byId.keys()])
        rows.push(...(await repo.entriesOfOrganization(db, id)));
    }
    return rows
      .filter((r) => r.state !== 'retired')
      .map((r) => ({
        id: r.id,
        code: r.code,
        organizationId: r.organization_id,
        state: r.state,
        version: r.version,
        title: r.working.title,
        grade: r.working.grade,
        informationItems: r.working.informationItems,
        ...(r.working.contactPoint === undefined ? {} : { contactPoint: r.working.contactPoint }),
      }));
  }

  /**
   * A system update for grading: the grades a security officer confirmed become the fields' grades and the
   * dataset's, as a new working version (published entries keep serving their published version until the
   * next review). It joins the caller's transaction, so the confirmation and the new version land together;
   * it reads nothing outside it. Entries under review or retired are refused, as for any edit.
   */
  async function regrade(
    trx: Transaction<Database>,
    actor: Actor,
    code: string,
    grades: { fields: Readonly<Record<string, Grade>>; dataset: Grade },
  ): Promise<{ version: number; grade: Grade; changed: boolean }> {
    const found = await repo.entryByCode(trx, code);
    if (found === undefined) throw notFound(code);
    const current = (await repo.entryById(trx, found.id, true))!;
    if (!EDITABLE.includes(current.state))
      throw new ConflictError(
        'CATALOG_ENTRY_LOCKED',
        `The entry is ${current.state}: it cannot be edited now.`,
      );
    const informationItems = current.working.informationItems.map((item) => {
      const grade = grades.fields[item.name];
      return grade === undefined ? item : { ...item, grade };
    });
    const metadata: EntryMetadata = {
      ...current.working,
      informationItems,
      grade: derivedGrade(grades.dataset, informationItems),
    };
    if (canonicalJson(current.working) === canonicalJson(metadata))
      return { version: current.version, grade: metadata.grade, changed: false };
    const version = current.version + 1;
    await repo.saveWorking(trx, current.id, {
      version,
      metadata,
      state: current.state === 'returned' ? 'returned' : 'draft',
      quality: current.quality_score,
    });
    await saveVersion(trx, actor, current, version, metadata, 'catalog.entry.regraded');
    return { version, grade: metadata.grade, changed: true };
  }

  async function recordUsage(id: string, count = 1): Promise<void> {
    await repo.addUsage(db, id, count);
  }

  return {
    profile,
    updateProfile,
    validate,
    create,
    update,
    submit,
    review,
    retire,
    get,
    getPublished,
    versions,
    version,
    diff,
    proof,
    search,
    searchRecords,
    published,
    publishedCount,
    fileObjection,
    answerObjection,
    objections,
    submissions,
    submissionDetail,
    dashboard,
    institutions,
    entriesOf,
    upsertHarvested,
    checkLinks,
    recordUsage,
    accessFacts,
    openingHistory,
    gradingSubjects,
    regrade,
    organizationByCode: async (code: string) => (await organizations()).byCode.get(code),
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;

export interface EntryAccessFacts {
  id: string;
  code: string;
  organizationId: string;
  title: LocalizedText;
  /** Published and not retired. */
  published: boolean;
  openType: OpenType;
  shareType: ShareType;
  grade: Grade;
}

/** An entry as grading sees it: its working copy's fields and grades (see `gradingSubjects`). */
export interface GradingSubject {
  id: string;
  code: string;
  organizationId: string;
  state: EntryState;
  version: number;
  title: LocalizedText;
  grade: Grade;
  informationItems: InformationItem[];
  contactPoint?: ContactPoint;
}

/** An entry's access facts with every publication of it, oldest first (see `openingHistory`). */
export interface OpeningHistory extends EntryAccessFacts {
  publications: { openType: OpenType; publishedAt: Date }[];
}

/** HEAD first (cheap); some servers refuse it, so a 405 or 501 is asked again with GET. */
async function probe(
  url: string,
  allowPrivate: boolean,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  try {
    let response = await fetchOutbound(url, { method: 'HEAD', timeoutMs: 10_000, allowPrivate });
    await response.body?.cancel();
    if (response.status === 405 || response.status === 501) {
      response = await fetchOutbound(url, { method: 'GET', timeoutMs: 10_000, allowPrivate });
      await response.body?.cancel();
    }
    return { ok: response.status < 400, status: response.status, error: null };
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, status: null, error: error.message };
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, status: null, error: cause ?? (error instanceof Error ? error.name : 'unreachable') };
  }
}
