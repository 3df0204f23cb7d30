import { Readable } from 'node:stream';
import { systemActor } from '../kernel/auth/index.ts';
import type { DatastoreService } from '../modules/datastore/index.ts';
import { demoTables } from './demo-datastore.ts';

/**
 * Puts real tables behind the demo city's open entries: each file goes through the same upload,
 * validation and load as a publisher's would.
 */
export async function seedDemoDatastore(datastore: DatastoreService): Promise<void> {
  const actor = systemActor('demo-seed');
  for (const table of demoTables()) {
    const resource = await datastore.createResource(actor, {
      entryCode: table.entryCode,
      name: table.name,
      description: table.description,
    });
    const result = await datastore.loadNow(
      actor,
      resource.id,
      Readable.from([table.content]),
      table.filename,
      {
        ...(table.indexes === undefined ? {} : { indexes: table.indexes }),
        ...(table.primaryKey === undefined ? {} : { primaryKey: table.primaryKey }),
      },
    );
    if (result.state !== 'live')
      throw new Error(
        `demo table ${table.filename} did not load: ${result.report?.errors[0]?.message ?? result.state}`,
      );
  }
}
