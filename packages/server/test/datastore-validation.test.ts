import { describe, expect, it } from 'vitest';
import type {
  SourceRow,
  TableField,
  TableSchema,
  TableSource,
  ValidationReport,
} from '../src/modules/datastore/datastore.model.ts';
import {
  checkSchema,
  createTableValidator,
  fieldNames,
  inferSchema,
  numberKey,
  validateTable,
} from '../src/modules/datastore/validation/index.ts';

/** Validates in-memory rows: the header is row 1, data rows follow (null = no header row). */
function validate(
  schema: TableSchema,
  labels: string[] | null,
  rows: unknown[][],
  options: { errorLimit?: number } = {},
): {
  report: ValidationReport;
  values: (ReturnType<ReturnType<typeof createTableValidator>['row']> | undefined)[];
} {
  const validator = createTableValidator(schema, options);
  validator.header(labels ?? []);
  const first = labels === null ? 1 : 2;
  // The validator reuses its array from row to row: each row's values are copied out.
  const values = rows.map((cells, i) => {
    const out = validator.row({ rowNumber: first + i, cells });
    return out === undefined ? undefined : [...out];
  });
  return { report: validator.finish({ bytes: 0, sha256: null }), values };
}

function flat(report: ValidationReport): string[] {
  return report.errors.map((e) => `${e.rowNumber ?? '-'},${e.fieldNumber ?? '-'},${e.type}`);
}

/** One field, no header: returns the cast value or the error types. */
function cast(field: Omit<TableField, 'name'>, cell: unknown): string | null | string[] {
  const { report, values } = validate({ fields: [{ name: 'v', ...field }] }, null, [[cell]]);
  if (report.errors.length > 0) return report.errors.map((e) => e.type);
  return values[0]![0]!;
}

describe('inline semantics from frictionless-py', () => {
  it('unique number column [100,"bad",100,0,0]: a type-error cell is not counted', () => {
    const schema: TableSchema = {
      fields: [
        { name: 'row', type: 'integer' },
        { name: 'score', type: 'number', constraints: { unique: true } },
      ],
    };
    const rows = [100, 'bad', 100, 0, 0].map((v, i) => [String(i + 1), String(v)]);
    const { report } = validate(schema, ['row', 'score'], rows);
    expect(flat(report)).toEqual(['3,2,type-error', '4,2,unique-error', '6,2,unique-error']);
    expect(report.errors[1]!.message).toContain('row 2');
  });

  it('composite primary key with blank and duplicate keys', () => {
    const schema: TableSchema = {
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'string' },
      ],
      primaryKey: ['id', 'name'],
    };
    const rows = [
      ['1', 'Alex'],
      ['1', 'John'],
      ['', 'Paul'],
      ['1', 'John'],
      ['', null],
    ];
    const { report } = validate(schema, ['id', 'name'], rows);
    expect(flat(report)).toEqual(['5,-,primary-key', '6,-,blank-row', '6,-,primary-key']);
  });

  it('minLength, maxLength, minimum, maximum: one constraint-error per offending cell', () => {
    const schema: TableSchema = {
      fields: [
        { name: 'word', type: 'string', constraints: { minLength: 2, maxLength: 4 } },
        { name: 'n', type: 'integer', constraints: { minimum: 2, maximum: 4 } },
        { name: 'x', type: 'number', constraints: { minimum: '1.5', maximum: 2.5 } },
        { name: 'd', type: 'date', constraints: { minimum: '2020-01-01', maximum: '2020-12-31' } },
      ],
    };
    const { report } = validate(
      schema,
      ['word', 'n', 'x', 'd'],
      [
        ['abc', '3', '2', '2020-06-01'],
        ['a', '1', '1.4', '2019-12-31'],
        ['abcde', '5', '2.6', '2021-01-01'],
        ['ab', '2', '1.5', '2020-01-01'],
        ['abcd', '4', '2.5', '2020-12-31'],
      ],
    );
    expect(flat(report)).toEqual([
      '3,1,constraint-error',
      '3,2,constraint-error',
      '3,3,constraint-error',
      '3,4,constraint-error',
      '4,1,constraint-error',
      '4,2,constraint-error',
      '4,3,constraint-error',
      '4,4,constraint-error',
    ]);
    expect(report.errors[1]!.message).toContain('constraint "minimum" is "2"');
  });

  it('a short row reports constraint-error before missing-cell for a required field', () => {
    const schema: TableSchema = {
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'string' },
        { name: 'bad', type: 'any', constraints: { required: true } },
      ],
    };
    const { report } = validate(schema, ['id', 'name'], [['1', 'english']]);
    expect(flat(report)).toEqual(['-,3,missing-label', '2,3,constraint-error', '2,3,missing-cell']);
  });

  it('a blank row reports only blank-row (even with required fields)', () => {
    const schema: TableSchema = {
      fields: [
        { name: 'a', type: 'integer', constraints: { required: true } },
        { name: 'b', type: 'string', constraints: { unique: true } },
      ],
    };
    const { report, values } = validate(schema, ['a', 'b'], [[], ['', ''], ['', '', 'extra']]);
    expect(flat(report)).toEqual(['2,-,blank-row', '3,-,blank-row', '4,-,blank-row']);
    expect(values).toEqual([undefined, undefined, undefined]);
  });
});

