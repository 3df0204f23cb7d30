import { describe, expect, it } from 'vitest';
import {
  codeLabel,
  contentLanguage,
  localized,
  organizationName,
} from '../src/features/catalog/localized.ts';

const title = { zh: '北京市公交线路', en: 'Beijing bus lines' };

describe('choosing the language of catalog texts', () => {
  it('maps UI languages onto the keys of localised texts', () => {
    expect(contentLanguage('zh-CN')).toBe('zh');
    expect(contentLanguage('en')).toBe('en');
    expect(contentLanguage('en-GB')).toBe('en');
    expect(contentLanguage('fr')).toBe('fr');
    expect(contentLanguage('de')).toBe('zh');
  });

  it("shows the reader's language when the provider gave it, with the right lang", () => {
    expect(localized(title, 'en')).toEqual({ text: 'Beijing bus lines', lang: 'en' });
    expect(localized(title, 'zh-CN')).toEqual({ text: '北京市公交线路', lang: 'zh-CN' });
  });

  it('falls back to the Chinese reference, marked as Chinese', () => {
    expect(localized(title, 'fr')).toEqual({ text: '北京市公交线路', lang: 'zh-CN' });
    expect(localized({ zh: '公交', en: '   ' }, 'en')).toEqual({ text: '公交', lang: 'zh-CN' });
    expect(localized(undefined, 'en')).toEqual({ text: '', lang: 'zh-CN' });
  });

  it('names institutions in English for English and French readers when it can', () => {
    const org = { name: '北京市交通委员会', nameEn: 'Beijing Municipal Commission of Transport' };
    expect(organizationName(org, 'zh-CN')).toEqual({ text: '北京市交通委员会', lang: 'zh-CN' });
    expect(organizationName(org, 'fr')).toEqual({ text: org.nameEn, lang: 'en' });
    expect(organizationName({ name: '海淀区' }, 'en')).toEqual({ text: '海淀区', lang: 'zh-CN' });
  });

  it('labels code-list values from the profile, or shows the code', () => {
    const profile = {
      codeLists: {
        themes: [{ code: 'transport', label: { zh: '交通服务', en: 'Transport', fr: 'Transports' } }],
      },
    };
    expect(codeLabel(profile, 'themes', 'transport', 'fr')).toBe('Transports');
    expect(codeLabel(profile, 'themes', 'transport', 'zh-CN')).toBe('交通服务');
    expect(codeLabel(profile, 'themes', 'unknown', 'en')).toBe('unknown');
    expect(codeLabel(undefined, 'themes', 'transport', 'en')).toBe('transport');
  });
});
