import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/database.ts';
import type { EntryMetadata, EntryState } from './catalog.model.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Who is reading: what the visibility rule needs. */
export interface Visibility {
  /** Sees every listed entry (operator, auditor, security officer). */
  all: boolean;
  /** Organisations whose own entries the reader sees whatever their open type. */
  ownOrganizations: string[];
  /** A member of a public institution sees not-open entries that are shared (Art. 17). */
  institutionMember: boolean;
}

/** A compiled condition over catalog_entries (alias `e`) produced by the search module. */
export type Condition = RawBuilder<boolean>;

/**
 * How far search counts and ranks exactly (ADR 0009). Entries fall in 256 sample buckets by their random id;
 * a query is first counted in one bucket, and when that says it matches more than `exactUpTo` entries, its
 * total and facets are estimated from a slice of whole buckets holding about `slice` matches, and relevance
 * ranks the matches slice by slice.
 */
export interface SearchSampling {
  exactUpTo: number;
  slice: number;
  /**
   * A first bucket holding fewer matches than this, and enough to say the search may be past `exactUpTo`,
   * has the first eight buckets counted too, and their mean chooses (a count of a few dozen is uneven from
   * one bucket to the next). 0 trusts the first bucket alone. Default 32.
   */
  steadyBelow?: number;
}

/** The default of `SearchSampling.steadyBelow`. */
const STEADY_BELOW = 32;

/**
 * Exact up to 2,000 matches: an exact search counts and ranks every match, about as much work as a sampled
 * search past that bound does for its slice, so no search costs much more than a sampled one.
 */
export const DEFAULT_SAMPLING: SearchSampling = { exactUpTo: 2_000, slice: 1_500, steadyBelow: STEADY_BELOW };

export interface SearchQuery {
  visibility: Visibility;
  conditions: Condition[];
  tsQuery: string | undefined;
  /** What relevance ranks by when it differs from the filter (CKAN queries filter in `conditions`). */
  rankQuery?: string | undefined;
  sort: 'relevance' | 'newest' | 'name' | 'usage';
  offset: number;
  limit: number;
  /** Values per facet; 0 computes no facets at all (CKAN clients that ask for none). */
  facetLimit: number;
  /** Count and rank every match however many there are; `conditions` must then be facet filters or none. */
  exact?: boolean;
  sampling?: SearchSampling;
  /**
   * Whether the database has a connection free at once (PostgreSQL's pool; never on PGlite): for a page past
   * the first sample bucket, the second bucket is then put in order on it while the probe counts the first
   * bucket and its facets on the search's own (deepPage). Asked right before,
   * so that a search never holds a connection while it waits for a second one (with every connection so held,
   * none would finish).
   */
  spareConnection?: () => boolean;
}

export interface SearchRow {
  id: string;
  code: string;
  organization_id: string;
  published: EntryMetadata;
  published_version: number;
  usage_count: string;
  quality_score: number;
  state: EntryState;
  updated_at: string;
  published_at: string;
  created_at: string;
  rank: number;
}

export interface SearchAnswer {
  total: number;
  rows: SearchRow[];
  facets: { term: string; count: number }[];
  /** The total and the facet counts are estimates from a sample of the matches. */
  approximate: boolean;
}

const BUCKETS = 256;
/** Tier t holds the buckets below 2^t; tier 8 would be every entry and has no term. */
const ALL = 8;
/** Every tier (0 to 7) has search and facet indexes of its own (migrations 202612050100 and 202612070100). */
const INDEXED_TIERS = ALL;
/** Buckets 1 to 15 have a lexeme of their own, `qa<b>` (migration 202612060100); bucket 0 is tier 0. */
const BUCKET_LEXEMES = 16;

export function visibilitySql(v: Visibility): RawBuilder<boolean> {
  if (v.all) return sql<boolean>`e.listed`;
  const own =
    v.ownOrganizations.length === 0
      ? sql`false`
      : sql`e.organization_id = ANY(${v.ownOrganizations}::uuid[])`;
  const shared = v.institutionMember ? sql`e.share_type <> 'not_shared'` : sql`false`;
  return sql<boolean>`e.listed AND (e.open_type <> 'not_open' OR ${own} OR ${shared})`;
}

/** The open classes of catalog_facet_counts a reader sees (alias `f`), as the visibility rule says. */
function facetClassesSql(v: Visibility): RawBuilder<boolean> {
  if (v.all) return sql<boolean>`true`;
  const own =
    v.ownOrganizations.length === 0
      ? sql`false`
      : sql`f.organization_id = ANY(${v.ownOrganizations}::uuid[])`;
  const shared = v.institutionMember ? sql`f.open_class = 1` : sql`false`;
  return sql<boolean>`(f.open_class = 0 OR ${shared} OR ${own})`;
}

