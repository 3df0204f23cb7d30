import { Spin } from 'antd';
import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { EmblemIcon } from '../components/icons.tsx';
import { NotificationBell } from '../features/access/notification-bell.tsx';
import { LanguageSwitcher } from './language-switcher.tsx';
import { Navigation } from './navigation.tsx';
import { UserMenu } from './user-menu.tsx';

export function Layout() {
  const { t } = useTranslation();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After client-side navigation move focus to the new content, as a full page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect must run on each path change
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // A page that focused one of its own fields (sign-in) keeps that focus.
    if (!mainRef.current?.contains(document.activeElement)) mainRef.current?.focus();
  }, [location.pathname]);

  return (
    <>
      <a className="dp-skip-link" href="#main">
        {t('header.skipToContent')}
      </a>
      <header>
        <div className="dp-utility">
          <div className="dp-container">
            <span className="dp-utility-text">{t('header.utility')}</span>
            <div className="dp-utility-actions">
              <LanguageSwitcher />
              <NotificationBell />
              <UserMenu />
            </div>
          </div>
        </div>
        <div className="dp-banner">
          <div className="dp-container">
            <Link to="/" className="dp-brand">
              <EmblemIcon size={44} />
              <span>
                <span className="dp-brand-name">{t('app.name')}</span>
                <span className="dp-brand-tagline">{t('app.tagline')}</span>
              </span>
            </Link>
          </div>
        </div>
        <Navigation />
      </header>
      <main id="main" className="dp-main" tabIndex={-1} ref={mainRef}>
        <div className="dp-container">
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </div>
      </main>
      <footer className="dp-footer">
        <div className="dp-container">
          <p style={{ margin: 0 }}>{t('footer.regulation')}</p>
          <p style={{ margin: '4px 0 0' }}>{t('footer.openSource')}</p>
        </div>
      </footer>
    </>
  );
}