describe('header checks', () => {
  const two: TableSchema = {
    fields: [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'string' },
    ],
  };

  it('blank, duplicate, extra, missing and incorrect labels', () => {
    const schema: TableSchema = {
      fields: [
        { name: 'id', type: 'any' },
        { name: 'name', type: 'any' },
        { name: 'field3', type: 'any' },
        { name: 'name2', type: 'any' },
        { name: 'other', type: 'any' },
      ],
    };
    const { report } = validate(schema, ['id', 'nom', '', 'nom', 'other', 'extra'], []);
    expect(flat(report)).toEqual([
      '-,6,extra-label',
      '-,2,incorrect-label',
      '-,3,blank-label',
      '-,4,duplicate-label',
    ]);
    expect(flat(validate(two, ['id'], []).report)).toEqual(['-,2,missing-label']);
  });

  it('no labels (no header row): nothing is compared', () => {
    expect(flat(validate(two, null, [['1', 'a']]).report)).toEqual([]);
  });

  it('fieldsMatch: equal, subset, superset, partial', () => {
    const schema = (fieldsMatch: TableSchema['fieldsMatch'] & string): TableSchema => ({
      fields: [
        { name: 'id', type: 'integer', constraints: { required: true } },
        { name: 'name', type: 'string' },
      ],
      fieldsMatch,
    });
    // Reordered columns are fine under every name-matching mode; values come back in schema order.
    for (const mode of ['equal', 'subset', 'superset', 'partial'] as const) {
      const { report, values } = validate(schema(mode), ['name', 'id'], [['english', '1']]);
      expect(flat(report)).toEqual([]);
      expect(values[0]).toEqual(['1', 'english']);
    }
    // An extra column: an error for equal and superset only.
    expect(flat(validate(schema('equal'), ['id', 'name', 'x'], [['1', 'a', 'b']]).report)).toEqual([
      '-,3,extra-label',
    ]);
    expect(flat(validate(schema('superset'), ['id', 'name', 'x'], []).report)).toEqual(['-,3,extra-label']);
    expect(flat(validate(schema('subset'), ['id', 'name', 'x'], [['1', 'a', 'b']]).report)).toEqual([]);
    expect(flat(validate(schema('partial'), ['x', 'id'], [['b', '1']]).report)).toEqual([]);
    // A missing optional field: an error for equal and subset only; a missing required field always is.
    expect(flat(validate(schema('equal'), ['id'], []).report)).toEqual(['-,2,missing-label']);
    expect(flat(validate(schema('subset'), ['id'], []).report)).toEqual(['-,2,missing-label']);
    expect(flat(validate(schema('superset'), ['id'], [['1']]).report)).toEqual([]);
    expect(flat(validate(schema('partial'), ['name'], []).report)).toEqual(['-,2,missing-label']);
    // Duplicate labels make name matching ambiguous; partial with no match at all is an error too.
    expect(flat(validate(schema('partial'), ['id', 'id'], [['1', '2']]).report)).toEqual([
      '-,-,schema-error',
    ]);
    expect(validate(schema('partial'), ['x'], []).report.valid).toBe(false);
  });
});

