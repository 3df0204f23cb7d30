import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  ReadOptions,
  TableSchema,
  ValidationReport,
} from '../../src/modules/datastore/datastore.model.ts';
import { openTableSource } from '../../src/modules/datastore/tabular/index.ts';
import {
  checkSchema,
  inferSchema,
  type ValidateFileOptions,
  validateFile,
} from '../../src/modules/datastore/validation/index.ts';
import { SHARED_DIR, sharedAvailable } from '../support/shared.ts';

/**
 * The expectations of /work/shared/fixtures/frictionless/README.md (what frictionless-py v5 reports for
 * its own data files), checked against our reader + validator on the real files.
 */
const DATA = join(SHARED_DIR, 'fixtures/frictionless/data');
const file = (name: string) => join(DATA, name);

function flat(report: ValidationReport): string[] {
  return report.errors.map((e) => `${e.rowNumber ?? '-'},${e.fieldNumber ?? '-'},${e.type}`);
}

function schemaFile(name: string): TableSchema {
  const { schema, errors } = checkSchema(JSON.parse(readFileSync(file(name), 'utf8')));
  expect(errors).toEqual([]);
  return schema!;
}

async function run(name: string, options: ValidateFileOptions = {}): Promise<ValidationReport> {
  return validateFile(file(name), options);
}

/** The schema Frictionless would infer for a file (first 1,000 rows). */
async function inferred(name: string, read: ReadOptions = {}): Promise<TableSchema> {
  const source = await openTableSource(file(name), read);
  const sample: unknown[][] = [];
  try {
    for await (const row of source.rows) {
      sample.push(row.cells);
      if (sample.length >= 1_000) break;
    }
  } finally {
    await source.close();
  }
  return inferSchema(source.info.labels, sample);
}

