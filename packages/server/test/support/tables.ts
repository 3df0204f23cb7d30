import { expect } from 'vitest';
import { type Caller, headers } from './catalog-fixtures.ts';
import type { TestPlatform } from './test-platform.ts';

/** Runs the queued jobs (loads among them) to the end. */
export async function drainJobs(t: TestPlatform): Promise<void> {
  while (await t.platform.jobs.runOnce()) {
    // run queued jobs to the end
  }
}

/** A data table behind `entryCode`, made by `editor` through the API, with `csv` loaded; its id. */
export async function tableWithRows(
  t: TestPlatform,
  editor: Caller,
  entryCode: string,
  csv: string,
  name = 'routes',
): Promise<string> {
  const send = (method: 'POST', url: string, payload: unknown, extra: Record<string, string> = {}) =>
    t.platform.app.inject({
      method,
      url,
      headers: headers(editor, extra),
      payload: payload as string,
    });
  const created = await send('POST', '/api/v1/datastore/resources', { entryCode, name });
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as { id: string }).id;
  const uploaded = await send('POST', `/api/v1/datastore/uploads?filename=${name}.csv`, csv, {
    'content-type': 'text/csv',
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const load = await send('POST', `/api/v1/datastore/resources/${id}/loads`, {
    uploadId: (uploaded.json() as { id: string }).id,
  });
  expect(load.statusCode, load.body).toBe(202);
  await drainJobs(t);
  return id;
}

/** A file a load must refuse: its name, its bytes, the load options, and the first error's type. */
export type BadFile = [
  filename: string,
  content: string | Buffer,
  options: Record<string, unknown>,
  errorType: string,
];

/** Files of the bad-input list, each refused with the reader's error and nothing loaded. */
export function badFiles(): BadFile[] {
  // 'line,name\n1,北京\n' in GBK: 0xb1 cannot start a UTF-8 character.
  const gbkAsUtf8 = Buffer.from('6c696e652c6e616d650a312cb1b1bea90a', 'hex');
  return [
    ['empty.csv', '', {}, 'source-error'],
    [
      'image.csv',
      Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]),
      {},
      'format-error',
    ],
    ['wide.csv', `${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')}\n`, {}, 'format-error'],
    ['gbk.csv', gbkAsUtf8, { encoding: 'utf-8' }, 'encoding-error'],
    [
      'stops.geojson',
      '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":',
      {},
      'format-error',
    ],
  ];
}

/** The names of the tables that hold versions of data table `id`, sorted. */
export async function versionTables(t: TestPlatform, id: string): Promise<string[]> {
  const rows = await t.platform.db.kysely
    .selectFrom('information_schema.tables' as never)
    .select('table_name' as never)
    .where('table_schema' as never, '=', 'datastore' as never)
    .where('table_name' as never, 'like', `r_${id}_%` as never)
    .execute();
  return (rows as { table_name: string }[]).map((r) => r.table_name).sort();
}
