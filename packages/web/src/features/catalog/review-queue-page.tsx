import { useQuery } from '@tanstack/react-query';
import { Card, Select, Table } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { StateBadge } from './badges.tsx';
import { useCatalogApi } from './catalog-api.ts';
import type { Submission } from './catalog-types.ts';
import { daysSince } from './format-catalog.ts';
import { useLabels } from './use-catalog-data.ts';
import './catalog.css';

const STATES = ['pending', 'approved', 'returned'] as const;
type QueueState = (typeof STATES)[number];

/** The operator's review queue: submitted catalogs, oldest first, with how long each has waited. */
export function ReviewQueuePage() {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const { institution } = useLabels();
  const [params, setParams] = useSearchParams();
  const filterId = useId();
  const requested = params.get('state');
  const state: QueueState = (STATES as readonly string[]).includes(requested ?? '')
    ? (requested as QueueState)
    : 'pending';
  const submissions = useQuery({
    queryKey: ['catalog', 'submissions', state],
    queryFn: ({ signal }) => api.submissions({ state, offset: 0, limit: 500 }, signal),
  });
  const rows = [...(submissions.data?.items ?? [])].sort((a, b) =>
    a.submittedAt.localeCompare(b.submittedAt),
  );
  const caption = t(`catalog.review.captions.${state}`);

  return (
    <>
      <PageHeader title={t('catalog.review.title')} description={t('catalog.review.intro')} />
      <Card>
        <div className="dp-toolbar">
          <div>
            <label htmlFor={filterId} className="dp-field-label">
              {t('catalog.review.show')}
            </label>
            <Select<QueueState>
              id={filterId}
              value={state}
              style={{ width: 200 }}
              onChange={(s) => setParams(s === 'pending' ? {} : { state: s })}
              options={STATES.map((s) => ({ value: s, label: t(`catalog.states.submission.${s}`) }))}
            />
          </div>
        </div>
        {submissions.error ? <ProblemAlert error={submissions.error} /> : null}
        <TableRegion label={caption}>
          <Table<Submission>
            data-testid="review-queue"
            rowKey="id"
            loading={submissions.isFetching}
            dataSource={rows}
            pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
            caption={<span className="dp-table-caption">{caption}</span>}
            locale={{ emptyText: <EmptyText>{t('catalog.review.empty')}</EmptyText> }}
            columns={[
              {
                title: t('catalog.review.institution'),
                dataIndex: 'organizationId',
                render: (id: string) => {
                  const name = institution(id);
                  return <span lang={name.lang}>{name.text}</span>;
                },
              },
              {
                title: t('catalog.review.entries'),
                key: 'entries',
                align: 'right',
                render: (_: unknown, s: Submission) => s.entries.length,
              },
              {
                title: t('catalog.review.submittedAt'),
                dataIndex: 'submittedAt',
                className: 'dp-nowrap',
                render: (v: string) => formatDateTime(v, i18n.language),
              },
              {
                title: t('catalog.review.age'),
                key: 'age',
                align: 'right',
                className: 'dp-nowrap',
                render: (_: unknown, s: Submission) =>
                  t('catalog.review.days', { count: daysSince(s.submittedAt) }),
              },
              {
                title: t('catalog.fields.state'),
                dataIndex: 'state',
                render: (v: string) => <StateBadge value={v} group="submission" />,
              },
              { title: t('catalog.review.comment'), dataIndex: 'comment', render: (v?: string) => v || '—' },
              {
                title: t('common.actions'),
                key: 'open',
                className: 'dp-nowrap',
                render: (_: unknown, s: Submission) => (
                  <Link to={`/catalog/review/${encodeURIComponent(s.id)}`}>
                    <ActionLabel
                      text={s.state === 'pending' ? t('catalog.review.review') : t('catalog.review.view')}
                      context={`${institution(s.organizationId).text} ${formatDateTime(s.submittedAt, i18n.language)}`}
                    />
                  </Link>
                ),
              },
            ]}
          />
        </TableRegion>
      </Card>
    </>
  );
}
