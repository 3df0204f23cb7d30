import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/database.ts';
import { ConflictError } from '../../kernel/errors.ts';
import type { EntryMetadata, EntryState } from './catalog.model.ts';
import type { ProfileExtension } from './catalog.profile.ts';
import { searchEntries, type Visibility, visibilitySql } from './catalog.search-statements.ts';

export type {
  Condition,
  SearchAnswer,
  SearchQuery,
  SearchRow,
  SearchSampling,
  Visibility,
} from './catalog.search-statements.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface EntryRow {
  id: string;
  code: string;
  organization_id: string;
  state: EntryState;
  version: number;
  published_version: number | null;
  working: EntryMetadata;
  published: EntryMetadata | null;
  source_uri: string | null;
  listed: boolean;
  usage_count: string;
  quality_score: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

const ENTRY_COLUMNS = [
  'id',
  'code',
  'organization_id',
  'state',
  'version',
  'published_version',
  'working',
  'published',
  'source_uri',
  'listed',
  'usage_count',
  'quality_score',
  'created_at',
  'updated_at',
  'published_at',
] as const;

/** The weighted text of an entry, already analysed into terms (A title, B keywords, C summary, D fields). */
export interface SearchText {
  a: string;
  b: string;
  c: string;
  d: string;
}

/** What search and facets read, derived from the published metadata. */
export interface IndexColumns {
  titleSort: string;
  openType: string;
  shareType: string;
  grade: string;
  facetTerms: string[];
  lastUpdate: string | null;
  updateCycle: string;
  text: SearchText;
}

function translate(error: unknown, what: string): never {
  const pgError = error as { code?: string; constraint?: string };
  if (pgError.code === '23505') {
    throw new ConflictError('CATALOG_DUPLICATE', `${what} already exists.`, {
      constraint: pgError.constraint ?? 'unique key',
    });
  }
  throw error;
}

function searchVector(text: SearchText): RawBuilder<unknown> {
  return sql`setweight(to_tsvector('simple', ${text.a}), 'A') || setweight(to_tsvector('simple', ${text.b}), 'B') || setweight(to_tsvector('simple', ${text.c}), 'C') || setweight(to_tsvector('simple', ${text.d}), 'D')`;
}

