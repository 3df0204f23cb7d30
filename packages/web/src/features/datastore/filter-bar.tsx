import { Button, Input, Select } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatastoreField } from './datastore-types.ts';
import { type ColumnFilter, filterableFields, filterKind } from './records-query.ts';

export function fieldLabel(field: DatastoreField | undefined, name: string): string {
  return field?.title?.trim() || name;
}

/** "district = 朝阳", "pm25 ≥ 10 and ≤ 35": a filter in words for its chip and its remove button. */
function useFilterText(fields: DatastoreField[]) {
  const { t } = useTranslation();
  return (filter: ColumnFilter): string => {
    const label = fieldLabel(
      fields.find((f) => f.name === filter.field),
      filter.field,
    );
    if (filter.op === 'eq') {
      const value =
        filter.value === 'true'
          ? t('datastore.values.yes')
          : filter.value === 'false'
            ? t('datastore.values.no')
            : filter.value;
      return t('datastore.filters.equalsText', { field: label, value });
    }
    if (filter.op === 'in')
      return t('datastore.filters.inText', {
        field: label,
        values: filter.values.join(t('common.listSeparator')),
      });
    if (filter.gte && filter.lte)
      return t('datastore.filters.betweenText', { field: label, from: filter.gte, to: filter.lte });
    if (filter.gte) return t('datastore.filters.fromText', { field: label, from: filter.gte });
    return t('datastore.filters.toText', { field: label, to: filter.lte ?? '' });
  };
}

function inputType(field: DatastoreField | undefined): 'date' | 'text' {
  return field?.type === 'date' ? 'date' : 'text';
}

interface FilterBarProps {
  fields: DatastoreField[];
  filters: ColumnFilter[];
  onApply: (filter: ColumnFilter) => void;
  onRemove: (field: string) => void;
  onClear: () => void;
}

/**
 * Column filters as an ordinary form above the table rather than in header pop-ups, so that every control
 * has a visible label and is reached with the keyboard in reading order.
 */
export function FilterBar({ fields, filters, onApply, onRemove, onClear }: FilterBarProps) {
  const { t } = useTranslation();
  const id = useId();
  const choices = filterableFields(fields);
  const [fieldName, setFieldName] = useState<string | undefined>(choices[0]?.name);
  const [value, setValue] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const field = choices.find((f) => f.name === fieldName);
  const kind = field ? filterKind(field.type) : undefined;
  const describe = useFilterText(fields);
  if (choices.length === 0) return null;

  const apply = () => {
    if (!field || !kind) return;
    onApply(
      kind === 'range'
        ? { field: field.name, op: 'range', gte: from.trim(), lte: to.trim() }
        : { field: field.name, op: 'eq', value: value.trim() },
    );
  };
  const pick = (name: string) => {
    setFieldName(name);
    // Show what is already filtered on that column, ready to change.
    const current = filters.find((f) => f.field === name);
    setValue(current?.op === 'eq' ? current.value : '');
    setFrom(current?.op === 'range' ? (current.gte ?? '') : '');
    setTo(current?.op === 'range' ? (current.lte ?? '') : '');
  };

  return (
    <form
      className="dp-data-filters"
      data-testid="column-filters"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <fieldset>
        <legend>{t('datastore.filters.title')}</legend>
        <div className="dp-toolbar" style={{ marginBottom: 0 }}>
          <div>
            <label htmlFor={`${id}-field`} className="dp-field-label">
              {t('datastore.filters.column')}
            </label>
            <Select
              id={`${id}-field`}
              value={fieldName ?? null}
              style={{ width: 220 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={choices.map((f) => ({ value: f.name, label: fieldLabel(f, f.name) }))}
              onChange={pick}
            />
          </div>
          {kind === 'range' ? (
            <>
              <div>
                <label htmlFor={`${id}-from`} className="dp-field-label">
                  {t('datastore.filters.from')}
                </label>
                <Input
                  id={`${id}-from`}
                  type={inputType(field)}
                  inputMode={field?.type === 'date' ? undefined : 'decimal'}
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                  style={{ width: 170 }}
                />
              </div>
              <div>
                <label htmlFor={`${id}-to`} className="dp-field-label">
                  {t('datastore.filters.to')}
                </label>
                <Input
                  id={`${id}-to`}
                  type={inputType(field)}
                  inputMode={field?.type === 'date' ? undefined : 'decimal'}
                  value={to}
                  onChange={(e) => setTo(e.target.value)}
                  style={{ width: 170 }}
                />
              </div>
            </>
          ) : kind === 'boolean' ? (
            <div>
              <label htmlFor={`${id}-bool`} className="dp-field-label">
                {t('datastore.filters.equals')}
              </label>
              <Select
                id={`${id}-bool`}
                value={value}
                style={{ width: 140 }}
                options={[
                  { value: '', label: t('datastore.filters.any') },
                  { value: 'true', label: t('datastore.values.yes') },
                  { value: 'false', label: t('datastore.values.no') },
                ]}
                onChange={setValue}
              />
            </div>
          ) : (
            <div>
              <label htmlFor={`${id}-value`} className="dp-field-label">
                {t('datastore.filters.equals')}
              </label>
              <Input
                id={`${id}-value`}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                style={{ width: 240 }}
              />
            </div>
          )}
          <Button htmlType="submit">{t('datastore.filters.apply')}</Button>
        </div>
        {field?.type === 'datetime' || field?.type === 'time' || field?.type === 'yearmonth' ? (
          <p className="dp-meta-line" style={{ margin: '6px 0 0' }}>
            {t(`datastore.filters.formatHint.${field.type}`)}
          </p>
        ) : null}
      </fieldset>
      {filters.length > 0 ? (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginTop: 12 }}>
          <span>{t('datastore.filters.active')}</span>
          <ul className="dp-badges" style={{ gap: 8 }} data-testid="active-filters">
            {filters.map((filter) => {
              const text = describe(filter);
              return (
                <li key={filter.field} className="dp-chip">
                  <span>{text}</span>
                  <Button
                    size="small"
                    type="text"
                    aria-label={t('datastore.filters.remove', { name: text })}
                    onClick={() => onRemove(filter.field)}
                  >
                    <span aria-hidden="true">×</span>
                  </Button>
                </li>
              );
            })}
          </ul>
          <Button type="link" onClick={onClear}>
            {t('datastore.filters.clear')}
          </Button>
        </div>
      ) : null}
    </form>
  );
}
