import { useQuery } from '@tanstack/react-query';
import { Select, Table } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { GradeBadge, StateBadge } from './badges.tsx';
import { useCatalogApi } from './catalog-api.ts';
import { ENTRY_STATES, type EntryState, type InstitutionEntry } from './catalog-types.ts';
import { localized } from './localized.ts';

/** An institution's whole catalog, drafts included, for its staff. */
export function InstitutionEntries({ organizationId }: { organizationId: string }) {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const filterId = useId();
  const [state, setState] = useState<EntryState | 'all'>('all');
  const entries = useQuery({
    queryKey: ['catalog', 'institution-entries', organizationId, state],
    queryFn: ({ signal }) =>
      api.institutionEntries(organizationId, state === 'all' ? undefined : state, signal),
  });
  return (
    <>
      <div className="dp-toolbar">
        <div>
          <label htmlFor={filterId} className="dp-field-label">
            {t('catalog.institution.stateFilter')}
          </label>
          <Select<EntryState | 'all'>
            id={filterId}
            value={state}
            style={{ width: 200 }}
            onChange={setState}
            options={[
              { value: 'all', label: t('catalog.institution.allStates') },
              ...ENTRY_STATES.map((s) => ({ value: s, label: t(`catalog.states.entry.${s}`) })),
            ]}
          />
        </div>
      </div>
      {entries.error ? <ProblemAlert error={entries.error} /> : null}
      <TableRegion label={t('catalog.institution.entriesTitle')}>
        <Table<InstitutionEntry>
          data-testid="institution-entries"
          rowKey="id"
          loading={entries.isFetching}
          // Most recently changed first: what the staff are working on.
          dataSource={[...(entries.data ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))}
          caption={<span className="dp-visually-hidden">{t('catalog.institution.entriesTitle')}</span>}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: <EmptyText>{t('catalog.institution.noEntries')}</EmptyText> }}
          columns={[
            {
              title: t('catalog.fields.title'),
              key: 'title',
              render: (_: unknown, e: InstitutionEntry) => {
                const title = localized(e.title, i18n.language);
                return (
                  <Link to={`/catalog/entries/${encodeURIComponent(e.code)}`} lang={title.lang}>
                    {title.text || e.code}
                  </Link>
                );
              },
            },
            {
              title: t('catalog.fields.code'),
              dataIndex: 'code',
              className: 'dp-nowrap',
              render: (v: string) => <span className="dp-code">{v}</span>,
              sorter: (a: InstitutionEntry, b: InstitutionEntry) => a.code.localeCompare(b.code),
            },
            {
              title: t('catalog.fields.state'),
              dataIndex: 'state',
              className: 'dp-nowrap',
              render: (v: string) => <StateBadge value={v} group="entry" />,
            },
            {
              title: t('catalog.institution.versions'),
              key: 'version',
              className: 'dp-nowrap',
              render: (_: unknown, e: InstitutionEntry) =>
                t('catalog.institution.versionPair', {
                  version: e.version,
                  published: e.publishedVersion ?? '—',
                }),
            },
            {
              title: t('catalog.fields.grade'),
              dataIndex: 'grade',
              className: 'dp-nowrap',
              render: (v: string) => <GradeBadge value={v} />,
            },
            {
              title: t('catalog.institution.quality'),
              dataIndex: 'quality',
              align: 'right',
              sorter: (a: InstitutionEntry, b: InstitutionEntry) => a.quality - b.quality,
            },
            {
              title: t('catalog.institution.updatedAt'),
              dataIndex: 'updatedAt',
              className: 'dp-nowrap',
              render: (v: string) => formatDateTime(v, i18n.language),
              sorter: (a: InstitutionEntry, b: InstitutionEntry) => a.updatedAt.localeCompare(b.updatedAt),
            },
          ]}
        />
      </TableRegion>
    </>
  );
}