export const catalogRepository = {
  async nextSequence(db: Executor, prefix: string): Promise<number> {
    const row = await sql<{ last: number }>`
      INSERT INTO catalog_code_sequences (prefix, last) VALUES (${prefix}, 1)
      ON CONFLICT (prefix) DO UPDATE SET last = catalog_code_sequences.last + 1
      RETURNING last`.execute(db);
    return row.rows[0]!.last;
  },

  /** Keeps generated codes ahead of a code given by hand, so the generator never hands it out again. */
  async bumpSequence(db: Executor, prefix: string, atLeast: number): Promise<void> {
    await sql`
      INSERT INTO catalog_code_sequences (prefix, last) VALUES (${prefix}, ${atLeast})
      ON CONFLICT (prefix) DO UPDATE SET last = greatest(catalog_code_sequences.last, ${atLeast})`.execute(
      db,
    );
  },

  async insertEntry(
    db: Executor,
    row: {
      code: string;
      organization_id: string;
      metadata: EntryMetadata;
      source_uri: string | null;
      quality: number;
    },
  ): Promise<EntryRow> {
    try {
      return await db
        .insertInto('catalog_entries')
        .values({
          code: row.code,
          organization_id: row.organization_id,
          state: 'draft',
          version: 1,
          published_version: null,
          working: JSON.stringify(row.metadata),
          published: null,
          source_uri: row.source_uri,
          quality_score: row.quality,
          updated_at: new Date(),
          title_sort: null,
          open_type: null,
          share_type: null,
          grade: null,
          last_update: null,
          update_cycle: null,
          published_at: null,
        })
        .returning(ENTRY_COLUMNS)
        .executeTakeFirstOrThrow();
    } catch (error) {
      translate(
        error,
        `A catalog entry with resource code "${row.code}"${row.source_uri === null ? '' : ' or source'}`,
      );
    }
  },

  async entryById(db: Executor, id: string, forUpdate = false): Promise<EntryRow | undefined> {
    let query = db.selectFrom('catalog_entries').select(ENTRY_COLUMNS).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  },

  async entryByCode(db: Executor, code: string): Promise<EntryRow | undefined> {
    return db.selectFrom('catalog_entries').select(ENTRY_COLUMNS).where('code', '=', code).executeTakeFirst();
  },

  async entryBySource(db: Executor, sourceUri: string): Promise<EntryRow | undefined> {
    return db
      .selectFrom('catalog_entries')
      .select(ENTRY_COLUMNS)
      .where('source_uri', '=', sourceUri)
      .executeTakeFirst();
  },

  async entriesByIds(db: Executor, ids: string[]): Promise<EntryRow[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('catalog_entries').select(ENTRY_COLUMNS).where('id', 'in', ids).execute();
  },

  async entriesOfOrganization(
    db: Executor,
    organizationId: string,
    states?: EntryState[],
  ): Promise<EntryRow[]> {
    let query = db
      .selectFrom('catalog_entries')
      .select(ENTRY_COLUMNS)
      .where('organization_id', '=', organizationId)
      .orderBy('code');
    if (states !== undefined) query = query.where('state', 'in', states);
    return query.execute();
  },

  async saveWorking(
    db: Executor,
    id: string,
    change: { version: number; metadata: EntryMetadata; state: EntryState; quality: number; code?: string },
  ): Promise<void> {
    try {
      await db
        .updateTable('catalog_entries')
        .set({
          version: change.version,
          working: JSON.stringify(change.metadata),
          state: change.state,
          quality_score: change.quality,
          updated_at: new Date(),
          ...(change.code === undefined ? {} : { code: change.code }),
        })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      translate(error, `A catalog entry with resource code "${change.code ?? ''}"`);
    }
  },

  async setState(db: Executor, ids: string[], state: EntryState): Promise<void> {
    if (ids.length === 0) return;
    await db
      .updateTable('catalog_entries')
      .set({ state, updated_at: new Date() })
      .where('id', 'in', ids)
      .execute();
  },

  /** Makes a version the one readers get, and rebuilds what search reads from it. */
  async publish(
    db: Executor,
    id: string,
    version: number,
    metadata: EntryMetadata,
    index: IndexColumns,
  ): Promise<void> {
    await sql`
      UPDATE catalog_entries SET
        state = 'published',
        published_version = ${version},
        published = ${JSON.stringify(metadata)}::jsonb,
        listed = true,
        title_sort = ${index.titleSort},
        open_type = ${index.openType},
        share_type = ${index.shareType},
        grade = ${index.grade},
        facet_terms = ${index.facetTerms}::text[] || catalog_sample_terms(id),
        last_update = ${index.lastUpdate}::date,
        update_cycle = ${index.updateCycle},
        search = ${searchVector(index.text)} || catalog_sample_lexemes(id),
        updated_at = now(),
        published_at = coalesce(published_at, now())
      WHERE id = ${id}`.execute(db);
  },

  async retire(db: Executor, id: string): Promise<void> {
    await db
      .updateTable('catalog_entries')
      .set({ state: 'retired', listed: false, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  },

  async insertVersion(
    db: Executor,
    row: {
      entry_id: string;
      version: number;
      metadata: EntryMetadata;
      content_hash: string;
      ledger_index: number;
      action: string;
      actor: string;
    },
  ): Promise<void> {
    await db
      .insertInto('catalog_entry_versions')
      .values({
        ...row,
        metadata: JSON.stringify(row.metadata),
        ledger_index: String(row.ledger_index),
        published_at: null,
        publish_ledger_index: null,
      })
      .execute();
  },

  async versions(db: Executor, entryId: string) {
    return db
      .selectFrom('catalog_entry_versions')
      .select([
        'version',
        'content_hash',
        'ledger_index',
        'action',
        'actor',
        'created_at',
        'published_at',
        'publish_ledger_index',
      ])
      .where('entry_id', '=', entryId)
      .orderBy('version', 'desc')
      .execute();
  },

  async version(db: Executor, entryId: string, version: number) {
    return db
      .selectFrom('catalog_entry_versions')
      .selectAll()
      .where('entry_id', '=', entryId)
      .where('version', '=', version)
      .executeTakeFirst();
  },

  async markVersionPublished(
    db: Executor,
    entryId: string,
    version: number,
    ledgerIndex: number,
  ): Promise<void> {
    await db
      .updateTable('catalog_entry_versions')
      .set({ published_at: new Date(), publish_ledger_index: String(ledgerIndex) })
      .where('entry_id', '=', entryId)
      .where('version', '=', version)
      .execute();
  },

  /** The page, the total and the facet counts of a search (catalog.search-statements.ts). */
  search: searchEntries,

  /** Listed entries in code order, a batch at a time, for exports that must not hold the catalog in memory. */
  async listedBatch(
    db: Executor,
    visibility: Visibility,
    afterCode: string,
    limit: number,
    codes?: readonly string[],
  ): Promise<EntryRow[]> {
    const only = codes === undefined ? sql`` : sql` AND e.code = ANY(${[...codes]}::text[])`;
    const result = await sql<EntryRow>`
      SELECT ${sql.join(ENTRY_COLUMNS.map((c) => sql.ref(`e.${c}`)))}
      FROM catalog_entries e
      WHERE ${visibilitySql(visibility)} AND e.code > ${afterCode}${only}
      ORDER BY e.code LIMIT ${limit}`.execute(db);
    return result.rows;
  },

  /**
   * The facts of the entries with these codes, each with every publication of it (the open type that
   * version declared, and when it went out, in epoch milliseconds), oldest first: one round trip.
   */
  async openingHistory(db: Executor, codes: readonly string[]) {
    if (codes.length === 0) return [];
    const result = await sql<{
      id: string;
      code: string;
      organization_id: string;
      published: boolean;
      title: EntryMetadata['title'];
      open_type: EntryMetadata['openType'];
      share_type: EntryMetadata['shareType'];
      grade: EntryMetadata['grade'];
      publications: { openType: EntryMetadata['openType']; at: number }[];
    }>`
      SELECT e.id, e.code, e.organization_id, (e.listed AND e.published IS NOT NULL) AS published,
        coalesce(e.published, e.working) -> 'title' AS title,
        coalesce(e.published, e.working) ->> 'openType' AS open_type,
        coalesce(e.published, e.working) ->> 'shareType' AS share_type,
        coalesce(e.published, e.working) ->> 'grade' AS grade,
        coalesce((
          SELECT json_agg(json_build_object(
              'openType', v.metadata ->> 'openType',
              'at', (extract(epoch FROM v.published_at) * 1000)::float8
            ) ORDER BY v.published_at)
          FROM catalog_entry_versions v
          WHERE v.entry_id = e.id AND v.published_at IS NOT NULL
        ), '[]'::json) AS publications
      FROM catalog_entries e
      WHERE e.code = ANY(${[...codes]}::text[])`.execute(db);
    return result.rows;
  },

  async listedCount(db: Executor, visibility: Visibility): Promise<number> {
    const result = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM catalog_entries e WHERE ${visibilitySql(visibility)}`.execute(db);
    return Number(result.rows[0]!.n);
  },

  async countsByOrganization(db: Executor) {
    const result = await sql<{
      organization_id: string;
      listed: string;
      total: string;
      quality: number | null;
    }>`
      SELECT organization_id, count(*) FILTER (WHERE listed) AS listed, count(*) AS total,
             round(avg(quality_score) FILTER (WHERE state <> 'retired'))::int AS quality
      FROM catalog_entries GROUP BY organization_id`.execute(db);
    return result.rows;
  },

  // Submissions
  async insertSubmission(
    db: Executor,
    row: {
      organization_id: string;
      entries: { entryId: string; version: number }[];
      submitted_by: string;
      comment: string | null;
    },
  ) {
    return db
      .insertInto('catalog_submissions')
      .values({
        organization_id: row.organization_id,
        state: 'pending',
        entries: JSON.stringify(row.entries),
        comment: row.comment,
        review_comment: null,
        entry_comments: '[]',
        submitted_by: row.submitted_by,
        reviewed_by: null,
        reviewed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async submission(db: Executor, id: string, forUpdate = false) {
    let query = db.selectFrom('catalog_submissions').selectAll().where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  },

  async submissions(
    db: Executor,
    filter: { state?: string; organizationIds?: string[] },
    offset: number,
    limit: number,
  ) {
    let query = db.selectFrom('catalog_submissions').selectAll();
    if (filter.state !== undefined) query = query.where('state', '=', filter.state as 'pending');
    if (filter.organizationIds !== undefined) {
      if (filter.organizationIds.length === 0) return { items: [], total: 0 };
      query = query.where('organization_id', 'in', filter.organizationIds);
    }
    const items = await query.orderBy('submitted_at', 'asc').offset(offset).limit(limit).execute();
    const total = await query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return { items, total: Number(total.n) };
  },

  async reviewSubmission(
    db: Executor,
    id: string,
    change: {
      state: 'approved' | 'returned';
      reviewed_by: string;
      comment: string | null;
      entry_comments: { entryId: string; comment: string }[];
    },
  ): Promise<void> {
    await db
      .updateTable('catalog_submissions')
      .set({
        state: change.state,
        reviewed_by: change.reviewed_by,
        reviewed_at: new Date(),
        review_comment: change.comment,
        entry_comments: JSON.stringify(change.entry_comments),
      })
      .where('id', '=', id)
      .execute();
  },

  async lastReturnFor(db: Executor, entryId: string) {
    return sql<{
      id: string;
      comment: string | null;
      entry_comments: { entryId: string; comment: string }[];
      reviewed_at: Date;
    }>`
      SELECT id, review_comment AS comment, entry_comments, reviewed_at FROM catalog_submissions
      WHERE state = 'returned' AND entries @> ${JSON.stringify([{ entryId }])}::jsonb
      ORDER BY reviewed_at DESC LIMIT 1`
      .execute(db)
      .then((r) => r.rows[0]);
  },

  // Objections
  async insertObjection(
    db: Executor,
    row: {
      entry_id: string;
      organization_id: string;
      reporter_id: string;
      field: string | null;
      message: string;
    },
  ) {
    return db
      .insertInto('catalog_objections')
      .values({ ...row, state: 'open', response: null, answered_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async objection(db: Executor, id: string, forUpdate = false) {
    let query = db.selectFrom('catalog_objections').selectAll().where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  },

  async answerObjection(
    db: Executor,
    id: string,
    state: 'accepted' | 'rejected',
    response: string,
  ): Promise<void> {
    await db
      .updateTable('catalog_objections')
      .set({ state, response, answered_at: new Date() })
      .where('id', '=', id)
      .execute();
  },

  async objections(
    db: Executor,
    filter: { entryId?: string; organizationId?: string; state?: string; visibleTo?: Visibility },
    offset: number,
    limit: number,
  ) {
    let query = db.selectFrom('catalog_objections').selectAll();
    // Objections to entries the reader may not see are not theirs to read either.
    const visibleTo = filter.visibleTo;
    if (visibleTo !== undefined)
      query = query.where(
        sql<boolean>`EXISTS (SELECT 1 FROM catalog_entries e WHERE e.id = catalog_objections.entry_id AND ${visibilitySql(visibleTo)})`,
      );
    if (filter.entryId !== undefined) query = query.where('entry_id', '=', filter.entryId);
    if (filter.organizationId !== undefined)
      query = query.where('organization_id', '=', filter.organizationId);
    if (filter.state !== undefined) query = query.where('state', '=', filter.state as 'open');
    const items = await query.orderBy('created_at', 'desc').offset(offset).limit(limit).execute();
    const total = await query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return { items, total: Number(total.n) };
  },

  // Profile
  async latestProfile(db: Executor) {
    return db
      .selectFrom('catalog_profile_versions')
      .selectAll()
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  async insertProfile(
    db: Executor,
    row: { version: number; extension: ProfileExtension; created_by: string },
  ): Promise<void> {
    try {
      await db
        .insertInto('catalog_profile_versions')
        .values({ ...row, extension: JSON.stringify(row.extension) })
        .execute();
    } catch (error) {
      translate(error, `Profile version ${row.version}`);
    }
  },

  async saveLinkCheck(
    db: Executor,
    row: {
      entry_id: string;
      distribution_id: string;
      url: string;
      ok: boolean;
      status: number | null;
      error: string | null;
    },
  ): Promise<void> {
    await db
      .insertInto('catalog_link_checks')
      .values({ ...row, checked_at: new Date() })
      .onConflict((oc) =>
        oc.columns(['entry_id', 'distribution_id']).doUpdateSet({
          url: row.url,
          ok: row.ok,
          status: row.status,
          error: row.error,
          checked_at: new Date(),
        }),
      )
      .execute();
  },

  /** Broken links per entry, as of the latest check, for the entries given (all when undefined). */
  async brokenLinks(
    db: Executor,
    entryIds?: string[],
  ): Promise<
    Map<string, { distributionId: string; url: string; status: number | null; error: string | null }[]>
  > {
    let query = db
      .selectFrom('catalog_link_checks')
      .select(['entry_id', 'distribution_id', 'url', 'status', 'error'])
      .where('ok', '=', false);
    if (entryIds !== undefined) {
      if (entryIds.length === 0) return new Map();
      query = query.where('entry_id', 'in', entryIds);
    }
    const rows = await query.execute();
    const result = new Map<
      string,
      { distributionId: string; url: string; status: number | null; error: string | null }[]
    >();
    for (const r of rows) {
      const list = result.get(r.entry_id) ?? [];
      list.push({ distributionId: r.distribution_id, url: r.url, status: r.status, error: r.error });
      result.set(r.entry_id, list);
    }
    return result;
  },

  async setQuality(db: Executor, id: string, score: number): Promise<void> {
    await db.updateTable('catalog_entries').set({ quality_score: score }).where('id', '=', id).execute();
  },

  async addUsage(db: Executor, id: string, count: number): Promise<void> {
    await sql`UPDATE catalog_entries SET usage_count = usage_count + ${count} WHERE id = ${id}`.execute(db);
  },
};
