import { Checkbox } from 'antd';
import type { ReactNode } from 'react';

interface CheckboxGroupFieldProps {
  /** Names the group for assistive technology (the Form.Item label is not tied to a group). */
  label: string;
  options: { value: string; label: ReactNode }[];
  id?: string;
  value?: string[];
  onChange?: (value: string[]) => void;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true' | 'false' | boolean;
  /** Accepted and dropped: Form.Item adds it, but ARIA does not allow it on a group. */
  'aria-required'?: unknown;
}

/** A checkbox list usable as a Form.Item control, exposed as a labelled ARIA group. */
export function CheckboxGroupField(props: CheckboxGroupFieldProps) {
  return (
    <Checkbox.Group
      {...(props.id ? { id: props.id } : {})}
      role="group"
      aria-label={props.label}
      {...(props['aria-describedby'] ? { 'aria-describedby': props['aria-describedby'] } : {})}
      value={props.value ?? []}
      onChange={(value) => props.onChange?.(value.map(String))}
      style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
      options={props.options}
    />
  );
}
