import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, runCli } from './support/processes.ts';
import { DEMO_PASSWORD, freshDatabase, usePostgres } from './support/test-platform.ts';

let dir: string;
let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | undefined;

// The demo city's bus-lines entry (transport commission), published by the demo seed.
const BUS_ENTRY = '2-04-001-001-000001';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'datapolis-datastore-cli-'));
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
  // GB18030 bytes, as exported by many office tools here: detected without being told.
  // 'line,name,fare\n1,1路,2\n2,特8路,3\n3,"夜3路, 环线",2.5\n' in GB18030.
  const gb18030 =
    '6c696e652c6e616d652c666172650a312c31c2b72c320a322cccd838c2b72c330a332c22d2b933c2b72c20bbb7cfdf222c322e350a';
  writeFileSync(join(dir, 'lines.csv'), Buffer.from(gb18030, 'hex'));
  writeFileSync(join(dir, 'broken.csv'), 'line,name,fare\n1,1路,2\n2\n');
  const seeded = await runCli(['seed-demo'], env);
  expect(seeded.code, seeded.stderr).toBe(0);
}, 600_000);
afterAll(async () => {
  await dropDatabase?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('datapolis datastore', () => {
  let id: string;

  it('loads a file into a new data table in one command', async () => {
    const loaded = await runCli(
      ['datastore', 'load', join(dir, 'lines.csv'), '--entry', BUS_ENTRY, '--name', '线路'],
      env,
    );
    expect(loaded.code, loaded.stderr).toBe(0);
    const match = /Loaded 3 rows as version 1 of data table ([a-z0-9]+)\./.exec(loaded.stdout);
    expect(match, loaded.stdout).not.toBeNull();
    id = match![1]!;
  });

  it('dumps it as CSV and XLSX', async () => {
    const csv = await runCli(['datastore', 'dump', id], env);
    expect(csv.code, csv.stderr).toBe(0);
    expect(
      csv.stdout
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/),
    ).toEqual(['line,name,fare', '1,1路,2', '2,特8路,3', '3,"夜3路, 环线",2.5']);
    const out = join(dir, 'lines.xlsx');
    const xlsx = await runCli(['datastore', 'dump', id, '--format', 'xlsx', '--output', out], env);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(3).getCell(2).value).toBe('特8路');
  });

  it('refuses an invalid file with the errors and one readable line, loading nothing', async () => {
    const failed = await runCli(['datastore', 'load', join(dir, 'broken.csv'), '--resource', id], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('missing-cell (row 3, field 2)');
    expect(failed.stderr.trim().split('\n').at(-1)).toMatch(
      /broken\.csv is not valid \(2 errors\); nothing was loaded/,
    );
    const csv = await runCli(['datastore', 'dump', id], env);
    expect(csv.stdout.trim().split(/\r?\n/)).toHaveLength(4);
  });

  it('says what is wrong with its arguments on one line', async () => {
    const missing = await runCli(['datastore', 'load', join(dir, 'nope.csv'), '--resource', id], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const format = await runCli(['datastore', 'dump', id, '--format', 'pdf'], env);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain('--format must be one of csv, json, xlsx');
  });
});
