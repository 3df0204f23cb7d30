import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { badFiles, versionTables } from './support/tables.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { zip } from './support/zip.ts';

let t: TestPlatform;
let operator: Caller;
let editor: Caller;
let transportAdmin: Caller;
let haidianMember: Caller;
let companyAdmin: Caller;
let openCode: string;
let closedCode: string;
let sharedCode: string;

const BUS_CSV = [
  'line,name,district,length_km,stops,first_bus,fare',
  '1,1路,东城区,24.5,30,05:00:00,2',
  '2,2路,西城区,12.0,18,05:30:00,2',
  '3,特8路,朝阳区,38.2,41,05:10:00,3',
  '4,快速公交3线,朝阳区,19.9,22,06:00:00,4',
  '5,"夜3路, 环线",海淀区,,27,23:00:00,2.5',
].join('\n');

async function inject(
  caller: Caller | undefined,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  extra: Record<string, string> = {},
) {
  return t.platform.app.inject({
    method,
    url,
    headers: headers(caller, extra),
    ...(payload === undefined ? {} : { payload: payload as string }),
  });
}

async function drainJobs() {
  while (await t.platform.jobs.runOnce()) {
    // run queued jobs to the end
  }
}

async function createTable(caller: Caller, entryCode: string, name: string): Promise<string> {
  const response = await inject(caller, 'POST', '/api/v1/datastore/resources', { entryCode, name });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

async function uploadAndLoad(
  caller: Caller,
  id: string,
  content: string | Buffer,
  filename: string,
  options: Record<string, unknown> = {},
) {
  const uploaded = await inject(
    caller,
    'POST',
    `/api/v1/datastore/uploads?filename=${encodeURIComponent(filename)}`,
    content,
    {
      'content-type': 'application/octet-stream',
    },
  );
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const { id: uploadId } = uploaded.json() as { id: string };
  const load = await inject(caller, 'POST', `/api/v1/datastore/resources/${id}/loads`, {
    uploadId,
    ...options,
  });
  expect(load.statusCode, load.body).toBe(202);
  const { jobId, version } = load.json() as { jobId: string; version: number };
  await drainJobs();
  const job = (await inject(caller, 'GET', `/api/v1/jobs/${jobId}`)).json() as {
    status: string;
    lastError: string | null;
  };
  return { jobId, version, job };
}

async function ledgerActions(): Promise<string[]> {
  const size = await t.platform.ledger.size();
  const actions: string[] = [];
  for (let i = Math.max(0, size - 40); i < size; i++) {
    const entry = await t.platform.ledger.getEntry(i);
    actions.push((JSON.parse(entry.entry) as { action: string }).action);
  }
  return actions;
}

beforeAll(async () => {
  t = await startTestPlatform({
    DATAPOLIS_LOGIN_MAX_FAILURES: '1000',
    DATAPOLIS_OUTBOUND_ALLOW_PRIVATE: 'true',
  });
  operator = await t.login('operator');
  editor = await t.login('transport-editor');
  transportAdmin = await t.login('transport-admin');
  haidianMember = await t.login('haidian-member');
  companyAdmin = await t.login('company-admin');
  const transport = await organizationByCode(t, 'bjjtw');
  openCode = (await publishEntry(t, editor, transportAdmin, operator, sampleEntry(transport))).code;
  closedCode = (
    await publishEntry(
      t,
      editor,
      transportAdmin,
      operator,
      sampleEntry(transport, {
        title: { zh: '交通执法内部记录' },
        openType: 'not_open',
        shareType: 'not_shared',
      }),
    )
  ).code;
  sharedCode = (
    await publishEntry(
      t,
      editor,
      transportAdmin,
      operator,
      sampleEntry(transport, {
        title: { zh: '公交客流（政务共享）' },
        openType: 'not_open',
        shareType: 'unconditional',
      }),
    )
  ).code;
});

afterAll(async () => {
  await t?.close();
});

describe('a data table behind an open catalog entry', () => {
  let id: string;

  beforeAll(async () => {
    id = await createTable(editor, openCode, '公交线路');
    const { job, version } = await uploadAndLoad(editor, id, BUS_CSV, 'bus-lines.csv', {
      indexes: [['district']],
    });
    expect(job.status, job.lastError ?? '').toBe('succeeded');
    expect(version).toBe(1);
  });

  it('is created only by the institution’s editors', async () => {
    expect(
      (await inject(undefined, 'POST', '/api/v1/datastore/resources', { entryCode: openCode, name: 'x' }))
        .statusCode,
    ).toBe(401);
    expect(
      (await inject(haidianMember, 'POST', '/api/v1/datastore/resources', { entryCode: openCode, name: 'x' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await inject(companyAdmin, 'POST', '/api/v1/datastore/resources', { entryCode: openCode, name: 'x' }))
        .statusCode,
    ).toBe(403);
    const unknown = await inject(editor, 'POST', '/api/v1/datastore/resources', {
      entryCode: 'C-9-999-999-999-999999',
      name: 'x',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('describes its inferred schema, versions and report', async () => {
    const resource = (await inject(undefined, 'GET', `/api/v1/datastore/resources/${id}`)).json() as {
      liveVersion: number;
      rowCount: number;
      fields: { name: string; type: string }[];
      access: { read: boolean; manage: boolean };
    };
    expect(resource.liveVersion).toBe(1);
    expect(resource.rowCount).toBe(5);
    expect(resource.fields.map((f) => [f.name, f.type])).toEqual([
      ['line', 'integer'],
      ['name', 'string'],
      ['district', 'string'],
      ['length_km', 'number'],
      ['stops', 'integer'],
      ['first_bus', 'time'],
      ['fare', 'number'],
    ]);
    expect(resource.access).toEqual({ read: true, manage: false, conditional: false });
    const versions = (
      await inject(undefined, 'GET', `/api/v1/datastore/resources/${id}/versions`)
    ).json() as {
      items: { version: number; state: string; rows: number; valid: boolean; encoding: string }[];
    };
    expect(versions.items[0]).toMatchObject({ version: 1, state: 'live', rows: 5, valid: true });
    const report = (
      await inject(undefined, 'GET', `/api/v1/datastore/resources/${id}/versions/1/report`)
    ).json() as {
      valid: boolean;
      stats: { rows: number };
    };
    expect(report.valid).toBe(true);
  });

  it('filters by equality, lists and ranges, searches text, picks fields and sorts', async () => {
    const get = async (query: string) => {
      const response = await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as {
        records: Record<string, unknown>[];
        total: number;
        totalExact: boolean;
        nextCursor: string | null;
      };
    };
    const eq = await get(`filters=${encodeURIComponent(JSON.stringify({ district: '朝阳区' }))}&sort=line`);
    expect(eq.records.map((r) => r.name)).toEqual(['特8路', '快速公交3线']);
    expect(eq.total).toBe(2);
    const list = await get(`filters=${encodeURIComponent(JSON.stringify({ line: [1, 5] }))}&sort=line`);
    expect(list.records.map((r) => r.line)).toEqual([1, 5]);
    const range = await get(
      `filters=${encodeURIComponent(JSON.stringify({ length_km: { gte: 19.9, lt: 38 } }))}&sort=length_km desc`,
    );
    expect(range.records.map((r) => r.length_km)).toEqual([24.5, 19.9]);
    const text = await get(`q=${encodeURIComponent('环线')}`);
    expect(text.records.map((r) => r.name)).toEqual(['夜3路, 环线']);
    const picked = await get('fields=name,fare&sort=fare desc,line&limit=2');
    expect(picked.records).toEqual([
      { _id: 4, name: '快速公交3线', fare: 4 },
      { _id: 3, name: '特8路', fare: 3 },
    ]);
    expect(picked.total).toBe(5);
    const nulls = await get(`filters=${encodeURIComponent(JSON.stringify({ length_km: null }))}`);
    expect(nulls.records.map((r) => r.line)).toEqual([5]);
  });

  it('pages by cursor through the same rows as by offset, in both directions of sort', async () => {
    for (const sort of ['fare desc', 'district,length_km desc', 'length_km', 'line desc']) {
      const byOffset: unknown[] = [];
      for (let offset = 0; offset < 5; offset += 2) {
        const page = (
          await inject(
            undefined,
            'GET',
            `/api/v1/datastore/${id}/records?sort=${encodeURIComponent(sort)}&limit=2&offset=${offset}`,
          )
        ).json() as {
          records: { _id: number }[];
        };
        byOffset.push(...page.records.map((r) => r._id));
      }
      const byCursor: unknown[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/datastore/${id}/records?sort=${encodeURIComponent(sort)}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
        const page = (await inject(undefined, 'GET', url)).json() as {
          records: { _id: number }[];
          nextCursor: string | null;
        };
        byCursor.push(...page.records.map((r) => r._id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(byCursor, sort).toEqual(byOffset);
      expect(new Set(byCursor).size).toBe(5);
    }
    const first = (
      await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?sort=line&limit=2`)
    ).json() as { nextCursor: string };
    const mismatch = await inject(
      undefined,
      'GET',
      `/api/v1/datastore/${id}/records?sort=fare&limit=2&cursor=${first.nextCursor}`,
    );
    expect(mismatch.statusCode).toBe(400);
    const forged = await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?cursor=not-a-cursor`);
    expect(forged.statusCode).toBe(400);
  });

  it('answers bad parameters with 400 problems, never 500', async () => {
    for (const query of [
      'filters=%7Bnot%20json',
      `filters=${encodeURIComponent('{"nope":1}')}`,
      `filters=${encodeURIComponent('{"line":"abc"}')}`,
      `filters=${encodeURIComponent('{"line":{"between":1}}')}`,
      `filters=${encodeURIComponent('{"line":[]}')}`,
      'sort=nope',
      'sort=line%20sideways',
      'fields=nope',
      'limit=-1',
      'version=99',
    ]) {
      const response = await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?${query}`);
      expect([400, 404], query).toContain(response.statusCode);
      expect(response.headers['content-type'], query).toContain('application/problem+json');
    }
  });

  it('streams CSV and NDJSON, and downloads CSV, JSON and XLSX with the right headers', async () => {
    const csv = await inject(
      undefined,
      'GET',
      `/api/v1/datastore/${id}/records?format=csv&sort=line&fields=line,name`,
    );
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.trim().split(/\r?\n/)).toEqual([
      'line,name',
      '1,1路',
      '2,2路',
      '3,特8路',
      '4,快速公交3线',
      '5,"夜3路, 环线"',
    ]);
    const ndjson = await inject(
      undefined,
      'GET',
      `/api/v1/datastore/${id}/records?format=ndjson&sort=line&limit=2`,
    );
    const lines = ndjson.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number });
    expect(lines.map((l) => l.line)).toEqual([1, 2]);

    const download = await inject(undefined, 'GET', `/api/v1/datastore/${id}/download?format=csv`);
    expect(download.headers['content-disposition']).toContain(`${id}-v1.csv`);
    expect(download.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(
      'line,name,district,length_km,stops,first_bus,fare',
    );
    const json = await inject(undefined, 'GET', `/api/v1/datastore/${id}/download?format=json`);
    expect((JSON.parse(json.body) as unknown[]).length).toBe(5);
    const xlsx = await inject(undefined, 'GET', `/api/v1/datastore/${id}/download?format=xlsx`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(6);
    expect(sheet.getRow(2).getCell(2).value).toBe('1路');
  });

  it('aggregates for charts', async () => {
    const response = await inject(
      undefined,
      'GET',
      `/api/v1/datastore/${id}/aggregate?groupBy=district&metrics=count,sum:stops,avg:fare`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { rows: Record<string, unknown>[] };
    expect(body.rows[0]).toEqual({ district: '朝阳区', count: 2, 'sum:stops': 63, 'avg:fare': 3.5 });
    expect(body.rows).toHaveLength(4);
    const bad = await inject(
      undefined,
      'GET',
      `/api/v1/datastore/${id}/aggregate?groupBy=district&metrics=sum:name`,
    );
    expect(bad.statusCode).toBe(400);
  });

  it('keeps the previous version serving when a new file is invalid, and reports why', async () => {
    const broken =
      'line,name,district,length_km,stops,first_bus,fare\n6,6路,东城区,abc,10,05:00:00,2\n7,7路\n';
    const schema = {
      fields: [
        { name: 'line', type: 'integer' },
        { name: 'name', type: 'string' },
        { name: 'district', type: 'string' },
        { name: 'length_km', type: 'number' },
        { name: 'stops', type: 'integer' },
        { name: 'first_bus', type: 'time' },
        { name: 'fare', type: 'number' },
      ],
    };
    const { job, version } = await uploadAndLoad(editor, id, broken, 'bus-lines-2.csv', { schema });
    expect(job.status).toBe('failed');
    expect(job.lastError).toContain('validation error');
    const report = (
      await inject(editor, 'GET', `/api/v1/datastore/resources/${id}/versions/${version}/report`)
    ).json() as {
      valid: boolean;
      errors: { type: string; rowNumber?: number; fieldNumber?: number }[];
    };
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => [e.rowNumber, e.fieldNumber, e.type])).toEqual([
      [2, 4, 'type-error'],
      [3, 3, 'missing-cell'],
      [3, 4, 'missing-cell'],
      [3, 5, 'missing-cell'],
      [3, 6, 'missing-cell'],
      [3, 7, 'missing-cell'],
    ]);
    const resource = (await inject(undefined, 'GET', `/api/v1/datastore/resources/${id}`)).json() as {
      liveVersion: number;
      rowCount: number;
    };
    expect(resource).toMatchObject({ liveVersion: 1, rowCount: 5 });
    const rows = (await inject(undefined, 'GET', `/api/v1/datastore/${id}/records`)).json() as {
      total: number;
    };
    expect(rows.total).toBe(5);
    const tables = await t.platform.db.kysely
      .selectFrom('datastore_versions')
      .select(['version', 'state'])
      .where('resource_id', '=', id)
      .orderBy('version')
      .execute();
    expect(tables).toEqual([
      { version: 1, state: 'live' },
      { version: 2, state: 'failed' },
    ]);
    expect(await versionTables(t, id)).toEqual([`r_${id}_v1`]);
    expect(await ledgerActions()).toContain('datastore.version.failed');
  });

  it('makes a new version live, keeps the old one queryable by number until it is pruned', async () => {
    const next = `${BUS_CSV}\n6,6路,东城区,10.5,12,05:20:00,2`;
    const { job, version } = await uploadAndLoad(editor, id, next, 'bus-lines-3.csv');
    expect(job.status).toBe('succeeded');
    const live = (await inject(undefined, 'GET', `/api/v1/datastore/${id}/records`)).json() as {
      version: number;
      total: number;
    };
    expect(live).toMatchObject({ version, total: 6 });
    const old = (await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?version=1`)).json() as {
      version: number;
      total: number;
    };
    expect(old).toMatchObject({ version: 1, total: 5 });
    expect((await inject(editor, 'DELETE', `/api/v1/datastore/resources/${id}/versions/1`)).statusCode).toBe(
      403,
    );
    expect(
      (await inject(operator, 'DELETE', `/api/v1/datastore/resources/${id}/versions/${version}`)).statusCode,
    ).toBe(409);
    expect(
      (await inject(operator, 'DELETE', `/api/v1/datastore/resources/${id}/versions/1`)).statusCode,
    ).toBe(204);
    expect((await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?version=1`)).statusCode).toBe(
      404,
    );
    expect(await ledgerActions()).toEqual(
      expect.arrayContaining(['datastore.version.published', 'datastore.version.pruned']),
    );
  });

  it('stops a load that is cancelled and leaves nothing behind', async () => {
    const uploaded = await inject(editor, 'POST', '/api/v1/datastore/uploads?filename=more.csv', BUS_CSV, {
      'content-type': 'application/octet-stream',
    });
    const { id: uploadId } = uploaded.json() as { id: string };
    const load = (
      await inject(editor, 'POST', `/api/v1/datastore/resources/${id}/loads`, { uploadId })
    ).json() as {
      jobId: string;
      version: number;
    };
    expect((await inject(editor, 'POST', `/api/v1/jobs/${load.jobId}/cancel`, {})).statusCode).toBe(200);
    await drainJobs();
    const job = (await inject(editor, 'GET', `/api/v1/jobs/${load.jobId}`)).json() as { status: string };
    expect(job.status).toBe('cancelled');
    const versions = (await inject(editor, 'GET', `/api/v1/datastore/resources/${id}/versions`)).json() as {
      items: { version: number; state: string }[];
    };
    expect(versions.items.find((v) => v.version === load.version)?.state).toBe('cancelled');
    const live = (await inject(undefined, 'GET', `/api/v1/datastore/resources/${id}`)).json() as {
      liveVersion: number;
    };
    expect(live.liveVersion).not.toBe(load.version);
  });

  it('logs reads by others but not by the provider', async () => {
    const before = await t.platform.ledger.size();
    await inject(editor, 'GET', `/api/v1/datastore/${id}/records`);
    expect(await t.platform.ledger.size()).toBe(before);
    await inject(undefined, 'GET', `/api/v1/datastore/${id}/records`);
    await inject(undefined, 'GET', `/api/v1/datastore/${id}/download?format=csv`);
    expect(await t.platform.ledger.size()).toBe(before + 2);
    expect((await ledgerActions()).slice(-2)).toEqual(['datastore.records.read', 'datastore.records.read']);
  });
});

describe('details that are easy to get wrong', () => {
  let id: string;
  const NUMBERS =
    'id,name,count,seen\n1,a,9,2024-05-01T08:00:00\n2,b,10,2024-05-02T09:30:00\n3,c,100,2024-05-03T23:15:00\n4,d,,2024-05-04T00:00:00\n';

  beforeAll(async () => {
    id = await createTable(editor, openCode, '细节');
    const { job } = await uploadAndLoad(editor, id, gzipSync(Buffer.from(NUMBERS)), 'numbers.csv.gz', {
      schema: {
        fields: [
          { name: 'id', type: 'integer' },
          { name: 'name' },
          { name: 'count', type: 'integer' },
          { name: 'seen', type: 'datetime' },
        ],
        primaryKey: 'id',
      },
    });
    expect(job.status, job.lastError ?? '').toBe('succeeded');
  });

  it('reads a gzipped upload, and takes a schema in its short forms', async () => {
    const resource = (await inject(undefined, 'GET', `/api/v1/datastore/resources/${id}`)).json() as {
      fields: { name: string; type: string }[];
    };
    expect(resource.fields.map((f) => f.type)).toEqual(['integer', 'any', 'integer', 'datetime']);
    const version = (
      await inject(editor, 'GET', `/api/v1/datastore/resources/${id}/versions/1/report`)
    ).json() as {
      source: { compression: string; encoding: string };
    };
    expect(version.source).toMatchObject({ compression: 'gz', encoding: 'utf-8' });
  });

  it('sorts numbers as numbers, in pages, cursors, streams and aggregates', async () => {
    const page = (
      await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?sort=count&fields=count`)
    ).json() as {
      records: { count: number | null }[];
    };
    expect(page.records.map((r) => r.count)).toEqual([9, 10, 100, null]);
    const first = (
      await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?sort=count%20desc&limit=1`)
    ).json() as {
      records: { count: number }[];
      nextCursor: string;
    };
    expect(first.records[0]!.count).toBe(100);
    const csv = await inject(
      undefined,
      'GET',
      `/api/v1/datastore/${id}/records?sort=count%20desc&limit=2&format=csv&fields=count&cursor=${first.nextCursor}`,
    );
    expect(csv.body.trim().split(/\r?\n/)).toEqual(['count', '10', '9']);
    const skipped = await inject(
      undefined,
      'GET',
      `/api/v1/datastore/${id}/records?sort=count&offset=1&limit=1&format=ndjson&fields=count`,
    );
    expect(JSON.parse(skipped.body.trim())).toEqual({ count: 10 });
    const groups = (
      await inject(undefined, 'GET', `/api/v1/datastore/${id}/aggregate?groupBy=name&metrics=sum:count`)
    ).json() as {
      rows: Record<string, unknown>[];
    };
    expect(groups.rows.map((r) => r.name)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('gives SQL dates and times as stored, whatever the server time zone', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      const answer = await inject(undefined, 'POST', '/api/v1/datastore/sql', {
        sql: `SELECT seen, seen::date AS day FROM "${id}" ORDER BY id LIMIT 1`,
      });
      expect(answer.json()).toMatchObject({ records: [{ seen: '2024-05-01T08:00:00', day: '2024-05-01' }] });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('reads a zipped upload, finding the table by its name inside', async () => {
    const archive = zip([{ name: 'inner/numbers.csv', data: Buffer.from(NUMBERS) }]);
    const { job, version } = await uploadAndLoad(editor, id, archive, 'export.zip', { schema: undefined });
    expect(job.status, job.lastError ?? '').toBe('succeeded');
    const live = (
      await inject(undefined, 'GET', `/api/v1/datastore/${id}/records?version=${version}`)
    ).json() as { total: number };
    expect(live.total).toBe(4);
  });

  it('takes a file sent with any content type', async () => {
    const response = await inject(
      editor,
      'POST',
      '/api/v1/datastore/uploads?filename=rows.json',
      '[["a"],[1]]',
      {
        'content-type': 'application/json',
      },
    );
    expect(response.statusCode, response.body).toBe(201);
  });

  it('enforces the declared primary key, and lets CKAN upsert on it', async () => {
    const duplicate = await uploadAndLoad(
      editor,
      id,
      'id,name,count,seen\n1,a,1,2024-01-01T00:00:00\n1,b,2,2024-01-01T00:00:00\n',
      'dup.csv',
      {
        primaryKey: ['id'],
      },
    );
    expect(duplicate.job.status).toBe('failed');
    const report = (
      await inject(editor, 'GET', `/api/v1/datastore/resources/${id}/versions/${duplicate.version}/report`)
    ).json() as {
      errors: { type: string; rowNumber: number }[];
    };
    expect(report.errors.map((e) => [e.rowNumber, e.type])).toEqual([[3, 'primary-key']]);
  });

  it('removes the stored file of a pruned version', async () => {
    const files = () =>
      readdirSync(t.config.storageDir, { recursive: true }).filter((f) => /\/[a-z0-9]{30}$/.test(String(f)))
        .length;
    const { job } = await uploadAndLoad(editor, id, NUMBERS, 'numbers-2.csv');
    expect(job.status).toBe('succeeded');
    const before = files();
    expect(
      (await inject(operator, 'DELETE', `/api/v1/datastore/resources/${id}/versions/1`)).statusCode,
    ).toBe(204);
    expect(files()).toBe(before - 1);
  });
});

describe('bad files', () => {
  let id: string;
  beforeAll(async () => {
    id = await createTable(editor, openCode, '坏文件');
    await uploadAndLoad(editor, id, 'a,b\n1,2\n', 'good.csv');
  });

  it('each get a clear error in the report, and nothing of them is loaded', async () => {
    const cases = badFiles();
    for (const [filename, content, options, type] of cases) {
      const { job, version } = await uploadAndLoad(editor, id, content, filename, options);
      expect(job.status, filename).toBe('failed');
      const report = (
        await inject(editor, 'GET', `/api/v1/datastore/resources/${id}/versions/${version}/report`)
      ).json() as {
        errors: { type: string; message: string }[];
      };
      expect(report.errors[0]?.type, `${filename}: ${JSON.stringify(report.errors)}`).toBe(type);
      expect(report.errors[0]?.message.length).toBeGreaterThan(10);
    }
    const live = (await inject(undefined, 'GET', `/api/v1/datastore/${id}/records`)).json() as {
      version: number;
      total: number;
    };
    expect(live).toMatchObject({ version: 1, total: 1 });
  });

  it('refuses a file over the upload limit without keeping any of it', async () => {
    const small = await startTestPlatform({ DATAPOLIS_UPLOAD_LIMIT: '2048' });
    try {
      const session = await small.login('transport-editor');
      const response = await small.platform.app.inject({
        method: 'POST',
        url: '/api/v1/datastore/uploads?filename=big.csv',
        headers: headers(session, { 'content-type': 'application/octet-stream' }),
        payload: 'x'.repeat(10_000),
      });
      expect(response.statusCode).toBe(413);
      expect(response.headers['content-type']).toContain('application/problem+json');
      // Without a length announced, the limit applies as the bytes arrive.
      const streamed = await small.platform.app.inject({
        method: 'POST',
        url: '/api/v1/datastore/uploads?filename=big.csv',
        headers: headers(session, {
          'content-type': 'application/octet-stream',
          'transfer-encoding': 'chunked',
        }),
        payload: Readable.from([Buffer.alloc(1500, 120), Buffer.alloc(1500, 120)]),
      });
      expect(streamed.statusCode, streamed.body).toBe(413);
      const leftovers = readdirSync(small.config.storageDir, { recursive: true }).filter(
        (f) => String(f).endsWith('.part') || /\/[a-z0-9]{30}$/.test(String(f)),
      );
      expect(leftovers).toEqual([]);
    } finally {
      await small.close();
    }
  });
});

describe('access follows the catalog entry', () => {
  let closedId: string;
  let sharedId: string;

  beforeAll(async () => {
    closedId = await createTable(editor, closedCode, '执法记录');
    await uploadAndLoad(editor, closedId, 'case,amount\nA1,200\nA2,50\n', 'cases.csv');
    sharedId = await createTable(editor, sharedCode, '客流');
    await uploadAndLoad(editor, sharedId, 'station,riders\n西直门,1200\n国贸,900\n', 'riders.csv');
  });

  it('serves not-open, not-shared rows to the provider and the data centre only', async () => {
    for (const caller of [undefined, haidianMember, companyAdmin]) {
      expect((await inject(caller, 'GET', `/api/v1/datastore/${closedId}/records`)).statusCode).toBe(404);
      expect((await inject(caller, 'GET', `/api/v1/datastore/${closedId}/download`)).statusCode).toBe(404);
      expect((await inject(caller, 'GET', `/api/v1/datastore/${closedId}/aggregate`)).statusCode).toBe(404);
      expect((await inject(caller, 'GET', `/api/v1/datastore/resources/${closedId}`)).statusCode).toBe(404);
      const sqlAnswer = await inject(caller, 'POST', '/api/v1/datastore/sql', {
        sql: `SELECT * FROM "${closedId}"`,
      });
      expect(sqlAnswer.statusCode).toBe(400);
      const ckan = await inject(caller, 'GET', `/api/3/action/datastore_search?resource_id=${closedId}`);
      expect(ckan.json()).toMatchObject({ success: false });
    }
    expect((await inject(editor, 'GET', `/api/v1/datastore/${closedId}/records`)).statusCode).toBe(200);
    expect((await inject(operator, 'GET', `/api/v1/datastore/${closedId}/records`)).statusCode).toBe(200);
    const list = (
      await inject(undefined, 'GET', `/api/v1/datastore/resources?entry=${closedCode}`)
    ).json() as { items: unknown[] };
    expect(list.items).toEqual([]);
  });

  it('serves shared rows to institutions but not to companies or the public', async () => {
    expect((await inject(haidianMember, 'GET', `/api/v1/datastore/${sharedId}/records`)).statusCode).toBe(
      200,
    );
    expect((await inject(companyAdmin, 'GET', `/api/v1/datastore/${sharedId}/records`)).statusCode).toBe(404);
    expect((await inject(undefined, 'GET', `/api/v1/datastore/${sharedId}/records`)).statusCode).toBe(404);
  });
});

describe('the SQL endpoint', () => {
  let id: string;
  beforeAll(async () => {
    id = await createTable(editor, openCode, '线路 SQL');
    await uploadAndLoad(editor, id, BUS_CSV, 'bus.csv');
  });

  it('runs one SELECT over readable tables', async () => {
    const response = await inject(undefined, 'POST', '/api/v1/datastore/sql', {
      sql: `SELECT district, count(*) AS n FROM "${id}" GROUP BY district ORDER BY n DESC, district LIMIT 1`,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as { records: unknown[] }).records).toEqual([{ district: '朝阳区', n: 2 }]);
  });

  it('refuses hostile SQL before running it', async () => {
    for (const text of [
      `DROP TABLE "${id}"`,
      `SELECT 1; DROP TABLE "${id}"`,
      'SELECT pg_sleep(10)',
      "SELECT pg_read_file('/etc/passwd')",
      "SELECT * FROM dblink('host=127.0.0.1', 'select 1') AS t(a int)",
      `COPY "${id}" TO '/tmp/x'`,
      `DELETE FROM "${id}"`,
      'SELECT * FROM pg_catalog.pg_class',
      'SELECT * FROM identity_users',
      'SELECT * FROM information_schema.tables',
      `SELECT * FROM datastore."r_${id}_v1"`,
      'SELECT * FROM',
    ]) {
      const response = await inject(undefined, 'POST', '/api/v1/datastore/sql', { sql: text });
      expect(response.statusCode, text).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const still = (await inject(undefined, 'GET', `/api/v1/datastore/${id}/records`)).json() as {
      total: number;
    };
    expect(still.total).toBe(5);
  });
});

describe('the CKAN DataStore API', () => {
  let id: string;
  let token: string;

  beforeAll(async () => {
    token = await t.token('transport-editor', ['datastore:manage', 'datastore:upload']);
  });

  async function action(name: string, body: unknown, auth = true) {
    const response = await t.platform.app.inject({
      method: 'POST',
      url: `/api/3/action/${name}`,
      headers: auth ? { authorization: token } : {},
      payload: body as string,
    });
    return response.json() as {
      success: boolean;
      result: Record<string, unknown>;
      error?: Record<string, unknown>;
    };
  }

  it('creates a table from fields and records, then searches, upserts and deletes', async () => {
    const created = await action('datastore_create', {
      resource: { package_id: openCode, name: '站点' },
      fields: [
        { id: 'code', type: 'text' },
        { id: 'name', type: 'text' },
        { id: 'riders', type: 'int' },
      ],
      primary_key: ['code'],
      records: [
        { code: 'S1', name: '西直门', riders: 1200 },
        { code: 'S2', name: '国贸', riders: 900 },
      ],
    });
    expect(created.success, JSON.stringify(created.error)).toBe(true);
    id = created.result.resource_id as string;

    const search = await action('datastore_search', { resource_id: id, filters: { code: 'S2' } }, false);
    expect(search.result).toMatchObject({
      total: 1,
      records: [{ _id: 2, code: 'S2', name: '国贸', riders: 900 }],
    });
    expect(search.result.fields).toEqual([
      { id: '_id', type: 'int' },
      { id: 'code', type: 'text' },
      { id: 'name', type: 'text' },
      { id: 'riders', type: 'int' },
    ]);

    // Totals of a filter are kept between reads: a write to the table must make them counted again.
    const byName = { resource_id: id, filters: { name: '天通苑' } };
    expect((await action('datastore_search', byName, false)).result.total).toBe(0);
    const byCode = { resource_id: id, filters: { code: 'S1' } };
    expect((await action('datastore_search', byCode, false)).result.total).toBe(1);

    const upsert = await action('datastore_upsert', {
      resource_id: id,
      records: [
        { code: 'S2', riders: 950 },
        { code: 'S3', name: '天通苑', riders: 700 },
      ],
    });
    expect(upsert.success, JSON.stringify(upsert.error)).toBe(true);
    const after = await action('datastore_search', { resource_id: id, sort: 'code' }, false);
    expect((after.result.records as { riders: number }[]).map((r) => r.riders)).toEqual([1200, 950, 700]);
    expect((await action('datastore_search', byName, false)).result.total).toBe(1);

    const info = await action('datastore_info', { id }, false);
    expect(info.result).toMatchObject({ meta: { count: 3 } });

    const sqlAnswer = await action(
      'datastore_search_sql',
      { sql: `SELECT sum(riders) AS total FROM "${id}"` },
      false,
    );
    expect(sqlAnswer.result.records).toEqual([{ total: 2850 }]);

    const deleted = await action('datastore_delete', { resource_id: id, filters: { code: 'S1' } });
    expect(deleted.success).toBe(true);
    const left = await action('datastore_search', { resource_id: id }, false);
    expect(left.result.total).toBe(2);
    expect((await action('datastore_search', byCode, false)).result.total).toBe(0);

    const anonymous = await action('datastore_upsert', { resource_id: id, records: [] }, false);
    expect(anonymous.success).toBe(false);
    const badUpdate = await action('datastore_upsert', {
      resource_id: id,
      method: 'update',
      records: [{ code: 'S9', riders: 1 }],
    });
    expect(badUpdate.success).toBe(false);
  });
});

describe('intake by interface call', () => {
  let server: Server;
  let body = 'station,pm25\n东四,35\n万柳,42\n';
  let status = 200;
  let url: string;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(status, { 'content-type': 'text/csv' });
      response.end(status === 200 ? body : 'down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/air.csv`;
  });
  afterAll(() => {
    server?.close();
  });

  it('loads a new version only when the content changed, and shows failures', async () => {
    const id = await createTable(editor, openCode, '空气质量');
    const set = await inject(editor, 'PUT', `/api/v1/datastore/resources/${id}/intake`, {
      url,
      intervalMinutes: 60,
      enabled: true,
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(await t.platform.datastore.pullIntake(id)).toBe('loaded');
    await drainJobs();
    expect((await inject(undefined, 'GET', `/api/v1/datastore/resources/${id}`)).json()).toMatchObject({
      liveVersion: 1,
      rowCount: 2,
    });
    expect(await t.platform.datastore.pullIntake(id)).toBe('unchanged');
    body = 'station,pm25\n东四,35\n万柳,42\n古城,51\n';
    expect(await t.platform.datastore.pullIntake(id)).toBe('loaded');
    await drainJobs();
    expect((await inject(undefined, 'GET', `/api/v1/datastore/resources/${id}`)).json()).toMatchObject({
      liveVersion: 2,
      rowCount: 3,
    });
    status = 500;
    expect(await t.platform.datastore.pullIntake(id)).toBe('failed');
    const intake = (await inject(editor, 'GET', `/api/v1/datastore/resources/${id}/intake`)).json() as {
      lastStatus: string;
      lastError: string;
      failures: number;
    };
    expect(intake).toMatchObject({ lastStatus: 'failed', failures: 1 });
    expect(intake.lastError).toContain('500');
    expect((await inject(haidianMember, 'GET', `/api/v1/datastore/resources/${id}/intake`)).statusCode).toBe(
      403,
    );
    const bad = await inject(editor, 'PUT', `/api/v1/datastore/resources/${id}/intake`, {
      url: 'file:///etc/passwd',
      intervalMinutes: 60,
      enabled: true,
    });
    expect(bad.statusCode).toBe(400);
  });
});