describe.skipIf(!sharedAvailable)('Frictionless fixtures: structural (baseline) errors', () => {
  it('table.csv is valid, with its size and digest', async () => {
    const report = await run('table.csv');
    expect(flat(report)).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.stats.rows).toBe(2);
    expect(report.stats.bytes).toBe(30);
    expect(report.stats.sha256).toMatch(/^a1fd6c5f.*26da8$/);
  });

  it('table.csv: declared hash, bytes and rows that differ', async () => {
    const hash = await run('table.csv', { expected: { hash: 'bad' } });
    expect(flat(hash)).toEqual(['-,-,hash-count']);
    expect(hash.errors[0]!.message).toContain('6c2c61dd9b0e9c6876139a449ed87933');
    expect(hash.errors[0]!.message).toContain('"bad"');
    const bytes = await run('table.csv', { expected: { bytes: 40 } });
    expect(flat(bytes)).toEqual(['-,-,byte-count']);
    expect(bytes.errors[0]!.message).toMatch(/30 bytes but 40/);
    const rows = await run('table.csv', { expected: { rows: 3 } });
    expect(flat(rows)).toEqual(['-,-,row-count']);
    expect(rows.errors[0]!.message).toMatch(/2 rows but 3/);
  });

  it('table.csv with a one-field schema: extra label and cells', async () => {
    const report = await run('table.csv', { schema: { fields: [{ name: 'id', type: 'integer' }] } });
    expect(flat(report)).toEqual(['-,2,extra-label', '2,2,extra-cell', '3,2,extra-cell']);
  });

  it('table.csv with an extra required field (issue 950)', async () => {
    const schema = await inferred('table.csv');
    schema.fields.push({ name: 'bad', type: 'any', constraints: { required: true } });
    const report = await run('table.csv', { schema });
    expect(flat(report)).toEqual([
      '-,3,missing-label',
      '2,3,constraint-error',
      '2,3,missing-cell',
      '3,3,constraint-error',
      '3,3,missing-cell',
    ]);
  });

  it('invalid.csv', async () => {
    const report = await run('invalid.csv');
    expect(flat(report)).toEqual([
      '-,3,blank-label',
      '-,4,duplicate-label',
      '2,3,missing-cell',
      '2,4,missing-cell',
      '3,3,missing-cell',
      '3,4,missing-cell',
      '4,-,blank-row',
      '5,5,extra-cell',
    ]);
  });

  it('invalid.csv with an error limit of 3', async () => {
    const report = await run('invalid.csv', { errorLimit: 3 });
    expect(flat(report)).toEqual(['-,3,blank-label', '-,4,duplicate-label', '2,3,missing-cell']);
    expect(report.limitReached).toBe(true);
    expect(report.errorCount).toBe(8);
  });

  it('capital-invalid.csv: the five errors', async () => {
    const report = await run('capital-invalid.csv');
    expect(flat(report)).toEqual([
      '-,3,duplicate-label',
      '10,3,missing-cell',
      '11,-,blank-row',
      '12,1,type-error',
      '12,4,extra-cell',
    ]);
    expect(report.errors[3]!.cell).toBe('x');
  });

  it.each([
    ['capital-valid.csv'],
    ['blank-cells.csv'],
    ['without-rows.csv'],
    ['table.csv.zip'],
    ['table.csv.gz'],
  ])('%s is valid', async (name) => {
    const report = await run(name);
    expect(flat(report)).toEqual([]);
  });

  it.each([
    ['blank-headers.csv', ['-,2,blank-label']],
    ['duplicate-headers.csv', ['-,3,duplicate-label', '-,5,duplicate-label']],
    ['defective-rows.csv', ['2,3,missing-cell', '3,4,extra-cell']],
    ['blank-rows.csv', ['4,-,blank-row']],
    ['blank-rows-multiple.csv', Array.from({ length: 11 }, (_v, i) => `${i + 4},-,blank-row`)],
    ['countries.csv', ['4,5,extra-cell', '7,2,missing-cell', '7,3,missing-cell', '7,4,missing-cell']],
    ['issue-312.xlsx', ['-,3,blank-label', '-,4,duplicate-label', '-,5,blank-label', '5,-,blank-row']],
  ])('%s', async (name, expected) => {
    const report = await run(name);
    expect(flat(report)).toEqual(expected);
  });

  it('structure-errors.csv with an error limit of 3', async () => {
    const report = await run('structure-errors.csv', { errorLimit: 3 });
    expect(flat(report)).toEqual(['4,-,blank-row', '5,4,extra-cell', '5,5,extra-cell']);
    expect(report.limitReached).toBe(true);
  });

  it('empty.csv: the source is empty', async () => {
    const report = await run('empty.csv');
    expect(flat(report)).toEqual(['-,-,source-error']);
    expect(report.errors[0]!.message).toContain('the source is empty');
  });

  it('without-headers.csv read without a header', async () => {
    const report = await run('without-headers.csv', { read: { header: false } });
    expect(flat(report)).toEqual([]);
    expect(report.stats.rows).toBe(3);
    expect(report.schema.fields.map((f) => f.name)).toEqual(['field1', 'field2']);
  });

  it('without-headers-extra.csv read without a header', async () => {
    const report = await run('without-headers-extra.csv', { read: { header: false } });
    expect(flat(report)).toEqual(['3,3,extra-cell']);
  });

  it('issue-870.xlsx: a header whose first cell is a number; formatted empty rows after the data are not rows', async () => {
    const report = await run('issue-870.xlsx', {});
    expect(flat(report)).toEqual([]);
    expect(report.schema.fields[0]!.name).toBe('0');
  });

  it('table.csv with compression "bad"', async () => {
    const report = await run('table.csv', {
      read: { compression: 'bad' as ReadOptions['compression'] & string },
    });
    expect(flat(report)).toEqual(['-,-,compression-error']);
    expect(report.errors[0]!.message).toContain('compression "bad" is not supported');
  });

  it('latin1.csv read as UTF-8 is an encoding error; detected, it reads fine', async () => {
    const forced = await run('latin1.csv', { read: { encoding: 'utf-8' } });
    expect(flat(forced)).toEqual(['-,-,encoding-error']);
    const detected = await run('latin1.csv');
    expect(flat(detected)).toEqual([]);
  });

  it('encoding-issue-274.csv read as UTF-8 is valid', async () => {
    const report = await run('encoding-issue-274.csv', { read: { encoding: 'utf-8' } });
    expect(flat(report)).toEqual([]);
  });
});