describe('row checks', () => {
  const schema: TableSchema = {
    fields: [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'string' },
    ],
  };

  it('extra-cell, missing-cell, type-error', () => {
    const { report, values } = validate(
      schema,
      ['id', 'name'],
      [['1', 'a', 'x', 'y'], ['2'], ['x', 'b'], ['3', 'c']],
    );
    expect(flat(report)).toEqual(['2,3,extra-cell', '2,4,extra-cell', '3,2,missing-cell', '4,1,type-error']);
    expect(report.errors[3]!.cell).toBe('x');
    expect(report.errors[3]!.fieldName).toBe('id');
    expect(values).toEqual([undefined, undefined, undefined, ['3', 'c']]);
  });

  it('pattern, enum, required and unique', () => {
    const s: TableSchema = {
      fields: [
        { name: 'code', type: 'string', constraints: { pattern: '[A-Z]{2}', required: true, unique: true } },
        { name: 'kind', type: 'integer', constraints: { enum: ['1', 2] } },
      ],
    };
    const { report } = validate(
      s,
      ['code', 'kind'],
      [
        ['AB', '1'],
        ['ABC', '2'],
        ['', '3'],
        ['AB', '02'],
      ],
    );
    expect(flat(report)).toEqual([
      '3,1,constraint-error',
      '4,1,constraint-error',
      '4,2,constraint-error',
      '5,1,unique-error',
    ]);
  });

  it('integers beyond 64 bits are a constraint-error that says why', () => {
    expect(cast({ type: 'integer' }, '9223372036854775807')).toBe('9223372036854775807');
    expect(cast({ type: 'integer' }, '-9223372036854775808')).toBe('-9223372036854775808');
    const { report } = validate({ fields: [{ name: 'v', type: 'integer' }] }, null, [
      ['9223372036854775808'],
    ]);
    expect(flat(report)).toEqual(['1,1,constraint-error']);
    expect(report.errors[0]!.message).toMatch(/64-bit/);
  });

  it('self-referencing foreign keys, forward references included', () => {
    const s = checkSchema({
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'parent', type: 'integer' },
      ],
      foreignKeys: [{ fields: 'parent', reference: { fields: 'id' } }],
    }).schema!;
    const { report } = validate(
      s,
      ['id', 'parent'],
      [
        ['1', ''],
        ['2', '3'],
        ['3', '1'],
        ['4', '9'],
      ],
    );
    expect(flat(report)).toEqual(['5,-,foreign-key']);
  });

  it('foreign-key errors found at the end sort into their rows and respect the limit', () => {
    const s = checkSchema({
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'parent', type: 'integer' },
      ],
      foreignKeys: [{ fields: ['parent'], reference: { resource: '', fields: ['id'] } }],
    }).schema!;
    const { report } = validate(
      s,
      ['id', 'parent'],
      [
        ['1', '7'],
        ['x', ''],
        ['3', '8'],
        ['y', ''],
      ],
      { errorLimit: 3 },
    );
    expect(flat(report)).toEqual(['2,-,foreign-key', '3,1,type-error', '4,-,foreign-key']);
    expect(report.errorCount).toBe(4);
    expect(report.limitReached).toBe(true);
  });

  it('error limit keeps the first errors and counts them all', () => {
    const rows = Array.from({ length: 10 }, () => ['x', 'a']);
    const { report } = validate(schema, ['id', 'name'], rows, { errorLimit: 4 });
    expect(report.errors).toHaveLength(4);
    expect(report.errorCount).toBe(10);
    expect(report.limitReached).toBe(true);
    expect(report.valid).toBe(false);
  });

  it('file errors from the reader come after the rows read so far', () => {
    const validator = createTableValidator(schema);
    validator.header(['id', 'name', 'x']);
    validator.row({ rowNumber: 2, cells: ['z', 'a'] });
    validator.fail({ type: 'encoding-error', message: 'bad bytes' });
    expect(validator.failed).toBe(true);
    const report = validator.finish({ bytes: 10, sha256: null });
    expect(flat(report)).toEqual(['-,3,extra-label', '2,1,type-error', '-,-,encoding-error']);
    expect(report.stats).toEqual({ rows: 1, fields: 2, bytes: 10, sha256: null });
  });

  it('long keys are hashed and still compared exactly', () => {
    const long = 'k'.repeat(500);
    const s: TableSchema = { fields: [{ name: 'k', type: 'string', constraints: { unique: true } }] };
    const { report } = validate(s, null, [[long], [`${long}x`], [long]]);
    expect(flat(report)).toEqual(['3,1,unique-error']);
  });
});

