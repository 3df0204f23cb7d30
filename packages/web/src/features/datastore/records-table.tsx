import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Input, Table } from 'antd';
import type { SorterResult } from 'antd/es/table/interface.js';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyText } from '../../components/empty-text.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useDatastoreApi } from './datastore-api.ts';
import type { DataRecord, DatastoreResource } from './datastore-types.ts';
import { FilterBar, fieldLabel } from './filter-bar.tsx';
import { cellText, formatCount } from './format-datastore.ts';
import { bookFor, emptyBook, pagePosition, pagerTotal, rememberCursor } from './page-cursors.ts';
import {
  emptyTableState,
  orderKey,
  PAGE_SIZES,
  recordsQuery,
  type TableState,
  withFilter,
  withoutFilter,
  withPage,
  withQuery,
  withSort,
} from './records-query.ts';

interface Row {
  key: number;
  values: DataRecord;
}

const UNSORTABLE = new Set(['geojson', 'geopoint', 'object', 'array']);

/** The live rows, paged on the server, with search, column filters and sorting. */
export function RecordsTable({ resource }: { resource: DatastoreResource }) {
  const { t, i18n } = useTranslation();
  const api = useDatastoreApi();
  const searchId = useId();
  const [state, setState] = useState<TableState>(() => emptyTableState());
  const [text, setText] = useState('');
  const key = orderKey(state);
  const [book, setBook] = useState(() => emptyBook(key));
  const position = pagePosition(bookFor(book, key), state.page, state.pageSize);
  const fields = resource.fields;
  const query = recordsQuery(state, fields, position);
  const records = useQuery({
    queryKey: ['datastore', 'records', resource.id, resource.liveVersion, query],
    queryFn: ({ signal }) => api.records(resource.id, query, signal),
    placeholderData: keepPreviousData,
  });
  const data = records.isPlaceholderData ? undefined : records.data;

  useEffect(() => {
    if (data) setBook((b) => rememberCursor(bookFor(b, key), state.page, data.nextCursor));
  }, [data, key, state.page]);

  const shown = records.data?.records ?? [];
  const rows: Row[] = useMemo(
    () => shown.map((values, i) => ({ key: (state.page - 1) * state.pageSize + i, values })),
    [shown, state.page, state.pageSize],
  );
  const total = records.data?.total ?? null;
  const hasMore = records.data ? records.data.nextCursor !== null || shown.length === state.pageSize : false;
  const yesNo = { yes: t('datastore.values.yes'), no: t('datastore.values.no') };

  const totalText =
    total === null
      ? t('datastore.table.totalUnknown')
      : records.data?.totalExact
        ? t('datastore.table.total', { count: total, total: formatCount(total, i18n.language) })
        : t('datastore.table.totalAbout', { count: total, total: formatCount(total, i18n.language) });

  return (
    <section aria-labelledby="data-table-title">
      <h2 id="data-table-title" style={{ fontSize: 18, margin: '0 0 12px' }}>
        {t('datastore.table.title')}
      </h2>
      <search className="dp-toolbar" style={{ display: 'flex' }}>
        <div style={{ flex: '1 1 360px', maxWidth: 560 }}>
          <label htmlFor={searchId} className="dp-field-label">
            {t('datastore.table.search')}
          </label>
          <Input.Search
            id={searchId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            enterButton={t('common.search')}
            allowClear
            onSearch={(value) => setState((s) => withQuery(s, value))}
          />
        </div>
      </search>
      <FilterBar
        fields={fields}
        filters={state.filters}
        onApply={(filter) => setState((s) => withFilter(s, filter))}
        onRemove={(field) => setState((s) => withoutFilter(s, field))}
        onClear={() => setState((s) => ({ ...s, filters: [], page: 1 }))}
      />
      {records.error ? <ProblemAlert error={records.error} /> : null}
      <p role="status" style={{ margin: '0 0 8px' }} data-testid="records-total">
        {records.data ? totalText : t('common.loading')}
        {records.data && !records.data.totalExact && total !== null ? (
          <>
            {' '}
            <Button
              type="link"
              size="small"
              style={{ padding: 0 }}
              onClick={() => setState((s) => ({ ...s, exactTotal: true }))}
            >
              {t('datastore.table.countExactly')}
            </Button>
          </>
        ) : null}
      </p>
      <TableRegion label={t('datastore.table.title')}>
        <Table<Row>
          data-testid="records-table"
          rowKey="key"
          size="small"
          loading={records.isFetching}
          dataSource={rows}
          caption={<span className="dp-visually-hidden">{resource.name}</span>}
          locale={{ emptyText: <EmptyText>{t('datastore.table.empty')}</EmptyText> }}
          onChange={(_pagination, _filters, sorter, extra) => {
            if (extra.action !== 'sort') return;
            const one = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Row> | undefined;
            const field = typeof one?.columnKey === 'string' ? one.columnKey : undefined;
            setState((s) =>
              withSort(
                s,
                field && one?.order
                  ? { field, direction: one.order === 'descend' ? 'desc' : 'asc' }
                  : undefined,
              ),
            );
          }}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total: pagerTotal(
              total,
              records.data?.totalExact ?? false,
              state.page,
              state.pageSize,
              shown.length,
              hasMore,
            ),
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES.map(String),
            onChange: (page, pageSize) => setState((s) => withPage(s, page, pageSize)),
          }}
          columns={fields.map((field) => ({
            key: field.name,
            title: fieldLabel(field, field.name),
            className: 'dp-data-cell',
            ...(UNSORTABLE.has(field.type)
              ? {}
              : {
                  sorter: true,
                  sortDirections: ['ascend', 'descend'] as ('ascend' | 'descend')[],
                  sortOrder:
                    state.sort?.field === field.name
                      ? state.sort.direction === 'desc'
                        ? ('descend' as const)
                        : ('ascend' as const)
                      : null,
                }),
            render: (_: unknown, row: Row) => {
              const value = row.values[field.name];
              return value === null || value === undefined ? (
                <span className="dp-empty">
                  <span aria-hidden="true">—</span>
                  <span className="dp-visually-hidden">{t('datastore.values.empty')}</span>
                </span>
              ) : (
                cellText(value, yesNo)
              );
            },
          }))}
        />
      </TableRegion>
    </section>
  );
}
