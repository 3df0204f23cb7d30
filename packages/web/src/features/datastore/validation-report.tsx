import { Alert, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { CheckIcon, CrossIcon } from '../../components/icons.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatBytes } from '../catalog/format-catalog.ts';
import type { ValidationError, ValidationReport } from './datastore-types.ts';
import { formatCount } from './format-datastore.ts';

interface ReportProps {
  report: ValidationReport;
  /** The heading level the report's own sections take under the page's structure. */
  level?: 2 | 3;
  testId?: string;
}

/** A validation report: the verdict and figures, then the errors with their row and column. */
export function ValidationReportView({ report, level = 3, testId = 'validation-report' }: ReportProps) {
  const { t, i18n } = useTranslation();
  const Heading = `h${level}` as const;
  const keyed = report.errors.map((error, i) => ({ ...error, key: i }));
  const source = report.source;
  return (
    <div data-testid={testId} style={{ display: 'grid', gap: 16 }}>
      <p style={{ margin: 0, display: 'flex', alignItems: 'center', gap: 8 }} data-valid={report.valid}>
        <span style={{ color: report.valid ? '#237804' : '#a8071a', display: 'inline-flex' }}>
          {report.valid ? <CheckIcon /> : <CrossIcon />}
        </span>
        <strong>
          {report.valid
            ? t('datastore.report.valid')
            : t('datastore.report.invalid', {
                count: report.errorCount,
                errors: formatCount(report.errorCount, i18n.language),
              })}
        </strong>
      </p>
      <table className="dp-kv">
        <caption>{t('datastore.report.summaryTitle')}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('datastore.report.rows')}</th>
            <td>{formatCount(report.stats.rows, i18n.language)}</td>
          </tr>
          <tr>
            <th scope="row">{t('datastore.report.fields')}</th>
            <td>{formatCount(report.stats.fields, i18n.language)}</td>
          </tr>
          <tr>
            <th scope="row">{t('datastore.report.bytes')}</th>
            <td>{formatBytes(report.stats.bytes, i18n.language)}</td>
          </tr>
          {source ? (
            <tr>
              <th scope="row">{t('datastore.report.source')}</th>
              <td>
                {[
                  source.format.toUpperCase(),
                  source.encoding,
                  source.compression !== 'none' ? source.compression : null,
                  source.delimiter
                    ? t('datastore.report.delimiter', { delimiter: JSON.stringify(source.delimiter) })
                    : null,
                ]
                  .filter(Boolean)
                  .join(t('common.listSeparator'))}
              </td>
            </tr>
          ) : null}
          {report.stats.sha256 ? (
            <tr>
              <th scope="row">{t('datastore.report.sha256')}</th>
              <td className="dp-mono">{report.stats.sha256}</td>
            </tr>
          ) : null}
          {report.schema.primaryKey?.length ? (
            <tr>
              <th scope="row">{t('datastore.report.primaryKey')}</th>
              <td>{report.schema.primaryKey.join(t('common.listSeparator'))}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {report.errors.length > 0 ? (
        <section aria-labelledby={`${testId}-errors`}>
          <Heading id={`${testId}-errors`} style={{ fontSize: 16, margin: '0 0 8px' }}>
            {t('datastore.report.errorsTitle')}
          </Heading>
          {report.limitReached ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('datastore.report.limitReached', {
                shown: formatCount(report.errors.length, i18n.language),
                total: formatCount(report.errorCount, i18n.language),
              })}
            />
          ) : null}
          <TableRegion label={t('datastore.report.errorsTitle')}>
            <Table<ValidationError & { key: number }>
              data-testid={`${testId}-errors`}
              rowKey="key"
              size="small"
              dataSource={keyed}
              caption={<span className="dp-visually-hidden">{t('datastore.report.errorsTitle')}</span>}
              pagination={keyed.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              columns={[
                {
                  title: t('datastore.report.row'),
                  dataIndex: 'rowNumber',
                  className: 'dp-nowrap',
                  render: (v?: number) => (v === undefined ? '—' : formatCount(v, i18n.language)),
                },
                {
                  title: t('datastore.report.field'),
                  key: 'field',
                  render: (_: unknown, e: ValidationError) =>
                    e.fieldName ?? (e.fieldNumber === undefined ? '—' : `#${e.fieldNumber}`),
                },
                {
                  title: t('datastore.report.type'),
                  dataIndex: 'type',
                  render: (v: string) => t(`datastore.errorTypes.${v}`, { defaultValue: v }),
                },
                { title: t('datastore.report.message'), dataIndex: 'message' },
                {
                  title: t('datastore.report.cell'),
                  dataIndex: 'cell',
                  className: 'dp-data-cell',
                  render: (v?: string) => (v === undefined ? '—' : <code>{v}</code>),
                },
              ]}
            />
          </TableRegion>
        </section>
      ) : null}
    </div>
  );
}