describe('cast values (PostgreSQL text)', () => {
  it('integers and numbers', () => {
    expect(cast({ type: 'integer' }, '001')).toBe('1');
    expect(cast({ type: 'integer' }, ' +42 ')).toBe('42');
    expect(cast({ type: 'integer' }, '-0')).toBe('0');
    expect(cast({ type: 'integer' }, '1.5')).toEqual(['type-error']);
    expect(cast({ type: 'integer' }, 7)).toBe('7');
    expect(cast({ type: 'integer' }, 7.5)).toEqual(['type-error']);
    expect(cast({ type: 'integer', bareNumber: false }, '$1,000')).toEqual(['type-error']);
    expect(cast({ type: 'integer', bareNumber: false }, 'EUR 95')).toBe('95');
    expect(cast({ type: 'number' }, '+1.50')).toBe('1.50');
    expect(cast({ type: 'number' }, '1e3')).toBe('1e3');
    expect(cast({ type: 'number' }, 'nan')).toBe('NaN');
    expect(cast({ type: 'number' }, '-inf')).toBe('-Infinity');
    expect(cast({ type: 'number' }, '5%')).toEqual(['type-error']);
    expect(cast({ type: 'number', bareNumber: false }, '95%')).toBe('95');
    expect(cast({ type: 'number', groupChar: ',' }, '1,234,567.5')).toBe('1234567.5');
    expect(cast({ type: 'number', groupChar: '.', decimalChar: ',' }, '1.234,5')).toBe('1234.5');
    expect(cast({ type: 'number', decimalChar: ',' }, '1.5')).toEqual(['type-error']);
    expect(numberKey('100.0')).toBe(numberKey('1e2'));
    expect(numberKey('0.50')).toBe('0.5');
  });

  it('booleans, dates, date-times, times, years', () => {
    expect(cast({ type: 'boolean' }, 'TRUE')).toBe('true');
    expect(cast({ type: 'boolean' }, '0')).toBe('false');
    expect(cast({ type: 'boolean' }, 'yes')).toEqual(['type-error']);
    expect(cast({ type: 'boolean', trueValues: ['yes'], falseValues: ['no'] }, 'no')).toBe('false');
    expect(cast({ type: 'date' }, '2020-02-29')).toBe('2020-02-29');
    expect(cast({ type: 'date' }, '2020-2-3')).toBe('2020-02-03');
    expect(cast({ type: 'date' }, '2021-02-29')).toEqual(['type-error']);
    expect(cast({ type: 'date', format: '%d.%m.%Y' }, '31.12.2020')).toBe('2020-12-31');
    expect(cast({ type: 'date', format: '%d/%m/%y' }, '01/02/03')).toBe('2003-02-01');
    expect(cast({ type: 'datetime' }, '2020-01-02T03:04:05')).toBe('2020-01-02T03:04:05');
    expect(cast({ type: 'datetime' }, '2020-01-02 03:04:05.500')).toBe('2020-01-02T03:04:05.5');
    expect(cast({ type: 'datetime' }, '2020-01-01T01:30:00+02:00')).toBe('2019-12-31T23:30:00');
    expect(cast({ type: 'datetime' }, '2020-01-01T10:00:00Z')).toBe('2020-01-01T10:00:00');
    expect(cast({ type: 'datetime' }, '2020-01-01T10:00')).toEqual(['type-error']);
    expect(cast({ type: 'datetime', format: '%d/%m/%Y %H:%M' }, '02/01/2020 03:04')).toBe(
      '2020-01-02T03:04:00',
    );
    expect(cast({ type: 'time' }, '10:30:00')).toBe('10:30:00');
    expect(cast({ type: 'time' }, '10:30:00+01:00')).toBe('09:30:00');
    expect(cast({ type: 'time' }, '25:00:00')).toEqual(['type-error']);
    expect(cast({ type: 'year' }, '2020')).toBe('2020');
    expect(cast({ type: 'year' }, '20')).toEqual(['type-error']);
    expect(cast({ type: 'yearmonth' }, '2020-3')).toBe('2020-03');
    expect(cast({ type: 'duration' }, 'P1Y2M3DT4H')).toBe('P1Y2M3DT4H');
    expect(cast({ type: 'duration' }, 'P')).toEqual(['type-error']);
  });

  it('geopoint, geojson, object, array, any, string', () => {
    expect(cast({ type: 'geopoint' }, '90, 45')).toBe('[90,45]');
    expect(cast({ type: 'geopoint' }, '190, 45')).toEqual(['type-error']);
    expect(cast({ type: 'geopoint', format: 'array' }, '[90, 45.5]')).toBe('[90,45.5]');
    expect(cast({ type: 'geopoint', format: 'object' }, '{"lon": 90, "lat": 45}')).toBe('[90,45]');
    expect(cast({ type: 'geopoint', format: 'object' }, '{"lon": 90}')).toEqual(['type-error']);
    expect(cast({ type: 'geojson' }, '{"type":"Point","coordinates":[1,2]}')).toBe(
      '{"type":"Point","coordinates":[1,2]}',
    );
    expect(cast({ type: 'geojson' }, '{"type":"Blob"}')).toEqual(['type-error']);
    expect(cast({ type: 'geojson' }, { type: 'Feature', geometry: null, properties: {} })).toBe(
      '{"type":"Feature","geometry":null,"properties":{}}',
    );
    expect(cast({ type: 'object' }, '{"a":1}')).toBe('{"a":1}');
    expect(cast({ type: 'object' }, '[1]')).toEqual(['type-error']);
    expect(cast({ type: 'array' }, '[1,2]')).toBe('[1,2]');
    expect(cast({ type: 'array' }, [1, 'a'])).toBe('[1,"a"]');
    expect(cast({ type: 'array', arrayItem: { type: 'integer' } }, '[1,"x"]')).toEqual(['type-error']);
    expect(
      cast({ type: 'array', arrayItem: { type: 'string', constraints: { enum: ['a', 'b'] } } }, '["a","c"]'),
    ).toEqual(['constraint-error']);
    expect(cast({ type: 'any' }, { a: 1 })).toBe('{"a":1}');
    expect(cast({ type: 'string' }, ' keep ')).toBe(' keep ');
    expect(cast({ type: 'string' }, 12)).toBe('12');
    expect(cast({ type: 'string', format: 'email' }, 'a@b.example')).toBe('a@b.example');
    expect(cast({ type: 'string', format: 'email' }, 'not an email')).toEqual(['type-error']);
    expect(cast({ type: 'string', format: 'uuid' }, '123e4567-e89b-12d3-a456-426614174000')).toBe(
      '123e4567-e89b-12d3-a456-426614174000',
    );
  });

  it('missing values: null, schema-wide and per field', () => {
    const s: TableSchema = {
      fields: [
        { name: 'a', type: 'integer' },
        { name: 'b', type: 'integer', missingValues: ['NA'] },
      ],
      missingValues: ['', '-'],
    };
    const { report, values } = validate(
      s,
      ['a', 'b'],
      [
        ['-', 'NA'],
        ['', '1'],
        [null, '-'],
      ],
    );
    expect(flat(report)).toEqual(['2,-,blank-row', '4,2,type-error']);
    expect(values[1]).toEqual([null, '1']);
  });
});

