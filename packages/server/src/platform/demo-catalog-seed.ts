import { systemActor } from '../kernel/auth/index.ts';
import type { CatalogService } from '../modules/catalog/index.ts';
import type { IdentityService } from '../modules/identity/index.ts';
import { demoCatalogEntries } from './demo-catalog.ts';

/**
 * Puts the demo catalog through the real workflow: every institution drafts its entries and submits them,
 * the big data centre approves; a few stay behind as drafts and one catalog waits in the review queue, so
 * that every page has something to show.
 */
export async function seedDemoCatalog(catalog: CatalogService, identity: IdentityService): Promise<number> {
  const actor = systemActor('demo-seed');
  const orgs = (await identity.listOrganizations(undefined, 0, 1000)).items;
  const entries = demoCatalogEntries(orgs.map((o) => ({ id: o.id, code: o.code, creditCode: o.creditCode })));
  const created = new Map<string, string[]>();
  for (const metadata of entries) {
    const record = await catalog.create(actor, metadata, 'zh');
    const list = created.get(metadata.organizationId) ?? [];
    list.push(record.id);
    created.set(metadata.organizationId, list);
  }
  const waiting = orgs.find((o) => o.code === 'haidian')?.id;
  for (const [organizationId, ids] of created) {
    // The last two of each institution stay drafts; Haidian's catalog waits for review.
    const toPublish = ids.slice(0, Math.max(1, ids.length - 2));
    const submission = await catalog.submit(
      actor,
      organizationId,
      toPublish,
      '年度目录编制 / annual catalog',
      'zh',
    );
    if (organizationId !== waiting)
      await catalog.review(actor, submission.id, { approve: true, comment: '符合目录标准' });
  }
  return entries.length;
}
