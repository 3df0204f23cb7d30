import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { TableRegion } from '../../components/table-region.tsx';
import {
  ApplicationStateBadge,
  DeadlineText,
  EntryTitle,
  OverdueBadge,
  providerShown,
} from './access-badges.tsx';
import type { Application } from './access-types.ts';
import { isOpen, isOverdue } from './application-rules.ts';
import '../catalog/catalog.css';
import './access.css';

interface ApplicationsTableProps {
  caption: string;
  rows: Application[];
  loading: boolean;
  /** The applicant's own list names the provider; the provider's names the applicant. */
  perspective: 'applicant' | 'provider';
  testId: string;
  emptyText: string;
}

/** Applications with their state in words, the review deadline and time left, and a link to each. */
export function ApplicationsTable({
  caption,
  rows,
  loading,
  perspective,
  testId,
  emptyText,
}: ApplicationsTableProps) {
  const { t, i18n } = useTranslation();
  return (
    <TableRegion label={caption}>
      <Table<Application>
        data-testid={testId}
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        caption={<span className="dp-table-caption">{caption}</span>}
        locale={{ emptyText: <EmptyText>{emptyText}</EmptyText> }}
        rowClassName={(a) => (isOverdue(a) ? 'dp-row-overdue' : '')}
        columns={[
          {
            title: t('access.fields.entry'),
            key: 'entry',
            render: (_: unknown, a: Application) => (
              <>
                <EntryTitle title={a.entryTitle} code={a.entryCode} />
                <br />
                <span className="dp-code">{a.entryCode}</span>
              </>
            ),
          },
          perspective === 'applicant'
            ? {
                title: t('access.fields.provider'),
                key: 'provider',
                render: (_: unknown, a: Application) => {
                  const name = providerShown(a.providerName, i18n.language);
                  return <span lang={name.lang}>{name.text}</span>;
                },
              }
            : {
                title: t('access.fields.applicant'),
                key: 'applicant',
                render: (_: unknown, a: Application) => (
                  <>
                    {a.applicant.name}
                    <br />
                    <span className="dp-meta-line">{t(`access.applicantKinds.${a.applicant.kind}`)}</span>
                  </>
                ),
              },
          {
            title: t('access.fields.kind'),
            dataIndex: 'kind',
            render: (v: string) => t(`access.kinds.${v}`),
          },
          {
            title: t('access.fields.state'),
            key: 'state',
            render: (_: unknown, a: Application) => (
              <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
                <ApplicationStateBadge value={a.state} />
                {isOverdue(a) ? <OverdueBadge /> : null}
              </span>
            ),
          },
          {
            title: t('access.fields.reviewDeadline'),
            key: 'deadline',
            render: (_: unknown, a: Application) =>
              isOpen(a.state) ? <DeadlineText at={a.reviewDeadline} /> : '—',
          },
          {
            title: t('access.fields.createdAt'),
            dataIndex: 'createdAt',
            className: 'dp-nowrap',
            render: (v: string) => formatDateTime(v, i18n.language),
          },
          {
            title: t('common.actions'),
            key: 'open',
            className: 'dp-nowrap',
            render: (_: unknown, a: Application) => (
              <Link to={`/access/applications/${encodeURIComponent(a.id)}`}>
                <ActionLabel
                  text={
                    perspective === 'provider' && a.state === 'submitted'
                      ? t('access.review.review')
                      : t('access.applications.open')
                  }
                  context={`${a.entryCode} ${perspective === 'provider' ? a.applicant.name : ''}`.trim()}
                />
              </Link>
            ),
          },
        ]}
      />
    </TableRegion>
  );
}