describe.skipIf(!sharedAvailable)('Frictionless fixtures: schema errors', () => {
  const nestedSchema = (): TableSchema =>
    checkSchema({
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'cat', type: 'integer' },
        { name: 'name', type: 'string' },
      ],
      foreignKeys: [{ fields: 'cat', reference: { resource: '', fields: 'id' } }],
    }).schema!;

  it('schema-errors.csv + schema-valid.json, first 3 row errors', async () => {
    const report = await run('schema-errors.csv', { schema: schemaFile('schema-valid.json'), errorLimit: 3 });
    expect(flat(report)).toEqual(['4,1,type-error', '4,2,constraint-error', '4,3,constraint-error']);
  });

  it('unique-field.csv + unique-field.json', async () => {
    const report = await run('unique-field.csv', { schema: schemaFile('unique-field.json') });
    expect(flat(report)).toEqual(['10,1,unique-error', '10,-,primary-key']);
  });

  it('nested.csv with a self-referencing foreign key is valid', async () => {
    const report = await run('nested.csv', { schema: nestedSchema() });
    expect(flat(report)).toEqual([]);
  });

  it('nested-invalid.csv breaks the self-referencing foreign key', async () => {
    const report = await run('nested-invalid.csv', { schema: nestedSchema() });
    expect(flat(report)).toEqual(['6,-,foreign-key']);
    expect(report.errors[0]!.message).toContain('"6"');
  });

  it('issue-277.csv: wide table, fields in another order (fieldsMatch partial)', async () => {
    const schema = { ...schemaFile('issue-277.json'), fieldsMatch: 'partial' as const };
    const report = await run('issue-277.csv', { schema });
    expect(flat(report)).toEqual([
      '49,50,constraint-error',
      '68,50,constraint-error',
      '69,50,constraint-error',
    ]);
  });

  it('issue-833.csv: array items with an enum constraint', async () => {
    const report = await run('issue-833.csv', { schema: schemaFile('issue-833.json') });
    expect(flat(report)).toEqual([]);
  });

  it('sync-schema.csv: columns in another order with fieldsMatch equal', async () => {
    const schema: TableSchema = {
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'string' },
      ],
      fieldsMatch: 'equal',
    };
    const report = await run('sync-schema.csv', { schema });
    expect(flat(report)).toEqual([]);
  });

  it('duplicate-column.csv: name matching needs unique labels (issue 910)', async () => {
    const schema = { ...schemaFile('duplicate-column-schema.json'), fieldsMatch: 'partial' as const };
    const report = await run('duplicate-column.csv', { schema });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.type).toBe('schema-error');
    expect(report.errors[0]!.message).toMatch(
      /matched by name \("fieldsMatch": "partial"\).*repeats a label/,
    );
  });
});

describe.skipIf(!sharedAvailable)('Frictionless fixtures: schema descriptors', () => {
  const descriptor = (name: string): unknown => JSON.parse(readFileSync(file(name), 'utf8'));

  it('schema-invalid.json: "required" outside "constraints"', () => {
    const { schema, errors } = checkSchema(descriptor('schema-invalid.json'));
    expect(schema).toBeUndefined();
    expect(errors.map((e) => e.type)).toEqual(['schema-error']);
    expect(errors[0]!.message).toContain('"required" should be set as "constraints.required"');
  });

  it('invalid-schema.json: a field without type is "any"', () => {
    const { schema, errors } = checkSchema(descriptor('invalid-schema.json'));
    expect(errors).toEqual([]);
    expect(schema!.fields[0]).toEqual({ name: 'name', type: 'any' });
  });

  it.each([
    'schema.json',
    'schema-valid-simple.json',
    'schema-valid-full.json',
    'schema-valid-pk-array.json',
    'schema-valid-fk-array.json',
  ])('%s is a valid Table Schema', (name) => {
    expect(checkSchema(descriptor(name)).errors).toEqual([]);
  });

  it.each([
    'schema-invalid-empty.json',
    'schema-invalid-pk-string.json',
    'schema-invalid-pk-array.json',
    'schema-invalid-fk-string.json',
    'schema-invalid-fk-no-reference.json',
    'schema-invalid-fk-array.json',
    'schema-invalid-fk-string-array-ref.json',
    'schema-invalid-fk-array-string-ref.json',
  ])('%s is not a valid Table Schema', (name) => {
    const { schema, errors } = checkSchema(descriptor(name));
    expect(schema).toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.type === 'schema-error')).toBe(true);
  });
});
