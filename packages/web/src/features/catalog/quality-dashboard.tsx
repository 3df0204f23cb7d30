import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Spin, Statistic } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCatalogApi } from './catalog-api.ts';
import { ENTRY_STATES, type TodoItem } from './catalog-types.ts';
import { localized } from './localized.ts';
import { issueMessage, severityLabel } from './quality-report.tsx';

const StateChart = lazy(() => import('./state-chart.tsx').then((m) => ({ default: m.StateChart })));

/** Stable keys for to-dos: an entry can have the same kind twice (two open objections). */
function withKeys(todo: TodoItem[]): { item: TodoItem; key: string }[] {
  const seen = new Map<string, number>();
  return todo.map((item) => {
    const base = `${item.entryId}:${item.kind}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { item, key: `${base}:${n}` };
  });
}

/** Severity as a word with its tone: the words carry the urgency, the colour repeats it. */
function Severity({ severity }: { severity: number }) {
  const { t } = useTranslation();
  const tone = severity >= 3 ? 'red' : severity === 2 ? 'orange' : 'grey';
  return <span className={`dp-badge dp-tone-${tone}`}>{severityLabel(t, severity)}</span>;
}

/** An institution's catalog quality: score, overdue updates, open objections, entries by state, to-dos. */
export function QualityDashboard({ organizationId }: { organizationId: string }) {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const dashboard = useQuery({
    queryKey: ['catalog', 'dashboard', organizationId],
    queryFn: ({ signal }) => api.dashboard(organizationId, signal),
  });
  const data = dashboard.data;
  const bars = useMemo(
    () =>
      ENTRY_STATES.map((state) => ({
        name: t(`catalog.states.entry.${state}`),
        value: data?.byState[state] ?? 0,
      })),
    [data, t],
  );
  if (dashboard.error) return <ProblemAlert error={dashboard.error} />;
  if (!data) return <Spin description={t('common.loading')} />;
  const chartLabel = t('catalog.dashboard.chartLabel', {
    values: bars.map((b) => `${b.name} ${b.value}`).join(t('common.listSeparator')),
  });

  return (
    <div data-testid="quality-dashboard" style={{ display: 'grid', gap: 20 }}>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('catalog.dashboard.score')} value={data.score} suffix="/ 100" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('catalog.dashboard.entries')} value={data.entries} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('catalog.dashboard.overdue')} value={data.overdue} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('catalog.dashboard.openObjections')} value={data.openObjections} />
          </Card>
        </Col>
      </Row>
      <Card title={<h3 style={{ margin: 0, fontSize: 17 }}>{t('catalog.dashboard.byStateTitle')}</h3>}>
        <Row gutter={[24, 16]} align="middle">
          <Col xs={24} md={15}>
            <Suspense fallback={<Spin description={t('common.loading')} />}>
              <StateChart label={chartLabel} bars={bars} />
            </Suspense>
          </Col>
          <Col xs={24} md={9}>
            <table className="dp-kv">
              <caption>{t('catalog.dashboard.byStateTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.fields.state')}</th>
                  <th scope="col">{t('catalog.dashboard.count')}</th>
                </tr>
              </thead>
              <tbody>
                {bars.map((b) => (
                  <tr key={b.name}>
                    <th scope="row">{b.name}</th>
                    <td>{b.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Col>
        </Row>
      </Card>
      <Card title={<h3 style={{ margin: 0, fontSize: 17 }}>{t('catalog.dashboard.todoTitle')}</h3>}>
        <p style={{ marginTop: 0 }}>{t('catalog.dashboard.todoIntro')}</p>
        {data.todo.length === 0 ? (
          <p className="dp-empty">{t('catalog.dashboard.todoEmpty')}</p>
        ) : (
          <ol className="dp-todo" data-testid="todo">
            {withKeys(data.todo.slice(0, 200)).map(({ item, key }) => {
              const title = localized(item.title, i18n.language);
              return (
                <li key={key}>
                  <Severity severity={item.severity} />
                  <span>
                    <Link to={`/catalog/entries/${encodeURIComponent(item.code)}`} lang={title.lang}>
                      {title.text || item.code}
                    </Link>
                    {t('common.labelSeparator')}
                    {issueMessage(t, item)}
                  </span>
                </li>
              );
            })}
          </ol>
        )}
        {data.todo.length > 200 ? (
          <p>{t('catalog.dashboard.todoMore', { count: data.todo.length - 200 })}</p>
        ) : null}
      </Card>
    </div>
  );
}
