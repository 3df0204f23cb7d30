import { Alert, Descriptions, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge } from '../catalog/badges.tsx';
import { formatCount } from '../datastore/format-datastore.ts';
import { type DerivationView, SCENARIOS } from './resources-types.ts';
import { clearanceMeaning } from './risk-display.ts';
import { RiskReportView } from './risk-report-view.tsx';
import { WorkProgress } from './work-progress.tsx';

interface Lineage {
  source?: { resource?: string; version?: number; entry?: string };
  release?: string;
  transformations?: Record<string, { kind?: string }>;
  suppression?: { k: number; maxShare: number };
}

/** The lineage as the derivation keeps it, read defensively: it is stored JSON. */
function readLineage(value: unknown): Lineage {
  return typeof value === 'object' && value !== null ? (value as Lineage) : {};
}

/** One derivation: its job while it runs, then the risk report, the scenarios, the clearance and the lineage. */
export function DerivationResult({ derivation }: { derivation: DerivationView }) {
  const { t, i18n } = useTranslation();
  const meaning = clearanceMeaning(derivation);
  const lineage = readLineage(derivation.lineage);
  const running = derivation.state === 'queued' || derivation.state === 'running';
  const target = derivation.target.resourceId;
  return (
    <section aria-labelledby={`sr-derivation-${derivation.id}`} data-testid="derivation-result">
      <h3 id={`sr-derivation-${derivation.id}`} className="dp-sr-heading">
        {t('securityResources.derivation.title', { name: derivation.target.name })}
      </h3>
      {derivation.jobId && (running || derivation.state === 'done') ? (
        <WorkProgress
          key={derivation.jobId}
          jobId={derivation.jobId}
          label={t('securityResources.derivation.progressLabel')}
          testId="derivation-status"
        />
      ) : null}
      {derivation.state === 'failed' ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('securityResources.derivation.failed')}
          description={derivation.error ?? undefined}
        />
      ) : null}
      {derivation.state === 'done' ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {target ? (
            <p style={{ margin: 0 }}>
              <Link to={`/data/${encodeURIComponent(target)}`} data-testid="derived-table-link">
                {t('securityResources.derivation.open', { name: derivation.target.name })}
              </Link>
              <span className="dp-meta-line">
                {' '}
                {t('securityResources.derivation.rows', {
                  rows: formatCount(derivation.rows ?? 0, i18n.language),
                  suppressed: formatCount(derivation.recordsSuppressed ?? 0, i18n.language),
                })}
              </span>
            </p>
          ) : null}
          <Alert
            type={meaning === 'none' ? 'warning' : 'info'}
            showIcon
            title={t('securityResources.clearance.title', {
              clearance:
                derivation.clearance === null
                  ? t('securityResources.clearance.notPersonalShort')
                  : t(`securityResources.clearance.names.${meaning}`),
            })}
            description={t(`securityResources.clearance.meaning.${meaning}`)}
            data-testid="clearance"
          />
          {derivation.scenarios ? (
            <div>
              <h4 className="dp-sr-heading">{t('securityResources.derivation.scenarios')}</h4>
              <ul className="dp-sr-scenarios">
                {SCENARIOS.filter((s) => derivation.scenarios?.[s] !== undefined).map((s) => (
                  <li key={s}>
                    {t(`securityResources.scenarios.${s}.name`)}
                    {t('common.labelSeparator')}
                    <Badge
                      text={t(
                        derivation.scenarios?.[s]
                          ? 'securityResources.derivation.passed'
                          : 'securityResources.derivation.notPassed',
                      )}
                      tone={derivation.scenarios?.[s] ? 'green' : 'red'}
                    />
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {derivation.report ? <RiskReportView report={derivation.report} headingLevel={4} /> : null}
          <div>
            <h4 className="dp-sr-heading">{t('securityResources.lineage.title')}</h4>
            <Descriptions
              size="small"
              column={1}
              bordered
              items={[
                {
                  key: 'source',
                  label: t('securityResources.lineage.source'),
                  children: (
                    <Link to={`/data/${encodeURIComponent(derivation.sourceResourceId)}`}>
                      {t('securityResources.lineage.sourceText', {
                        id: lineage.source?.resource ?? derivation.sourceResourceId,
                        version: lineage.source?.version ?? derivation.sourceVersion ?? '—',
                      })}
                    </Link>
                  ),
                },
                {
                  key: 'release',
                  label: t('securityResources.lineage.release'),
                  children: <code>{lineage.release ?? derivation.id}</code>,
                },
                {
                  key: 'transformations',
                  label: t('securityResources.lineage.transformations'),
                  children: (
                    <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                      {Object.entries(lineage.transformations ?? {}).map(([field, spec]) => (
                        <li key={field}>
                          <code>{field}</code>
                          {t('common.labelSeparator')}
                          {t(`securityResources.transforms.${spec.kind ?? 'keep'}`, {
                            defaultValue: spec.kind ?? '—',
                          })}
                        </li>
                      ))}
                      <li>{t('securityResources.lineage.othersKept')}</li>
                    </ul>
                  ),
                },
                ...(lineage.suppression
                  ? [
                      {
                        key: 'suppression',
                        label: t('securityResources.lineage.suppression'),
                        children: t('securityResources.lineage.suppressionText', {
                          k: lineage.suppression.k,
                          share: new Intl.NumberFormat(i18n.language, {
                            style: 'percent',
                            maximumFractionDigits: 1,
                          }).format(lineage.suppression.maxShare),
                        }),
                      },
                    ]
                  : []),
              ]}
            />
          </div>
        </Space>
      ) : null}
    </section>
  );
}
