import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

type Catalog = { [key: string]: string | Catalog };

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const catalogs = { 'zh-CN': flatten(zhCN), en: flatten(en), fr: flatten(fr) };
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('translation catalogs', () => {
  it('have the same keys in zh-CN, en and fr', () => {
    const reference = [...catalogs['zh-CN'].keys()].sort();
    expect(reference.length).toBeGreaterThan(100);
    expect([...catalogs.en.keys()].sort()).toEqual(reference);
    expect([...catalogs.fr.keys()].sort()).toEqual(reference);
  });

  it('have no empty text', () => {
    for (const [language, catalog] of Object.entries(catalogs)) {
      const empty = [...catalog].filter(([, value]) => value.trim() === '').map(([key]) => key);
      expect(empty, `empty values in ${language}`).toEqual([]);
    }
  });

  it('use the same placeholders in every language', () => {
    for (const [key, text] of catalogs['zh-CN']) {
      expect(placeholders(catalogs.en.get(key) ?? ''), `en ${key}`).toEqual(placeholders(text));
      expect(placeholders(catalogs.fr.get(key) ?? ''), `fr ${key}`).toEqual(placeholders(text));
    }
  });

  it('name every platform role and module the pages show', () => {
    for (const catalog of Object.values(catalogs)) {
      for (const role of ['operator', 'security_officer', 'exchange_operator', 'auditor', 'statistician']) {
        expect(catalog.has(`platformRoles.${role}`)).toBe(true);
      }
      for (const module of ['catalog', 'datastore', 'sharing', 'opening', 'zones', 'exchange', 'security']) {
        expect(catalog.has(`modules.${module}.name`)).toBe(true);
      }
    }
  });
});
