import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPlan,
  DeidError,
  type DeidPlan,
  type DeidSecrets,
  dateHierarchy,
  numericRangeHierarchy,
  parseHierarchyCsv,
  regionHierarchy,
  type Table,
} from '../src/modules/security/deid/index.ts';
import { childEnv, runCli } from './support/processes.ts';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
const SECRETS: DeidSecrets = { hmacKey: KEY, releaseId: 'release-1' };

const PEOPLE: Table = {
  columns: ['name', 'phone', 'age', 'born', 'zip', 'income'],
  rows: [
    ['张三丰', '13812345678', '23', '1990-03-05', '1001', '5000'],
    ['Li Si', '13900001111', '37', '1985-11-20', '1002', '7200.5'],
    ['Wang Wu', null, '41', '1979-01-02T08:30:00', '1011', '3100'],
    ['张三丰', '13812345678', '23', '1990-03-05', '1001', '5000'],
  ],
};

const ZIP = parseHierarchyCsv('1001;100*;10**;*\r\n1002;100*;10**;*\r\n1011;101*;10**;*\r\n');

function only(table: Table, column: string): (string | null)[] {
  const i = table.columns.indexOf(column);
  return table.rows.map((row) => row[i] ?? null);
}

function run(fields: DeidPlan['fields'], secrets = SECRETS, table = PEOPLE) {
  return applyPlan(table, { fields }, secrets);
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeidError) return error.code;
    throw error;
  }
  return undefined;
}

describe('hierarchies', () => {
  it('reads ARX hierarchies with ";" or "," and CRLF, and quoted cells', () => {
    expect(ZIP.levels).toBe(4);
    expect(ZIP.map.get('1011')).toEqual(['101*', '10**', '*']);
    const comma = parseHierarchyCsv('"Paris, 1er",Paris,*\nLyon,Lyon,*\n');
    expect(comma.map.get('Paris, 1er')).toEqual(['Paris', '*']);
  });

  it('builds numeric ranges and date levels', () => {
    const ages = numericRangeHierarchy(['23', '37', '7.5'], [5, 10, 20]);
    expect(ages.levels).toBe(5);
    expect(ages.map.get('23')).toEqual(['20-24', '20-29', '20-39', '*']);
    expect(ages.map.get('37')).toEqual(['35-39', '30-39', '20-39', '*']);
    expect(ages.map.get('7.5')).toEqual(['5-9', '0-9', '0-19', '*']);
    const dates = dateHierarchy(['1990-03-05', '2001-12-31T10:00:00'], ['month', 'year', 'decade']);
    expect(dates.map.get('1990-03-05')).toEqual(['1990-03', '1990', '1990-1999', '*']);
    expect(dates.map.get('2001-12-31T10:00:00')).toEqual(['2001-12', '2001', '2000-2009', '*']);
  });

  it('generalises administrative division codes to prefecture, then province', () => {
    const regions = regionHierarchy(['110105', '310115', '110105']);
    expect(regions.levels).toBe(4);
    expect(regions.map.get('110105')).toEqual(['110100', '110000', '*']);
    expect(regions.map.get('310115')).toEqual(['310100', '310000', '*']);
    expect(() => regionHierarchy(['110105', '朝阳区', '1101'])).toThrow(
      /"朝阳区", "1101" are not a six-digit/,
    );
  });

  it('refuses malformed hierarchies', () => {
    expect(code(() => parseHierarchyCsv(''))).toBe('bad-hierarchy');
    expect(code(() => parseHierarchyCsv('a\nb\n'))).toBe('bad-hierarchy');
    expect(() => parseHierarchyCsv('a;x;*\nb;*\n')).toThrow(/line 2/);
    // x generalises to two different parents: not a tree.
    expect(() => parseHierarchyCsv('a;x;p;*\nb;x;q;*\n')).toThrow(/tree/);
    expect(code(() => parseHierarchyCsv('a;x;*\na;y;*\n'))).toBe('bad-hierarchy');
    expect(code(() => numericRangeHierarchy(['1'], [5, 7]))).toBe('bad-hierarchy');
    expect(code(() => numericRangeHierarchy(['old'], [5]))).toBe('bad-value');
    expect(code(() => dateHierarchy(['1990-03-05'], ['year', 'month']))).toBe('bad-hierarchy');
    expect(code(() => dateHierarchy(['yesterday'], ['year']))).toBe('bad-value');
    expect(code(() => dateHierarchy(['2023-02-29'], ['year']))).toBe('bad-value');
    expect(dateHierarchy(['2024-02-29'], ['year']).map.get('2024-02-29')).toEqual(['2024', '*']);
  });
});

