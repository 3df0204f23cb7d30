import { Form, Input, InputNumber, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxGroupField } from '../../components/checkbox-group-field.tsx';
import { FileInput } from '../../components/file-input.tsx';
import {
  DATE_LEVELS,
  type FieldPlan,
  HIERARCHY_KINDS,
  maxLevel,
  NOISE_DISTRIBUTIONS,
  TRANSFORM_KINDS,
  TRUNCATE_UNITS,
} from './deid-wizard.ts';
import { type HierarchyProblem, readHierarchyFile } from './hierarchy-file.ts';

/** A stable id for a field's controls, whatever characters its name has. */
function slug(field: string, index: number): string {
  return `sr-f${index}-${field.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

/** One field's transformation and its settings; `problem` is shown under it and tied to its controls. */
export function FieldPlanEditor({
  field,
  index,
  plan,
  problem,
  onChange,
}: {
  field: string;
  index: number;
  plan: FieldPlan;
  problem: string | undefined;
  onChange: (change: Partial<FieldPlan>) => void;
}) {
  const { t } = useTranslation();
  const id = slug(field, index);
  const [fileProblem, setFileProblem] = useState<HierarchyProblem>();
  const numberItem = (
    key: string,
    label: string,
    value: number | null,
    set: (v: number | null) => void,
    props: { min?: number; max?: number; precision?: number; step?: number } = {},
  ) => (
    <Form.Item label={label} htmlFor={`${id}-${key}`} style={{ marginBottom: 8 }}>
      <InputNumber id={`${id}-${key}`} value={value} onChange={(v) => set(v)} {...props} />
    </Form.Item>
  );
  const max = maxLevel(plan);

  return (
    <fieldset
      className="dp-sr-field"
      data-testid={`plan-${field}`}
      aria-describedby={problem ? `${id}-problem` : undefined}
    >
      <legend>
        <code>{field}</code>
      </legend>
      <Form.Item
        label={t('securityResources.wizard.transformOf', { field })}
        htmlFor={`${id}-kind`}
        style={{ marginBottom: 8 }}
      >
        <Select
          id={`${id}-kind`}
          value={plan.kind}
          onChange={(kind) => onChange({ kind })}
          style={{ maxWidth: 320, width: '100%' }}
          options={TRANSFORM_KINDS.map((k) => ({ value: k, label: t(`securityResources.transforms.${k}`) }))}
        />
      </Form.Item>
      <div className="dp-sr-params">
        {plan.kind === 'mask' ? (
          <>
            {numberItem(
              'keep-start',
              t('securityResources.wizard.keepStart'),
              plan.mask.keepStart,
              (v) => onChange({ mask: { ...plan.mask, keepStart: v } }),
              { min: 0, precision: 0 },
            )}
            {numberItem(
              'keep-end',
              t('securityResources.wizard.keepEnd'),
              plan.mask.keepEnd,
              (v) => onChange({ mask: { ...plan.mask, keepEnd: v } }),
              { min: 0, precision: 0 },
            )}
            <Form.Item
              label={t('securityResources.wizard.maskChar')}
              htmlFor={`${id}-char`}
              style={{ marginBottom: 8 }}
            >
              <Input
                id={`${id}-char`}
                value={plan.mask.char}
                maxLength={2}
                style={{ width: 64 }}
                onChange={(e) => onChange({ mask: { ...plan.mask, char: e.target.value } })}
              />
            </Form.Item>
          </>
        ) : null}
        {plan.kind === 'hash'
          ? numberItem(
              'hash',
              t('securityResources.wizard.hashLength'),
              plan.hashLength,
              (v) => onChange({ hashLength: v }),
              {
                min: 8,
                max: 64,
                precision: 0,
              },
            )
          : null}
        {plan.kind === 'range' ? (
          <>
            {numberItem('width', t('securityResources.wizard.width'), plan.range.width, (v) =>
              onChange({ range: { ...plan.range, width: v } }),
            )}
            {numberItem('origin', t('securityResources.wizard.origin'), plan.range.origin, (v) =>
              onChange({ range: { ...plan.range, origin: v } }),
            )}
          </>
        ) : null}
        {plan.kind === 'truncate-date' ? (
          <Form.Item
            label={t('securityResources.wizard.unit')}
            htmlFor={`${id}-unit`}
            style={{ marginBottom: 8 }}
          >
            <Select
              id={`${id}-unit`}
              value={plan.truncate}
              onChange={(truncate) => onChange({ truncate })}
              style={{ width: 160 }}
              options={TRUNCATE_UNITS.map((u) => ({ value: u, label: t(`securityResources.units.${u}`) }))}
            />
          </Form.Item>
        ) : null}
        {plan.kind === 'noise' ? (
          <>
            <Form.Item
              label={t('securityResources.wizard.distribution')}
              htmlFor={`${id}-dist`}
              style={{ marginBottom: 8 }}
            >
              <Select
                id={`${id}-dist`}
                value={plan.noise.distribution}
                onChange={(distribution) => onChange({ noise: { ...plan.noise, distribution } })}
                style={{ width: 180 }}
                options={NOISE_DISTRIBUTIONS.map((d) => ({
                  value: d,
                  label: t(`securityResources.distributions.${d}`),
                }))}
              />
            </Form.Item>
            {numberItem(
              'scale',
              t('securityResources.wizard.scale'),
              plan.noise.scale,
              (v) => onChange({ noise: { ...plan.noise, scale: v } }),
              { min: 0 },
            )}
            {numberItem(
              'round',
              t('securityResources.wizard.round'),
              plan.noise.round,
              (v) => onChange({ noise: { ...plan.noise, round: v } }),
              { min: 0, max: 10, precision: 0 },
            )}
          </>
        ) : null}
        {plan.kind === 'generalize' ? (
          <div style={{ width: '100%' }}>
            <Form.Item
              label={t('securityResources.wizard.hierarchy')}
              htmlFor={`${id}-hierarchy`}
              style={{ marginBottom: 8 }}
            >
              <Radio.Group
                id={`${id}-hierarchy`}
                value={plan.hierarchy}
                onChange={(e) => onChange({ hierarchy: e.target.value })}
                options={HIERARCHY_KINDS.map((h) => ({
                  value: h,
                  label: t(`securityResources.hierarchies.${h}`),
                }))}
              />
            </Form.Item>
            {plan.hierarchy === 'ranges' ? (
              <Form.Item
                label={t('securityResources.wizard.ranges')}
                htmlFor={`${id}-ranges`}
                extra={t('securityResources.wizard.rangesHelp')}
                style={{ marginBottom: 8 }}
              >
                <Input
                  id={`${id}-ranges`}
                  value={plan.ranges}
                  placeholder="5, 10, 20"
                  style={{ maxWidth: 240 }}
                  onChange={(e) => onChange({ ranges: e.target.value })}
                />
              </Form.Item>
            ) : null}
            {plan.hierarchy === 'dates' ? (
              <Form.Item
                label={t('securityResources.wizard.dates')}
                htmlFor={`${id}-dates`}
                style={{ marginBottom: 8 }}
              >
                <CheckboxGroupField
                  id={`${id}-dates`}
                  label={t('securityResources.wizard.dates')}
                  value={plan.dates}
                  onChange={(v) => onChange({ dates: v as FieldPlan['dates'] })}
                  options={DATE_LEVELS.map((d) => ({ value: d, label: t(`securityResources.units.${d}`) }))}
                />
              </Form.Item>
            ) : null}
            {plan.hierarchy === 'csv' ? (
              <Form.Item
                label={t('securityResources.wizard.csvFile')}
                htmlFor={`${id}-csv`}
                extra={t('securityResources.wizard.csvHelp')}
                validateStatus={fileProblem ? 'error' : ''}
                help={
                  fileProblem
                    ? t(`securityResources.hierarchyProblems.${fileProblem.code}`, fileProblem)
                    : undefined
                }
                style={{ marginBottom: 8 }}
              >
                <FileInput
                  id={`${id}-csv`}
                  accept=".csv,.txt,text/csv,text/plain"
                  error={
                    fileProblem
                      ? t(`securityResources.hierarchyProblems.${fileProblem.code}`, fileProblem)
                      : undefined
                  }
                  onFile={(file) => {
                    setFileProblem(undefined);
                    if (!file) return onChange({ csv: undefined });
                    void readHierarchyFile(file).then((read) => {
                      if (!read.ok) {
                        setFileProblem(read.problem);
                        onChange({ csv: undefined });
                      } else
                        onChange({
                          csv: { name: file.name, text: read.file.csv, levels: read.file.levels },
                          level: Math.min(plan.level ?? 1, read.file.levels - 1),
                        });
                    });
                  }}
                />
                {plan.csv ? (
                  <p className="dp-meta-line" role="status" style={{ margin: '4px 0 0' }}>
                    {t('securityResources.wizard.csvRead', {
                      name: plan.csv.name,
                      levels: plan.csv.levels - 1,
                    })}
                  </p>
                ) : null}
              </Form.Item>
            ) : null}
            <Form.Item
              label={t('securityResources.wizard.level')}
              htmlFor={`${id}-level`}
              extra={max === undefined ? undefined : t('securityResources.wizard.levelHelp', { max })}
              style={{ marginBottom: 8 }}
            >
              <InputNumber
                id={`${id}-level`}
                min={0}
                {...(max === undefined ? {} : { max })}
                precision={0}
                value={plan.level}
                onChange={(level) => onChange({ level })}
              />
            </Form.Item>
          </div>
        ) : null}
      </div>
      {problem ? (
        <p id={`${id}-problem`} className="dp-sr-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </fieldset>
  );
}