function pageOrder(sort: SearchQuery['sort'], ranked: boolean, alias: string): RawBuilder<unknown> {
  const a = sql.raw(alias);
  if (sort === 'name') return sql`${a}.title_sort ASC, ${a}.id`;
  if (sort === 'usage') return sql`${a}.usage_count DESC, ${a}.id`;
  if (sort === 'relevance' && ranked) return sql`${a}.rank DESC, ${a}.published_at DESC, ${a}.id`;
  return sql`${a}.published_at DESC, ${a}.id`;
}

/** Slice by slice, then by relevance within a slice (the order of a sampled relevance search). */
function slicedOrder(alias: string): RawBuilder<unknown> {
  const a = sql.raw(alias);
  return sql`${a}.slice, ${a}.rank DESC, ${a}.published_at DESC, ${a}.id`;
}

const ROW_JSON = sql`json_build_object(
  'id', e.id, 'code', e.code, 'organization_id', e.organization_id, 'published', e.published,
  'published_version', e.published_version, 'usage_count', e.usage_count::text,
  'quality_score', e.quality_score, 'state', e.state, 'updated_at', e.updated_at,
  'published_at', e.published_at, 'created_at', e.created_at, 'rank', page.rank)`;

/**
 * How many sample terms an entry of each bucket carries, one per tier it is in: the repository appends
 * them after the facet terms, so the facet terms alone are all but that many last ones.
 */
const tiersOf = (bucket: number) =>
  Array.from({ length: ALL }, (_, tier) => bucket < 2 ** tier).filter(Boolean).length;
const SAMPLE_TERM_COUNTS = sql.raw(
  `'{${Array.from({ length: BUCKETS }, (_, bucket) => tiersOf(bucket)).join(',')}}'::int[]`,
);

/**
 * The facet terms of entry `e` without its sample terms, cut off by position rather than tested term by
 * term: in the first buckets, where the facets of a sample are counted, they are a third of the terms.
 */
const FACET_TERMS = sql`e.facet_terms[:cardinality(e.facet_terms) - (${SAMPLE_TERM_COUNTS})[catalog_sample_bucket(e.id) + 1]]`;

/**
 * The top `limit` values of every facet over the terms of `source` (a CTE with a `facet_terms` column
 * holding `FACET_TERMS`), each count multiplied by `scale` (a sample's counts scaled to the whole; a
 * number, or an SQL expression when the statement decides it).
 * `unnest` in the select list rather than as a lateral function scan: half the time per term.
 */
function facetsSql(source: string, limit: number, scale: number | RawBuilder<number>): RawBuilder<unknown> {
  if (limit === 0) return sql`NULL::json`;
  const factor = typeof scale === 'number' ? sql`${scale}::int` : sql`(${scale})`;
  return sql`(SELECT json_agg(json_build_object('term', term, 'count', count)) FROM (
      SELECT term, count, row_number() OVER (PARTITION BY split_part(term, ':', 1) ORDER BY count DESC, term) AS n
      FROM (
        SELECT t AS term, round(count(*) * ${factor})::int AS count
        FROM (SELECT unnest(src.facet_terms) AS t FROM ${sql.table(source)} AS src) AS u GROUP BY t
      ) AS counted
    ) AS r WHERE n <= ${limit})`;
}

/**
 * A second draw from entry `e`'s random id, independent of its bucket (the last byte): the byte before it.
 * The matches of a sample whose share is below x are a uniform part of it, x / 256 of the sample.
 */
const SHARE = sql`get_byte(uuid_send(e.id), 14)`;

/**
 * How many matches a sample's facets are counted on, at least: a slice's worth (`slice` / √2, the least a
 * slice holds), and never under what the first bucket holds at the exact bound.
 */
function facetPartThreshold(sampling: SearchSampling): number {
  return Math.max(sampling.slice / Math.SQRT2, sampling.exactUpTo / BUCKETS);
}

/**
 * Two CTEs over a sample of `n` matches held in CTE `source` (with `share` and `facet_terms` columns):
 * `cut`, the share below which a match's facets are counted (256, all of them, when the sample holds
 * `threshold` matches or fewer; else the least x for which x / 256 of the sample is `threshold` or more), and
 * `part`, the facet terms of those rows (`where` picks the sample's rows out of `source`). Counting the
 * terms of a match costs more than reading it, so every sample has its facets counted on about a slice's
 * worth, however many matches it came out holding, and scaled by 256 / x more.
 */
function facetPartSql(
  source: string,
  n: RawBuilder<number>,
  threshold: number,
  where: RawBuilder<boolean> = sql<boolean>`true`,
): RawBuilder<unknown> {
  const src = sql.table(source);
  return sql`cut AS (
      SELECT CASE WHEN s.n > ${threshold}::float8
        THEN greatest(1, ceil(${BUCKETS}::float8 * ${threshold}::float8 / s.n))::int ELSE ${BUCKETS}::int END AS x
      FROM (SELECT (${n}) AS n) AS s
    ),
    part AS (SELECT src.facet_terms FROM ${src} AS src, cut WHERE ${where} AND src.share < cut.x)`;
}

