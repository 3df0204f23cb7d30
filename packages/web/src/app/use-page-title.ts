import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the document title for the current route; screen readers announce it on navigation. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  const site = t('app.shortName');
  useEffect(() => {
    document.title = title ? `${title} · ${site}` : site;
  }, [title, site]);
}
