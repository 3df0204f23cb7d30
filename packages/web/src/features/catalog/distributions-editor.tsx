import { Button, Col, Form, Input, InputNumber, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ActionLabel } from '../../components/action-label.tsx';
import { DISTRIBUTION_KINDS } from './catalog-types.ts';
import { useLabels } from './use-catalog-data.ts';

interface DistributionsEditorProps {
  formName: string;
  listError: string | undefined;
}

function focusLater(id: string) {
  setTimeout(() => document.getElementById(id)?.focus(), 0);
}

/** Where the data can be had (files, APIs, datastore tables): one group of fields each, added and removed. */
export function DistributionsEditor({ formName, listError }: DistributionsEditorProps) {
  const { t } = useTranslation();
  const { profile, code } = useLabels();
  const formats = (profile?.codeLists.formats ?? []).map((f) => ({
    value: f.code,
    label: code('formats', f.code),
  }));
  const addId = `${formName}-add-distribution`;
  return (
    <Form.List name="distributions">
      {(fields, { add, remove }) => (
        <>
          {listError ? (
            <div
              className="ant-form-item-explain-error"
              role="alert"
              style={{ color: '#cf1322', marginBottom: 8 }}
            >
              {listError}
            </div>
          ) : null}
          {fields.length === 0 ? <p className="dp-empty">{t('catalog.editor.noDistributions')}</p> : null}
          {fields.map((field, index) => {
            const n = index + 1;
            return (
              <fieldset
                key={field.key}
                style={{
                  border: '1px solid #e4e7ec',
                  borderRadius: 6,
                  padding: '8px 16px 0',
                  marginBottom: 16,
                }}
              >
                <legend
                  style={{
                    fontWeight: 600,
                    fontSize: 15,
                    width: 'auto',
                    padding: '0 6px',
                    border: 0,
                    margin: 0,
                  }}
                >
                  {t('catalog.editor.distributionN', { n })}
                </legend>
                <Row gutter={16}>
                  <Col xs={24} md={8}>
                    <Form.Item label={t('catalog.distribution.kind')} name={[field.name, 'kind']} required>
                      <Select
                        options={DISTRIBUTION_KINDS.map((k) => ({
                          value: k,
                          label: t(`catalog.distributionKinds.${k}`),
                        }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item
                      label={t('catalog.distribution.format')}
                      name={[field.name, 'format']}
                      required
                    >
                      <Select showSearch={{ optionFilterProp: 'label' }} options={formats} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item label={t('catalog.distribution.byteSize')} name={[field.name, 'byteSize']}>
                      <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item
                      label={t('catalog.distribution.titleZh')}
                      name={[field.name, 'title', 'zh']}
                      required
                    >
                      <Input lang="zh-CN" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item label={t('catalog.distribution.titleEn')} name={[field.name, 'title', 'en']}>
                      <Input lang="en" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={16}>
                    <Form.Item
                      label={t('catalog.distribution.url')}
                      name={[field.name, 'url']}
                      extra={t('catalog.editor.urlHelp')}
                    >
                      <Input type="url" inputMode="url" autoComplete="url" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item label={t('catalog.distribution.mediaType')} name={[field.name, 'mediaType']}>
                      <Input autoComplete="off" />
                    </Form.Item>
                  </Col>
                  <Col xs={24}>
                    <Form.Item
                      label={t('catalog.distribution.description')}
                      name={[field.name, 'description']}
                    >
                      <Input.TextArea rows={2} />
                    </Form.Item>
                  </Col>
                </Row>
                <Button
                  danger
                  size="small"
                  style={{ marginBottom: 16 }}
                  onClick={() => {
                    remove(field.name);
                    focusLater(addId);
                  }}
                >
                  <ActionLabel
                    text={t('catalog.editor.remove')}
                    context={t('catalog.editor.distributionN', { n })}
                  />
                </Button>
              </fieldset>
            );
          })}
          <Button
            id={addId}
            onClick={() => {
              add({ id: '', kind: 'file', title: { zh: '' }, format: undefined });
              focusLater(`${formName}_distributions_${fields.length}_kind`);
            }}
          >
            {t('catalog.editor.addDistribution')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
