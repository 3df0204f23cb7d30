// Search past the exact bound (ADR 0007): estimated totals and facets, relevance slice by slice, pages that
// still list every match once, and the sample terms kept out of what readers see.
import { Kysely, PostgresDialect, type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../src/kernel/auth/index.ts';
import type { Database } from '../src/kernel/db/index.ts';
import { facetCondition } from '../src/modules/catalog/catalog.search-sql.ts';
import {
  bucketTerms,
  type SearchSampling,
  searchEntries,
} from '../src/modules/catalog/catalog.search-statements.ts';
import { type CatalogOrganization, createCatalogService } from '../src/modules/catalog/index.ts';
import { buildTsQuery, indexDocument } from '../src/modules/catalog/search/text-analysis.ts';
import { type Caller, organizationByCode, publishEntry, sampleEntry } from './support/catalog-fixtures.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

const ENTRIES = 1200;
/** Entries whose title also holds "rare": one in four. */
const RARE = ENTRIES / 4;
/** A Chinese word every entry holds: unlike an English word, it is looked up whole, not as a prefix. */
const HAN = '共享';

let t: TestPlatform;
let sampled: ReturnType<typeof createCatalogService>;
let transportEditor: Caller;
let transportAdmin: Caller;
let operator: Caller;

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  transportEditor = await t.login('transport-editor');
  transportAdmin = await t.login('transport-admin');
  operator = await t.login('operator');
  const transport = await organizationByCode(t, 'bjjtw');
  const organizations = (await t.platform.identity.listOrganizations(undefined, 0, 1000)).items.map(
    (o): CatalogOrganization => ({
      id: o.id,
      code: o.code,
      name: o.name,
      creditCode: o.creditCode,
      kind: o.kind,
    }),
  );
  // A service whose bounds are small enough for a catalog of a test's size.
  sampled = createCatalogService({
    db: t.platform.db.kysely,
    ledger: t.platform.ledger,
    outboundAllowPrivate: false,
    organizations: async () => organizations,
    searchSampling: { exactUpTo: 100, slice: 60 },
  });
  // Listed entries written straight into the table (as a bulk load would), with their sample terms as
  // publish writes them: every one says "common", one in four "rare"; three themes in turn.
  const metadata = JSON.stringify(sampleEntry(transport));
  const han = indexDocument([{ text: HAN, weight: 'A' }]).a;
  await sql`
    INSERT INTO catalog_entries (
      id, code, organization_id, state, version, published_version, working, published, listed, title_sort,
      open_type, share_type, grade, facet_terms, search, update_cycle, published_at)
    SELECT s.id, 'T' || lpad(s.i::text, 6, '0'), ${transport.id}::uuid, 'published', 1, 1,
      ${metadata}::jsonb, ${metadata}::jsonb, true, 'T' || s.i, 'unconditional', 'unconditional', 'general-1',
      ARRAY['o:' || ${transport.id}, 't:' || (ARRAY['transport', 'health', 'economy'])[s.i % 3 + 1]]
        || catalog_sample_terms(s.id),
      setweight(to_tsvector('simple', CASE WHEN s.i % 4 = 0 THEN ${`common rare ${han}`} ELSE ${`common ${han}`} END), 'A')
        || catalog_sample_lexemes(s.id),
      'monthly', now() - make_interval(mins => s.i)
    FROM (
      -- Ids drawn from a hash of the number, so that the buckets, and so the test, are the same every run.
      SELECT ('00000000-0000-4000-8000-' || substr(md5(i::text), 1, 12))::uuid AS id, i
      FROM generate_series(1, ${ENTRIES}) AS i
    ) AS s`.execute(t.platform.db.kysely);
});

/** A catalog service on the test platform's database with other search bounds. */
function serviceSampling(
  searchSampling: SearchSampling,
  spareConnection?: () => boolean,
  db: Kysely<Database> = t.platform.db.kysely,
) {
  return createCatalogService({
    db,
    ledger: t.platform.ledger,
    outboundAllowPrivate: false,
    organizations: async () => [],
    searchSampling,
    ...(spareConnection === undefined ? {} : { spareConnection }),
  });
}

afterAll(async () => {
  await t?.close();
});

