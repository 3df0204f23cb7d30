import en from '../../packages/web/src/i18n/en.json' with { type: 'json' };
import fr from '../../packages/web/src/i18n/fr.json' with { type: 'json' };
import zhCN from '../../packages/web/src/i18n/zh-CN.json' with { type: 'json' };
import type { Lang } from './browser.ts';

const CATALOGS = { 'zh-CN': zhCN, en, fr } as const;

/** The text a page shows for a catalog key, so tests follow wording changes in the catalogs. */
export function text(lang: Lang, key: string, values: Record<string, string | number> = {}): string {
  let node: unknown = CATALOGS[lang];
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (typeof node !== 'string') throw new Error(`no text for ${key} in ${lang}`);
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ''));
}
