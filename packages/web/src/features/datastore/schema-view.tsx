import { useQuery } from '@tanstack/react-query';
import { Spin, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { EmptyText } from '../../components/empty-text.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useDatastoreApi } from './datastore-api.ts';
import type { DatastoreField, DatastoreResource } from './datastore-types.ts';
import { ValidationReportView } from './validation-report.tsx';

/** The columns with their types, and the validation report of the live version (or the one asked for). */
export function SchemaView({ resource }: { resource: DatastoreResource }) {
  const { t } = useTranslation();
  const api = useDatastoreApi();
  const [params] = useSearchParams();
  const asked = Number.parseInt(params.get('version') ?? '', 10);
  const version = Number.isInteger(asked) && asked > 0 ? asked : resource.liveVersion;
  const report = useQuery({
    queryKey: ['datastore', 'report', resource.id, version],
    queryFn: ({ signal }) => api.report(resource.id, version ?? 0, signal),
    enabled: version !== null,
  });
  const missing = report.error instanceof ApiError && report.error.status === 404;

  return (
    <>
      <section aria-labelledby="data-schema-title">
        <h2 id="data-schema-title" style={{ fontSize: 18, margin: '0 0 12px' }}>
          {t('datastore.schema.title')}
        </h2>
        <TableRegion label={t('datastore.schema.title')}>
          <Table<DatastoreField>
            data-testid="schema-fields"
            rowKey="name"
            size="small"
            dataSource={resource.fields}
            caption={<span className="dp-visually-hidden">{t('datastore.schema.title')}</span>}
            pagination={resource.fields.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
            locale={{ emptyText: <EmptyText>{t('datastore.schema.empty')}</EmptyText> }}
            columns={[
              {
                title: t('datastore.schema.name'),
                dataIndex: 'name',
                render: (v: string) => <code>{v}</code>,
              },
              {
                title: t('datastore.schema.fieldTitle'),
                dataIndex: 'title',
                render: (v?: string) => v || '—',
              },
              {
                title: t('datastore.schema.type'),
                dataIndex: 'type',
                className: 'dp-nowrap',
                render: (v: string) => t(`datastore.fieldTypes.${v}`, { defaultValue: v }),
              },
              {
                title: t('datastore.schema.description'),
                dataIndex: 'description',
                render: (v?: string) => v || '—',
              },
            ]}
          />
        </TableRegion>
      </section>
      <section aria-labelledby="data-report-title" data-testid="schema-report">
        <h2 id="data-report-title" style={{ fontSize: 18, margin: '16px 0 12px' }}>
          {version === null
            ? t('datastore.schema.reportTitle')
            : t('datastore.schema.reportOfVersion', { version })}
        </h2>
        {version === null ? <p>{t('datastore.schema.noReport')}</p> : null}
        {report.isLoading ? <Spin description={t('common.loading')} /> : null}
        {missing ? <p>{t('datastore.schema.noReport')}</p> : null}
        {report.error && !missing ? <ProblemAlert error={report.error} /> : null}
        {report.data ? <ValidationReportView report={report.data} level={3} /> : null}
      </section>
    </>
  );
}
