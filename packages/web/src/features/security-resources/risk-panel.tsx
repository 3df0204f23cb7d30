import { useMutation } from '@tanstack/react-query';
import { Button, Form, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxGroupField } from '../../components/checkbox-group-field.tsx';
import type { DatastoreResource } from '../datastore/datastore-types.ts';
import { ResourceProblem } from './resource-problem.tsx';
import { useResourceSecurityApi } from './resources-api.ts';
import { type RiskReport, SCENARIOS, type Scenario } from './resources-types.ts';
import { verdict } from './risk-display.ts';
import { RiskReportView } from './risk-report-view.tsx';

/** The scenario choice, each with what it is for; shared by the risk form and the wizard. */
export function ScenarioSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: Scenario;
  onChange: (value: Scenario) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Select<Scenario>
        id={id}
        value={value}
        onChange={onChange}
        aria-describedby={`${id}-help`}
        style={{ maxWidth: 360, width: '100%' }}
        options={SCENARIOS.map((s) => ({ value: s, label: t(`securityResources.scenarios.${s}.name`) }))}
      />
      <p id={`${id}-help`} className="dp-meta-line" style={{ marginTop: 4 }}>
        {t(`securityResources.scenarios.${value}.help`)}
      </p>
    </>
  );
}

/** Assess the table as it is: choose the quasi-identifiers and sensitive attributes, and a scenario. */
export function RiskPanel({ resource }: { resource: DatastoreResource }) {
  const { t } = useTranslation();
  const api = useResourceSecurityApi();
  const [quasi, setQuasi] = useState<string[]>([]);
  const [sensitive, setSensitive] = useState<string[]>([]);
  const [scenario, setScenario] = useState<Scenario>('conditional-opening');
  const [tried, setTried] = useState(false);
  const assess = useMutation({ mutationFn: api.risk });
  const fields = resource.fields.map((f) => f.name);
  const overlap = sensitive.filter((s) => quasi.includes(s));
  const noQuasi = quasi.length === 0;

  const verdictText = (report: RiskReport) => {
    const outcome = verdict(report);
    return outcome === 'unassessed'
      ? t('securityResources.report.unassessed')
      : t(`securityResources.report.${outcome}`, {
          scenario: t(`securityResources.scenarios.${report.scenario ?? scenario}.name`),
        });
  };

  const submit = () => {
    setTried(true);
    if (noQuasi || overlap.length > 0) return;
    const order = (list: string[]) => fields.filter((f) => list.includes(f));
    assess.mutate({
      resourceId: resource.id,
      quasiIdentifiers: order(quasi),
      ...(sensitive.length > 0 ? { sensitive: order(sensitive) } : {}),
      scenario,
    });
  };

  return (
    <section aria-labelledby="sr-risk-title">
      <h2 id="sr-risk-title" className="dp-sr-heading">
        {t('securityResources.risk.title')}
      </h2>
      <p>{t('securityResources.risk.intro')}</p>
      <Form layout="vertical" onFinish={submit} className="dp-sr-form">
        <div className="dp-sr-columns">
          <Form.Item
            label={t('securityResources.fields.quasiIdentifiers')}
            htmlFor="sr-risk-qi"
            extra={t('securityResources.fields.quasiIdentifiersHelp')}
            validateStatus={tried && noQuasi ? 'error' : ''}
            help={tried && noQuasi ? t('securityResources.wizard.problems.noQuasiIdentifiers') : undefined}
          >
            <CheckboxGroupField
              id="sr-risk-qi"
              label={t('securityResources.fields.quasiIdentifiers')}
              value={quasi}
              onChange={setQuasi}
              options={fields.map((f) => ({ value: f, label: f }))}
            />
          </Form.Item>
          <Form.Item
            label={t('securityResources.fields.sensitive')}
            htmlFor="sr-risk-sensitive"
            extra={t('securityResources.fields.sensitiveHelp')}
            validateStatus={tried && overlap.length > 0 ? 'error' : ''}
            help={
              tried && overlap.length > 0
                ? t('securityResources.wizard.problems.bothRoles', {
                    field: overlap.join(t('common.listSeparator')),
                  })
                : undefined
            }
          >
            <CheckboxGroupField
              id="sr-risk-sensitive"
              label={t('securityResources.fields.sensitive')}
              value={sensitive}
              onChange={setSensitive}
              options={fields.map((f) => ({ value: f, label: f }))}
            />
          </Form.Item>
        </div>
        <Form.Item label={t('securityResources.fields.scenario')} htmlFor="sr-risk-scenario">
          <ScenarioSelect id="sr-risk-scenario" value={scenario} onChange={setScenario} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={assess.isPending} data-testid="assess-risk">
          {t('securityResources.risk.assess')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }}>
        <ResourceProblem error={assess.error} />
        {/* Always present, so that assistive technology announces each change of it. */}
        <p role="status" className="dp-visually-hidden">
          {assess.isPending
            ? t('securityResources.risk.working')
            : assess.data
              ? verdictText(assess.data)
              : ''}
        </p>
        {assess.data ? <RiskReportView report={assess.data} /> : null}
      </div>
    </section>
  );
}
