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
