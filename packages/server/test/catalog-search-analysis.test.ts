import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_QUERY_CLAUSES,
  MAX_QUERY_DEPTH,
  parseCkanQuery,
  parseFilterQueries,
  type QueryNode,
  QuerySyntaxError,
  resolveSolrDate,
} from '../src/modules/catalog/search/ckan-query.ts';
import {
  analyze,
  buildTsQuery,
  decodeTerm,
  encodeTerm,
  foldDiacritics,
  indexDocument,
  MAX_INDEX_CHARS,
  MAX_QUERY_TERMS,
  pluralStems,
  type WeightedText,
} from '../src/modules/catalog/search/text-analysis.ts';

// The expressions the catalog's SQL uses.
const VECTOR_SQL = `setweight(to_tsvector('simple', $1::text), 'A') || setweight(to_tsvector('simple', $2::text), 'B') || setweight(to_tsvector('simple', $3::text), 'C') || setweight(to_tsvector('simple', $4::text), 'D')`;

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await db.query('select 1');
});
afterAll(async () => db.close());

/** Deterministic pseudo-random numbers (mulberry32), so that a failure can be reproduced. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomString(rnd: () => number, alphabet: string[], maxLength: number): string {
  const n = Math.floor(rnd() * maxLength);
  let s = '';
  for (let i = 0; i < n; i += 1) s += alphabet[Math.floor(rnd() * alphabet.length)]!;
  return s;
}

const LEXEME = /^[a-z][a-z0-9]*$/;

describe('analyze', () => {
  it('indexes Han runs as characters and overlapping pairs', () => {
    expect(new Set(analyze('北京市'))).toEqual(new Set(['北', '京', '市', '北京', '京市']));
    expect(analyze('北京市公交线路')).toContain('公交');
    expect(analyze('中')).toEqual(['中']);
    // Han next to other scripts and digits: separate runs.
    expect(analyze('2020年GDP增长')).toEqual(['2020', '年', 'gdp', '增', '增长', '长']);
  });

  it('indexes Latin words as written, without diacritics and with a plural stem', () => {
    expect(analyze('Réseau')).toEqual(['réseau', 'reseau']);
    expect(analyze('Bus routes')).toEqual(['bus', 'routes', 'route']);
    expect(analyze('stations')).toEqual(['stations', 'station']);
    expect(analyze('données')).toEqual(['données', 'donnees', 'donnée', 'donnee']);
    expect(analyze('réseaux')).toContain('réseau');
    expect(analyze('cœur Straße')).toEqual(['cœur', 'coeur', 'straße', 'strasse']);
    expect(analyze('İstanbul')).toContain('istanbul');
  });

  it('keeps stems simple and conservative', () => {
    expect(pluralStems('bus')).toEqual([]);
    expect(pluralStems('class')).toEqual([]);
    expect(pluralStems('status')).toEqual([]);
    expect(pluralStems('analysis')).toEqual([]);
    expect(pluralStems('cities')).toContain('city');
    expect(pluralStems('journaux')).toContain('journal');
    expect(pluralStems('v2s')).toEqual([]);
    expect(foldDiacritics('Ça évolue')).toBe('Ca evolue');
    // Diacritics are only removed from Latin letters.
    expect(foldDiacritics('й')).toBe('й');
  });

  it('normalises and splits on punctuation, hyphens, underscores and apostrophes', () => {
    expect(analyze('ＡＢＣ１２３')).toEqual(['abc123']);
    expect(analyze('bus-route_2024/v2.csv')).toEqual(['bus', 'route', '2024', 'v2', 'csv']);
    expect(analyze("l'eau d'Île-de-France, Beijing's")).toEqual([
      'eau',
      'île',
      'ile',
      'de',
      'france',
      'beijing',
    ]);
    expect(analyze('o’neill')).toEqual(['o', 'neill']);
    // Soft hyphens and variation selectors do not split words.
    expect(analyze('rés\u00adeau 北\ufe00京')).toEqual(['réseau', 'reseau', '北', '北京', '京']);
    expect(analyze('')).toEqual([]);
    expect(analyze('!!! ... --- 🚌 ')).toEqual([]);
  });

  it('keeps digits and drops terms longer than 60 characters', () => {
    expect(analyze('110000 3.14')).toEqual(['110000', '3', '14']);
    expect(analyze(`${'a'.repeat(61)} ok ${'b'.repeat(60)}`)).toEqual(['ok', 'b'.repeat(60)]);
  });
});

describe('PostgreSQL lexemes', () => {
  it('encodes every term as a letter-led ASCII word, injectively and keeping prefixes', () => {
    expect(encodeTerm('route')).toBe('route');
    expect(encodeTerm('réseau')).toBe('rq006hseau');
    expect(encodeTerm('2020')).toBe('qz2020');
    expect(encodeTerm('quai')).toBe('qquai');
    const rnd = random(1);
    const alphabet = [...'aeqz019éß中北京𠀀ÿ€\u0307'];
    for (let i = 0; i < 2000; i += 1) {
      const w = `${randomString(rnd, alphabet, 8)}x`;
      const chars = [...w];
      const p = chars.slice(0, Math.floor(rnd() * chars.length) + 1).join('');
      const lexeme = encodeTerm(w);
      expect(lexeme).toMatch(LEXEME);
      expect(decodeTerm(lexeme)).toBe(w);
      expect(lexeme.startsWith(encodeTerm(p))).toBe(true);
      const other = `${randomString(rnd, alphabet, 8)}y`;
      expect(lexeme.startsWith(encodeTerm(other))).toBe(w.startsWith(other));
    }
  });

  it('reads any letter-led [a-z0-9] word as exactly one unchanged lexeme, in tsvector and tsquery', async () => {
    const rnd = random(2);
    const shapes = ['qz4e2d', 'qz1e5', 'qz1e5x', 'a1e5', 'q0gevq0fjg', 'qz0e0a', 'x1', 'qz2020', 'e1e1e1'];
    const alphabet = [...'aeqzdx0159'];
    for (let i = 0; i < 3000; i += 1) shapes.push(`${'aeqz'[i % 4]}${randomString(rnd, alphabet, 12)}`);
    const result = await db.query<{ w: string; v: string; q: string; p: string }>(
      `select w, to_tsvector('simple', w)::text v, to_tsquery('simple', w)::text q,
              to_tsquery('simple', w || ':*')::text p from unnest($1::text[]) w`,
      [shapes],
    );
    const wrong = result.rows.filter(
      (r) => r.v !== `'${r.w}':1` || r.q !== `'${r.w}'` || r.p !== `'${r.w}':*`,
    );
    expect(wrong).toEqual([]);
  });

  it('keeps every term of real and random text through to_tsvector', async () => {
    const rnd = random(3);
    const alphabet = [
      ...'abcdeéèàçœqxz0123456789 -_.,/:;\'"()&|!<>@#中文北京市公交线路数据开放𠀀ßİıǅﬁ①ＡΩжカ한',
      '\u0301',
      '\u00ad',
      '\ufe0f',
      '\t',
      '\n',
    ];
    const texts = [
      '北京市公交线路 Bus routes of Beijing. Réseau de données 2020-01-01 v2 4e2d 1e5 a.b/c x_y foo@bar.com',
    ];
    for (let i = 0; i < 200; i += 1) texts.push(randomString(rnd, alphabet, 80));
    for (const text of texts) {
      const { a } = indexDocument([{ text, weight: 'A' }]);
      const expected = new Set(a === '' ? [] : a.split(' '));
      for (const lexeme of expected) expect(lexeme).toMatch(LEXEME);
      const result = await db.query<{ lexemes: string[] }>(
        `select tsvector_to_array(to_tsvector('simple', $1::text)) lexemes`,
        [a],
      );
      expect(new Set(result.rows[0]!.lexemes)).toEqual(expected);
      expect([...expected].map((l) => decodeTerm(l))).toEqual([...new Set(analyze(text))]);
    }
  });

  it('bounds the size of a document so that PostgreSQL always accepts its tsvector', async () => {
    const rnd = random(4);
    const letters = [...'abcdefghijklmnopqrstuvwxyz'];
    const han = Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x4e00 + i * 7));
    const words = Array.from({ length: 120_000 }, () => randomString(rnd, letters, 5) + letters[0]!).join(
      ' ',
    );
    const hanText = Array.from({ length: 150_000 }, () => han[Math.floor(rnd() * han.length)]!).join('');
    const parts: WeightedText[] = [
      { text: words, weight: 'D' },
      { text: 'Bus timetable', weight: 'A' },
      { text: hanText, weight: 'C' },
    ];
    const t = indexDocument(parts);
    expect(t.a).toBe('bus timetable');
    expect(t.a.length + t.b.length + t.c.length + t.d.length).toBeLessThanOrEqual(MAX_INDEX_CHARS);
    const result = await db.query<{ n: number; bytes: number }>(
      `select length(v) n, pg_column_size(v) bytes from (select ${VECTOR_SQL} v) x`,
      [t.a, t.b, t.c, t.d],
    );
    expect(result.rows[0]!.n).toBeGreaterThan(1000);
    expect(result.rows[0]!.bytes).toBeLessThan(1_048_575);
  });
});

describe('buildTsQuery', () => {
  it('requires every word, by prefix, in any of its forms', () => {
    expect(buildTsQuery('route')).toBe(`'route':*`);
    expect(buildTsQuery('Routes')).toBe(`'route':*`);
    expect(buildTsQuery('réseau')).toBe(`( 'rq006hseau':* | 'reseau':* )`);
    expect(buildTsQuery('bus 2020')).toBe(`'bus':* & 'qz2020':*`);
  });

  it('requires the character pairs of each Han word', () => {
    const pair = (s: string) => `'${encodeTerm(s)}'`;
    expect(buildTsQuery('公交')).toBe(pair('公交'));
    expect(buildTsQuery('中')).toBe(pair('中'));
    expect(buildTsQuery('北京公交')).toBe(`${pair('北京')} & ${pair('公交')}`);
    expect(buildTsQuery('北京市')).toBe(`${pair('北京')} & ${pair('京市')}`);
  });

  it('returns undefined when nothing is searchable', () => {
    for (const q of ['', '   ', '!!!', '&|!()<>', "'", ':*', '🚌🚇', '\u0000\u0001\u001f\u007f']) {
      expect(buildTsQuery(q)).toBeUndefined();
    }
  });

  it('caps the query at 500 characters and 32 terms', () => {
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(buildTsQuery(many)!.split(' & ')).toHaveLength(MAX_QUERY_TERMS);
    expect(buildTsQuery(`${'x '.repeat(250)}tail`)).toBe(`'x':*`);
    expect(buildTsQuery('北京市公交线路'.repeat(100))!.split(' & ').length).toBeLessThanOrEqual(
      MAX_QUERY_TERMS,
    );
  });

  it('never produces a string that to_tsquery rejects', async () => {
    const hostile = [
      "'",
      "''",
      '\\',
      "\\'",
      ':',
      '&|!()<>',
      'a:*',
      'a:* & b',
      '!a | (b <-> c)',
      "'; DROP TABLE x;--",
      'title:foo AND (bar OR "baz")',
      'x'.repeat(10_000),
      `${'a '.repeat(5_000)}`,
      '中'.repeat(10_000),
      '🚌 bus 🚇 métro 地铁 🚍',
      'Ünïcödé Ελληνικά русский 日本語 한국어 עברית العربية हिन्दी ไทย',
      'a\u0001b\u0002c\u001fd\u007fe\u0085f\u2028g',
      "l'état d'urgence qu'il",
      'ab:c d:*a e:ABCD f\\:g',
      '\ud800 lone \udfff surrogates',
      'q qq qz 4e2d 1e5 0x1f -5 +5 3.14',
    ];
    const rnd = random(5);
    const alphabet = [...'ab é中京 :*&|!()<>\'"\\-_.,;@#$%^~`{}[]/?=+0123456789q\u0000\u0001🚌\u0301'];
    for (let i = 0; i < 500; i += 1) hostile.push(randomString(rnd, alphabet, 40).replaceAll('\u0000', ''));
    const queries = hostile.map((q) => buildTsQuery(q)).filter((q): q is string => q !== undefined);
    for (const q of queries) expect(q).toMatch(/^[a-z0-9':*&|() ]+$/);
    const result = await db.query<{ a: string; b: string }>(
      `select to_tsquery('simple', q)::text a, q::tsquery::text b from unnest($1::text[]) q`,
      [queries],
    );
    expect(result.rows).toHaveLength(queries.length);
    for (const row of result.rows) expect(row.a).toBe(row.b);
  });
});

describe('full-text search in PostgreSQL', () => {
  async function matches(doc: WeightedText[], q: string): Promise<boolean> {
    const t = indexDocument(doc);
    const query = buildTsQuery(q);
    if (query === undefined) throw new Error(`nothing searchable in ${q}`);
    const result = await db.query<{ m: boolean }>(`select (${VECTOR_SQL}) @@ to_tsquery('simple', $5) m`, [
      t.a,
      t.b,
      t.c,
      t.d,
      query,
    ]);
    return result.rows[0]!.m;
  }

  it('finds Chinese words inside Han text', async () => {
    const doc: WeightedText[] = [{ text: '北京市公交线路', weight: 'A' }];
    for (const q of ['公交', '北京公交', '线路', '北京市公交线路', '北京', '市', '北京 线路']) {
      expect(await matches(doc, q), q).toBe(true);
    }
    for (const q of ['地铁', '北京地铁', '交通', '公交 地铁']) expect(await matches(doc, q), q).toBe(false);
  });

  it('finds English words by prefix and plural', async () => {
    const doc: WeightedText[] = [{ text: 'Bus routes of Beijing', weight: 'A' }];
    for (const q of ['route', 'routes', 'bus', 'Beijing', 'beiji', 'BUS ROUTE']) {
      expect(await matches(doc, q), q).toBe(true);
    }
    for (const q of ['train', 'bus train', 'beijingx']) expect(await matches(doc, q), q).toBe(false);
  });

  it('finds French words with or without diacritics', async () => {
    const doc: WeightedText[] = [{ text: 'Réseau de données', weight: 'C' }];
    for (const q of ['reseau', 'donnees', 'réseau', 'données', 'donnée', 'RÉSEAU', 'rés']) {
      expect(await matches(doc, q), q).toBe(true);
    }
    // A query with diacritics also finds text written without them.
    expect(await matches([{ text: 'Reseau de donnees', weight: 'C' }], 'réseau données')).toBe(true);
    expect(await matches(doc, 'résumé')).toBe(false);
  });

  it('finds mixed-script and numeric terms', async () => {
    const doc: WeightedText[] = [
      { text: '2023年北京市 GDP 数据 (v2, 4e2d)', weight: 'A' },
      { text: 'Qualité de l’air', weight: 'B' },
    ];
    for (const q of ['2023', '202', 'gdp 北京', 'v2', '4e2d', 'qualite', "l'air", 'air']) {
      expect(await matches(doc, q), q).toBe(true);
    }
  });

  it('ranks a title match above a description match', async () => {
    await db.query('create table ranked (id text primary key, search tsvector)');
    const docs: Record<string, WeightedText[]> = {
      title: [
        { text: '公交线路 Bus lines', weight: 'A' },
        { text: 'Timetables of the city', weight: 'C' },
      ],
      description: [
        { text: 'Timetables', weight: 'A' },
        { text: 'Lines of the 公交 network (bus)', weight: 'C' },
      ],
      none: [{ text: 'Air quality', weight: 'A' }],
    };
    for (const [id, parts] of Object.entries(docs)) {
      const t = indexDocument(parts);
      await db.query(`insert into ranked values ($5, ${VECTOR_SQL})`, [t.a, t.b, t.c, t.d, id]);
    }
    for (const q of ['bus', '公交', 'bus lines']) {
      const result = await db.query<{ id: string }>(
        `select id from ranked where search @@ to_tsquery('simple', $1)
         order by ts_rank_cd(search, to_tsquery('simple', $1)) desc`,
        [buildTsQuery(q)],
      );
      expect(result.rows.map((r) => r.id)).toEqual(['title', 'description']);
    }
  });
});

describe('CKAN q and fq', () => {
  const now = new Date('2024-05-15T10:20:30.456Z');
  const parse = (q: string) => parseCkanQuery(q, { now });
  const text = (t: string): QueryNode => ({ kind: 'text', text: t });

  function syntaxError(q: string): QuerySyntaxError {
    try {
      parse(q);
    } catch (e) {
      expect(e).toBeInstanceOf(QuerySyntaxError);
      return e as QuerySyntaxError;
    }
    throw new Error(`parsed: ${q}`);
  }

  it('matches everything when empty or *:*', () => {
    for (const q of ['', '   ', '*:*', '*', '(*:*)']) expect(parse(q)).toEqual({ kind: 'all' });
    expect(parseFilterQueries([])).toEqual({ kind: 'all' });
    expect(parse('bus *:*')).toEqual(text('bus'));
  });

  it('parses the queries CKAN clients send', () => {
    expect(parse('organization:agencia-espacial-brasileira-aeb')).toEqual({
      kind: 'field',
      field: 'organization',
      value: 'agencia-espacial-brasileira-aeb',
    });
    expect(parse('title:Contratos || title:Federal')).toEqual({
      kind: 'or',
      children: [
        { kind: 'field', field: 'title', value: 'Contratos' },
        { kind: 'field', field: 'title', value: 'Federal' },
      ],
    });
    expect(parse('tags:transport AND res_format:CSV')).toEqual({
      kind: 'and',
      children: [
        { kind: 'field', field: 'keyword', value: 'transport' },
        { kind: 'field', field: 'format', value: 'CSV' },
      ],
    });
    expect(parse('-open_type:not_open')).toEqual({
      kind: 'not',
      child: { kind: 'field', field: 'openType', value: 'not_open' },
    });
    expect(parse('metadata_modified:[2020-01-01T00:00:00Z TO *]')).toEqual({
      kind: 'range',
      field: 'modified',
      from: '2020-01-01T00:00:00.000Z',
    });
    expect(parse('(a OR b) c')).toEqual({
      kind: 'and',
      children: [{ kind: 'or', children: [text('a'), text('b')] }, text('c')],
    });
    expect(parse('"bus routes"')).toEqual(text('bus routes'));
  });

  it('maps every accepted field to ours', () => {
    const fields: Record<string, string> = {
      name: 'name',
      title: 'title',
      notes: 'summary',
      tags: 'keyword',
      res_format: 'format',
      organization: 'organization',
      owner_org: 'organization',
      groups: 'theme',
      license_id: 'license',
      id: 'id',
      open_type: 'openType',
      share_type: 'shareType',
      grade: 'grade',
      update_cycle: 'updateCycle',
      theme: 'theme',
      classification: 'classification',
      code: 'code',
    };
    for (const [ckan, ours] of Object.entries(fields)) {
      expect(parse(`${ckan}:x`)).toEqual({ kind: 'field', field: ours, value: 'x' });
      expect(parse(`${ckan}:*`)).toEqual({ kind: 'exists', field: ours });
    }
    expect(parse('text:"bus routes"')).toEqual(text('bus routes'));
    expect(parse('metadata_created:[* TO 2021-06-30T12:00:00Z]')).toEqual({
      kind: 'range',
      field: 'created',
      to: '2021-06-30T12:00:00.000Z',
    });
    expect(syntaxError('foo:bar').message).toMatch(/unknown field foo/i);
    expect(syntaxError('Title:x').message).toMatch(/unknown field Title/i);
    expect(syntaxError('__proto__:x').message).toMatch(/unknown field/i);
  });

  it('parses boolean operators, groups and quoted values', () => {
    expect(parse('a AND NOT b')).toEqual({
      kind: 'and',
      children: [text('a'), { kind: 'not', child: text('b') }],
    });
    expect(parse('a && !b || c')).toEqual({
      kind: 'or',
      children: [{ kind: 'and', children: [text('a'), { kind: 'not', child: text('b') }] }, text('c')],
    });
    expect(parse('+bus +route -tags:x')).toEqual({
      kind: 'and',
      children: [text('bus route'), { kind: 'not', child: { kind: 'field', field: 'keyword', value: 'x' } }],
    });
    expect(parse('tags:(a OR "b c") grade:core')).toEqual({
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            { kind: 'field', field: 'keyword', value: 'a' },
            { kind: 'field', field: 'keyword', value: 'b c' },
          ],
        },
        { kind: 'field', field: 'grade', value: 'core' },
      ],
    });
    expect(parse('title:"Bus \\"routes\\""')).toEqual({
      kind: 'field',
      field: 'title',
      value: 'Bus "routes"',
    });
    expect(parse('name:a\\:b res_format:text/csv')).toEqual({
      kind: 'and',
      children: [
        { kind: 'field', field: 'name', value: 'a:b' },
        { kind: 'field', field: 'format', value: 'text/csv' },
      ],
    });
    // Lowercase operators are words; boosts are ignored.
    expect(parse('bus and metro')).toEqual(text('bus and metro'));
    expect(parse('title:bus^2 metro^0.5')).toEqual({
      kind: 'and',
      children: [{ kind: 'field', field: 'title', value: 'bus' }, text('metro')],
    });
    expect(parse('NOT NOT a')).toEqual(text('a'));
  });

  it('resolves date ranges with Solr date math', () => {
    expect(parse('metadata_modified:[NOW-1YEAR/DAY TO NOW]')).toEqual({
      kind: 'range',
      field: 'modified',
      from: '2023-05-15T00:00:00.000Z',
      to: '2024-05-15T10:20:30.456Z',
    });
    expect(parse('metadata_modified:[* TO *]')).toEqual({ kind: 'exists', field: 'modified' });
    expect(parse('metadata_modified:["2020-01-01" TO NOW/MONTH]')).toEqual({
      kind: 'range',
      field: 'modified',
      from: '2020-01-01T00:00:00.000Z',
      to: '2024-05-01T00:00:00.000Z',
    });
    expect(parse('metadata_created:"2020-01-01T00:00:00Z"')).toEqual({
      kind: 'range',
      field: 'created',
      from: '2020-01-01T00:00:00.000Z',
      to: '2020-01-01T00:00:00.000Z',
    });
    expect(resolveSolrDate('2024-01-31T00:00:00Z+1MONTH', now)).toBe('2024-03-02T00:00:00.000Z');
    expect(resolveSolrDate('NOW/YEAR+6MONTHS', now)).toBe('2024-07-01T00:00:00.000Z');
    for (const bad of [
      'metadata_modified:[2020-02-30 TO *]',
      'metadata_modified:[yesterday TO *]',
      'metadata_modified:[NOW-1FORTNIGHT TO *]',
      'metadata_modified:[NOW+99999999YEARS TO *]',
      'metadata_modified:[0000-01-01 TO *]',
      'metadata_modified:{2020-01-01 TO *}',
      'metadata_modified:[2020-01-01 TO]',
      'metadata_modified:[2020-01-01 *]',
      'metadata_modified:[2020-01-01 TO *',
      'title:[a TO b]',
      '[a TO b]',
    ]) {
      syntaxError(bad);
    }
  });

  it('combines filter queries with AND', () => {
    expect(parseFilterQueries('tags:a', { now })).toEqual({ kind: 'field', field: 'keyword', value: 'a' });
    expect(parseFilterQueries(['tags:a', '', '+grade:core', '*:*'], { now })).toEqual({
      kind: 'and',
      children: [
        { kind: 'field', field: 'keyword', value: 'a' },
        { kind: 'field', field: 'grade', value: 'core' },
      ],
    });
    const many = Array.from({ length: MAX_QUERY_CLAUSES + 1 }, (_, i) => `tags:t${i}`);
    expect(() => parseFilterQueries(many)).toThrow(QuerySyntaxError);
  });

  it('rejects malformed and unsupported syntax with a QuerySyntaxError', () => {
    const cases: [string, RegExp][] = [
      ['(a OR b', /missing \)/i],
      ['a OR b)', /unexpected \)/i],
      ['"bus routes', /unterminated/i],
      ['title:', /missing value for field title/i],
      ['title: ', /missing value/i],
      ['title:""', /empty value/i],
      ['title:AND', /missing value/i],
      ['AND bus', /unexpected AND/i],
      ['bus OR', /ends/i],
      ['bus -', /ends/i],
      ['()', /empty/i],
      ['title:bus*', /wildcard/i],
      ['bus~2', /fuzzy/i],
      ['/bus/', /regular/i],
      ['{!tag=x}bus', /local parameters/i],
      ['tags:(title:x)', /inside/i],
      ['*:bus', /\*:\*/],
      ['x:y:z', /unknown field x/i],
      ['title:a:b', /unexpected :/i],
      ['bus\\', /escape/i],
      ['bus^', /boost/i],
      [']', /unexpected ]/i],
    ];
    for (const [q, message] of cases) expect(syntaxError(q).message, q).toMatch(message);
  });

  it('enforces the limits', () => {
    expect(syntaxError(`${'('.repeat(100)}a${')'.repeat(100)}`).message).toMatch(/nested/);
    expect(syntaxError(`${'!'.repeat(100)}a`).message).toMatch(/nested/);
    const deep = (n: number) => `${'('.repeat(n)}a${')'.repeat(n)}`;
    expect(parse(deep(MAX_QUERY_DEPTH))).toEqual(text('a'));
    expect(syntaxError(deep(MAX_QUERY_DEPTH + 1)).message).toMatch(/nested/);
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(parse(words(MAX_QUERY_CLAUSES)).kind).toBe('text');
    expect(syntaxError(words(MAX_QUERY_CLAUSES + 1)).message).toMatch(/clauses/);
    expect(syntaxError('a'.repeat(2001)).message).toMatch(/2000/);
    expect(syntaxError('+'.repeat(2000)).message).toMatch(/ends/);
  });

  it('never throws anything but QuerySyntaxError on random input', () => {
    const rnd = random(6);
    const alphabet = [
      ...'ab ():"\\*?[]{}!+-&|^~/',
      'AND',
      'OR',
      'NOT',
      ' TO ',
      'tags',
      'title:',
      'metadata_modified:',
      'NOW',
      '2020-01-01',
      '中',
      '\u0000',
      '\n',
    ];
    let parsed = 0;
    for (let i = 0; i < 5000; i += 1) {
      const q = randomString(rnd, alphabet, 30);
      try {
        parse(q);
        parsed += 1;
      } catch (e) {
        if (!(e instanceof QuerySyntaxError)) throw new Error(`${JSON.stringify(q)}: ${String(e)}`);
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });
});
