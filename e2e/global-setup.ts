import { mkdir } from 'node:fs/promises';
import { buildIfStale } from '../packages/web/scripts/build-if-stale.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';

/** The server serves packages/web/dist, so the web app must be built before any page opens. */
export default async function setup(): Promise<void> {
  await buildIfStale();
  await mkdir(ARTIFACTS_DIR, { recursive: true });
}
