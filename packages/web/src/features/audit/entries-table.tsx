import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LedgerEntry } from '../../api/types.ts';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { TableRegion } from '../../components/table-region.tsx';
import { parseEntry } from './ledger-api.ts';

interface EntriesTableProps {
  entries: LedgerEntry[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onPageChange: (page: number, pageSize: number) => void;
  onVerify: (entry: LedgerEntry) => void;
}

/** Long identifiers (UUIDs) shortened for the table; the verify dialog shows the entry in full. */
function ShortId({ id }: { id: string }) {
  if (id.length <= 12) return <span className="dp-mono">{id}</span>;
  return (
    <span className="dp-mono" title={id}>
      {id.slice(0, 8)}…
    </span>
  );
}

interface Row {
  entry: LedgerEntry;
  parsed: ReturnType<typeof parseEntry>;
}

export function EntriesTable(props: EntriesTableProps) {
  const { t, i18n } = useTranslation();
  const rows: Row[] = props.entries.map((entry) => ({ entry, parsed: parseEntry(entry.entry) }));
  return (
    <TableRegion label={t('audit.entries')}>
      <Table<Row>
        rowKey={(r) => String(r.entry.index)}
        loading={props.loading}
        dataSource={rows}
        locale={{ emptyText: <EmptyText>{t('audit.empty')}</EmptyText> }}
        pagination={{
          current: props.page,
          pageSize: props.pageSize,
          total: props.total,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => t('common.total', { total }),
          onChange: props.onPageChange,
        }}
        columns={[
          {
            title: t('audit.index'),
            key: 'index',
            render: (_: unknown, r: Row) => r.entry.index,
            align: 'right',
          },
          {
            title: t('audit.time'),
            key: 'time',
            render: (_: unknown, r: Row) => (
              <time dateTime={r.parsed.time ?? r.entry.recordedAt} style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(r.parsed.time ?? r.entry.recordedAt, i18n.language)}
              </time>
            ),
          },
          {
            title: t('audit.actor'),
            key: 'actor',
            render: (_: unknown, r: Row) =>
              r.parsed.actor ? (
                <span>
                  {t(`audit.actorTypes.${r.parsed.actor.type}`, { defaultValue: r.parsed.actor.type })}{' '}
                  <ShortId id={r.parsed.actor.id} />
                </span>
              ) : (
                '—'
              ),
          },
          {
            title: t('audit.action'),
            key: 'action',
            render: (_: unknown, r: Row) => <code>{r.parsed.action ?? '—'}</code>,
          },
          {
            title: t('audit.objects'),
            key: 'objects',
            render: (_: unknown, r: Row) =>
              r.parsed.objects.length === 0 ? (
                '—'
              ) : (
                <ul style={{ margin: 0, paddingLeft: 16 }}>
                  {r.parsed.objects.map((o) => (
                    <li key={`${o.type}:${o.id}`}>
                      {t(`audit.objectTypes.${o.type}`, { defaultValue: o.type })} <ShortId id={o.id} />
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            title: t('audit.verifyColumn'),
            className: 'dp-nowrap',
            key: 'verify',
            render: (_: unknown, r: Row) => (
              <Button size="small" onClick={() => props.onVerify(r.entry)}>
                <ActionLabel text={t('audit.verify')} context={`#${r.entry.index}`} />
              </Button>
            ),
          },
        ]}
      />
    </TableRegion>
  );
}