describe('inferSchema', () => {
  const types = (schema: TableSchema) => schema.fields.map((f) => `${f.name}:${f.type}`);

  it('types from most specific to string, with leading zeros as integers', () => {
    const schema = inferSchema(
      ['int', 'num', 'bool', 'date', 'dt', 'time', 'text', 'zeros', 'empty'],
      [
        ['1', '1.5', 'true', '2020-01-01', '2020-01-01T10:00:00', '10:00:00', 'a', '001', ''],
        ['2', '2', 'false', '2020-01-02', '2020-01-01T10:00:00Z', '11:00:00', 'b', '002', ''],
      ],
    );
    expect(types(schema)).toEqual([
      'int:integer',
      'num:number',
      'bool:boolean',
      'date:date',
      'dt:datetime',
      'time:time',
      'text:string',
      'zeros:integer',
      'empty:any',
    ]);
  });

  it('"-" makes a column string unless it is a missing value', () => {
    const sample = [['1'], ['-'], ['2'], ['-'], ['3']];
    expect(types(inferSchema(['id'], sample))).toEqual(['id:string']);
    const withMissing = inferSchema(['id'], sample, { missingValues: ['-'] });
    expect(types(withMissing)).toEqual(['id:integer']);
    expect(withMissing.missingValues).toEqual(['-']);
  });

  it('confidence 0.9: one odd value in ten still infers integer', () => {
    const sample = [...Array.from({ length: 10 }, (_v, i) => [String(i)]), ['x']];
    expect(types(inferSchema(['n'], sample))).toEqual(['n:integer']);
    expect(types(inferSchema(['n'], sample, { confidence: 1 }))).toEqual(['n:string']);
  });

  it('JSON values: numbers, booleans, objects, arrays', () => {
    const schema = inferSchema(
      ['i', 'n', 'b', 'o', 'a'],
      [
        [1, 1.5, true, { x: 1 }, ['a']],
        [2, 2, false, { y: 2 }, []],
      ],
    );
    expect(types(schema)).toEqual(['i:integer', 'n:number', 'b:boolean', 'o:object', 'a:array']);
  });

  it('blank and duplicate labels get unique field names', () => {
    expect(fieldNames(['id', 'name', '', 'name', 'name'])).toEqual([
      'id',
      'name',
      'field3',
      'name2',
      'name3',
    ]);
    expect(fieldNames(['a', 'a', 'a2'])).toEqual(['a', 'a3', 'a2']);
    expect(fieldNames([' x\ny '])).toEqual(['x y']);
    const schema = inferSchema(['id', '', 'id'], [['1', '2', '3']]);
    expect(schema.fields.map((f) => f.name)).toEqual(['id', 'field2', 'id2']);
  });

  it('no rows: every field is any; no labels: field1, field2, ...', () => {
    expect(types(inferSchema(['a', 'b'], []))).toEqual(['a:any', 'b:any']);
    expect(types(inferSchema([], [['1', 'x']]))).toEqual(['field1:integer', 'field2:string']);
  });
});

