import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input, InputNumber, Space, Steps, Table } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ActionLabel } from '../../components/action-label.tsx';
import { CheckboxGroupField } from '../../components/checkbox-group-field.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { TableRegion } from '../../components/table-region.tsx';
import { Badge } from '../catalog/badges.tsx';
import type { DatastoreResource } from '../datastore/datastore-types.ts';
import {
  defaultFieldPlan,
  derivationRequest,
  initialWizard,
  searchRequest,
  serverProblemStep,
  stepProblems,
  type WizardProblem,
  type WizardState,
  withField,
  withLevels,
} from './deid-wizard.ts';
import { DerivationResult } from './derivation-result.tsx';
import { FieldPlanEditor } from './field-plan-editor.tsx';
import { ResourceProblem } from './resource-problem.tsx';
import { RESOURCE_SECURITY_KEY, useResourceSecurityApi } from './resources-api.ts';
import type { DerivationView, SearchResult } from './resources-types.ts';
import { clearanceMeaning } from './risk-display.ts';
import { ScenarioSelect } from './risk-panel.tsx';
import { STATE_TONES } from './scan-panel.tsx';

type Step = 0 | 1 | 2;
const STEPS: Step[] = [0, 1, 2];

/** The wizard: a transformation per field, the risk settings, the target; then the job and its result. */
export function DeidPanel({ resource }: { resource: DatastoreResource }) {
  const { t, i18n } = useTranslation();
  const api = useResourceSecurityApi();
  const queryClient = useQueryClient();
  const fields = resource.fields.map((f) => f.name);
  const [state, setState] = useState<WizardState>(() =>
    initialWizard(
      fields,
      resource.entryCode,
      t('securityResources.wizard.defaultName', { name: resource.name }),
    ),
  );
  const [step, setStep] = useState<Step>(0);
  const [shownProblems, setShownProblems] = useState<WizardProblem[]>([]);
  const [found, setFound] = useState<{ result: SearchResult; skipped: string[] }>();
  const [chosen, setChosen] = useState<string>();
  const stepHeading = useRef<HTMLHeadingElement>(null);

  const thresholds = useQuery({
    queryKey: [...RESOURCE_SECURITY_KEY, 'thresholds'],
    queryFn: ({ signal }) => api.thresholds(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const derivations = useQuery({
    queryKey: [...RESOURCE_SECURITY_KEY, 'derivations', resource.id],
    queryFn: ({ signal }) => api.derivations(resource.id, signal),
  });
  const search = useMutation({
    mutationFn: api.search,
  });
  const derive = useMutation({
    mutationFn: api.derive,
    onSuccess: (made) => {
      setChosen(made.id);
      void queryClient.invalidateQueries({
        queryKey: [...RESOURCE_SECURITY_KEY, 'derivations', resource.id],
      });
    },
  });
  const chosenDerivation = useQuery({
    queryKey: [...RESOURCE_SECURITY_KEY, 'derivation', chosen],
    queryFn: ({ signal }) => api.derivation(chosen ?? '', signal),
    enabled: chosen !== undefined,
  });

  // The server's field errors, placed next to the control they concern.
  const serverProblems: { step: Step; at: string; message: string }[] =
    derive.error instanceof ApiError
      ? derive.error.errors.flatMap((e) => {
          const place = serverProblemStep(e.path);
          return place ? [{ ...place, message: e.message }] : [];
        })
      : [];
  const problemAt = (at: string, inStep: Step): string | undefined => {
    const own = shownProblems.find((p) => p.step === inStep && p.at === at);
    if (own) return t(`securityResources.wizard.problems.${own.code}`, own.values ?? {});
    return serverProblems.find((p) => p.step === inStep && p.at === at)?.message;
  };

  const go = (next: Step) => {
    setStep(next);
    setShownProblems([]);
    // Move focus to the new step's heading so keyboard and screen-reader users start there.
    requestAnimationFrame(() => stepHeading.current?.focus());
  };
  const next = () => {
    const problems = stepProblems(state, step);
    setShownProblems(problems);
    if (problems.length === 0 && step < 2) go((step + 1) as Step);
  };
  const submit = () => {
    const built = derivationRequest(resource.id, state);
    if (!built.ok) {
      setShownProblems(built.problems);
      const first = built.problems[0];
      if (first && first.step !== step) setStep(first.step);
      return;
    }
    setShownProblems([]);
    derive.mutate(built.request);
  };
  const findBest = () => {
    setFound(undefined);
    const asked = searchRequest(resource.id, state, thresholds.data?.[state.scenario]);
    if (!asked.ok) {
      setShownProblems(asked.problems);
      return;
    }
    setShownProblems([]);
    search.mutate(asked.request, {
      onSuccess: (result) => {
        setState((s) => withLevels(s, result.levels));
        setFound({ result, skipped: asked.skipped });
      },
    });
  };

  const stepProblemCount = (s: Step) => shownProblems.filter((p) => p.step === s).length;
  const current = chosenDerivation.data;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <section aria-labelledby="sr-deid-title">
        <h2 id="sr-deid-title" className="dp-sr-heading">
          {t('securityResources.wizard.title')}
        </h2>
        <p>{t('securityResources.wizard.intro')}</p>
        <Steps
          current={step}
          size="small"
          style={{ marginBottom: 16 }}
          items={STEPS.map((s) => ({
            title: t(`securityResources.wizard.steps.${s}`),
            ...(stepProblemCount(s) > 0 ? { status: 'error' as const } : {}),
          }))}
        />
        <h3 ref={stepHeading} tabIndex={-1} className="dp-sr-heading">
          {t('securityResources.wizard.stepHeading', {
            n: step + 1,
            title: t(`securityResources.wizard.steps.${step}`),
          })}
        </h3>
        {shownProblems.length > 0 ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginBottom: 12 }}
            title={t('securityResources.wizard.fix', { count: shownProblems.length })}
          />
        ) : null}
        <Form layout="vertical" onFinish={step === 2 ? submit : next} className="dp-sr-form">
          {step === 0 ? (
            <div className="dp-sr-fields">
              {fields.map((field, index) => (
                <FieldPlanEditor
                  key={field}
                  field={field}
                  index={index}
                  plan={state.fields[field] ?? defaultFieldPlan()}
                  problem={problemAt(field, 0)}
                  onChange={(change) => setState((s) => withField(s, field, change))}
                />
              ))}
            </div>
          ) : null}
          {step === 1 ? (
            <>
              <div className="dp-sr-columns">
                <Form.Item
                  label={t('securityResources.fields.quasiIdentifiers')}
                  htmlFor="sr-deid-qi"
                  extra={t('securityResources.fields.quasiIdentifiersHelp')}
                  validateStatus={problemAt('quasiIdentifiers', 1) ? 'error' : ''}
                  help={problemAt('quasiIdentifiers', 1)}
                >
                  <CheckboxGroupField
                    id="sr-deid-qi"
                    label={t('securityResources.fields.quasiIdentifiers')}
                    value={state.quasiIdentifiers}
                    onChange={(quasiIdentifiers) => setState((s) => ({ ...s, quasiIdentifiers }))}
                    options={fields.map((f) => ({ value: f, label: f }))}
                  />
                </Form.Item>
                <Form.Item
                  label={t('securityResources.fields.sensitive')}
                  htmlFor="sr-deid-sensitive"
                  extra={t('securityResources.fields.sensitiveHelp')}
                  validateStatus={problemAt('sensitive', 1) ? 'error' : ''}
                  help={problemAt('sensitive', 1)}
                >
                  <CheckboxGroupField
                    id="sr-deid-sensitive"
                    label={t('securityResources.fields.sensitive')}
                    value={state.sensitive}
                    onChange={(sensitive) => setState((s) => ({ ...s, sensitive }))}
                    options={fields.map((f) => ({ value: f, label: f }))}
                  />
                </Form.Item>
              </div>
              <Form.Item
                label={t('securityResources.fields.scenario')}
                htmlFor="sr-deid-scenario"
                validateStatus={problemAt('scenario', 1) ? 'error' : ''}
                help={problemAt('scenario', 1)}
              >
                <ScenarioSelect
                  id="sr-deid-scenario"
                  value={state.scenario}
                  onChange={(scenario) => setState((s) => ({ ...s, scenario }))}
                />
              </Form.Item>
              <fieldset className="dp-sr-field">
                <legend>{t('securityResources.wizard.suppression')}</legend>
                <Checkbox
                  checked={state.suppression.enabled}
                  onChange={(e) =>
                    setState((s) => ({ ...s, suppression: { ...s.suppression, enabled: e.target.checked } }))
                  }
                >
                  {t('securityResources.wizard.suppressionEnable')}
                </Checkbox>
                {state.suppression.enabled ? (
                  <div className="dp-sr-params" style={{ marginTop: 8 }}>
                    <Form.Item
                      label={t('securityResources.wizard.suppressionK')}
                      htmlFor="sr-deid-sk"
                      style={{ marginBottom: 8 }}
                    >
                      <InputNumber
                        id="sr-deid-sk"
                        min={1}
                        precision={0}
                        value={state.suppression.k}
                        onChange={(k) => setState((s) => ({ ...s, suppression: { ...s.suppression, k } }))}
                      />
                    </Form.Item>
                    <Form.Item
                      label={t('securityResources.wizard.suppressionShare')}
                      htmlFor="sr-deid-share"
                      style={{ marginBottom: 8 }}
                    >
                      <InputNumber
                        id="sr-deid-share"
                        min={0}
                        max={100}
                        suffix="%"
                        value={state.suppression.maxSharePercent}
                        onChange={(maxSharePercent) =>
                          setState((s) => ({ ...s, suppression: { ...s.suppression, maxSharePercent } }))
                        }
                      />
                    </Form.Item>
                  </div>
                ) : null}
                {problemAt('suppression', 1) ? (
                  <p className="dp-sr-problem" role="alert">
                    {problemAt('suppression', 1)}
                  </p>
                ) : null}
              </fieldset>
              <div style={{ margin: '16px 0' }}>
                <Button onClick={findBest} loading={search.isPending} data-testid="find-best">
                  {t('securityResources.wizard.findBest')}
                </Button>
                <p className="dp-meta-line" style={{ marginTop: 4 }}>
                  {t('securityResources.wizard.findBestHelp', {
                    k: Math.max(2, thresholds.data?.[state.scenario]?.k ?? 2),
                  })}
                </p>
                <div>
                  <p role="status" className="dp-visually-hidden">
                    {search.isPending
                      ? t('securityResources.wizard.searching')
                      : found
                        ? t('securityResources.wizard.found', {
                            levels: Object.entries(found.result.levels)
                              .map(([f, l]) => `${f} → ${l}`)
                              .join(t('common.listSeparator')),
                          })
                        : ''}
                  </p>
                  <ResourceProblem error={search.error} />
                  {found ? (
                    <Alert
                      type="success"
                      showIcon
                      data-testid="search-result"
                      title={t('securityResources.wizard.found', {
                        levels: Object.entries(found.result.levels)
                          .map(([f, l]) => `${f} → ${l}`)
                          .join(t('common.listSeparator')),
                      })}
                      description={
                        <>
                          {t('securityResources.wizard.foundFigures', {
                            k: found.result.report.k,
                            suppressed: found.result.recordsSuppressed,
                            loss: new Intl.NumberFormat(i18n.language, {
                              style: 'percent',
                              maximumFractionDigits: 1,
                            }).format(found.result.infoLoss),
                            checked: found.result.nodesChecked,
                            lattice: found.result.latticeSize,
                          })}
                          {found.skipped.length > 0 ? (
                            <>
                              {' '}
                              {t('securityResources.wizard.skipped', {
                                fields: found.skipped.join(t('common.listSeparator')),
                              })}
                            </>
                          ) : null}
                        </>
                      }
                    />
                  ) : null}
                </div>
              </div>
            </>
          ) : null}
          {step === 2 ? (
            <>
              <Form.Item
                label={t('securityResources.wizard.entryCode')}
                htmlFor="sr-deid-entry"
                extra={t('securityResources.wizard.entryCodeHelp')}
                validateStatus={problemAt('entryCode', 2) ? 'error' : ''}
                help={problemAt('entryCode', 2)}
              >
                <Input
                  id="sr-deid-entry"
                  value={state.target.entryCode}
                  style={{ maxWidth: 360 }}
                  onChange={(e) =>
                    setState((s) => ({ ...s, target: { ...s.target, entryCode: e.target.value } }))
                  }
                />
              </Form.Item>
              <Form.Item
                label={t('securityResources.wizard.name')}
                htmlFor="sr-deid-name"
                validateStatus={problemAt('name', 2) ? 'error' : ''}
                help={problemAt('name', 2)}
              >
                <Input
                  id="sr-deid-name"
                  value={state.target.name}
                  maxLength={200}
                  style={{ maxWidth: 480 }}
                  onChange={(e) => setState((s) => ({ ...s, target: { ...s.target, name: e.target.value } }))}
                />
              </Form.Item>
              <Form.Item
                label={t('securityResources.wizard.description')}
                htmlFor="sr-deid-description"
                validateStatus={problemAt('description', 2) ? 'error' : ''}
                help={problemAt('description', 2)}
              >
                <Input.TextArea
                  id="sr-deid-description"
                  value={state.target.description}
                  rows={3}
                  maxLength={2000}
                  style={{ maxWidth: 640 }}
                  onChange={(e) =>
                    setState((s) => ({ ...s, target: { ...s.target, description: e.target.value } }))
                  }
                />
              </Form.Item>
            </>
          ) : null}
          <Space wrap>
            {step > 0 ? (
              <Button onClick={() => go((step - 1) as Step)}>{t('securityResources.wizard.back')}</Button>
            ) : null}
            {step < 2 ? (
              <Button type="primary" htmlType="submit" data-testid="wizard-next">
                {t('securityResources.wizard.next')}
              </Button>
            ) : (
              <Button type="primary" htmlType="submit" loading={derive.isPending} data-testid="wizard-submit">
                {t('securityResources.wizard.submit')}
              </Button>
            )}
          </Space>
        </Form>
        <div style={{ marginTop: 12 }}>
          <ResourceProblem error={derive.error} />
        </div>
      </section>

      {current ? <DerivationResult derivation={current} /> : null}
      {chosenDerivation.error ? <ResourceProblem error={chosenDerivation.error} /> : null}

      <section aria-labelledby="sr-deid-history">
        <h2 id="sr-deid-history" className="dp-sr-heading">
          {t('securityResources.derivation.history')}
        </h2>
        {derivations.error ? <ResourceProblem error={derivations.error} /> : null}
        <TableRegion label={t('securityResources.derivation.history')}>
          <Table<DerivationView>
            data-testid="derivation-history"
            size="small"
            rowKey="id"
            loading={derivations.isPending}
            dataSource={derivations.data?.items ?? []}
            pagination={
              (derivations.data?.items.length ?? 0) > 10 ? { pageSize: 10, showSizeChanger: false } : false
            }
            caption={<span className="dp-visually-hidden">{t('securityResources.derivation.history')}</span>}
            locale={{ emptyText: <EmptyText>{t('securityResources.derivation.none')}</EmptyText> }}
            columns={[
              {
                title: t('securityResources.common.requestedAt'),
                dataIndex: 'createdAt',
                className: 'dp-nowrap',
                render: (v: string) => formatDateTime(v, i18n.language),
              },
              {
                title: t('securityResources.derivation.target'),
                key: 'target',
                render: (_: unknown, d: DerivationView) =>
                  d.target.resourceId ? (
                    <Link to={`/data/${encodeURIComponent(d.target.resourceId)}`}>{d.target.name}</Link>
                  ) : (
                    d.target.name
                  ),
              },
              {
                title: t('securityResources.common.state'),
                dataIndex: 'state',
                render: (v: DerivationView['state']) => (
                  <Badge text={t(`securityResources.states.${v}`)} tone={STATE_TONES[v]} />
                ),
              },
              {
                title: t('securityResources.derivation.clearance'),
                key: 'clearance',
                render: (_: unknown, d: DerivationView) => {
                  const meaning = clearanceMeaning(d);
                  return meaning === 'pending' ? '—' : t(`securityResources.clearance.names.${meaning}`);
                },
              },
              {
                title: t('securityResources.common.actions'),
                key: 'actions',
                render: (_: unknown, d: DerivationView) => (
                  <Button size="small" onClick={() => setChosen(d.id)} aria-pressed={chosen === d.id}>
                    <ActionLabel text={t('securityResources.common.show')} context={d.target.name} />
                  </Button>
                ),
              },
            ]}
          />
        </TableRegion>
      </section>
    </Space>
  );
}
