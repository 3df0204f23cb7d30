import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCreditCheck } from '../src/lib/credit-code.ts';
import type { OpenType } from '../src/modules/catalog/index.ts';
import { cityDate } from '../src/modules/opening/index.ts';
import { demoCatalogEntries } from '../src/platform/demo-catalog.ts';
import { type DemoPlan, demoOpeningPlans } from '../src/platform/demo-opening.ts';
import type { TestPlatform } from './support/test-platform.ts';

// The demo organisations as the seed creates them (codes and credit codes of ORGANIZATIONS).
const ORGS = [
  ['bjbdc', '12110000MB0123456'],
  ['bjjtw', '11110000000021135'],
  ['bjwjw', '11110000000022137'],
  ['haidian', '11110108000023142'],
  ['bjsthjj', '11110000000024151'],
  ['bjscjgj', '11110000000025163'],
  ['bjghzrzyw', '11110000000026178'],
  ['bjjw', '11110000000027184'],
  ['demo-tech', '91110108MA01ABCD2'],
].map(([code, credit]) => ({ id: code!, code: code!, creditCode: withCreditCheck(credit!) }));

/** Each demo entry as the catalog seed leaves it: the last two of each organisation stay drafts. */
const catalog = new Map<string, { org: string; openType: OpenType; grade: string; published: boolean }>();
for (const org of ORGS) {
  const mine = demoCatalogEntries(ORGS).filter((e) => e.organizationId === org.id);
  mine.forEach((e, i) => {
    catalog.set(e.title.zh, {
      org: org.code,
      openType: e.openType,
      grade: e.grade,
      published: org.code !== 'haidian' && i < Math.max(1, mine.length - 2),
    });
  });
}

const OPENNESS: Record<OpenType, number> = { not_open: 0, conditional: 1, unconditional: 2 };

function allItems(plans: DemoPlan[]) {
  return plans.flatMap((p) => [...p.items, ...(p.amendment ?? [])].map((item) => ({ plan: p, item })));
}

describe('demo opening plans', () => {
  it('are deterministic for a given day', () => {
    expect(JSON.stringify(demoOpeningPlans('2026-06-15'))).toBe(
      JSON.stringify(demoOpeningPlans('2026-06-15')),
    );
  });

  it('cover this year and the next, for two institutions and the company', () => {
    const plans = demoOpeningPlans('2026-06-15');
    expect(new Set(plans.map((p) => p.year))).toEqual(new Set([2026, 2027]));
    expect(new Set(plans.map((p) => p.organizationCode))).toEqual(new Set(['bjjtw', 'bjwjw', 'demo-tech']));
  });

  it('name existing, non-core entries of the planning organisation, each once per plan', () => {
    for (const { plan, item } of allItems(demoOpeningPlans('2026-06-15'))) {
      const entry = catalog.get(item.title);
      expect(entry?.org, item.title).toBe(plan.organizationCode);
      expect(entry?.grade, item.title).not.toBe('core');
      expect(item.openType === 'conditional', item.title).toBe(item.condition !== undefined);
    }
    for (const plan of demoOpeningPlans('2026-06-15')) {
      const titles = [...plan.items, ...(plan.amendment ?? [])].map((i) => i.title);
      expect(new Set(titles).size).toBe(titles.length);
    }
  });

  it('expect what the progress rule gives once the catalog is loaded that day', () => {
    for (const today of ['2026-06-15', '2026-01-01', '2026-12-31', '2027-02-28']) {
      for (const { plan, item } of allItems(demoOpeningPlans(today))) {
        expect(item.plannedDate.startsWith(`${plan.year}-`), `${today} ${item.title}`).toBe(true);
        const entry = catalog.get(item.title)!;
        const opened = entry.published && OPENNESS[entry.openType] >= OPENNESS[item.openType];
        const expected = opened
          ? item.plannedDate >= today
            ? 'opened_on_time'
            : 'opened_late'
          : item.plannedDate < today
            ? 'overdue'
            : 'planned';
        expect(item.expected, `${today} ${item.title}`).toBe(expected);
      }
    }
  });

  it('show every kind of progress in this year’s plan, except where the calendar allows none', () => {
    const kinds = (today: string) =>
      new Set(
        demoOpeningPlans(today)
          .filter((p) => p.year === Number(today.slice(0, 4)))
          .flatMap((p) => p.items.map((i) => i.expected)),
      );
    const all = new Set(['opened_on_time', 'opened_late', 'overdue', 'planned']);
    for (const today of ['2026-01-02', '2026-06-15', '2026-12-31']) expect(kinds(today), today).toEqual(all);
    // On 1 January no day of the year has passed: nothing can be late or overdue yet.
    expect(kinds('2026-01-01')).toEqual(new Set(['opened_on_time', 'planned']));
  });
});

describe('demo opening plans on a seeded platform', () => {
  let t: TestPlatform | undefined;
  const today = cityDate(new Date());
  const year = Number(today.slice(0, 4));
  beforeAll(async () => {
    const { startTestPlatform } = await import('./support/test-platform.ts');
    t = await startTestPlatform({}, { seedCatalog: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('are approved and on the public city page with the progress the demo expects', async () => {
    const response = await t!.platform.app.inject({ method: 'GET', url: `/api/v1/opening/city/${year}` });
    const city = response.json() as {
      totals: { items: number };
      organizations: unknown[];
      items: { entryTitle: { zh: string }; progress: string }[];
    };
    const planned = demoOpeningPlans(today).filter((p) => p.year === year);
    expect(city.organizations).toHaveLength(planned.length);
    const expected = Object.fromEntries(planned.flatMap((p) => p.items.map((i) => [i.title, i.expected])));
    expect(Object.fromEntries(city.items.map((i) => [i.entryTitle.zh, i.progress]))).toEqual(expected);
    expect(city.totals.items).toBe(Object.keys(expected).length);
  });

  it('keep an amendment of next year’s transport plan waiting for review, the approved items serving', async () => {
    const plans = await t!.platform.opening.list({ kind: 'system', name: 'test' }, { year: year + 1 });
    const transport = plans.find((p) => p.organizationName.zh === '北京市交通委员会')!;
    expect(transport.state).toBe('submitted');
    expect(transport.items.length).toBe((transport.approvedItems?.length ?? 0) + 1);
    const city = (
      await t!.platform.app.inject({ method: 'GET', url: `/api/v1/opening/city/${year + 1}` })
    ).json() as { totals: { items: number; planned: number } };
    expect(city.totals.items).toBe(plans.reduce((n, p) => n + (p.approvedItems?.length ?? 0), 0));
    expect(city.totals.planned).toBe(city.totals.items);
  });
});