describe('checkSchema', () => {
  const messages = (d: unknown) => checkSchema(d).errors.map((e) => e.message);

  it('accepts and normalises a valid descriptor', () => {
    const { schema, errors } = checkSchema({
      fields: [{ name: 'id', type: 'integer' }, { name: 'name' }],
      primaryKey: 'id',
      foreignKeys: [{ fields: 'id', reference: { resource: 'other', fields: 'key' } }],
      missingValues: ['', 'NA'],
    });
    expect(errors).toEqual([]);
    expect(schema).toEqual({
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'any' },
      ],
      primaryKey: ['id'],
      foreignKeys: [{ fields: ['id'], reference: { resource: 'other', fields: ['key'] } }],
      missingValues: ['', 'NA'],
    });
  });

  it('reports each kind of problem as a schema-error', () => {
    expect(messages({})).toHaveLength(1);
    expect(messages({ fields: [] })).toHaveLength(1);
    expect(messages({ fields: [{ name: 'a', type: 'text' }] })[0]).toMatch(/unknown type "text"/);
    expect(messages({ fields: [{ name: 'a', required: true }] })[0]).toContain(
      '"required" should be set as "constraints.required"',
    );
    expect(messages({ fields: [{ name: 'a' }, { name: 'a' }] })[0]).toMatch(/unique/);
    expect(messages({ fields: [{ name: 'a' }], primaryKey: ['b'] })[0]).toMatch(/"b"/);
    expect(messages({ fields: [{ name: 'a' }], foreignKeys: [{ fields: 'a' }] })[0]).toMatch(/reference/);
    expect(
      messages({
        fields: [{ name: 'a' }],
        foreignKeys: [{ fields: 'x', reference: { resource: 'r', fields: 'y' } }],
      })[0],
    ).toMatch(/"x"/);
    expect(
      messages({
        fields: [{ name: 'a' }, { name: 'b' }],
        foreignKeys: [{ fields: ['a', 'b'], reference: { resource: 'r', fields: ['y'] } }],
      })[0],
    ).toMatch(/same length/);
    expect(
      messages({
        fields: [{ name: 'a' }],
        foreignKeys: [{ fields: 'a', reference: { resource: '', fields: 'z' } }],
      })[0],
    ).toMatch(/"z"/);
    expect(messages({ fields: [{ name: 'a', constraints: { pattern: '(' } }] })[0]).toMatch(
      /regular expression/,
    );
    expect(checkSchema({ fields: [{ name: 'a', required: true }] }).errors[0]!.type).toBe('schema-error');
  });
});

