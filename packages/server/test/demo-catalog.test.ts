import { describe, expect, it } from 'vitest';
import { withCreditCheck } from '../src/lib/credit-code.ts';
import {
  derivedGrade,
  GRADES,
  OPEN_TYPES,
  RESOURCE_CLASSIFICATIONS,
  SHARE_TYPES,
  UPDATE_CYCLES,
} from '../src/modules/catalog/catalog.model.ts';
import { DEFAULT_PROFILE, validateEntry } from '../src/modules/catalog/catalog.profile.ts';
import { type DemoCatalogOrg, demoCatalogEntries } from '../src/platform/demo-catalog.ts';

// The demo organisations as the seed creates them (codes and credit codes of ORGANIZATIONS).
const ORGS: DemoCatalogOrg[] = [
  ['bjbdc', '12110000MB0123456'],
  ['bjjtw', '11110000000021135'],
  ['bjwjw', '11110000000022137'],
  ['haidian', '11110108000023142'],
  ['bjsthjj', '11110000000024151'],
  ['bjscjgj', '11110000000025163'],
  ['bjghzrzyw', '11110000000026178'],
  ['bjjw', '11110000000027184'],
  ['demo-tech', '91110108MA01ABCD2'],
].map(([code, credit], i) => ({ id: `org-${i + 1}`, code: code!, creditCode: withCreditCheck(credit!) }));

const entries = demoCatalogEntries(ORGS);

function values<T>(pick: (e: (typeof entries)[number]) => T): Set<T> {
  return new Set(entries.map(pick));
}

describe('demo catalog', () => {
  it('has at least 300 entries', () => {
    expect(entries.length).toBeGreaterThanOrEqual(300);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(demoCatalogEntries(ORGS))).toBe(JSON.stringify(entries));
  });

  it('gives no entries to unknown organisations', () => {
    expect(demoCatalogEntries([{ id: 'x', code: 'unknown', creditCode: ORGS[0]!.creditCode }])).toEqual([]);
  });

  it('does not change an institution’s entries when others are missing', () => {
    const alone = demoCatalogEntries([ORGS[1]!]);
    expect(JSON.stringify(alone)).toBe(
      JSON.stringify(entries.filter((e) => e.organizationId === ORGS[1]!.id)),
    );
  });

  it('has unique Chinese titles and an English title everywhere', () => {
    expect(values((e) => e.title.zh).size).toBe(entries.length);
    for (const e of entries) expect(e.title.en?.trim(), e.title.zh).toBeTruthy();
  });

  it('lists Beijing bus routes', () => {
    const bus = entries.find((e) => e.title.zh === '北京市公交线路');
    expect(bus?.title.en).toBe('Beijing Bus Routes');
  });

  it('gives every institution at least ten entries and the company a few', () => {
    for (const org of ORGS) {
      const count = entries.filter((e) => e.organizationId === org.id).length;
      if (org.code === 'demo-tech') expect(count, org.code).toBeGreaterThanOrEqual(5);
      else expect(count, org.code).toBeGreaterThanOrEqual(10);
    }
  });

  it('uses every open type, share type, grade, update cycle and classification', () => {
    expect([...values((e) => e.openType)].sort()).toEqual([...OPEN_TYPES].sort());
    expect([...values((e) => e.shareType)].sort()).toEqual([...SHARE_TYPES].sort());
    expect([...values((e) => e.grade)].sort()).toEqual([...GRADES].sort());
    expect([...values((e) => e.updateCycle)].sort()).toEqual([...UPDATE_CYCLES].sort());
    expect([...values((e) => e.classification)].sort()).toEqual([...RESOURCE_CLASSIFICATIONS].sort());
  });

  it('meets the catalog standard', () => {
    const failures = entries
      .map((e) => ({ title: e.title.zh, errors: validateEntry(e, DEFAULT_PROFILE, 'en') }))
      .filter((f) => f.errors.length > 0);
    if (failures.length > 0) console.error(JSON.stringify(failures.slice(0, 5), null, 2));
    expect(failures.length).toBe(0);
  });

  it('takes its grade from its information items', () => {
    for (const e of entries) expect(e.grade, e.title.zh).toBe(derivedGrade(e.grade, e.informationItems));
  });

  it('keeps core data closed and formats consistent with distributions', () => {
    for (const e of entries) {
      if (e.grade === 'core') expect(e.openType, e.title.zh).toBe('not_open');
      expect([...e.formats].sort(), e.title.zh).toEqual(
        [...new Set(e.distributions.map((d) => d.format))].sort(),
      );
      expect(e.code).toBeUndefined();
    }
  });

  it('dates entries no later than the reference day, last update after release', () => {
    for (const e of entries) {
      expect(e.releaseDate! <= e.lastUpdate!, e.title.zh).toBe(true);
      expect(e.lastUpdate! <= '2026-11-01', e.title.zh).toBe(true);
    }
  });
});
