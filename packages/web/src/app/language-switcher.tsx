import { Select } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { GlobeIcon } from '../components/icons.tsx';
import { storeLanguage } from '../i18n/i18n.ts';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../i18n/languages.ts';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const current = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <GlobeIcon />
      <label htmlFor={id} className="dp-visually-hidden">
        {t('header.language')}
      </label>
      <Select
        id={id}
        size="small"
        value={current}
        style={{ width: 116 }}
        popupMatchSelectWidth={false}
        data-testid="language-switcher"
        options={LANGUAGES.map((lng) => ({
          value: lng,
          label: <span lang={lng}>{LANGUAGE_NAMES[lng]}</span>,
        }))}
        onChange={(lng) => {
          if (!isLanguage(lng)) return;
          storeLanguage(lng);
          void i18n.changeLanguage(lng);
        }}
      />
    </span>
  );
}
