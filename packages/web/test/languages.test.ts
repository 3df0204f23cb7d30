import { describe, expect, it } from 'vitest';
import { matchLanguage, pickLanguage } from '../src/i18n/languages.ts';

describe('language choice', () => {
  it('maps browser tags onto the three catalogs', () => {
    expect(matchLanguage('zh-Hans-CN')).toBe('zh-CN');
    expect(matchLanguage('zh-TW')).toBe('zh-CN');
    expect(matchLanguage('en-GB')).toBe('en');
    expect(matchLanguage('fr-CA')).toBe('fr');
    expect(matchLanguage('de-DE')).toBeUndefined();
  });

  it('prefers a remembered choice, then the first supported browser language, then Chinese', () => {
    expect(pickLanguage('fr', ['en-US'])).toBe('fr');
    expect(pickLanguage(null, ['de-DE', 'fr-FR', 'en'])).toBe('fr');
    expect(pickLanguage('klingon', ['en-US'])).toBe('en');
    expect(pickLanguage(null, ['de-DE'])).toBe('zh-CN');
    expect(pickLanguage(undefined, [])).toBe('zh-CN');
  });
});
