import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import { PayloadTooLargeError } from '../src/kernel/errors.ts';
import { organizationByCode, publishEntry, sampleEntry } from './support/catalog-fixtures.ts';
import { type BadFile, badFiles, versionTables } from './support/tables.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// `loadNow` (the CLI, CKAN datastore_create) reads a CSV, TSV or JSON file while it is being stored: one
// pass for the store, the hash and the load. These tests hold it to what the two-pass load guarantees.

const actor = systemActor('test');
const CSV = [
  'line,name,district,length_km',
  '1,1路,东城区,24.5',
  '2,2路,西城区,12.0',
  '3,特8路,朝阳区,38.2',
].join('\n');

let t: TestPlatform;
let entryCode: string;

async function newTable(platform: TestPlatform, name: string): Promise<string> {
  return (await platform.platform.datastore.createResource(actor, { entryCode, name })).id;
}

async function versions(platform: TestPlatform, id: string) {
  return platform.platform.db.kysely
    .selectFrom('datastore_versions as v')
    .leftJoin('datastore_uploads as u', 'u.id', 'v.upload_id')
    .select(['v.version', 'v.state', 'v.rows', 'v.sha256', 'u.sha256 as uploadSha256', 'u.storage_key'])
    .where('v.resource_id', '=', id)
    .orderBy('v.version')
    .execute();
}

async function lastActions(n: number): Promise<{ action: string; details?: Record<string, unknown> }[]> {
  const size = await t.platform.ledger.size();
  const out = [];
  for (let i = Math.max(0, size - n); i < size; i++)
    out.push(JSON.parse((await t.platform.ledger.getEntry(i)).entry) as { action: string });
  return out;
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A body that sends `first`, then fails, as a client that goes away mid-upload. */
function brokenBody(first: string): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(first);
      } else this.destroy(new Error('connection reset by the client'));
    },
  });
}

beforeAll(async () => {
  t = await startTestPlatform();
  const editor = await t.login('transport-editor');
  const admin = await t.login('transport-admin');
  const operator = await t.login('operator');
  const transport = await organizationByCode(t, 'bjjtw');
  entryCode = (await publishEntry(t, editor, admin, operator, sampleEntry(transport))).code;
});

afterAll(async () => {
  await t?.close();
});

