import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLIENT_STATES } from '../src/features/sharing/sharing-types.ts';
import { CALLER_KINDS, USAGE_CHANNELS, USAGE_PERIODS } from '../src/features/usage/usage-types.ts';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const catalogs = { 'zh-CN': zhCN, en, fr } as Record<string, unknown>;

/** The text of a key, or of its plural forms, in one catalog. */
function has(catalog: unknown, key: string): boolean {
  const parts = key.split('.');
  const last = parts.pop() ?? '';
  const parent = parts.reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalog) as
    | Record<string, unknown>
    | undefined;
  if (parent === undefined) return false;
  return typeof parent[last] === 'string' || typeof parent[`${last}_other`] === 'string';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

describe('texts of the usage view and the sharing console', () => {
  it('exist in zh-CN, en and fr for every key the pages name literally', () => {
    const files = [
      ...sourceFiles(join(SRC, 'features/usage')),
      ...sourceFiles(join(SRC, 'features/sharing')),
    ];
    const keys = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/['"]((?:usage|clients)\.[\w.]+)['"]/g))
        keys.add(m[1] ?? '');
    }
    expect(keys.size).toBeGreaterThan(60);
    for (const [language, catalog] of Object.entries(catalogs)) {
      const missing = [...keys].filter((k) => !has(catalog, k));
      expect(missing, `missing in ${language}`).toEqual([]);
    }
  });

  it('name every kind of caller, channel, period, state and problem the pages build keys for', () => {
    const built = [
      ...CALLER_KINDS.map((k) => `usage.kinds.${k}`),
      ...USAGE_CHANNELS.map((c) => `usage.channels.${c}`),
      ...USAGE_PERIODS.map(() => 'usage.periods.days'),
      ...CLIENT_STATES.map((s) => `clients.states.${s}`),
      ...['notInstitution', 'notFound'].map((p) => `clients.problems.${p}`),
      ...['nameRequired', 'nameTooLong'].map((p) => `clients.register.${p}`),
      ...['created', 'rotated'].map((a) => `clients.secret.${a}Title`),
    ];
    for (const [language, catalog] of Object.entries(catalogs)) {
      const missing = built.filter((k) => !has(catalog, k));
      expect(missing, `missing in ${language}`).toEqual([]);
    }
  });
});