/** The scale of the facets counted on `part`: `scale` for the whole sample, 256 / x more for the part. */
const partScale = (scale: number) =>
  sql<number>`SELECT ${scale}::float8 * ${BUCKETS}::float8 / cut.x FROM cut`;

const isPowerOfTwo = (n: number) => Number.isInteger(Math.log2(n));

/** Buckets `from` .. `to` - 1 (all below BUCKET_LEXEMES) as their lexemes: `qb0` for bucket 0, `qa<b>` else. */
function listedBuckets(from: number, to: number): string {
  const buckets = Array.from({ length: to - from }, (_, i) => from + i);
  return `( ${buckets.map((b) => (b === 0 ? "'qb0'" : `'qa${b}'`)).join(' | ')} )`;
}

/**
 * The tsquery terms that hold a match to the buckets `from` .. `to` - 1. Within the first sixteen buckets, a
 * window from 0 to a power of two is a tier (`qb<t>`) and any other lists its buckets. A window that ends
 * past them ends at a tier, and leaves out the buckets below `from`: the tier under it (`!qb<k>`) and, when
 * `from` is no power of two, the buckets between that tier and `from`.
 */
export function bucketTerms(from: number, to: number): string[] {
  if (to <= BUCKET_LEXEMES && !(from === 0 && isPowerOfTwo(to))) return [listedBuckets(from, to)];
  const terms = to < BUCKETS ? [`'qb${Math.log2(to)}'`] : [];
  if (from > 0) {
    const tierBelow = Math.floor(Math.log2(from));
    terms.push(`!'qb${tierBelow}'`);
    if (2 ** tierBelow < from) terms.push(`!${listedBuckets(2 ** tierBelow, from)}`);
  }
  return terms;
}

/**
 * The query's conditions restricted to the buckets `from` .. `to` - 1 (every bucket when they are 0 and
 * BUCKETS). The query names the smallest tier that holds the window by its bound, as a constant, so that
 * the planner takes that tier's own indexes; the buckets the tier holds beyond the window go into the same
 * GIN lookup as the text, so the index intersects them. A window that ends at its tier's bound needs no
 * lexeme for it: every entry of the tier's index holds it, and intersecting the text's posting lists with
 * its own (an eighth to a half of the catalog for tiers 5 to 7) cost more than the rest of the lookup.
 * Without a text, only tiers (0 to a power of two) can be named, by their facet term, which keeps a GIN
 * lookup possible whatever the other conditions are.
 */
function windowSql(q: SearchQuery, from: number, to: number): RawBuilder<boolean> {
  const where: RawBuilder<boolean>[] = [visibilitySql(q.visibility), ...q.conditions];
  const tier = Math.ceil(Math.log2(to));
  const indexed = tier < INDEXED_TIERS;
  if (q.tsQuery !== undefined) {
    const implied = indexed && to === 2 ** tier ? `'qb${tier}'` : undefined;
    const terms = bucketTerms(from, to).filter((term) => term !== implied);
    const query = [`(${q.tsQuery})`, ...terms].join(' & ');
    where.push(sql<boolean>`e.search @@ to_tsquery('simple', ${query})`);
  } else if (to < BUCKETS) {
    if (from !== 0 || !isPowerOfTwo(to)) throw new Error(`buckets ${from} to ${to - 1} are not a tier`);
    where.push(sql<boolean>`e.facet_terms && ${[`s:${tier}`]}::text[]`);
  }
  if (indexed) where.push(sql<boolean>`catalog_sample_bucket(e.id) < ${sql.lit(2 ** tier)}`);
  return sql<boolean>`${sql.join(where, sql` AND `)}`;
}

/** The query's conditions, restricted to sample tier `tier` (the buckets below 2^tier; ALL is every one). */
function matchSql(q: SearchQuery, tier: number): RawBuilder<boolean> {
  return windowSql(q, 0, 2 ** tier);
}

type Rows = { rows: SearchRow[] | null; facets: { term: string; count: number }[] | null };

/**
 * Browsing without query or filter: the page comes from an index in the chosen order, and the total and the
 * facets from the counts the triggers keep, instead of counting every listed entry.
 */
