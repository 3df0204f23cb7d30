import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../api/types.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';

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
    <Table<ApiToken>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={tokens}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('tokens.empty') }}
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
          dataIndex: 'createdAt',
          render: (v: string) => formatDate(v, i18n.language),
        },
        {
          title: t('tokens.expiresAt'),
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
          key: 'actions',
          render: (_: unknown, token: ApiToken) =>
            tokenState(token) === 'active' ? (
              <Button
                danger
                size="small"
                loading={revokingId === token.id}
                onClick={() => onRevoke(token)}
                aria-label={t('tokens.revokeNamed', { name: token.name })}
              >
                {t('tokens.revoke')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}
