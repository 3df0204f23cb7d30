import { keepPreviousData, type QueryKey, useQuery } from '@tanstack/react-query';
import { Card, Space, Table, type TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../api/types.ts';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDate } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import type { ListParams } from './admin-api.ts';
import { SearchBox } from './search-box.tsx';
import { usePagedList } from './use-paged-list.ts';

interface PagedSearchTableProps<T> {
  /** Names the table's scrolling region; the page title fits. */
  label: string;
  searchLabel: string;
  /** Where the pages are cached; the page, size and search text are added to it. */
  queryKey: QueryKey;
  fetchPage: (params: ListParams, signal: AbortSignal) => Promise<Page<T>>;
  /** The item's own columns; the creation date and the actions follow them. */
  columns: TableColumnsType<T>;
  /** What the actions column offers for one item. */
  actions: (item: T) => ReactNode;
}

/**
 * A card with a search box over a table the server pages: a row per item (keyed by id), its own
 * columns followed by its creation date and its actions.
 */
export function PagedSearchTable<T extends { id: string; createdAt: string }>({
  label,
  searchLabel,
  queryKey,
  fetchPage,
  columns,
  actions,
}: PagedSearchTableProps<T>) {
  const { t, i18n } = useTranslation();
  const list = usePagedList();
  const items = useQuery({
    queryKey: [...queryKey, list.params],
    queryFn: ({ signal }) => fetchPage(list.params, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Card>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <SearchBox label={searchLabel} buttonLabel={t('common.search')} onSearch={list.search} />
        {items.error ? <ProblemAlert error={items.error} /> : null}
        <TableRegion label={label}>
          <Table<T>
            rowKey="id"
            loading={items.isFetching}
            dataSource={items.data?.items ?? []}
            locale={{ emptyText: <EmptyText>{t('common.empty')}</EmptyText> }}
            pagination={{
              current: list.page,
              pageSize: list.pageSize,
              total: items.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (total) => t('common.total', { total }),
              onChange: list.change,
            }}
            columns={[
              ...columns,
              {
                title: t('common.createdAt'),
                className: 'dp-nowrap',
                dataIndex: 'createdAt',
                render: (v: string) => formatDate(v, i18n.language),
              },
              {
                title: t('common.actions'),
                className: 'dp-nowrap',
                key: 'actions',
                render: (_: unknown, item: T) => actions(item),
              },
            ]}
          />
        </TableRegion>
      </Space>
    </Card>
  );
}
