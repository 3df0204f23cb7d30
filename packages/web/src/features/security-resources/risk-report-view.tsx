import { Alert, Descriptions, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { TableRegion } from '../../components/table-region.tsx';
import { Badge } from '../catalog/badges.tsx';
import { formatCount } from '../datastore/format-datastore.ts';
import type { RiskReport, RiskThresholds } from './resources-types.ts';
import { RiskChart } from './risk-chart.tsx';
import { failedMeasures, formatRisk, type Measure, riskBars, riskMeasures, verdict } from './risk-display.ts';
import { formatShare } from './scan-rows.ts';

/** A measure's value or limit as the reader reads it: counts as numbers, shares as percentages. */
function useMeasureText() {
  const { t, i18n } = useTranslation();
  const value = (m: Pick<Measure, 'key'>, x: number | undefined) => {
    if (x === undefined) return '—';
    if (m.key === 'k' || m.key === 'l') return formatCount(x, i18n.language);
    if (m.key === 'uniqueShare') return formatShare(x, i18n.language);
    return formatRisk(x, i18n.language);
  };
  const name = (m: Pick<Measure, 'key' | 'attribute'>) =>
    m.attribute === undefined
      ? t(`securityResources.measures.${m.key}`)
      : t(`securityResources.measures.${m.key}Of`, { field: m.attribute });
  return { value, name };
}

/**
 * A re-identification risk report: the verdict against the scenario, each figure beside its limit, each
 * failure as a sentence, and a chart of the risks against their ceilings.
 */
export function RiskReportView({
  report,
  thresholds,
  headingLevel = 3,
}: {
  report: RiskReport;
  thresholds?: RiskThresholds | undefined;
  headingLevel?: 3 | 4;
}) {
  const { t, i18n } = useTranslation();
  const text = useMeasureText();
  const measures = riskMeasures(report, thresholds);
  const failed = failedMeasures(measures);
  const outcome = verdict(report);
  const scenario = report.scenario ? t(`securityResources.scenarios.${report.scenario}.name`) : undefined;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className="dp-risk-report" data-testid="risk-report">
      <Heading className="dp-sr-heading">{t('securityResources.report.title')}</Heading>
      {outcome === 'unassessed' ? (
        <Alert type="info" showIcon title={t('securityResources.report.unassessed')} />
      ) : (
        <Alert
          type={outcome === 'pass' ? 'success' : 'warning'}
          showIcon
          title={t(`securityResources.report.${outcome}`, { scenario })}
          description={
            failed.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="risk-failures">
                {failed.map((m) => (
                  <li key={`${m.key}-${m.attribute ?? ''}`}>
                    {t(`securityResources.failures.${m.bound}`, {
                      name: text.name(m),
                      value: text.value(m, m.value),
                      limit: text.value(m, m.limit),
                    })}
                  </li>
                ))}
              </ul>
            ) : report.pass === false ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {report.failures.map((f) => (
                  <li key={f} lang="en">
                    {f}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        style={{ marginTop: 12 }}
        items={[
          {
            key: 'records',
            label: t('securityResources.report.records'),
            children: formatCount(report.records, i18n.language),
          },
          {
            key: 'classes',
            label: t('securityResources.report.classes'),
            children: formatCount(report.classes, i18n.language),
          },
          {
            key: 'k',
            label: t('securityResources.measures.k'),
            children: formatCount(report.k, i18n.language),
          },
          {
            key: 'average',
            label: t('securityResources.report.averageClassSize'),
            children: formatRisk(report.averageClassSize, i18n.language),
          },
          {
            key: 'atRisk',
            label: t('securityResources.report.recordsAtRisk'),
            children: formatShare(report.prosecutor.recordsAtRisk, i18n.language),
          },
          {
            key: 'model',
            label: t('securityResources.report.journalistModel'),
            children: t(`securityResources.report.models.${report.journalist.model}`, {
              defaultValue: report.journalist.model,
              population: formatCount(report.journalist.population, i18n.language),
            }),
          },
        ]}
      />
      <TableRegion label={t('securityResources.report.measuresCaption')}>
        <Table<Measure>
          size="small"
          pagination={false}
          rowKey={(m) => `${m.key}-${m.attribute ?? ''}`}
          dataSource={measures}
          caption={
            <span className="dp-visually-hidden">{t('securityResources.report.measuresCaption')}</span>
          }
          columns={[
            {
              title: t('securityResources.report.measure'),
              key: 'name',
              render: (_: unknown, m: Measure) => text.name(m),
            },
            {
              title: t('securityResources.report.value'),
              key: 'value',
              className: 'dp-nowrap',
              render: (_: unknown, m: Measure) => text.value(m, m.value),
            },
            {
              title: t('securityResources.report.limit'),
              key: 'limit',
              className: 'dp-nowrap',
              render: (_: unknown, m: Measure) =>
                m.limit === undefined
                  ? '—'
                  : t(`securityResources.report.${m.bound}`, { limit: text.value(m, m.limit) }),
            },
            {
              title: t('securityResources.report.result'),
              key: 'result',
              render: (_: unknown, m: Measure) =>
                m.pass === undefined ? (
                  '—'
                ) : (
                  <Badge
                    text={t(m.pass ? 'securityResources.report.within' : 'securityResources.report.beyond')}
                    tone={m.pass ? 'green' : 'red'}
                  />
                ),
            },
          ]}
        />
      </TableRegion>
      <RiskChart bars={riskBars(measures)} label={(bar) => text.name(bar)} />
    </section>
  );
}
