import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCreditCheck } from '../src/lib/credit-code.ts';
import { childEnv, runCli } from './support/processes.ts';
import { DEMO_PASSWORD, freshDatabase, usePostgres } from './support/test-platform.ts';

let dir: string;
let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | undefined;

const TURTLE = `
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://cli.example.org/ds/bikes> a dcat:Dataset ; dct:title "共享单车停放点"@zh, "Shared bike parking"@en ;
  dct:description "Where shared bicycles may be parked in the city centre."@en ; dcat:keyword "bike" ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://cli.example.org/bikes.csv> ] .
<https://cli.example.org/ds/taxi> a dcat:Dataset ; dct:title "Taxi ranks"@en ; dct:description "Taxi ranks and their capacity."@en ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://cli.example.org/taxi.csv> ] .
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'datapolis-catalog-cli-'));
  env = childEnv({
    DATAPOLIS_DATA_DIR: join(dir, 'data'),
    DATAPOLIS_DEMO_PASSWORD: DEMO_PASSWORD,
    DATAPOLIS_DEMO_CATALOG: 'true',
  });
  if (usePostgres) {
    const database = await freshDatabase();
    await database.db.close();
    env.DATABASE_URL = database.url!;
    dropDatabase = database.drop;
  }
  writeFileSync(join(dir, 'catalog.ttl'), TURTLE);
  writeFileSync(join(dir, 'broken.ttl'), `${TURTLE}\n<https://x> a <oops`);
  const seeded = await runCli(['seed-demo'], env);
  expect(seeded.code, seeded.stderr).toBe(0);
}, 600_000);
afterAll(async () => {
  await dropDatabase?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('datapolis catalog', () => {
  it('imports a DCAT file with a summary, and again without duplicates', async () => {
    const first = await runCli(
      ['catalog', 'import', join(dir, 'catalog.ttl'), '--organization', 'bjjtw', '--publish'],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('2 records: 2 created, 0 updated, 0 unchanged, 0 not imported');
    const second = await runCli(
      ['catalog', 'import', join(dir, 'catalog.ttl'), '--organization', 'bjjtw', '--publish'],
      env,
    );
    expect(second.stdout).toContain('2 records: 0 created, 0 updated, 2 unchanged');
  });

  it('says in one line why a broken file imports nothing', async () => {
    const result = await runCli(
      ['catalog', 'import', join(dir, 'broken.ttl'), '--organization', 'bjjtw'],
      env,
    );
    expect(result.code).not.toBe(0);
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '' && !l.includes('importing'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/nothing imported: .*line/i);
    const unknownOrg = await runCli(
      ['catalog', 'import', join(dir, 'catalog.ttl'), '--organization', 'nosuch'],
      env,
    );
    expect(unknownOrg.code).not.toBe(0);
    expect(unknownOrg.stderr).toContain('no organisation has the code "nosuch"');
  });

  it('exports the public catalog as DCAT', async () => {
    const result = await runCli(
      ['catalog', 'export', '--format', 'ttl', '--base-url', 'https://data.example.city'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const quads = new Parser().parse(result.stdout);
    const titles = quads
      .filter((q) => q.predicate.value === 'http://purl.org/dc/terms/title')
      .map((q) => q.object.value);
    expect(titles).toContain('共享单车停放点');
    expect(titles).toContain('北京市公交线路');
    const bad = await runCli(['catalog', 'export', '--format', 'xlsx'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--format must be one of');
  });

  it('validates entries against the catalog standard', async () => {
    const good = {
      title: { zh: '北京市公交站点' },
      summary: { zh: '全市公交站点的名称、位置和途经线路。' },
      organizationId: '00000000-0000-4000-8000-000000000000',
      providerCreditCode: withCreditCheck('11110000000021135'),
      classification: 'thematic',
      theme: 'transport',
      keywords: ['公交'],
      formats: ['CSV'],
      informationItems: [
        { name: 'stop_name', type: 'string', grade: 'general-1', personalInfo: 'none', description: '站名' },
      ],
      shareType: 'unconditional',
      openType: 'unconditional',
      updateCycle: 'monthly',
      relatedCodes: [],
      grade: 'general-1',
      distributions: [],
    };
    writeFileSync(join(dir, 'good.json'), JSON.stringify([good]));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...good, theme: 'nowhere', keywords: [] }));
    const ok = await runCli(['catalog', 'validate', join(dir, 'good.json')], env);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('1 of 1 entries meet the catalog standard');
    const bad = await runCli(['catalog', 'validate', join(dir, 'bad.json'), '--lang', 'zh'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain('/theme');
    expect(bad.stdout).toContain('/keywords');
    expect(bad.stdout).toContain('请填写');
  });
});
