import { systemActor } from '../kernel/auth/index.ts';
import type { CatalogService } from '../modules/catalog/index.ts';
import type { IdentityService } from '../modules/identity/index.ts';
import { cityDate, type OpeningService, type PlanItemInput } from '../modules/opening/index.ts';
import { type DemoPlanItem, demoOpeningPlans } from './demo-opening.ts';

/**
 * Puts the demo opening plans through the real workflow after the demo catalog: each institution drafts
 * its plan and submits it, the big data centre approves it; one amendment waits in the review queue.
 */
export async function seedDemoOpening(
  opening: OpeningService,
  catalog: CatalogService,
  identity: IdentityService,
  today = cityDate(new Date()),
): Promise<number> {
  const actor = systemActor('demo-seed');
  const orgs = (await identity.listOrganizations(undefined, 0, 1000)).items;
  const codesByTitle = new Map<string, Map<string, string>>();
  async function codeOf(organizationId: string, title: string): Promise<string> {
    let titles = codesByTitle.get(organizationId);
    if (titles === undefined) {
      titles = new Map((await catalog.entriesOf(actor, organizationId)).map((e) => [e.title.zh, e.code]));
      codesByTitle.set(organizationId, titles);
    }
    const code = titles.get(title);
    if (code === undefined) throw new Error(`demo opening plan: no catalog entry "${title}"`);
    return code;
  }
  async function inputs(organizationId: string, items: DemoPlanItem[]): Promise<PlanItemInput[]> {
    const result: PlanItemInput[] = [];
    for (const item of items)
      result.push({
        entryCode: await codeOf(organizationId, item.title),
        openType: item.openType,
        condition: item.condition ?? null,
        plannedDate: item.plannedDate,
      });
    return result;
  }

  let count = 0;
  for (const spec of demoOpeningPlans(today)) {
    const org = orgs.find((o) => o.code === spec.organizationCode);
    if (org === undefined) continue;
    const plan = await opening.create(actor, { organizationId: org.id, year: spec.year });
    const items = await inputs(org.id, spec.items);
    await opening.setItems(actor, plan.id, items);
    await opening.submit(actor, plan.id);
    await opening.review(actor, plan.id, { decision: 'approve', comment: '符合年度开放清单编制要求' });
    if (spec.amendment !== undefined) {
      await opening.setItems(actor, plan.id, [...items, ...(await inputs(org.id, spec.amendment))]);
      await opening.submit(actor, plan.id);
    }
    count += 1;
  }
  return count;
}
