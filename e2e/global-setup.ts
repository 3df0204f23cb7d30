import { mkdir, rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { buildIfStale } from '../packages/web/scripts/build-if-stale.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';
import { makeTemplateDataDir } from './support/server.ts';

/**
 * The server serves packages/web/dist, so the web app must be built before any page opens. The demo city is
 * loaded once here; every file's server starts from a copy of that data directory.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildIfStale();
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const template = await makeTemplateDataDir();
  project.provide('e2eTemplateDataDir', template);
  return async () => {
    await rm(template, { recursive: true, force: true });
  };
}