async function browse(db: Executor, q: SearchQuery): Promise<SearchAnswer> {
  const result = await sql<Rows & { total: string | null }>`
    WITH f AS (
      SELECT f.term, sum(f.n)::int AS count FROM catalog_facet_counts f
      WHERE ${facetClassesSql(q.visibility)} GROUP BY f.term HAVING sum(f.n) > 0
    ),
    page AS (
      SELECT e.id, 0::real AS rank, e.title_sort, e.usage_count, e.published_at FROM catalog_entries e
      WHERE ${visibilitySql(q.visibility)}
      ORDER BY ${pageOrder(q.sort, false, 'e')} LIMIT ${q.limit} OFFSET ${q.offset}
    )
    SELECT
      (SELECT sum(count) FROM f WHERE starts_with(term, 'o:')) AS total,
      (SELECT json_agg(${ROW_JSON} ORDER BY ${pageOrder(q.sort, false, 'page')})
        FROM page JOIN catalog_entries e ON e.id = page.id) AS rows,
      (SELECT json_agg(json_build_object('term', term, 'count', count)) FROM (
        SELECT term, count, row_number() OVER (PARTITION BY split_part(term, ':', 1) ORDER BY count DESC, term) AS n
        FROM f
      ) AS r WHERE n <= ${q.facetLimit}) AS facets
  `.execute(db);
  const row = result.rows[0]!;
  return {
    total: Number(row.total ?? 0),
    rows: row.rows ?? [],
    facets: q.facetLimit === 0 ? [] : (row.facets ?? []),
    approximate: false,
  };
}

function rankSql(q: SearchQuery): RawBuilder<unknown> {
  const rankQuery = q.rankQuery ?? q.tsQuery;
  // The title and keyword terms only: the whole document vector is kept out of line and costs a read per match.
  // ts_rank also weighs how close the words are; ts_rank_cd took three times as long (5 µs a match).
  return rankQuery === undefined
    ? sql`0::real`
    : sql`ts_rank(e.rank_vector, to_tsquery('simple', ${rankQuery}))`;
}

function isRanked(q: SearchQuery): boolean {
  return q.sort === 'relevance' && (q.rankQuery ?? q.tsQuery) !== undefined;
}

/** Every match materialised, counted and ranked. */
async function exactSearch(db: Executor, q: SearchQuery): Promise<SearchAnswer> {
  const ranked = isRanked(q);
  const result = await sql<Rows & { total: string }>`
    WITH m AS MATERIALIZED (
      SELECT e.id, ${q.facetLimit === 0 ? sql`NULL::text[]` : FACET_TERMS} AS facet_terms, e.title_sort, e.usage_count, e.published_at,
        ${rankSql(q)} AS rank
      FROM catalog_entries e
      WHERE ${matchSql(q, ALL)}
    ),
    page AS (
      SELECT m.id, m.rank, m.title_sort, m.usage_count, m.published_at FROM m
      ORDER BY ${pageOrder(q.sort, ranked, 'm')} LIMIT ${q.limit} OFFSET ${q.offset}
    )
    SELECT
      (SELECT count(*) FROM m) AS total,
      (SELECT json_agg(${ROW_JSON} ORDER BY ${pageOrder(q.sort, ranked, 'page')})
        FROM page JOIN catalog_entries e ON e.id = page.id) AS rows,
      ${facetsSql('m', q.facetLimit, 1)} AS facets
  `.execute(db);
  const row = result.rows[0]!;
  return { total: Number(row.total), rows: row.rows ?? [], facets: row.facets ?? [], approximate: false };
}

type Facet = { term: string; count: number };

/**
 * What counting the query in the first bucket told: how many it holds, how many a bucket holds on average
 * as far as the probe can tell and, when the probe ran the query itself (no prefix taken whole) and found
 * enough matches for the bucket to be a slice of its own, the bucket's facet counts scaled to the whole, so
 * that no later statement reads the bucket again for them.
 */
interface Probe {
  /** The matches in the first bucket. */
  n: number;
  /** Matches per bucket: `n`, or the mean of the first eight buckets when the first held few (steadyCountSql). */
  perBucket: number;
  facets: Facet[] | undefined;
}

/** Tier 3: the first eight buckets, whose mean count is steady to about a tenth for such a query. */
const STEADY_TIER = 3;

/**
 * The matches in tier STEADY_TIER when the first bucket's count `n` (an SQL expression) is under
 * `steadyBelow` and says the search may be past the exact bound (a quarter of it or more, scaled); NULL, and
 * nothing read, when it is not. 公交 at a million entries has 16 matches in the first bucket against 24.5 on
 * average: its slice came out twice as large as it should.
 */
function steadyCountSql(
  q: SearchQuery,
  n: RawBuilder<number>,
  sampling: SearchSampling,
): RawBuilder<unknown> {
  const below = sampling.steadyBelow ?? STEADY_BELOW;
  if (below <= 0) return sql`NULL::int`;
  return sql`CASE WHEN (${n}) < ${below}::int AND (${n}) * ${BUCKETS * 4}::int > ${sampling.exactUpTo}::int
    THEN (SELECT count(*)::int FROM catalog_entries e WHERE ${matchSql(q, STEADY_TIER)}) END`;
}

