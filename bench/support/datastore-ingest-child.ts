// One ingest on PostgreSQL in a process of its own, so that its RSS is that of a server holding nothing but
// the platform: `loadNow` of a file into an existing resource, or raw COPY of the same file. Options come
// in BENCH_INGEST (JSON); the result goes to stdout as one JSON line. Run with --expose-gc.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { systemActor } from '../../packages/server/src/kernel/auth/index.ts';
import { createDb } from '../../packages/server/src/kernel/db/index.ts';
import { benchPlatform } from './database.ts';
import { type IngestPhases, ingestPhases } from './ingest-phases.ts';
import { rssSampler } from './measure.ts';

export interface IngestJob {
  mode: 'load' | 'raw';
  url: string;
  /** The platform's data directory (uploads are stored under it). */
  dataDir: string;
  path: string;
  /** load: the resource that gets the new version. */
  resourceId?: string;
  /** raw: the table to COPY into. */
  table?: string;
}

export interface IngestFigures extends IngestPhases {
  ms: number;
  rssBefore: number;
  rssPeak: number;
  rows: number;
  state: string;
  /** load: the inferred schema as name:type,… */
  types: string;
  error: string;
}

const job = JSON.parse(process.env.BENCH_INGEST ?? '{}') as IngestJob;
const figures: IngestFigures = {
  ms: 0,
  startMs: 0,
  rowsMs: 0,
  keysMs: 0,
  liveMs: 0,
  statsMs: 0,
  rssBefore: 0,
  rssPeak: 0,
  rows: 0,
  state: '',
  types: '',
  error: '',
};

if (job.mode === 'raw') {
  const client = new pg.Client({ connectionString: job.url });
  await client.connect();
  try {
    const rss = rssSampler();
    const start = performance.now();
    const stream = client.query(copyFrom(`COPY ${job.table} FROM STDIN WITH (FORMAT csv, HEADER)`));
    await pipeline(createReadStream(job.path, { highWaterMark: 256 * 1024 }), stream);
    figures.ms = performance.now() - start;
    figures.rssPeak = rss.stop();
    figures.rssBefore = rss.before;
    figures.rows = stream.rowCount;
    figures.state = 'copied';
  } finally {
    await client.end();
  }
} else {
  const db = await createDb({ kind: 'postgres', url: job.url, poolSize: 10 });
  const platform = await benchPlatform({
    engine: 'postgres',
    db,
    dataDir: job.dataDir,
    dispose: async () => undefined,
  });
  try {
    const phases = ingestPhases();
    const rss = rssSampler();
    const start = performance.now();
    const result = await platform.datastore.loadNow(
      systemActor('bench'),
      job.resourceId!,
      createReadStream(job.path),
      'data.csv',
      {},
      phases.progress,
    );
    const end = performance.now();
    figures.rssPeak = rss.stop();
    figures.rssBefore = rss.before;
    figures.ms = end - start;
    Object.assign(figures, phases.finish(start, end));
    figures.rows = result.rows ?? 0;
    figures.state = result.state;
    figures.types = result.report?.schema.fields.map((f) => `${f.name}:${f.type}`).join(',') ?? '';
    figures.error = result.report?.errors[0]?.message ?? '';
  } finally {
    await platform.stop();
    await db.close().catch(() => undefined);
  }
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
