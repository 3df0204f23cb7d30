import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { TableRegion } from '../../components/table-region.tsx';
import { DeadlineText, EntryTitle, GrantStateBadge, OperationsText } from './access-badges.tsx';
import type { Grant } from './access-types.ts';
import '../catalog/catalog.css';

interface GrantsTableProps {
  caption: string;
  rows: Grant[];
  loading: boolean;
  testId: string;
  emptyText: string;
  /** The provider's list names the grantee and may offer revoking. */
  perspective: 'grantee' | 'provider';
  canRevoke?: (grant: Grant) => boolean;
  onRevoke?: (grant: Grant) => void;
  revokingId?: string | undefined;
}

/** Grants with fields, operations, validity and time left, state in words, and a link to the data. */
export function GrantsTable({
  caption,
  rows,
  loading,
  testId,
  emptyText,
  perspective,
  canRevoke,
  onRevoke,
  revokingId,
}: GrantsTableProps) {
  const { t, i18n } = useTranslation();
  const sep = t('common.listSeparator');
  return (
    <TableRegion label={caption}>
      <Table<Grant>
        data-testid={testId}
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        caption={<span className="dp-table-caption">{caption}</span>}
        locale={{ emptyText: <EmptyText>{emptyText}</EmptyText> }}
        columns={[
          {
            title: t('access.fields.entry'),
            key: 'entry',
            render: (_: unknown, g: Grant) => (
              <>
                <EntryTitle title={g.entryTitle} code={g.entryCode} />
                <br />
                <span className="dp-code">{g.entryCode}</span>
              </>
            ),
          },
          ...(perspective === 'provider'
            ? [
                {
                  title: t('access.fields.grantee'),
                  key: 'grantee',
                  render: (_: unknown, g: Grant) => g.grantee.username,
                },
              ]
            : []),
          {
            title: t('access.fields.fields'),
            key: 'fields',
            render: (_: unknown, g: Grant) => <span className="dp-mono">{g.fields.join(sep)}</span>,
          },
          {
            title: t('access.fields.operations'),
            key: 'operations',
            render: (_: unknown, g: Grant) => <OperationsText operations={g.operations} />,
          },
          {
            title: t('access.fields.validUntil'),
            key: 'validUntil',
            render: (_: unknown, g: Grant) =>
              g.state === 'active' ? (
                <DeadlineText at={g.validUntil} ended />
              ) : (
                <time dateTime={g.validUntil}>{formatDateTime(g.validUntil, i18n.language)}</time>
              ),
          },
          {
            title: t('access.fields.state'),
            key: 'state',
            render: (_: unknown, g: Grant) => (
              <>
                <GrantStateBadge value={g.state} />
                {g.revokedReason ? (
                  <p className="dp-meta-line" style={{ margin: '4px 0 0' }}>
                    {t('access.grants.revokedBecause', { reason: g.revokedReason })}
                  </p>
                ) : null}
              </>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            className: 'dp-nowrap',
            render: (_: unknown, g: Grant) => (
              <span style={{ display: 'inline-flex', flexDirection: 'column', gap: 4 }}>
                <Link to={`/catalog/entries/${encodeURIComponent(g.entryCode)}`}>
                  <ActionLabel text={t('access.grants.openData')} context={g.entryCode} />
                </Link>
                <Link to={`/access/applications/${encodeURIComponent(g.applicationId)}`}>
                  <ActionLabel text={t('access.grants.application')} context={g.entryCode} />
                </Link>
                {canRevoke?.(g) && onRevoke ? (
                  <Button danger size="small" loading={revokingId === g.id} onClick={() => onRevoke(g)}>
                    <ActionLabel
                      text={t('access.revoke.action')}
                      context={`${g.entryCode} ${g.grantee.username}`}
                    />
                  </Button>
                ) : null}
              </span>
            ),
          },
        ]}
      />
    </TableRegion>
  );
}
