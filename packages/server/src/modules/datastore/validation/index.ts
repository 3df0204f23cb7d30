/**
 * Table validation in the manner of Frictionless v5: schema inference, schema descriptor checks, and a
 * streaming validator that casts each row to the text PostgreSQL reads for its column types.
 */
export {
  boundedKey,
  type CompiledField,
  castIntegerText,
  castNumberText,
  compileField,
  DEFAULT_FALSE_VALUES,
  DEFAULT_MISSING_VALUES,
  DEFAULT_TRUE_VALUES,
  fitsInt64,
  numberKey,
} from './cast.ts';
export { fieldNames, INFER_CANDIDATES, type InferOptions, inferSchema } from './infer.ts';
export { checkSchema } from './schema.ts';
export {
  DEFAULT_SAMPLE_ROWS,
  type ValidateFileOptions,
  type ValidateTableOptions,
  validateFile,
  validateTable,
} from './validate-table.ts';
export { createTableValidator, DEFAULT_ERROR_LIMIT, type ValidatorOptions } from './validator.ts';