describe('applyPlan', () => {
  it('keeps fields the plan does not name, drops and suppresses fields', () => {
    const { table } = run({ name: { kind: 'drop' }, income: { kind: 'suppress' }, zip: { kind: 'keep' } });
    expect(table.columns).toEqual(['phone', 'age', 'born', 'zip', 'income']);
    expect(only(table, 'income')).toEqual([null, null, null, null]);
    expect(only(table, 'age')).toEqual(only(PEOPLE, 'age'));
  });

  it('masks by code point, keeping the ends asked for', () => {
    const { table } = run({
      phone: { kind: 'mask', keepStart: 3, keepEnd: 4 },
      name: { kind: 'mask', keepStart: 1, char: '某' },
    });
    expect(only(table, 'phone')).toEqual(['138****5678', '139****1111', null, '138****5678']);
    expect(only(table, 'name')).toEqual(['张某某', 'L某某某某', 'W某某某某某某', '张某某']);
    expect(only(run({ zip: { kind: 'mask' } }).table, 'zip')[0]).toBe('****');
  });

  it('hashes with a keyed HMAC: stable within a release, different across releases and keys', () => {
    const first = only(run({ name: { kind: 'hash' } }).table, 'name');
    expect(first[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(first[0]).toBe(first[3]); // same person, same pseudonym
    expect(first[0]).not.toBe(first[1]);
    expect(only(run({ name: { kind: 'hash' } }).table, 'name')).toEqual(first);
    const next = only(run({ name: { kind: 'hash' } }, { ...SECRETS, releaseId: 'release-2' }).table, 'name');
    expect(next[0]).not.toBe(first[0]);
    const otherKey = only(
      run({ name: { kind: 'hash' } }, { ...SECRETS, hmacKey: Buffer.alloc(32, 7) }).table,
      'name',
    );
    expect(otherKey[0]).not.toBe(first[0]);
    expect(only(run({ name: { kind: 'hash', length: 40 } }).table, 'name')[1]).toMatch(/^[0-9a-f]{40}$/);
    expect(only(run({ phone: { kind: 'hash' } }).table, 'phone')[2]).toBeNull();
  });

  it('records the lineage without the key or the seed', () => {
    const { lineage } = applyPlan(
      PEOPLE,
      {
        fields: {
          name: { kind: 'hash' },
          zip: { kind: 'generalize', hierarchy: ZIP, level: 1 },
          income: { kind: 'noise', distribution: 'laplace', scale: 100 },
        },
      },
      { ...SECRETS, seed: 424242 },
    );
    const text = JSON.stringify(lineage);
    for (const secret of [KEY.toString('utf8'), KEY.toString('hex'), KEY.toString('base64'), '424242'])
      expect(text).not.toContain(secret);
    expect(lineage.releaseId).toBe('release-1');
    expect(lineage.noiseSeeded).toBe(true);
    expect(lineage.fields.find((f) => f.field === 'zip')!.transform).toMatchObject({
      kind: 'generalize',
      level: 1,
      hierarchy: { levels: 4, values: 3 },
    });
    expect(lineage.fields.find((f) => f.field === 'age')!.transform).toEqual({ kind: 'keep' });
    expect(lineage.rowsIn).toBe(4);
  });

  it('generalises through a hierarchy, numeric ranges and date truncation', () => {
    const { table } = run({
      zip: { kind: 'generalize', hierarchy: ZIP, level: 2 },
      age: { kind: 'range', width: 10 },
      income: { kind: 'range', width: 2.5, origin: 0.5 },
      born: { kind: 'truncate-date', unit: 'month' },
    });
    expect(only(table, 'zip')).toEqual(['10**', '10**', '10**', '10**']);
    expect(only(table, 'age')).toEqual(['20-29', '30-39', '40-49', '20-29']);
    // 5000 - 0.5 = 4999.5 -> 1999 widths of 2.5 -> starts at 4998
    expect(only(table, 'income')[0]).toBe('[4998, 5000.5)');
    expect(only(table, 'born')).toEqual(['1990-03', '1985-11', '1979-01', '1990-03']);
    expect(only(run({ age: { kind: 'range', width: 10, origin: 5 } }).table, 'age')[0]).toBe('15-24');
    expect(only(run({ born: { kind: 'truncate-date', unit: 'year' } }).table, 'born')[2]).toBe('1979');
    expect(only(run({ born: { kind: 'truncate-date', unit: 'day' } }).table, 'born')[2]).toBe('1979-01-02');
  });

  it('adds noise reproducibly with a seed, within the uniform bound, rounded as asked', () => {
    const plan = { income: { kind: 'noise', distribution: 'gaussian', scale: 50, round: 0 } } as const;
    const a = only(run(plan, { ...SECRETS, seed: 1 }).table, 'income');
    const b = only(run(plan, { ...SECRETS, seed: 1 }).table, 'income');
    const c = only(run(plan, { ...SECRETS, seed: 2 }).table, 'income');
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const v of a) expect(v).toMatch(/^-?\d+$/);
    const many: Table = { columns: ['x'], rows: Array.from({ length: 500 }, () => ['10']) };
    const uniform = only(
      applyPlan(
        many,
        { fields: { x: { kind: 'noise', distribution: 'uniform', scale: 1, round: 3 } } },
        SECRETS,
      ).table,
      'x',
    ).map(Number);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(9);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(11);
    expect(new Set(uniform).size).toBeGreaterThan(100);
    const laplace = only(
      applyPlan(
        many,
        { fields: { x: { kind: 'noise', distribution: 'laplace', scale: 2 } } },
        { ...SECRETS, seed: 9 },
      ).table,
      'x',
    ).map(Number);
    // Laplace(0, 2) has mean absolute deviation 2: the sample's should be near it.
    const mad = laplace.reduce((s, x) => s + Math.abs(x - 10), 0) / laplace.length;
    expect(mad).toBeGreaterThan(1.5);
    expect(mad).toBeLessThan(2.5);
    expect(
      only(run({ income: { kind: 'noise', distribution: 'gaussian', scale: 0 } }).table, 'income'),
    ).toEqual(only(PEOPLE, 'income'));
  });

  it('suppresses records in classes smaller than k, and refuses beyond the limit', () => {
    const plan: DeidPlan = {
      fields: { name: { kind: 'drop' }, zip: { kind: 'generalize', hierarchy: ZIP, level: 1 } },
      suppression: { quasiIdentifiers: ['zip'], k: 2, maxShare: 0.5 },
    };
    // zip level 1: 100* (3 records), 101* (1 record): the latter goes.
    const result = applyPlan(PEOPLE, plan, SECRETS);
    expect(result.recordsSuppressed).toBe(1);
    expect(result.table.rows.length).toBe(3);
    expect(only(result.table, 'zip')).toEqual(['100*', '100*', '100*']);
    expect(result.lineage.suppression?.recordsSuppressed).toBe(1);
    expect(
      code(() =>
        applyPlan(
          PEOPLE,
          { ...plan, suppression: { quasiIdentifiers: ['zip'], k: 2, maxShare: 0.1 } },
          SECRETS,
        ),
      ),
    ).toBe('suppression-limit');
    expect(
      code(() =>
        applyPlan(
          PEOPLE,
          { ...plan, suppression: { quasiIdentifiers: ['zip'], k: 5, maxShare: 1 } },
          SECRETS,
        ),
      ),
    ).toBe('k-too-large');
    // A dropped field cannot be a quasi-identifier of the output.
    expect(
      code(() =>
        applyPlan(
          PEOPLE,
          { ...plan, suppression: { quasiIdentifiers: ['name'], k: 2, maxShare: 1 } },
          SECRETS,
        ),
      ),
    ).toBe('unknown-field');
  });

  it('refuses bad plans and values with a clear error, leaving the input untouched', () => {
    const before = JSON.stringify(PEOPLE);
    expect(code(() => run({ postcode: { kind: 'keep' } }))).toBe('unknown-field');
    expect(() => run({ postcode: { kind: 'keep' } })).toThrow(/"postcode" is not a column/);
    expect(code(() => run({ zip: { kind: 'shuffle' } as never }))).toBe('bad-plan');
    expect(code(() => run({ zip: { kind: 'generalize', hierarchy: ZIP, level: 4 } }))).toBe('bad-plan');
    expect(code(() => run({ zip: { kind: 'range', width: 0 } }))).toBe('bad-plan');
    expect(code(() => run({ name: { kind: 'hash', length: 4 } }))).toBe('bad-plan');
    expect(code(() => run({ income: { kind: 'noise', distribution: 'cauchy', scale: 1 } as never }))).toBe(
      'bad-plan',
    );
    expect(code(() => applyPlan(PEOPLE, {} as DeidPlan, SECRETS))).toBe('bad-plan');
    const partial = parseHierarchyCsv('1001;*\n');
    expect(code(() => run({ zip: { kind: 'generalize', hierarchy: partial, level: 1 } }))).toBe(
      'hierarchy-incomplete',
    );
    expect(() => run({ zip: { kind: 'generalize', hierarchy: partial, level: 1 } })).toThrow(
      /2 value\(s\): "1002", "1011"/,
    );
    // "Li Si" is not a number: the whole call fails, nothing is returned.
    expect(
      code(() =>
        run({ age: { kind: 'range', width: 5 }, name: { kind: 'noise', distribution: 'uniform', scale: 1 } }),
      ),
    ).toBe('bad-value');
    expect(code(() => run({ name: { kind: 'truncate-date', unit: 'year' } }))).toBe('bad-value');
    expect(code(() => run({ name: { kind: 'hash' } }, { hmacKey: Buffer.alloc(4), releaseId: 'r' }))).toBe(
      'bad-options',
    );
    expect(JSON.stringify(PEOPLE)).toBe(before);
  });
});

describe('datapolis deidentify / risk', () => {
  let dir: string;
  const env = childEnv({});

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'datapolis-deid-cli-'));
    const rows = [
      'name,age,zip,diagnosis',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `Person ${i},${20 + (i % 4) * 5},${i < 6 ? '1001' : '1011'},${i % 3 === 0 ? 'flu' : 'cold'}`,
      ),
    ];
    writeFileSync(join(dir, 'people.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'zip.csv'), '1001;100*;*\n1011;101*;*\n');
    writeFileSync(join(dir, 'key.bin'), KEY);
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({
        fields: {
          name: { kind: 'hash', length: 12 },
          age: { kind: 'generalize', hierarchy: { ranges: [10] }, level: 1 },
          zip: { kind: 'generalize', hierarchy: 'zip.csv', level: 1 },
        },
        suppression: { quasiIdentifiers: ['age', 'zip'], k: 2, maxShare: 0.2 },
      }),
    );
    writeFileSync(join(dir, 'bad-plan.json'), JSON.stringify({ fields: { postcode: { kind: 'drop' } } }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('de-identifies a file with a plan, the same pseudonyms for the same release and key', async () => {
    const args = [
      'deidentify',
      join(dir, 'people.csv'),
      '--plan',
      join(dir, 'plan.json'),
      '--key-file',
      join(dir, 'key.bin'),
      '--release',
      'r1',
    ];
    const first = await runCli(
      [...args, '--out', join(dir, 'out.csv'), '--lineage', join(dir, 'lineage.json')],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/De-identified 12 records into 12 \(0 suppressed\), release r1\./);
    const out = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n');
    expect(out[0]).toBe('name,age,zip,diagnosis');
    expect(out[1]).toMatch(/^[0-9a-f]{12},20-29,100\*,flu$/);
    const lineage = readFileSync(join(dir, 'lineage.json'), 'utf8');
    expect(lineage).not.toContain(KEY.toString('utf8'));
    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim().split('\n')).toEqual(out);
  });

  it('prints a readable risk report, JSON, and a search', async () => {
    const file = join(dir, 'people.csv');
    const text = await runCli(
      ['risk', file, '--qi', 'age,zip', '--sensitive', 'diagnosis', '--scenario', 'internal-sharing'],
      env,
    );
    expect(text.code, text.stderr).toBe(0);
    // ages 20,25,30,35 repeat every 4 rows; zip splits rows 0-5 / 6-11: 8 classes, smallest of 1.
    expect(text.stdout).toMatch(/records 12, equivalence classes 8, smallest class k = 1/);
    expect(text.stdout).toMatch(/internal-sharing: FAIL/);
    const json = await runCli(['risk', file, '--qi', 'zip', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ records: 12, classes: 2, k: 6 });
    writeFileSync(join(dir, 'age.csv'), '20;20-29;*\n25;20-29;*\n30;30-39;*\n35;30-39;*\n');
    const search = await runCli(
      [
        'risk',
        file,
        '--qi',
        'age,zip',
        '--hierarchy',
        `age=${join(dir, 'age.csv')}`,
        '--hierarchy',
        `zip=${join(dir, 'zip.csv')}`,
        '--search',
        '--k',
        '3',
        '--json',
      ],
      env,
    );
    expect(search.code, search.stderr).toBe(0);
    const found = JSON.parse(search.stdout);
    expect(found.after.k).toBeGreaterThanOrEqual(3);
    expect(found.search.latticeSize).toBe(9);
  });

  it('answers bad input with one readable line and a non-zero exit', async () => {
    const file = join(dir, 'people.csv');
    const cases: [string[], RegExp][] = [
      [['risk', file, '--qi', 'age,postcode'], /"postcode" is not a column/],
      [['risk', file, '--qi', 'age', '--scenario', 'moon'], /--scenario must be one of/],
      [
        [
          'risk',
          file,
          '--qi',
          'age,zip',
          '--search',
          '--k',
          '3',
          '--hierarchy',
          `zip=${join(dir, 'zip.csv')}`,
        ],
        /missing: age/,
      ],
      [
        ['risk', file, '--qi', 'zip', '--hierarchy', `zip=${join(dir, 'zip.csv')}`, '--search', '--k', '13'],
        /k = 13 is larger than the table/,
      ],
      [['risk', join(dir, 'nothing.csv'), '--qi', 'zip'], /nothing\.csv|not found|ENOENT/i],
      [['deidentify', file, '--plan', join(dir, 'bad-plan.json')], /"postcode" is not a column/],
      [['deidentify', file, '--plan', join(dir, 'missing.json')], /cannot read plan/],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toMatch(pattern);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  }, 180_000);
});
