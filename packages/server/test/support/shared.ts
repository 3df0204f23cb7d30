import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './test-platform.ts';

/**
 * The shared standards and fixtures (official SHACL shapes, recorded CKAN responses, real DCAT catalogs)
 * live beside the repository, not in it. `npm test` on a plain clone skips what needs them; CI sets
 * DATAPOLIS_REQUIRE_SHARED=1 so that a missing folder fails instead of skipping.
 */
export const SHARED_DIR = process.env.DATAPOLIS_SHARED_DIR ?? join(ROOT, '..', 'shared');

export const sharedAvailable = existsSync(join(SHARED_DIR, 'standards'));

if (!sharedAvailable && process.env.DATAPOLIS_REQUIRE_SHARED === '1')
  throw new Error(`The shared standards and fixtures are required here but ${SHARED_DIR} has none.`);