describe('validateTable', () => {
  function source(labels: string[], rows: unknown[][], failAt?: number): TableSource {
    return {
      info: {
        format: 'csv',
        encoding: 'utf-8',
        compression: 'none',
        delimiter: ',',
        labels,
        headerRowNumber: 1,
      },
      rows: (async function* (): AsyncGenerator<SourceRow> {
        for (let i = 0; i < rows.length; i++) {
          if (i === failAt)
            throw Object.assign(new Error('bad bytes'), {
              toValidationError: () => ({ type: 'encoding-error' as const, message: 'bad bytes' }),
            });
          yield { rowNumber: i + 2, cells: rows[i]! };
        }
      })(),
      bytesRead: () => 123,
      close: async () => {},
    };
  }

  it('infers the schema from a sample, then validates every row', async () => {
    const rows = [...Array.from({ length: 20 }, (_v, i) => [String(i), `n${i}`]), ['x', 'late']];
    const report = await validateTable(source(['id', 'name'], rows), { sampleRows: 10 });
    expect(report.schema.fields.map((f) => f.type)).toEqual(['integer', 'string']);
    expect(flat(report)).toEqual(['22,1,type-error']);
    expect(report.stats).toEqual({ rows: 21, fields: 2, bytes: 123, sha256: null });
    expect(report.source).toEqual({ format: 'csv', encoding: 'utf-8', compression: 'none', delimiter: ',' });
  });

  it('reports reader errors instead of throwing', async () => {
    const report = await validateTable(source(['id'], [['1'], ['2'], ['3']], 2));
    expect(flat(report)).toEqual(['-,-,encoding-error']);
  });

  it('uses the given schema and limits', async () => {
    const schema: TableSchema = { fields: [{ name: 'id', type: 'integer' }] };
    const report = await validateTable(source(['id'], [['a'], ['b'], ['c']]), { schema, errorLimit: 2 });
    expect(flat(report)).toEqual(['2,1,type-error', '3,1,type-error']);
    expect(report.errorCount).toBe(3);
  });

  it('row count against what the descriptor declares', async () => {
    const report = await validateTable(source(['id'], [['1']]), { expected: { rows: 2 } });
    expect(flat(report)).toEqual(['-,-,row-count']);
  });
});
