import { Checkbox, Col, Form, Input, InputNumber, Row, Select } from 'antd';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldRule } from './catalog-types.ts';
import { contentLanguage } from './localized.ts';
import { useLabels } from './use-catalog-data.ts';

/** The operator's own fields (profile rules under `extras.`), named as the profile labels them. */
export function extraRules(rules: readonly FieldRule[] | undefined): FieldRule[] {
  return (rules ?? []).filter((r) => r.path.startsWith('extras.') && r.path.split('.').length === 2);
}

/**
 * The input for one extra field. A plain element, not a component of its own: Form.Item passes id,
 * value, onChange and the aria attributes to its direct child.
 */
function control(rule: FieldRule, options: { value: string; label: string }[]): ReactElement {
  if (rule.codeList !== undefined)
    return (
      <Select allowClear {...(rule.type === 'list' ? { mode: 'multiple' as const } : {})} options={options} />
    );
  switch (rule.type) {
    case 'number':
      return <InputNumber style={{ width: '100%' }} />;
    case 'date':
      return <Input type="date" />;
    case 'list':
      return <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />;
    default:
      return <Input maxLength={rule.maxLength ?? 4000} />;
  }
}

/** Inputs for the fields the operator added to the catalog standard; nothing when there are none. */
export function ExtrasEditor({ rules }: { rules: FieldRule[] }) {
  const { i18n } = useTranslation();
  const { code, profile } = useLabels();
  const language = contentLanguage(i18n.language);
  const optionsOf = (rule: FieldRule) =>
    rule.codeList === undefined
      ? []
      : (profile?.codeLists[rule.codeList] ?? []).map((i) => ({
          value: i.code,
          label: code(rule.codeList!, i.code),
        }));
  return (
    <Row gutter={16}>
      {rules.map((rule) => {
        const name = rule.path.slice('extras.'.length);
        return (
          <Col xs={24} md={12} key={rule.path}>
            {rule.type === 'boolean' ? (
              <Form.Item name={['extras', name]} valuePropName="checked">
                <Checkbox>{rule.label[language]}</Checkbox>
              </Form.Item>
            ) : (
              <Form.Item
                label={rule.label[language]}
                name={['extras', name]}
                required={rule.required === true}
              >
                {control(rule, optionsOf(rule))}
              </Form.Item>
            )}
          </Col>
        );
      })}
    </Row>
  );
}