function probeOf(n: number, steady: number | null, facets: Facet[] | undefined): Probe {
  return { n, perBucket: steady === null ? n : steady / 2 ** STEADY_TIER, facets };
}

async function probeFirstBucket(db: Executor, q: SearchQuery, sampling: SearchSampling): Promise<Probe> {
  // Prefix terms are taken whole for this count: a prefix lookup reads every lexeme that starts with it,
  // which would cost the probe as much as the search, and the estimate only chooses between counting
  // everything and counting a sample.
  const prefixed = q.tsQuery?.includes("':*") === true;
  if (prefixed || q.facetLimit === 0) {
    const probeQuery = prefixed ? { ...q, tsQuery: q.tsQuery!.replaceAll("':*", "'") } : q;
    const counted = await sql<{ n: number; steady: number | null }>`
      WITH p AS (SELECT count(*)::int AS n FROM catalog_entries e WHERE ${matchSql(probeQuery, 0)})
      SELECT p.n, ${steadyCountSql(probeQuery, sql<number>`p.n`, sampling)} AS steady FROM p`.execute(db);
    const { n, steady } = counted.rows[0]!;
    return probeOf(n, steady, prefixed ? undefined : []);
  }
  // Past this many matches in the bucket, the search is sampled and its first slice is this bucket alone
  // (the slice tier rounds to 0): the facets of the rows just read are the ones it shows, counted on a part
  // of the bucket holding about that many (facetPartSql).
  const threshold = facetPartThreshold(sampling);
  const counted = await sql<{ n: number; steady: number | null; facets: Facet[] | null }>`
    WITH p AS MATERIALIZED (
      SELECT ${SHARE} AS share, ${FACET_TERMS} AS facet_terms FROM catalog_entries e WHERE ${matchSql(q, 0)}
    ),
    n AS (SELECT count(*)::int AS n FROM p),
    ${facetPartSql('p', sql<number>`SELECT n.n FROM n`, threshold)}
    SELECT n.n, ${steadyCountSql(q, sql<number>`n.n`, sampling)} AS steady,
      CASE WHEN n.n > ${threshold}::float8 THEN ${facetsSql('part', q.facetLimit, partScale(BUCKETS))} END AS facets
    FROM n`.execute(db);
  const { n, steady, facets } = counted.rows[0]!;
  return probeOf(n, steady, n > threshold ? (facets ?? []) : undefined);
}

/**
 * One window of a sliced relevance search: the matches of the buckets `from` .. `to` - 1, ordered slice by
 * slice (a slice is 2^sliceTier buckets) and by rank within a slice; the page takes `limit` of them from the
 * `skip`-th on, and `matched` counts them all. The facets are counted on the first slice when `facets` asks
 * for them, on a part of it holding about a slice's worth (facetPartSql).
 */
interface SliceWindow {
  sliceTier: number;
  /** Past this many matches, the first slice's facets are counted on a part of it (`facetPartSql`). */
  facetThreshold: number;
  from: number;
  to: number;
  skip: number;
  limit: number;
  facets: boolean;
}

async function slicedWindow(
  db: Executor,
  q: SearchQuery,
  w: SliceWindow,
): Promise<{ rows: SearchRow[]; facets: Facet[] | undefined; matched: number }> {
  const facetLimit = w.facets ? q.facetLimit : 0;
  const slice = sql`catalog_sample_bucket(e.id) >> ${w.sliceTier}`;
  const result = await sql<Rows & { matched: string | null }>`
    WITH m AS MATERIALIZED (
      SELECT e.id, e.published_at, ${slice} AS slice, ${rankSql(q)} AS rank,
        -- Facets are counted on the first slice only: the other rows carry no terms (unnest of NULL is none).
        ${facetLimit === 0 ? sql`NULL::text[]` : sql`CASE WHEN ${slice} = 0 THEN ${FACET_TERMS} END`} AS facet_terms,
        ${facetLimit === 0 ? sql`NULL::int` : SHARE} AS share
      FROM catalog_entries e
      WHERE ${windowSql(q, w.from, w.to)}
    ),
    -- Only the slices the page overlaps are sorted; the ones before it are only counted.
    slices AS MATERIALIZED (
      SELECT m.slice, count(*) AS n, sum(count(*)) OVER (ORDER BY m.slice) - count(*) AS before
      FROM m GROUP BY m.slice
    ),
    ${facetPartSql('m', sql<number>`SELECT coalesce(sum(s.n), 0) FROM slices s WHERE s.slice = 0`, w.facetThreshold, sql<boolean>`src.slice = 0`)},
    page AS (
      SELECT m.id, m.rank, m.slice, m.published_at FROM m
      WHERE m.slice IN (
        SELECT s.slice FROM slices s WHERE s.before < ${w.skip + w.limit} AND s.before + s.n > ${w.skip}
      )
      ORDER BY ${slicedOrder('m')}
      LIMIT ${w.limit}
      OFFSET ${w.skip} - coalesce((SELECT min(s.before) FROM slices s WHERE s.before + s.n > ${w.skip}), 0)
    )
    SELECT
      (SELECT sum(s.n) FROM slices s) AS matched,
      (SELECT json_agg(${ROW_JSON} ORDER BY ${slicedOrder('page')})
        FROM page JOIN catalog_entries e ON e.id = page.id) AS rows,
      ${facetsSql('part', facetLimit, partScale(2 ** (ALL - w.sliceTier)))} AS facets
  `.execute(db);
  const row = result.rows[0]!;
  return {
    matched: Number(row.matched ?? 0),
    rows: row.rows ?? [],
    facets: w.facets ? (row.facets ?? []) : undefined,
  };
}

