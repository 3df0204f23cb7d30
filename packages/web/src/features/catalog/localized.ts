import type { CodeListItem, LocalizedText, Profile } from './catalog-types.ts';

/** The three languages catalog texts come in, keyed as the API keys them. */
export type ContentLanguage = 'zh' | 'en' | 'fr';

/** BCP 47 tags for the `lang` attribute, matching the ones the web app sets on <html>. */
const HTML_LANG: Record<ContentLanguage, string> = { zh: 'zh-CN', en: 'en', fr: 'fr' };

/** Maps the UI language (`zh-CN`, `en`, `fr`) onto the key of a localised text. */
export function contentLanguage(uiLanguage: string): ContentLanguage {
  const primary = uiLanguage.toLowerCase().split('-')[0];
  return primary === 'en' || primary === 'fr' ? primary : 'zh';
}

export interface Shown {
  text: string;
  /** The language the text is really in, for a `lang` attribute (WCAG 3.1.2). */
  lang: string;
}

/** A localised text in the reader's language when the provider gave one, else the Chinese reference. */
export function localized(text: LocalizedText | undefined, uiLanguage: string): Shown {
  const wanted = contentLanguage(uiLanguage);
  const value = text?.[wanted]?.trim();
  if (value) return { text: value, lang: HTML_LANG[wanted] };
  return { text: text?.zh ?? '', lang: HTML_LANG.zh };
}

/** Institutions have a Chinese and an English name; English serves French readers better than Chinese. */
export function organizationName(
  org: { name: string; nameEn?: string | undefined } | undefined,
  uiLanguage: string,
): Shown {
  if (org === undefined) return { text: '', lang: HTML_LANG.zh };
  if (contentLanguage(uiLanguage) !== 'zh' && org.nameEn?.trim())
    return { text: org.nameEn, lang: HTML_LANG.en };
  return { text: org.name, lang: HTML_LANG.zh };
}

/** The label of a code-list value in the reader's language; the raw code when the list does not have it. */
export function codeLabel(
  profile: Pick<Profile, 'codeLists'> | undefined,
  list: string,
  code: string,
  uiLanguage: string,
): string {
  const item: CodeListItem | undefined = profile?.codeLists[list]?.find((i) => i.code === code);
  return item?.label[contentLanguage(uiLanguage)] ?? code;
}

/** `lang` value for a text typed in one of the content languages. */
export function htmlLang(language: ContentLanguage): string {
  return HTML_LANG[language];
}
