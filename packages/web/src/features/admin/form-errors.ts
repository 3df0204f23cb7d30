import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client.ts';

/**
 * Puts a problem document's field errors (paths like `/email` or `body/email`) next to the matching
 * form fields. Returns true when at least one field got its message.
 */
export function applyFieldErrors(form: FormInstance, error: unknown, fieldNames: readonly string[]): boolean {
  if (!(error instanceof ApiError) || error.errors.length === 0) return false;
  const fields = error.errors
    .map((e) => ({ name: e.path.split(/[/.]/).filter(Boolean).pop() ?? '', message: e.message }))
    .filter((e) => fieldNames.includes(e.name))
    .map((e) => ({ name: e.name, errors: [e.message] }));
  form.setFields(fields);
  return fields.length > 0;
}