/**
 * Relevance over many matches: ordered slice by slice and by rank within a slice, read one window of
 * buckets at a time until the page is full. A window holds whole slices, and the matches of the windows
 * before it are only counted, so a deep page ranks the slices around it and no others. Within the first
 * sixteen buckets a window holds just the buckets expected to reach the end of the page; past them it ends
 * at the next tier. When the probe counted the first bucket and it is a slice of its own, a page past it
 * starts from the second. The total is scaled from every bucket read.
 */
async function slicedSearch(
  db: Executor,
  q: SearchQuery,
  sliceTier: number,
  probe: Probe,
  facetThreshold: number,
): Promise<SearchAnswer> {
  const needed = q.offset + q.limit;
  const slice = 2 ** sliceTier;
  let facets = sliceTier === 0 ? probe.facets : undefined;
  let from = 0;
  let before = 0;
  if (facets !== undefined && q.offset >= probe.n) {
    from = 1;
    before = probe.n;
  }
  const rows: SearchRow[] = [];
  for (;;) {
    // The smallest window expected to reach the end of the page, one bucket holding about what the first
    // holds; a window that falls short is followed by the next.
    let to = from + slice;
    while (to < BUCKETS && before + probe.perBucket * (to - from) < needed) to += slice;
    // Past the buckets with lexemes of their own, a window ends at a tier; it then starts at one too, since
    // the window before it ended at a tier or within the first sixteen buckets.
    if (to > BUCKET_LEXEMES) to = 2 ** Math.ceil(Math.log2(to));
    const part = await slicedWindow(db, q, {
      sliceTier,
      facetThreshold,
      from,
      to,
      skip: Math.max(0, q.offset - before),
      limit: q.limit - rows.length,
      facets: facets === undefined,
    });
    rows.push(...part.rows);
    facets ??= part.facets ?? [];
    before += part.matched;
    if (before >= needed || to === BUCKETS) {
      return {
        total: Math.max(Math.round((before * BUCKETS) / to), q.offset + rows.length),
        rows,
        facets,
        approximate: true,
      };
    }
    from = to;
  }
}

/**
 * Another order over many matches (newest, name, most used): the page is exact, from the sort's index; the
 * total and the facets are scaled from the matches of sample tier `sampleTier` (the facets from a part of
 * them holding about a slice's worth), or are the probe's when that tier is the bucket it counted.
 */
async function sampledSearch(
  db: Executor,
  q: SearchQuery,
  sampleTier: number,
  probe: Probe,
  facetThreshold: number,
): Promise<SearchAnswer> {
  const counted = sampleTier === 0 ? probe.facets : undefined;
  const sample =
    counted === undefined
      ? sql`s AS MATERIALIZED (
          SELECT ${SHARE} AS share, ${FACET_TERMS} AS facet_terms FROM catalog_entries e WHERE ${matchSql(q, sampleTier)}
        ),
        ${facetPartSql('s', sql<number>`SELECT count(*) FROM s`, facetThreshold)},`
      : sql``;
  const result = await sql<Rows & { sampled: string }>`
    WITH ${sample}
    page AS (
      SELECT e.id, 0::real AS rank, e.title_sort, e.usage_count, e.published_at FROM catalog_entries e
      WHERE ${matchSql(q, ALL)}
      ORDER BY ${pageOrder(q.sort, false, 'e')} LIMIT ${q.limit} OFFSET ${q.offset}
    )
    SELECT
      ${counted === undefined ? sql`(SELECT count(*) FROM s)` : sql`${probe.n}::bigint`} AS sampled,
      (SELECT json_agg(${ROW_JSON} ORDER BY ${pageOrder(q.sort, false, 'page')})
        FROM page JOIN catalog_entries e ON e.id = page.id) AS rows,
      ${counted === undefined ? facetsSql('part', q.facetLimit, partScale(2 ** (ALL - sampleTier))) : sql`NULL::json`} AS facets
  `.execute(db);
  const row = result.rows[0]!;
  const rows = row.rows ?? [];
  return {
    total: Math.max(Number(row.sampled) * 2 ** (ALL - sampleTier), q.offset + rows.length),
    rows,
    facets: counted ?? row.facets ?? [],
    approximate: true,
  };
}

