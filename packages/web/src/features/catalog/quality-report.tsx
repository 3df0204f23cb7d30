import { Card, Progress } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CheckIcon, CrossIcon } from '../../components/icons.tsx';
import type { QualityIssue, QualityReport } from './catalog-types.ts';
import { formatPercent } from './format-catalog.ts';

/** The human message for a quality issue or to-do kind, with its number (days, fields…) filled in. */
export function issueMessage(t: TFunction, issue: { kind: string; amount?: number | undefined }): string {
  return t(`catalog.quality.issues.${issue.kind}`, {
    count: issue.amount ?? 0,
    defaultValue: issue.kind,
  });
}

/** Severity 3 is to be fixed first. */
export function severityLabel(t: TFunction, severity: number): string {
  return t(`catalog.quality.severity.${severity >= 3 ? 'high' : severity === 2 ? 'medium' : 'low'}`);
}

function Fact({ ok, children }: { ok: boolean; children: string }) {
  return (
    <li style={{ display: 'flex', gap: 8, alignItems: 'center', color: ok ? '#135200' : '#a8071a' }}>
      {ok ? <CheckIcon size={16} /> : <CrossIcon size={16} />}
      <span style={{ color: 'rgba(0,0,0,0.88)' }}>{children}</span>
    </li>
  );
}

export function IssueList({ issues }: { issues: QualityIssue[] }) {
  const { t } = useTranslation();
  if (issues.length === 0) return <p>{t('catalog.quality.noIssues')}</p>;
  return (
    <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="quality-issues">
      {[...issues]
        .sort((a, b) => b.severity - a.severity)
        .map((issue) => (
          <li key={issue.kind}>
            <strong>{severityLabel(t, issue.severity)}</strong>
            {t('common.labelSeparator')}
            {issueMessage(t, issue)}
          </li>
        ))}
    </ul>
  );
}

/** Score, the facts behind it, and what to fix, most urgent first. */
export function QualityReportCard({
  quality,
  headingLevel = 2,
}: {
  quality: QualityReport;
  headingLevel?: 2 | 3;
}) {
  const { t, i18n } = useTranslation();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const SubHeading = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <Card title={<Heading style={{ margin: 0, fontSize: 18 }}>{t('catalog.quality.title')}</Heading>}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'center' }}>
        <div style={{ textAlign: 'center' }}>
          <Progress
            type="circle"
            percent={quality.score}
            size={96}
            format={(p) => `${p ?? 0}`}
            aria-label={t('catalog.quality.score')}
          />
          <p style={{ margin: '4px 0 0' }} data-testid="quality-score">
            {t('catalog.quality.scoreOf', { score: quality.score })}
          </p>
        </div>
        <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 4 }}>
          <Fact ok={quality.completeness >= 0.8}>
            {t('catalog.quality.completeness', { value: formatPercent(quality.completeness, i18n.language) })}
          </Fact>
          <Fact ok={quality.fieldsDescribed >= 1}>
            {t('catalog.quality.fieldsDescribed', {
              value: formatPercent(quality.fieldsDescribed, i18n.language),
            })}
          </Fact>
          <Fact ok={quality.hasLicense}>
            {quality.hasLicense ? t('catalog.quality.hasLicense') : t('catalog.quality.noLicense')}
          </Fact>
          <Fact ok={quality.hasContact}>
            {quality.hasContact ? t('catalog.quality.hasContact') : t('catalog.quality.noContact')}
          </Fact>
          <Fact ok={quality.timely}>
            {quality.timely
              ? t('catalog.quality.timely')
              : t('catalog.quality.overdue', { count: quality.daysOverdue })}
          </Fact>
        </ul>
      </div>
      <SubHeading style={{ fontSize: 16, margin: '16px 0 8px' }}>
        {t('catalog.quality.issuesTitle')}
      </SubHeading>
      <IssueList issues={quality.issues} />
    </Card>
  );
}
