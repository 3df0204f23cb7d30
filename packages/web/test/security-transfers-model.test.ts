import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { previewBody, reasonText } from '../src/features/security-transfers/transfers-model.ts';
import {
  REASON_CODES,
  TRANSFER_ROUTES,
  TRANSFER_STATES,
  type TransferDraft,
} from '../src/features/security-transfers/transfers-types.ts';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const catalogs = { 'zh-CN': zhCN, en, fr } as Record<string, unknown>;

function text(catalog: unknown, key: string): string | undefined {
  const value = key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalog);
  return typeof value === 'string' ? value : undefined;
}

const draft: TransferDraft = {
  organizationId: '7d9f5e2a-0000-4000-8000-000000000001',
  entryCodes: ['1-01-001-001-000001'],
  importantDataDeclared: false,
  recipient: '',
  country: 'sg',
  purpose: '',
  peopleCount: 99_999,
  sensitivePeopleCount: 0,
};

describe('the live route request', () => {
  it('is made once the organisation, data, country and counts are known', () => {
    expect(previewBody(draft)).toEqual({
      organizationId: draft.organizationId,
      entryCodes: draft.entryCodes,
      importantDataDeclared: false,
      country: 'SG',
      peopleCount: 99_999,
      sensitivePeopleCount: 0,
    });
    expect(previewBody(draft, 'abc')).toMatchObject({ transferId: 'abc' });
  });

  it('waits while something is missing or wrong', () => {
    expect(previewBody({ ...draft, organizationId: undefined })).toBeNull();
    expect(previewBody({ ...draft, entryCodes: [] })).toBeNull();
    expect(previewBody({ ...draft, peopleCount: null })).toBeNull();
    expect(previewBody({ ...draft, peopleCount: -1 })).toBeNull();
    expect(previewBody({ ...draft, sensitivePeopleCount: 1.5 })).toBeNull();
    expect(previewBody({ ...draft, country: 'S' })).toBeNull();
    expect(previewBody({ ...draft, country: 'SGP' })).toBeNull();
  });

  it('explains each reason with its count and threshold in every language', () => {
    const reason = { code: 'people-contract' as const, value: 100_000, threshold: 100_000, text: '' };
    const { key, values } = reasonText(reason);
    expect(key).toBe('securityTransfers.reasons.people-contract');
    expect(values).toEqual({ value: 100_000, threshold: 100_000 });
    for (const catalog of Object.values(catalogs)) {
      const t = text(catalog, key) ?? '';
      expect(t).toContain('{{value}}');
      expect(t).toContain('{{threshold}}');
    }
  });
});

describe('texts of the transfer pages', () => {
  it('exist in zh-CN, en and fr for every key the pages name or build', () => {
    const dir = join(SRC, 'features/security-transfers');
    const keys = new Set<string>(['securityTransfers.nav']);
    for (const file of readdirSync(dir).filter((f) => /\.tsx?$/.test(f)))
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/['"](securityTransfers\.[\w.]+)['"]/g))
        keys.add(m[1] ?? '');
    for (const r of TRANSFER_ROUTES) keys.add(`securityTransfers.routes.${r}`);
    for (const s of TRANSFER_STATES) keys.add(`securityTransfers.states.${s}`);
    for (const c of REASON_CODES) keys.add(`securityTransfers.reasons.${c}`);
    expect(keys.size).toBeGreaterThan(50);
    for (const [language, catalog] of Object.entries(catalogs)) {
      const missing = [...keys].filter((k) => text(catalog, k) === undefined);
      expect(missing, `missing in ${language}`).toEqual([]);
    }
  });
});