/**
 * A search: the page, the total and the facet counts, exact up to `sampling.exactUpTo` matches and
 * estimated from a sample past it (ADR 0009).
 */
export async function searchEntries(db: Executor, q: SearchQuery): Promise<SearchAnswer> {
  const rankQuery = q.rankQuery ?? q.tsQuery;
  if (q.conditions.length === 0 && q.tsQuery === undefined && rankQuery === undefined) return browse(db, q);
  const settings = sql.raw(searchSettingsSql(q.tsQuery !== undefined));
  const search = async (trx: Executor, beside: Beside | undefined) =>
    matchingSearch(
      trx,
      q.tsQuery?.includes("':*") === true ? { ...q, tsQuery: await spellOutPrefixes(trx, q.tsQuery) } : q,
      beside,
    );
  // Within the caller's transaction, a second connection would not see what it wrote.
  if (db.isTransaction) return search(db, undefined);
  const spare = q.spareConnection;
  const beside: Beside | undefined =
    spare === undefined
      ? undefined
      : (work) =>
          spare()
            ? db.transaction().execute(async (trx) => {
                await settings.execute(trx);
                return work(trx);
              })
            : undefined;
  return db.transaction().execute(async (trx) => {
    await settings.execute(trx);
    return search(trx, beside);
  });
}

/**
 * Runs statements in a transaction of their own, with the search's settings, beside the search's own; or
 * returns undefined at once when no connection is free for it.
 */
type Beside = <T>(work: (trx: Executor) => Promise<T>) => Promise<T> | undefined;

/**
 * The settings of a search's transaction, in one statement (`set_config(…, true)` is `SET LOCAL`):
 * - JIT off: these statements look costly to the planner, which would compile them for more time than they
 *   take to run: tens of milliseconds per search on PostgreSQL servers with JIT on, as by default.
 * - For a text query, sequential scans off: the planner does not count what testing `search @@` costs on a
 *   row whose vector is kept out of line (TOAST), and read a small catalog whole for a common word (信息 at
 *   10,000 entries: 70 ms, against 31 ms through the GIN index). A text query always has a GIN lookup.
 */
export function searchSettingsSql(text: boolean): string {
  return text
    ? "SELECT set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true)"
    : "SELECT set_config('jit', 'off', true)";
}

/** A prefix word is spelt out as its lexemes when it stands for at most this many; past it, it stays a prefix. */
const SPELT_OUT = 32;

/**
 * The query with each prefix word (`'bus':*`) replaced by the lexemes of the search vocabulary that start
 * with it (`( 'bus' | 'buses' )`), when they are few. It matches the same entries: the vocabulary holds
 * every lexeme of every listed entry. The GIN lookup of whole lexemes skips through the posting lists; a
 * prefix lookup builds a bitmap from every posting list that starts with the prefix: 11 ms against 3 ms for
 * "bus station" at a million entries. (No query word starts like a sample lexeme: encodeTerm writes a word
 * that starts with q as qq….)
 */
