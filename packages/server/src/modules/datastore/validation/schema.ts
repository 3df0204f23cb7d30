/**
 * Checks a Table Schema descriptor given by a publisher and normalises it (v1 string keys become arrays,
 * a missing field type becomes `any`). Errors are `schema-error`s; the schema is returned only when there
 * are none.
 */
import {
  FIELD_TYPES,
  type FieldConstraints,
  type ForeignKey,
  type TableField,
  type TableFieldType,
  type TableSchema,
  type ValidationError,
} from '../datastore.model.ts';
import { compilePattern } from './cast.ts';

const CONSTRAINT_NAMES: readonly (keyof FieldConstraints)[] = [
  'required',
  'unique',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'pattern',
  'enum',
];
const FIELDS_MATCH = ['exact', 'equal', 'subset', 'superset', 'partial'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** `"a"` or `["a", "b"]` as an array; undefined when it is neither. */
function names(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  return isStringArray(value) ? value : undefined;
}

export function checkSchema(descriptor: unknown): { schema?: TableSchema; errors: ValidationError[] } {
  const errors: ValidationError[] = [];
  const fail = (message: string, fieldNumber?: number, fieldName?: string) => {
    const error: ValidationError = { type: 'schema-error', message: `The schema is not valid: ${message}` };
    if (fieldNumber !== undefined) error.fieldNumber = fieldNumber;
    if (fieldName !== undefined) error.fieldName = fieldName;
    errors.push(error);
  };
  if (!isObject(descriptor)) {
    fail('the descriptor must be a JSON object.');
    return { errors };
  }
  if (Object.keys(descriptor).length === 0) {
    fail('the descriptor is empty.');
    return { errors };
  }
  const rawFields = descriptor.fields;
  if (!Array.isArray(rawFields) || rawFields.length === 0) {
    fail('"fields" must be a non-empty array of field descriptors.');
    return { errors };
  }

  let schemaMissing: string[] | undefined;
  if (descriptor.missingValues !== undefined) {
    if (isStringArray(descriptor.missingValues)) schemaMissing = descriptor.missingValues;
    else fail('"missingValues" must be an array of strings.');
  }

  const fields: TableField[] = [];
  const seen = new Map<string, number>();
  rawFields.forEach((raw, i) => {
    const at = i + 1;
    if (!isObject(raw)) {
      fail(`field ${at} must be an object.`, at);
      return;
    }
    const name = raw.name;
    if (typeof name !== 'string' || name === '') {
      fail(`field ${at} needs a non-empty "name".`, at);
      return;
    }
    const before = seen.get(name);
    if (before !== undefined)
      fail(`field ${at} has the name "${name}" of field ${before}; names must be unique.`, at, name);
    else seen.set(name, at);
    const type = raw.type ?? 'any';
    if (typeof type !== 'string' || !(FIELD_TYPES as readonly string[]).includes(type)) {
      fail(`field "${name}" has the unknown type "${String(type)}".`, at, name);
      return;
    }
    for (const key of CONSTRAINT_NAMES)
      if (key in raw) fail(`"${key}" should be set as "constraints.${key}" (field "${name}").`, at, name);
    const field: TableField = { name, type: type as TableFieldType };
    const text = (key: 'format' | 'title' | 'description' | 'groupChar' | 'decimalChar') => {
      const v = raw[key];
      if (v === undefined) return;
      if (typeof v === 'string') field[key] = v;
      else fail(`"${key}" of field "${name}" must be a string.`, at, name);
    };
    text('format');
    text('title');
    text('description');
    text('groupChar');
    text('decimalChar');
    if (raw.bareNumber !== undefined) {
      if (typeof raw.bareNumber === 'boolean') field.bareNumber = raw.bareNumber;
      else fail(`"bareNumber" of field "${name}" must be true or false.`, at, name);
    }
    for (const key of ['missingValues', 'trueValues', 'falseValues'] as const) {
      const v = raw[key];
      if (v === undefined) continue;
      if (isStringArray(v)) field[key] = v;
      else fail(`"${key}" of field "${name}" must be an array of strings.`, at, name);
    }
    if (raw.constraints !== undefined) {
      const constraints = checkConstraints(raw.constraints, `field "${name}"`, (m) => fail(m, at, name));
      if (constraints !== undefined) field.constraints = constraints;
    }
    if (raw.arrayItem !== undefined) {
      const item = raw.arrayItem;
      if (!isObject(item)) fail(`"arrayItem" of field "${name}" must be an object.`, at, name);
      else {
        const arrayItem: NonNullable<TableField['arrayItem']> = {};
        if (item.type !== undefined) {
          if (typeof item.type === 'string' && (FIELD_TYPES as readonly string[]).includes(item.type))
            arrayItem.type = item.type as TableFieldType;
          else fail(`"arrayItem" of field "${name}" has the unknown type "${String(item.type)}".`, at, name);
        }
        if (item.constraints !== undefined) {
          const c = checkConstraints(item.constraints, `the array items of "${name}"`, (m) =>
            fail(m, at, name),
          );
          if (c !== undefined) arrayItem.constraints = c;
        }
        field.arrayItem = arrayItem;
      }
    }
    fields.push(field);
  });

  const schema: TableSchema = { fields };
  if (schemaMissing !== undefined) schema.missingValues = schemaMissing;
  if (descriptor.fieldsMatch !== undefined) {
    const m = descriptor.fieldsMatch;
    if (typeof m === 'string' && (FIELDS_MATCH as readonly string[]).includes(m))
      schema.fieldsMatch = m as TableSchema['fieldsMatch'] & string;
    else fail(`"fieldsMatch" must be one of ${FIELDS_MATCH.join(', ')}.`);
  }

  const known = new Set(fields.map((f) => f.name));
  if (descriptor.primaryKey !== undefined) {
    const pk = names(descriptor.primaryKey);
    if (pk === undefined || pk.length === 0)
      fail('"primaryKey" must be a field name or an array of field names.');
    else {
      for (const n of pk) if (!known.has(n)) fail(`"primaryKey" names "${n}", which is not a field.`);
      schema.primaryKey = pk;
    }
  }

  if (descriptor.foreignKeys !== undefined) {
    if (!Array.isArray(descriptor.foreignKeys)) fail('"foreignKeys" must be an array.');
    else {
      const foreignKeys: ForeignKey[] = [];
      descriptor.foreignKeys.forEach((raw: unknown, i) => {
        const at = `foreign key ${i + 1}`;
        if (!isObject(raw)) {
          fail(`${at} must be an object.`);
          return;
        }
        const own = names(raw.fields);
        if (own === undefined || own.length === 0) {
          fail(`${at} needs "fields": a field name or an array of field names.`);
          return;
        }
        for (const n of own) if (!known.has(n)) fail(`${at} names "${n}", which is not a field.`);
        const reference = raw.reference;
        if (!isObject(reference)) {
          fail(`${at} needs a "reference" object.`);
          return;
        }
        const ref = names(reference.fields);
        if (ref === undefined || ref.length === 0) {
          fail(`${at} needs "reference.fields": a field name or an array of field names.`);
          return;
        }
        if (Array.isArray(raw.fields) !== Array.isArray(reference.fields) || own.length !== ref.length) {
          fail(`"fields" and "reference.fields" of ${at} must both be a name or arrays of the same length.`);
          return;
        }
        const resource = reference.resource;
        if (resource !== undefined && typeof resource !== 'string') {
          fail(`"reference.resource" of ${at} must be a string.`);
          return;
        }
        if (resource === undefined || resource === '')
          for (const n of ref)
            if (!known.has(n)) fail(`${at} references "${n}", which is not a field of this table.`);
        const fk: ForeignKey = { fields: own, reference: { fields: ref } };
        if (resource !== undefined) fk.reference.resource = resource;
        foreignKeys.push(fk);
      });
      schema.foreignKeys = foreignKeys;
    }
  }
  return errors.length > 0 ? { errors } : { schema, errors };
}

function checkConstraints(
  raw: unknown,
  where: string,
  fail: (message: string) => void,
): FieldConstraints | undefined {
  if (!isObject(raw)) {
    fail(`"constraints" of ${where} must be an object.`);
    return undefined;
  }
  const c: FieldConstraints = {};
  for (const key of ['required', 'unique'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v === 'boolean') c[key] = v;
    else fail(`"constraints.${key}" of ${where} must be true or false.`);
  }
  for (const key of ['minLength', 'maxLength'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) c[key] = v;
    else fail(`"constraints.${key}" of ${where} must be a non-negative integer.`);
  }
  for (const key of ['minimum', 'maximum'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v === 'number' || typeof v === 'string') c[key] = v;
    else fail(`"constraints.${key}" of ${where} must be a number or a string.`);
  }
  if (raw.pattern !== undefined) {
    if (typeof raw.pattern !== 'string') fail(`"constraints.pattern" of ${where} must be a string.`);
    else if (compilePattern(raw.pattern) === undefined)
      fail(`"constraints.pattern" of ${where} is not a valid regular expression.`);
    else c.pattern = raw.pattern;
  }
  if (raw.enum !== undefined) {
    if (Array.isArray(raw.enum) && raw.enum.length > 0) c.enum = raw.enum;
    else fail(`"constraints.enum" of ${where} must be a non-empty array.`);
  }
  return c;
}
