import { useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Table } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useSession } from '../auth/session.ts';
import { localized } from '../catalog/localized.ts';
import { RouteBadge, TransferStateBadge } from './transfer-badges.tsx';
import { TRANSFERS_KEY, useTransfersApi } from './transfers-api.ts';
import { mayRequestTransfers } from './transfers-model.ts';
import { TRANSFER_STATES, type Transfer, type TransferState } from './transfers-types.ts';
import '../catalog/catalog.css';

/** Cross-border transfer requests the reader may see, with their route. */
export function TransfersPage() {
  const { t, i18n } = useTranslation();
  const api = useTransfersApi();
  const navigate = useNavigate();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const [params, setParams] = useSearchParams();
  const stateId = useId();
  const state = (params.get('state') ?? undefined) as TransferState | undefined;
  const transfers = useQuery({
    queryKey: [...TRANSFERS_KEY, 'list', state ?? 'all'],
    queryFn: ({ signal }) => api.list(state, signal),
  });
  const caption = t('securityTransfers.list.caption');
  return (
    <>
      <PageHeader
        title={t('securityTransfers.list.title')}
        description={t('securityTransfers.list.intro')}
        extra={
          mayRequestTransfers(user) ? (
            <Button type="primary" onClick={() => navigate('/security/transfers/new')}>
              {t('securityTransfers.list.new')}
            </Button>
          ) : undefined
        }
      />
      <Card>
        <div className="dp-toolbar">
          <div>
            <label htmlFor={stateId} className="dp-field-label">
              {t('securityTransfers.fields.state')}
            </label>
            <Select<string>
              id={stateId}
              value={state ?? 'all'}
              style={{ width: 180 }}
              onChange={(v) => setParams(v === 'all' ? {} : { state: v })}
              options={[
                { value: 'all', label: t('securityTransfers.list.allStates') },
                ...TRANSFER_STATES.map((s) => ({ value: s, label: t(`securityTransfers.states.${s}`) })),
              ]}
            />
          </div>
        </div>
        {transfers.error ? <ProblemAlert error={transfers.error} /> : null}
        <TableRegion label={caption}>
          <Table<Transfer>
            rowKey="id"
            loading={transfers.isPending}
            dataSource={transfers.data?.items ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            title={() => <span className="dp-visually-hidden">{caption}</span>}
            locale={{ emptyText: <EmptyText>{t('securityTransfers.list.empty')}</EmptyText> }}
            columns={[
              {
                title: t('securityTransfers.fields.recipient'),
                dataIndex: 'recipient',
                render: (_: unknown, row) => (
                  <Link to={`/security/transfers/${encodeURIComponent(row.id)}`}>{row.recipient}</Link>
                ),
              },
              {
                title: t('securityTransfers.fields.organization'),
                dataIndex: 'organizationName',
                render: (_: unknown, row) => {
                  const name = localized(row.organizationName, i18n.language);
                  return <span lang={name.lang}>{name.text}</span>;
                },
              },
              { title: t('securityTransfers.fields.country'), dataIndex: 'country' },
              {
                title: t('securityTransfers.fields.route'),
                dataIndex: 'assessment',
                render: (_: unknown, row) => <RouteBadge value={row.assessment.route} />,
              },
              {
                title: t('securityTransfers.fields.state'),
                dataIndex: 'state',
                render: (_: unknown, row) => <TransferStateBadge value={row.state} />,
              },
              {
                title: t('securityTransfers.fields.createdAt'),
                dataIndex: 'createdAt',
                render: (_: unknown, row) => formatDateTime(row.createdAt, i18n.language),
              },
            ]}
          />
        </TableRegion>
      </Card>
    </>
  );
}
