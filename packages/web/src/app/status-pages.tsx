import { Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useRouteError } from 'react-router';
import { usePageTitle } from './use-page-title.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <Result
      status="404"
      title={<h1 style={{ margin: 0, fontSize: 24 }}>{t('notFound.title')}</h1>}
      subTitle={t('notFound.description')}
      extra={<Link to="/">{t('common.backHome')}</Link>}
    />
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  usePageTitle(t('forbidden.title'));
  return (
    <Result
      status="403"
      title={<h1 style={{ margin: 0, fontSize: 24 }}>{t('forbidden.title')}</h1>}
      subTitle={t('forbidden.description')}
      extra={<Link to="/">{t('common.backHome')}</Link>}
    />
  );
}

export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  usePageTitle(t('errors.pageTitle'));
  return (
    <Result
      status="error"
      title={<h1 style={{ margin: 0, fontSize: 24 }}>{t('errors.pageTitle')}</h1>}
      subTitle={error instanceof Error ? error.message : t('errors.generic')}
      extra={<Link to="/">{t('common.backHome')}</Link>}
    />
  );
}

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin description={t('common.loading')} />
    </div>
  );
}