describe('loading a file while it is stored', () => {
  it('stores the file, hashes it, loads it and links the version to its upload, all on the log', async () => {
    const id = await newTable(t, '公交线路');
    const before = await t.platform.ledger.size();
    const messages: string[] = [];
    const result = await t.platform.datastore.loadNow(
      actor,
      id,
      Readable.from([Buffer.from(CSV.slice(0, 30)), Buffer.from(CSV.slice(30))]),
      'bus.csv',
      {},
      async (_done, _total, message) => {
        messages.push(message);
      },
    );
    expect(result).toMatchObject({ version: 1, state: 'live', rows: 3 });
    expect(result.report?.stats).toMatchObject({ bytes: Buffer.byteLength(CSV), sha256: sha256(CSV) });
    const [v] = await versions(t, id);
    expect(v).toMatchObject({ state: 'live', rows: 3, sha256: sha256(CSV), uploadSha256: sha256(CSV) });
    expect(readFileSync(join(t.config.storageDir, v!.storage_key!), 'utf8')).toBe(CSV);
    const actions = (await lastActions((await t.platform.ledger.size()) - before)).map((e) => e.action);
    expect(actions).toEqual([
      'datastore.version.requested',
      'datastore.upload.received',
      'datastore.version.published',
    ]);
    // The switch comes before the statistics, and the caller hears of both.
    expect(messages.at(-1)).toBe('live; gathering statistics');
    const page = await t.platform.datastore.records(actor, id, { sort: 'line desc' });
    expect(page.records.map((r) => r.name)).toEqual(['特8路', '2路', '1路']);
  });

  it('numbers the rows in file order', async () => {
    const id = await newTable(t, '编号');
    const lines = Array.from({ length: 12_345 }, (_, i) => `${i + 1},row ${i + 1}`);
    await t.platform.datastore.loadNow(
      actor,
      id,
      Readable.from([`n,label\n${lines.join('\n')}`]),
      'n.csv',
      {},
    );
    const last = await t.platform.datastore.records(actor, id, { sort: 'n desc', limit: 3 });
    expect(last.records.map((r) => [r._id, r.n])).toEqual([
      [12_345, 12_345],
      [12_344, 12_344],
      [12_343, 12_343],
    ]);
    const some = await t.platform.datastore.records(actor, id, { filters: { n: 1_000 } });
    expect(some.records.map((r) => r._id)).toEqual([1_000]);
  });

  it('reads a gzip file as it arrives, and a TSV and NDJSON file', async () => {
    const id = await newTable(t, '压缩');
    const zipped = gzipSync(Buffer.from(CSV));
    const gz = await t.platform.datastore.loadNow(actor, id, Readable.from([zipped]), 'bus.csv.gz', {});
    expect(gz).toMatchObject({ state: 'live', rows: 3 });
    expect(gz.report?.stats).toMatchObject({ bytes: zipped.length, sha256: sha256(zipped) });
    const tsv = await t.platform.datastore.loadNow(
      actor,
      id,
      Readable.from([CSV.replaceAll(',', '\t')]),
      'bus.tsv',
      {},
    );
    expect(tsv).toMatchObject({ state: 'live', rows: 3 });
    const ndjson = ['{"a":1,"b":"x"}', '{"a":2,"b":"y"}'].join('\n');
    const json = await t.platform.datastore.loadNow(actor, id, Readable.from([ndjson]), 'rows.ndjson', {});
    expect(json).toMatchObject({ state: 'live', rows: 2 });
    expect((await versions(t, id)).map((v) => v.state)).toEqual(['superseded', 'superseded', 'live']);
  });

  it('still loads an XLSX file, which is read once stored', async () => {
    const id = await newTable(t, '表格');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('lines');
    sheet.addRow(['line', 'name']);
    sheet.addRow([1, '1路']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const result = await t.platform.datastore.loadNow(actor, id, Readable.from([xlsx]), 'lines.xlsx', {});
    expect(result).toMatchObject({ state: 'live', rows: 1 });
    expect((await versions(t, id))[0]?.uploadSha256).toBe(sha256(xlsx));
  });

  it('fails bad files with the reader’s error, keeps the previous version serving, and never hangs', async () => {
    const id = await newTable(t, '坏文件');
    await t.platform.datastore.loadNow(actor, id, Readable.from([CSV]), 'good.csv', {});
    const cases: BadFile[] = [
      ...badFiles(),
      // Larger than the buffers between the upload and its readers: a reader that gave up must not stall it.
      ['bad-label.csv', `${CSV}\n`.repeat(100_000), { encoding: 'no-such-encoding' }, 'encoding-error'],
      [
        'large-image.csv',
        Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(4 << 20)]),
        {},
        'format-error',
      ],
      ['broken.csv.gz', Buffer.from('1f8b0800000000000003', 'hex'), {}, 'compression-error'],
    ];
    for (const [filename, content, options, type] of cases) {
      const result = await t.platform.datastore.loadNow(
        actor,
        id,
        Readable.from([content]),
        filename,
        options,
      );
      expect(result.state, filename).toBe('failed');
      expect(result.report?.errors[0]?.type, `${filename}: ${JSON.stringify(result.report?.errors)}`).toBe(
        type,
      );
      expect(result.report?.stats.sha256, filename).toBe(sha256(content));
    }
    const states = (await versions(t, id)).map((v) => v.state);
    expect(states[0]).toBe('live');
    expect(states.slice(1).every((s) => s === 'failed')).toBe(true);
    expect(await versionTables(t, id)).toEqual([`r_${id}_v1`]);
    const page = await t.platform.datastore.records(actor, id, {});
    expect(page.version).toBe(1);
  });

  it('marks the version failed and keeps no table when the client goes away mid-upload', async () => {
    const id = await newTable(t, '断开');
    await expect(
      t.platform.datastore.loadNow(actor, id, brokenBody(`${CSV}\n`), 'bus.csv', {}),
    ).rejects.toThrow(/connection reset/);
    expect((await versions(t, id)).map((v) => [v.state, v.storage_key])).toEqual([['failed', null]]);
    expect(await versionTables(t, id)).toEqual([]);
    const [failed] = (await lastActions(1)).filter((e) => e.action === 'datastore.version.failed');
    expect(failed?.details).toMatchObject({ version: 1, reason: expect.stringMatching(/connection reset/) });
  });
});

describe('the upload limit', () => {
  it('stops a file over the limit while it loads, and keeps none of it', async () => {
    const small = await startTestPlatform({ DATAPOLIS_UPLOAD_LIMIT: '2048' });
    try {
      const id = (
        await small.platform.datastore.createResource(actor, {
          entryCode: await copyEntry(small),
          name: '大',
        })
      ).id;
      const rows = Array.from({ length: 400 }, (_, i) => `${i},line ${i}`).join('\n');
      const body = Readable.from([
        Buffer.from(`n,name\n${rows.slice(0, 1500)}`),
        Buffer.from(rows.slice(1500)),
      ]);
      await expect(small.platform.datastore.loadNow(actor, id, body, 'big.csv', {})).rejects.toBeInstanceOf(
        PayloadTooLargeError,
      );
      expect((await versions(small, id)).map((v) => [v.state, v.storage_key])).toEqual([['failed', null]]);
      expect(await versionTables(small, id)).toEqual([]);
      const leftovers = readdirSync(small.config.storageDir, { recursive: true }).filter(
        (f) => String(f).endsWith('.part') || /\/[a-z0-9]{30}$/.test(String(f)),
      );
      expect(leftovers).toEqual([]);
    } finally {
      await small.close();
    }
  });
});

/** A published open entry on another platform, for a table there. */
async function copyEntry(platform: TestPlatform): Promise<string> {
  const editor = await platform.login('transport-editor');
  const admin = await platform.login('transport-admin');
  const operator = await platform.login('operator');
  const transport = await organizationByCode(platform, 'bjjtw');
  return (await publishEntry(platform, editor, admin, operator, sampleEntry(transport))).code;
}