async function spellOutPrefixes(db: Executor, tsQuery: string): Promise<string> {
  const prefix = /'([^']*)':\*/g;
  const prefixes = [...new Set(Array.from(tsQuery.matchAll(prefix), (m) => m[1]!))];
  const found = await sql<{ prefix: string; lexemes: string[] }>`
    SELECT p AS prefix, ARRAY(
      SELECT v.lexeme FROM catalog_search_lexemes v
      -- Lexemes are ASCII letters and digits (encodeTerm): "~" sorts after all of them.
      WHERE v.lexeme >= p COLLATE "C" AND v.lexeme < (p || '~') COLLATE "C"
      ORDER BY v.lexeme LIMIT ${SPELT_OUT + 1}) AS lexemes
    FROM unnest(${prefixes}::text[]) AS p`.execute(db);
  const lexemesOf = new Map(found.rows.map((r) => [r.prefix, r.lexemes]));
  const quote = (lexeme: string) => `'${lexeme.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  return tsQuery.replace(prefix, (word, start: string) => {
    const lexemes = lexemesOf.get(start) ?? [];
    if (lexemes.length > SPELT_OUT) return word;
    // No lexeme starts with it: as a whole word it matches nothing, as the prefix did.
    if (lexemes.length === 0) return quote(start);
    return `( ${lexemes.map(quote).join(' | ')} )`;
  });
}

/** Exact, or estimated from a sample when the first bucket says the matches are many. */
async function matchingSearch(
  db: Executor,
  q: SearchQuery,
  beside: Beside | undefined,
): Promise<SearchAnswer> {
  // A separate rank query comes with CKAN's structured queries, whose conditions need not be facet filters.
  if (q.exact === true || q.rankQuery !== undefined) return exactSearch(db, q);
  const sampling = q.sampling ?? DEFAULT_SAMPLING;
  const facetThreshold = facetPartThreshold(sampling);
  let probe: Probe | undefined;
  if (beside !== undefined && isRanked(q) && q.facetLimit > 0 && q.offset > facetThreshold) {
    const deep = await deepPage(db, q, sampling, beside);
    if (deep?.answer !== undefined) return deep.answer;
    probe = deep?.probe;
  }
  // How many matches a bucket holds tells how many there are.
  probe ??= await probeFirstBucket(db, q, sampling);
  if (probe.perBucket * BUCKETS <= sampling.exactUpTo) return exactSearch(db, q);
  const sliceTier = sliceTierOf(probe, sampling);
  if (sliceTier === ALL) return exactSearch(db, q);
  if (!isRanked(q)) return sampledSearch(db, q, sliceTier, probe, facetThreshold);
  return slicedSearch(db, q, sliceTier, probe, facetThreshold);
}

/** The tier whose slices (2^tier buckets) hold about `sampling.slice` matches. */
function sliceTierOf(probe: Probe, sampling: SearchSampling): number {
  return Math.min(ALL, Math.max(0, Math.round(Math.log2(sampling.slice / probe.perBucket))));
}

/**
 * A relevance page past the first bucket, when the first bucket is a slice of its own (many matches), on
 * PostgreSQL with a connection free. Ranked one after the other, the probe (the first bucket's count and
 * facets) and the window that ranks the page from the second bucket take about 12 ms each at a million
 * entries, and the window needs only the probe's count, to know where in the second bucket the page starts.
 * So the second bucket's matches are put in page order beside the probe, in a transaction of their own, as
 * ids only; the page is then cut from them and its rows read by id. The answer is the one slicedSearch would
 * give: when the probe says that search would read another window than the second bucket alone, or the page
 * does not end within it, the probe is handed back and the search goes on as usual.
 */
async function deepPage(
  db: Executor,
  q: SearchQuery,
  sampling: SearchSampling,
  beside: Beside,
): Promise<{ answer?: SearchAnswer; probe?: Probe } | undefined> {
  // A prefix is counted whole by the probe, which then counts no facets: that search takes another path.
  if (q.tsQuery?.includes("':*") === true) return undefined;
  const ordered = beside((trx) => bucketInPageOrder(trx, q, 1));
  if (ordered === undefined) return undefined;
  // Awaited below unless the probe fails first: then its own failure, if any, is not the one reported.
  ordered.catch(() => undefined);
  const probe = await probeFirstBucket(db, q, sampling);
  const ids = await ordered;
  const needed = q.offset + q.limit;
  const skip = q.offset - probe.n;
  const secondBucketOnly =
    probe.perBucket * BUCKETS > sampling.exactUpTo &&
    sliceTierOf(probe, sampling) === 0 &&
    probe.facets !== undefined &&
    skip >= 0 &&
    // slicedSearch's first window past the first bucket is the second bucket alone, and the page ends in it.
    probe.n + probe.perBucket >= needed &&
    probe.n + ids.length >= needed;
  if (!secondBucketOnly) return { probe };
  const rows = await rowsInOrder(db, q, ids.slice(skip, skip + q.limit));
  const before = probe.n + ids.length;
  return {
    answer: {
      total: Math.max(Math.round((before * BUCKETS) / 2), q.offset + rows.length),
      rows,
      facets: probe.facets ?? [],
      approximate: true,
    },
  };
}

/** The ids of the matches in sample bucket `bucket`, in page order (by rank, newest first, id). */
async function bucketInPageOrder(db: Executor, q: SearchQuery, bucket: number): Promise<string[]> {
  const result = await sql<{ ids: string[] | null }>`
    SELECT array_agg(m.id ORDER BY ${slicedOrder('m')}) AS ids FROM (
      SELECT e.id, e.published_at, 0 AS slice, ${rankSql(q)} AS rank
      FROM catalog_entries e WHERE ${windowSql(q, bucket, bucket + 1)}
    ) m`.execute(db);
  return result.rows[0]?.ids ?? [];
}

/** The rows of entries `ids`, in that order, with their rank. */
async function rowsInOrder(db: Executor, q: SearchQuery, ids: string[]): Promise<SearchRow[]> {
  if (ids.length === 0) return [];
  const result = await sql<Rows>`
    SELECT json_agg(${ROW_JSON} ORDER BY page.ord) AS rows
    FROM catalog_entries e
    JOIN unnest(${ids}::uuid[]) WITH ORDINALITY AS p(id, ord) ON p.id = e.id
    CROSS JOIN LATERAL (SELECT p.ord, ${rankSql(q)} AS rank) AS page`.execute(db);
  return result.rows[0]?.rows ?? [];
}
