import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../api/types.ts';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { TableRegion } from '../../components/table-region.tsx';

interface TokenTableProps {
  tokens: ApiToken[];
  loading: boolean;
  revokingId: string | undefined;
  onRevoke: (token: ApiToken) => void;
}

function tokenState(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (new Date(token.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}

export function TokenTable({ tokens, loading, revokingId, onRevoke }: TokenTableProps) {
  const { t, i18n } = useTranslation();
  return (
    <TableRegion label={t('tokens.title')}>
      <Table<ApiToken>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={tokens}
        pagination={false}
        locale={{ emptyText: <EmptyText>{t('tokens.empty')}</EmptyText> }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          {
            title: t('tokens.prefix'),
            dataIndex: 'prefix',
            render: (prefix: string) => <span className="dp-mono">{prefix}…</span>,
          },
          {
            title: t('tokens.scopes'),
            dataIndex: 'scopes',
            render: (scopes: string[]) =>
              scopes.length === 0 ? '—' : <span className="dp-mono">{scopes.join(', ')}</span>,
          },
          {
            title: t('tokens.createdAt'),
            className: 'dp-nowrap',
            dataIndex: 'createdAt',
            render: (v: string) => formatDate(v, i18n.language),
          },
          {
            title: t('tokens.expiresAt'),
            className: 'dp-nowrap',
            dataIndex: 'expiresAt',
            render: (v: string) => formatDate(v, i18n.language),
          },
          {
            title: t('tokens.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => (v ? formatDateTime(v, i18n.language) : t('tokens.neverUsed')),
          },
          {
            title: t('tokens.status'),
            className: 'dp-nowrap',
            key: 'status',
            render: (_: unknown, token: ApiToken) => {
              const state = tokenState(token);
              return (
                <span className={`dp-status ${state === 'active' ? 'dp-status-ok' : 'dp-status-neutral'}`}>
                  {t(`tokens.states.${state}`)}
                </span>
              );
            },
          },
          {
            title: t('common.actions'),
            className: 'dp-nowrap',
            key: 'actions',
            render: (_: unknown, token: ApiToken) =>
              tokenState(token) === 'active' ? (
                <Button danger size="small" loading={revokingId === token.id} onClick={() => onRevoke(token)}>
                  <ActionLabel text={t('tokens.revoke')} context={token.name} />
                </Button>
              ) : null,
          },
        ]}
      />
    </TableRegion>
  );
}