describe('search past the exact bound', () => {
  it('estimates the total and the facets from a sample, and says so', async () => {
    const result = await sampled.search(ANONYMOUS, { q: 'common' });
    expect(result.approximate).toBe(true);
    // A sample of about 60 of 1,200: the estimate is close, not exact.
    expect(result.total).toBeGreaterThan(ENTRIES * 0.5);
    expect(result.total).toBeLessThan(ENTRIES * 1.5);
    const themes = Object.fromEntries(result.facets.theme.map((f) => [f.value, f.count]));
    expect(Object.keys(themes).sort()).toEqual(['economy', 'health', 'transport']);
    for (const count of Object.values(themes)) expect(count).toBeGreaterThan(0);
    // No sample term shows as a facet value.
    const values = Object.values(result.facets).flatMap((f) => f.map((v) => v.value));
    expect(values.some((v) => /^s:|^[0-7]$/.test(v))).toBe(false);
    expect(result.items).toHaveLength(20);
  });

  it('counts and ranks every match when asked to', async () => {
    const result = await sampled.search(ANONYMOUS, { q: 'common', exact: true });
    expect(result.approximate).toBe(false);
    expect(result.total).toBe(ENTRIES);
    const themes = Object.fromEntries(result.facets.theme.map((f) => [f.value, f.count]));
    expect(themes).toEqual({ transport: ENTRIES / 3, health: ENTRIES / 3, economy: ENTRIES / 3 });
  });

  it('searches a text with sequential scans and JIT off, and a filter with JIT off only', async () => {
    // A condition that holds only while a setting is off: the search finds the entries only if its
    // transaction turned that setting off.
    const off = (name: string) => sql<boolean>`current_setting(${name}) = 'off'`;
    const search = (conditions: RawBuilder<boolean>[], tsQuery: string | undefined) =>
      searchEntries(t.platform.db.kysely, {
        visibility: { all: true, ownOrganizations: [], institutionMember: false },
        conditions,
        tsQuery,
        sort: 'newest',
        offset: 0,
        limit: 1,
        facetLimit: 0,
        exact: true,
      });
    const common = buildTsQuery('common')!;
    expect((await search([off('enable_seqscan'), off('jit')], common)).total).toBe(ENTRIES);
    const health = facetCondition('theme', ['health']);
    expect((await search([health, off('jit')], undefined)).total).toBe(ENTRIES / 3);
    expect((await search([health, off('enable_seqscan')], undefined)).total).toBe(0);
  });

  it('lists every match exactly once across the pages of a relevance search', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < ENTRIES + 100; offset += 100) {
      const page = await sampled.search(ANONYMOUS, { q: 'common', offset, limit: 100, facetLimit: 0 });
      seen.push(...page.items.map((i) => i.code));
      if (page.items.length > 0) expect(page.total).toBeGreaterThanOrEqual(offset + page.items.length);
    }
    expect(seen).toHaveLength(ENTRIES);
    expect(new Set(seen).size).toBe(ENTRIES);
  });

  it('ranks a page past the first bucket without reading it again when a bucket is a slice of its own', async () => {
    // A slice of one match: every bucket is a slice, and the probe's exact count of the first bucket (a
    // Chinese word has no prefix to take whole) places every page after it.
    const perBucket = serviceSampling({ exactUpTo: 100, slice: 1 });
    const first = await perBucket.search(ANONYMOUS, { q: HAN, limit: 13 });
    expect(first.approximate).toBe(true);
    const seen: string[] = [];
    for (let offset = 0; offset < ENTRIES + 13; offset += 13) {
      const page = await perBucket.search(ANONYMOUS, { q: HAN, offset, limit: 13 });
      seen.push(...page.items.map((i) => i.code));
      // The facets are the first bucket's, counted once by the probe: every page shows the same.
      expect(page.facets).toEqual(first.facets);
    }
    // The documented order: bucket by bucket, then by rank, newest first, id.
    const expected = await sql<{ code: string }>`
      SELECT code FROM catalog_entries
      WHERE listed AND search @@ to_tsquery('simple', ${buildTsQuery(HAN)!})
      ORDER BY catalog_sample_bucket(id), ts_rank(rank_vector, to_tsquery('simple', ${buildTsQuery(HAN)!})) DESC,
        published_at DESC, id`.execute(t.platform.db.kysely);
    expect(seen).toEqual(expected.rows.map((r) => r.code));
    expect(seen).toHaveLength(ENTRIES);
  });

  it.each([
    ['with a second connection free', true],
    ['when no second connection is free', false],
  ])(
    'answers a page past the first bucket as one statement after the other would, %s',
    async (_label, free) => {
      // On PGlite a second connection would wait for the first: only PostgreSQL is asked for one.
      if (free && !t.platform.db.capabilities.concurrentConnections) return;
      let asked = 0;
      const sent: string[] = [];
      // The same pool, through a Kysely that notes each statement (left open: it would close the pool).
      const db = free
        ? new Kysely<Database>({
            dialect: new PostgresDialect({ pool: t.platform.db.pool! }),
            log: (event) => {
              if (event.level === 'query') sent.push(event.query.sql);
            },
          })
        : t.platform.db.kysely;
      const sampling = { exactUpTo: 100, slice: 1 };
      const beside = serviceSampling(
        sampling,
        () => {
          asked += 1;
          return free;
        },
        db,
      );
      const alone = serviceSampling(sampling);
      for (const limit of [1, 3, 13]) {
        for (let offset = 0; offset <= 30; offset++) {
          const before = asked;
          const params = { q: HAN, offset, limit };
          const [got, expected] = [
            await beside.search(ANONYMOUS, params),
            await alone.search(ANONYMOUS, params),
          ];
          expect(got.items.map((i) => i.code)).toEqual(expected.items.map((i) => i.code));
          expect(got.items.map((i) => i.code)).toHaveLength(limit);
          expect(got.facets).toEqual(expected.facets);
          expect(got.total).toBe(expected.total);
          expect(got.approximate).toBe(true);
          // Only a page past the first bucket asks for a second connection.
          expect(asked - before).toBe(offset === 0 ? 0 : 1);
        }
      }
      // Some of those pages were cut from the second bucket's order and read by id.
      if (free) expect(sent.filter((text) => text.includes('WITH ORDINALITY')).length).toBeGreaterThan(5);
    },
  );

  it('restricts a relevance window to exactly its buckets, by tier or bucket by bucket', async () => {
    const han = buildTsQuery(HAN)!;
    const windows: [number, number][] = [
      [0, 1],
      [0, 3],
      [0, 16],
      [1, 2],
      [1, 13],
      [5, 6],
      [13, 14],
      [2, 4],
      [13, 32],
      [5, 256],
      [3, 64],
      [16, 64],
      [1, 256],
      [0, 256],
      [32, 64],
      [128, 256],
    ];
    for (const [from, to] of windows) {
      const query = [`(${han})`, ...bucketTerms(from, to)].join(' & ');
      const found = await sql<{ matched: number; within: number; listed: number }>`
        SELECT count(*)::int AS matched,
          count(*) FILTER (WHERE catalog_sample_bucket(id) >= ${from} AND catalog_sample_bucket(id) < ${to})::int AS within,
          (SELECT count(*)::int FROM catalog_entries
            WHERE listed AND code LIKE 'T%' AND catalog_sample_bucket(id) >= ${from} AND catalog_sample_bucket(id) < ${to}) AS listed
        FROM catalog_entries WHERE listed AND code LIKE 'T%' AND search @@ to_tsquery('simple', ${query})`.execute(
        t.platform.db.kysely,
      );
      const { matched, within, listed } = found.rows[0]!;
      // Every match is in the window, and every entry of the window matches (the test's entries all hold the word).
      expect({ from, to, matched }).toEqual({ from, to, matched: within });
      expect({ from, to, matched }).toEqual({ from, to, matched: listed });
    }
  });

  /** The share below which a sample of `n` matches has its facets counted, as documented (facetPartSql). */
  const partCut = (n: number, threshold: number) =>
    n > threshold ? Math.max(1, Math.ceil((256 * threshold) / n)) : 256;

  /** The theme counts the documented rule gives for a sample: its part with a share below `cut`, scaled by 256 / cut more. */
  async function partThemes(sample: RawBuilder<boolean>, cut: number, scale: number) {
    const expected = await sql<{ theme: string; count: number }>`
      SELECT substr(term, 3) AS theme, round(count(*) * (${scale}::float8 * 256 / ${cut}::int))::int AS count
      FROM catalog_entries, unnest(facet_terms) AS term
      WHERE listed AND ${sample} AND get_byte(uuid_send(id), 14) < ${cut}::int AND starts_with(term, 't:')
      GROUP BY term`.execute(t.platform.db.kysely);
    return Object.fromEntries(expected.rows.map((r) => [r.theme, r.count]));
  }

  async function countWhere(condition: RawBuilder<boolean>): Promise<number> {
    const counted = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM catalog_entries WHERE listed AND ${condition}`.execute(
      t.platform.db.kysely,
    );
    return counted.rows[0]!.n;
  }

  it('counts the facets of a first bucket holding more than a slice on a part of it drawn by id', async () => {
    // A slice of two matches: the first bucket holds five, more than a slice's worth (2 / √2), so its
    // facets are counted on the matches whose ids have a second-last byte below 73 (73 / 256 of five is
    // 1.43, the least over 2 / √2), scaled by 256 × 256 / 73.
    const service = serviceSampling({ exactUpTo: 100, slice: 2 });
    const result = await service.search(ANONYMOUS, { q: HAN });
    expect(result.approximate).toBe(true);
    const firstBucket = sql<boolean>`catalog_sample_bucket(id) = 0`;
    const n = await countWhere(firstBucket);
    const cut = partCut(n, 2 / Math.SQRT2);
    expect(cut).toBeLessThan(256);
    const themes = Object.fromEntries(result.facets.theme.map((f) => [f.value, f.count]));
    expect(Object.keys(themes).length).toBeGreaterThan(0);
    expect(themes).toEqual(await partThemes(firstBucket, cut, 256));
    // Counted on the whole bucket, they would be other numbers.
    expect(themes).not.toEqual(await partThemes(firstBucket, 256, 256));
  });

  it('counts the facets of a first slice on a part of it holding about a slice, for relevance and other orders', async () => {
    // A slice of 29 matches is about 20.5 (29 / √2) or more. The first bucket, counting alone here
    // (steadyBelow 0), holds 5 of the entries, so a slice is 8 buckets (29 / 5 rounds to 2^3 in log scale);
    // those 8 hold 43: the facets are counted on the matches whose ids have a second-last byte below 123
    // (123 / 256 of 43 is 20.7), scaled by 32 × 256 / 123.
    const threshold = 29 / Math.SQRT2;
    const crowded = serviceSampling({ exactUpTo: 100, slice: 29, steadyBelow: 0 });
    const firstSlice = sql<boolean>`catalog_sample_bucket(id) < 8`;
    expect(await countWhere(sql<boolean>`catalog_sample_bucket(id) = 0`)).toBe(5);
    const inSlice = await countWhere(firstSlice);
    const cut = partCut(inSlice, threshold);
    expect(cut).toBeLessThan(256);
    const ranked = await crowded.search(ANONYMOUS, { q: HAN });
    expect(ranked.approximate).toBe(true);
    const rankedThemes = Object.fromEntries(ranked.facets.theme.map((f) => [f.value, f.count]));
    expect(rankedThemes).toEqual(await partThemes(firstSlice, cut, 32));
    expect(rankedThemes).not.toEqual(await partThemes(firstSlice, 256, 32));
    // The total is still scaled from every match read, not from the part.
    expect(ranked.total).toBe(inSlice * 32);

    // Newest first, filtered on one theme with a slice of 10: the first bucket holds 1, so the sample is the
    // first 8 buckets, which hold more than 10 / √2 here: its facets are counted on a part too.
    const sorted = serviceSampling({ exactUpTo: 100, slice: 10, steadyBelow: 0 });
    const transportOnly = sql<boolean>`'t:transport' = ANY(facet_terms)`;
    expect(await countWhere(sql<boolean>`catalog_sample_bucket(id) = 0 AND ${transportOnly}`)).toBe(1);
    const sample = sql<boolean>`catalog_sample_bucket(id) < 8 AND ${transportOnly}`;
    const sampleSize = await countWhere(sample);
    const sortedCut = partCut(sampleSize, 10 / Math.SQRT2);
    expect(sortedCut).toBeLessThan(256);
    const newest = await sorted.search(ANONYMOUS, { filters: { theme: ['transport'] }, sort: 'newest' });
    expect(newest.approximate).toBe(true);
    expect(newest.total).toBe(sampleSize * 32);
    expect(Object.fromEntries(newest.facets.theme.map((f) => [f.value, f.count]))).toEqual(
      await partThemes(sample, sortedCut, 32),
    );
  });

  it('answers the same page the same way, and ranks the better match first within a slice', async () => {
    const a = await sampled.search(ANONYMOUS, { q: 'common rare', offset: 40, limit: 30 });
    const b = await sampled.search(ANONYMOUS, { q: 'common rare', offset: 40, limit: 30 });
    expect(b.items.map((i) => i.code)).toEqual(a.items.map((i) => i.code));
    // Only the "rare" entries match both words.
    expect(a.items.every((i) => Number(i.code.slice(1)) % 4 === 0)).toBe(true);
  });

  it('keeps the exact order for other sorts: the page is the one an exact search gives', async () => {
    for (const sort of ['newest', 'name'] as const) {
      const params = { filters: { theme: ['health'] }, sort, offset: 35, limit: 25 };
      const estimated = await sampled.search(ANONYMOUS, params);
      const exact = await sampled.search(ANONYMOUS, { ...params, exact: true });
      expect(estimated.approximate).toBe(true);
      expect(exact.total).toBe(ENTRIES / 3);
      expect(estimated.items.map((i) => i.code)).toEqual(exact.items.map((i) => i.code));
    }
  });

  it('counts exactly while a query matches few entries', async () => {
    // The rare term is in about 1 of 4 entries; with the bound above what a bucket predicts, it is exact.
    const bounded = serviceSampling({ exactUpTo: 100_000, slice: 60 });
    const result = await bounded.search(ANONYMOUS, { q: 'rare' });
    expect(result.approximate).toBe(false);
    expect(result.total).toBe(RARE);
    // The platform's own bounds suit a million entries: a catalog this size is counted exactly.
    const platformResult = await t.platform.catalog.search(ANONYMOUS, { q: 'common' });
    expect(platformResult.approximate).toBe(false);
    expect(platformResult.total).toBe(ENTRIES);
  });

  it('gives every published entry its sample terms and keeps them out of the catalog counts', async () => {
    const transport = await organizationByCode(t, 'bjjtw');
    const { id } = await publishEntry(
      t,
      transportEditor,
      transportAdmin,
      operator,
      sampleEntry(transport, { title: { zh: '抽样标记测试', en: 'Sample marker test' } }),
    );
    const row = await sql<{ terms: boolean; lexemes: boolean; ranked: string }>`
      SELECT catalog_sample_terms(id) <@ facet_terms AS terms,
        (SELECT bool_and(search @@ to_tsquery('simple', l)) FROM unnest(tsvector_to_array(catalog_sample_lexemes(id))) AS l) IS NOT FALSE AS lexemes,
        rank_vector::text AS ranked
      FROM catalog_entries WHERE id = ${id}`.execute(t.platform.db.kysely);
    expect(row.rows[0]).toMatchObject({ terms: true, lexemes: true });
    // The rank vector holds the title (A) and keyword (B) terms, not the sample lexemes (D).
    expect(row.rows[0]!.ranked).not.toMatch(/'qb[0-7]'/);
    const counted = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM catalog_facet_counts WHERE starts_with(term, 's:')`.execute(
      t.platform.db.kysely,
    );
    expect(counted.rows[0]!.n).toBe(0);
    const browse = await t.platform.catalog.search(ANONYMOUS, {});
    expect(browse.total).toBe(ENTRIES + 1);
    // Publication adds the entry's lexemes to the search vocabulary.
    const vocabulary = await sql<{ missing: number }>`
      SELECT count(*)::int AS missing FROM catalog_entries e, unnest(tsvector_to_array(e.search)) AS l
      WHERE e.id = ${id} AND NOT EXISTS (SELECT 1 FROM catalog_search_lexemes v WHERE v.lexeme = l)`.execute(
      t.platform.db.kysely,
    );
    expect(vocabulary.rows[0]!.missing).toBe(0);
  });

  it('spells a prefix word out as the lexemes it stands for, or keeps the prefix when they are many', async () => {
    // Forty lexemes start with "zzpfx"; the only entry holding one holds the last of them in order, so a
    // prefix cut short to its first lexemes would miss it. "zzpfx3" stands for ten and is spelt out.
    const transport = await organizationByCode(t, 'bjjtw');
    const words = Array.from({ length: 40 }, (_, i) => `zzpfx${String(i).padStart(2, '0')}`);
    await sql`INSERT INTO catalog_search_lexemes (lexeme) SELECT unnest(${words}::text[])`.execute(
      t.platform.db.kysely,
    );
    const metadata = JSON.stringify(sampleEntry(transport));
    await sql`
      INSERT INTO catalog_entries (
        id, code, organization_id, state, version, published_version, working, published, listed, title_sort,
        open_type, share_type, grade, facet_terms, search, update_cycle, published_at)
      VALUES (gen_random_uuid(), 'ZZPFX', ${transport.id}::uuid, 'published', 1, 1, ${metadata}::jsonb,
        ${metadata}::jsonb, true, 'ZZPFX', 'unconditional', 'unconditional', 'general-1', ARRAY['t:transport'],
        setweight(to_tsvector('simple', 'zzpfx39'), 'A'), 'monthly', now())`.execute(t.platform.db.kysely);
    for (const q of ['zzpfx', 'zzpfx3', 'zzpfx39']) {
      const found = await t.platform.catalog.search(ANONYMOUS, { q });
      expect(
        found.items.map((i) => i.code),
        q,
      ).toEqual(['ZZPFX']);
    }
    expect((await t.platform.catalog.search(ANONYMOUS, { q: 'zzpfx4' })).total).toBe(0);
  });

  it('counts the first eight buckets too when the first holds a few matches, and only then', async () => {
    // Two words, each in entries placed in chosen buckets (the last byte of the id): "lopsided" has one
    // match in the first bucket and five in each of buckets 1 to 7; "sidestep" none in the first bucket
    // and the same five in each of buckets 1 to 7.
    const transport = await organizationByCode(t, 'bjjtw');
    const metadata = JSON.stringify(sampleEntry(transport));
    const placed = [
      { word: 'lopsided', bucket: 0, n: 1 },
      ...Array.from({ length: 7 }, (_, i) => ({ word: 'lopsided', bucket: i + 1, n: 5 })),
      ...Array.from({ length: 7 }, (_, i) => ({ word: 'sidestep', bucket: i + 1, n: 5 })),
    ].flatMap(({ word, bucket, n }) => Array.from({ length: n }, (_, k) => ({ word, bucket, k })));
    for (const [i, { word, bucket, k }] of placed.entries()) {
      const hex = (v: number) => v.toString(16).padStart(2, '0');
      const id = `aaaaaaaa-0000-4000-8000-0000${hex(k)}${hex(i)}00${hex(bucket)}`;
      await sql`
        INSERT INTO catalog_entries (
          id, code, organization_id, state, version, published_version, working, published, listed, title_sort,
          open_type, share_type, grade, facet_terms, search, update_cycle, published_at)
        VALUES (${id}::uuid, ${`LOP${i}`}, ${transport.id}::uuid, 'published', 1, 1, ${metadata}::jsonb,
          ${metadata}::jsonb, true, ${`LOP${i}`}, 'unconditional', 'unconditional', 'general-1',
          ARRAY['t:transport'] || catalog_sample_terms(${id}::uuid),
          setweight(to_tsvector('simple', ${word}), 'A') || catalog_sample_lexemes(${id}::uuid), 'monthly', now())`.execute(
        t.platform.db.kysely,
      );
    }
    // Exact up to 1,000: the first bucket's one match says 256 in all, under the bound; it is over a quarter
    // of it, so the first eight buckets are counted: 36 matches, 4.5 a bucket, 1,152 in all, past the bound.
    const service = serviceSampling({ exactUpTo: 1000, slice: 60 });
    const lopsided = await service.search(ANONYMOUS, { q: 'lopsided' });
    expect(lopsided.approximate).toBe(true);
    // A slice of 60 at 4.5 a bucket is 16 buckets (2^4, the nearest power of two to 13.3): its 36 matches
    // scaled by 256 / 16.
    expect(lopsided.total).toBe(36 * 16);
    // No match in the first bucket is far under a quarter of the bound: nothing more is counted, and the
    // search is exact (the mean of the first eight buckets, 35 / 8, would have said 1,120).
    const sidestep = await service.search(ANONYMOUS, { q: 'sidestep' });
    expect(sidestep.approximate).toBe(false);
    expect(sidestep.total).toBe(35);
  });
});
