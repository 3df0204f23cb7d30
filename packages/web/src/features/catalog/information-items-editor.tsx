import { Button, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ActionLabel } from '../../components/action-label.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { proposalDiffers, type ScanProposal } from '../security-resources/scan-proposals.ts';
import { FIELD_TYPES, GRADES, PERSONAL_INFO } from './catalog-types.ts';
import { useLabels } from './use-catalog-data.ts';

interface InformationItemsEditorProps {
  /** Form name, which prefixes the ids antd gives the inputs. */
  formName: string;
  /** A message about the list as a whole ("at least one"). */
  listError: string | undefined;
  /** The sensitive-data scanner's proposals, by field name, for the owner to accept or correct. */
  proposals?: ReadonlyMap<string, ScanProposal> | undefined;
  /** Called when a proposal is accepted, so the editor counts it as a change. */
  onAccept?: () => void;
}

function focusLater(id: string) {
  setTimeout(() => document.getElementById(id)?.focus(), 0);
}

/** The information items as an editable table: one row per field of the data, rows added and removed. */
export function InformationItemsEditor({
  formName,
  listError,
  proposals,
  onAccept,
}: InformationItemsEditorProps) {
  const { t } = useTranslation();
  const { code } = useLabels();
  const cell = (row: number, field: string) => t('catalog.editor.rowField', { row, field });
  const addId = `${formName}-add-item`;
  return (
    <Form.List name="informationItems">
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
          <TableRegion label={t('catalog.entry.itemsTitle')}>
            <table className="dp-editor-table" data-testid="items-editor">
              <caption className="dp-visually-hidden">{t('catalog.entry.itemsTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.editor.row')}</th>
                  <th scope="col">{t('catalog.item.name')}</th>
                  <th scope="col">{t('catalog.item.titleZh')}</th>
                  <th scope="col">{t('catalog.item.titleEn')}</th>
                  <th scope="col">{t('catalog.item.titleFr')}</th>
                  <th scope="col">{t('catalog.item.type')}</th>
                  <th scope="col">{t('catalog.item.description')}</th>
                  <th scope="col">{t('catalog.item.grade')}</th>
                  <th scope="col">{t('catalog.item.personalInfo')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {fields.length === 0 ? (
                  <tr>
                    <td colSpan={10} className="dp-empty">
                      {t('catalog.editor.noItems')}
                    </td>
                  </tr>
                ) : null}
                {fields.map((field, index) => {
                  const row = index + 1;
                  return (
                    <tr key={field.key}>
                      <td>{row}</td>
                      <td style={{ minWidth: 140 }}>
                        <Form.Item name={[field.name, 'name']} required>
                          <Input
                            aria-label={cell(row, t('catalog.item.name'))}
                            autoComplete="off"
                            className="dp-mono"
                          />
                        </Form.Item>
                      </td>
                      <td style={{ minWidth: 140 }}>
                        <Form.Item name={[field.name, 'title', 'zh']}>
                          <Input aria-label={cell(row, t('catalog.item.titleZh'))} lang="zh-CN" />
                        </Form.Item>
                      </td>
                      <td style={{ minWidth: 140 }}>
                        <Form.Item name={[field.name, 'title', 'en']}>
                          <Input aria-label={cell(row, t('catalog.item.titleEn'))} lang="en" />
                        </Form.Item>
                      </td>
                      <td style={{ minWidth: 140 }}>
                        <Form.Item name={[field.name, 'title', 'fr']}>
                          <Input aria-label={cell(row, t('catalog.item.titleFr'))} lang="fr" />
                        </Form.Item>
                      </td>
                      <td style={{ minWidth: 120 }}>
                        <Form.Item name={[field.name, 'type']} required>
                          <Select
                            aria-label={cell(row, t('catalog.item.type'))}
                            options={FIELD_TYPES.map((v) => ({
                              value: v,
                              label: t(`catalog.fieldTypes.${v}`),
                            }))}
                          />
                        </Form.Item>
                      </td>
                      <td style={{ minWidth: 180 }}>
                        <Form.Item name={[field.name, 'description']}>
                          <Input aria-label={cell(row, t('catalog.item.description'))} />
                        </Form.Item>
                      </td>
                      <td style={{ minWidth: 170 }}>
                        <Form.Item name={[field.name, 'grade']} required>
                          <Select
                            aria-label={cell(row, t('catalog.item.grade'))}
                            options={GRADES.map((v) => ({ value: v, label: code('grades', v) }))}
                          />
                        </Form.Item>
                      </td>
                      <td style={{ minWidth: 170 }}>
                        <Form.Item name={[field.name, 'personalInfo']} required>
                          <Select
                            aria-label={cell(row, t('catalog.item.personalInfo'))}
                            options={PERSONAL_INFO.map((v) => ({ value: v, label: code('personalInfo', v) }))}
                          />
                        </Form.Item>
                        {proposals === undefined ? null : (
                          <Form.Item noStyle shouldUpdate>
                            {(form) => {
                              const item = form.getFieldValue(['informationItems', field.name]) as
                                | { name?: string; personalInfo?: string; grade?: string }
                                | undefined;
                              const proposal = item?.name ? proposals.get(item.name) : undefined;
                              if (proposal === undefined) return null;
                              const what = t('securityResources.editor.proposal', {
                                category: code('personalInfo', proposal.personalInfo),
                                grade: code('grades', proposal.grade),
                              });
                              return (
                                <div className="dp-scan-proposal" title={proposal.reason}>
                                  <span>{what}</span>{' '}
                                  {proposalDiffers(proposal, item) ? (
                                    <Button
                                      size="small"
                                      type="link"
                                      onClick={() => {
                                        form.setFieldValue(
                                          ['informationItems', field.name, 'personalInfo'],
                                          proposal.personalInfo,
                                        );
                                        form.setFieldValue(
                                          ['informationItems', field.name, 'grade'],
                                          proposal.grade,
                                        );
                                        onAccept?.();
                                      }}
                                    >
                                      <ActionLabel
                                        text={t('securityResources.editor.accept')}
                                        context={t('catalog.editor.itemN', { row })}
                                      />
                                    </Button>
                                  ) : (
                                    <span>{t('securityResources.editor.accepted')}</span>
                                  )}
                                </div>
                              );
                            }}
                          </Form.Item>
                        )}
                      </td>
                      <td>
                        <Button
                          size="small"
                          danger
                          onClick={() => {
                            remove(field.name);
                            focusLater(addId);
                          }}
                        >
                          <ActionLabel
                            text={t('catalog.editor.remove')}
                            context={t('catalog.editor.itemN', { row })}
                          />
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableRegion>
          <Button
            id={addId}
            style={{ marginTop: 12 }}
            onClick={() => {
              add({ name: '', title: { zh: '' }, type: 'string', grade: 'general-1', personalInfo: 'none' });
              focusLater(`${formName}_informationItems_${fields.length}_name`);
            }}
          >
            {t('catalog.editor.addItem')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
