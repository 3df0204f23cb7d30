/**
 * The streaming table validator: header checks, then per-row casting and checks, then the checks that need
 * every row (self-referencing foreign keys). Errors follow Frictionless v5 (baseline checks): within a row,
 * cell errors by field, then extra/missing cells, then unique, primary-key and foreign-key errors.
 */
import type {
  CastValues,
  TableSchema,
  TableValidator,
  ValidationError,
  ValidationErrorType,
  ValidationReport,
} from '../datastore.model.ts';
import { boundedKey, type CompiledField, compileField } from './cast.ts';

export interface ValidatorOptions {
  /** How many errors the report lists (all are counted); default 1000. */
  errorLimit?: number;
  /** Check foreign keys that reference this same table (`reference.resource` "" or absent); default true. */
  foreignKeysSameTable?: boolean;
}

export const DEFAULT_ERROR_LIMIT = 1_000;

/** How many keys one Map holds before another is started (V8 caps a Map near 2^24 entries). */
const KEYS_PER_MAP = 8_000_000;

function detached(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

/** Remembers keys with the row they were last seen in; grows past the size limit of a single Map. */
class KeyMemory {
  private maps: Map<string, number>[] = [new Map()];

  /** Records the key and returns the row it was seen in before, or 0. */
  see(key: string, row: number): number {
    const maps = this.maps;
    for (let i = 0; i < maps.length - 1; i++) {
      const previous = maps[i]!.get(key);
      if (previous !== undefined) {
        maps[i]!.set(key, row);
        return previous;
      }
    }
    let last = maps[maps.length - 1]!;
    const previous = last.get(key);
    if (previous === undefined && last.size >= KEYS_PER_MAP) {
      last = new Map();
      maps.push(last);
    }
    // A cell can be a slice of a large chunk of the file; a key kept for the whole load must not keep the
    // chunk alive. Concatenating and slicing makes V8 copy the few characters into a string of their own.
    last.set(previous === undefined ? detached(key) : key, row);
    return previous ?? 0;
  }

  has(key: string): boolean {
    for (const map of this.maps) if (map.has(key)) return true;
    return false;
  }
}

interface SameTableForeignKey {
  fields: number[];
  reference: number[];
  names: string[];
  referenceNames: string[];
  seen: KeyMemory;
  /** Rows whose key was not yet among the referenced keys when they were read. */
  pending: { row: number; key: string; values: (string | null)[] }[];
}

const HEADER_TYPES = new Set<ValidationErrorType>([
  'blank-label',
  'duplicate-label',
  'missing-label',
  'extra-label',
  'incorrect-label',
]);

function cellText(cell: unknown): string {
  if (typeof cell === 'string') return cell;
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
}

function normalizeLabel(label: string): string {
  return label.replaceAll('\n', ' ').trim();
}

/** A part of a composite key: length-prefixed so that no two tuples share an encoding. */
function keyOf(fields: CompiledField[], indexes: number[], values: CastValues): string | undefined {
  let key = '';
  let allNull = true;
  for (const i of indexes) {
    const v = values[i];
    if (v === null || v === undefined) key += '~';
    else {
      allNull = false;
      const k = fields[i]!.key(v);
      key += `${k.length}:${k}`;
    }
  }
  return allNull ? undefined : key;
}

export function createTableValidator(schema: TableSchema, options: ValidatorOptions = {}): TableValidator {
  const fields = schema.fields.map((f) => compileField(f, schema.missingValues));
  const nFields = fields.length;
  const limit = Math.max(0, options.errorLimit ?? DEFAULT_ERROR_LIMIT);
  const indexOf = new Map(schema.fields.map((f, i) => [f.name, i]));

  // File column → schema field (-1: a column no field describes). Exact matching maps by position.
  let slots: Int32Array = Int32Array.from(fields, (_f, i) => i);
  // Schema field → 1-based position in the file (0: not in the file).
  let positions: Int32Array = Int32Array.from(fields, (_f, i) => i + 1);
  let labels: string[] = schema.fields.map((f) => f.name);
  let fatal = false;

  const stored: ValidationError[] = [];
  const ranks: number[] = [];
  let errorCount = 0;
  let rows = 0;
  let lastRow = 0;
  let finished: ValidationReport | undefined;

  const record = (error: ValidationError, rank: number) => {
    errorCount++;
    if (stored.length < limit) {
      stored.push(error);
      ranks.push(rank);
    }
  };

  const unique = fields.flatMap((_f, i) =>
    schema.fields[i]!.constraints?.unique === true ? [{ index: i, memory: new KeyMemory() }] : [],
  );
  const primaryKey = (schema.primaryKey ?? []).map((name) => indexOf.get(name) ?? -1);
  const hasPrimaryKey = primaryKey.length > 0 && primaryKey.every((i) => i >= 0);
  const primaryMemory = new KeyMemory();
  const primaryNames = (schema.primaryKey ?? []).join(', ');
  // A one-field key is remembered by the field's own key; when that field is also unique, both checks
  // share one memory (the second costliest thing per row after casting).
  const singleKey = hasPrimaryKey && primaryKey.length === 1 ? primaryKey[0]! : -1;
  const sharedUnique = unique.findIndex((u) => u.index === singleKey);
  const foreignKeys: SameTableForeignKey[] = [];
  if (options.foreignKeysSameTable !== false)
    for (const fk of schema.foreignKeys ?? []) {
      if (fk.reference.resource !== undefined && fk.reference.resource !== '') continue;
      const own = fk.fields.map((n) => indexOf.get(n) ?? -1);
      const ref = fk.reference.fields.map((n) => indexOf.get(n) ?? -1);
      if (own.length === 0 || own.length !== ref.length || own.some((i) => i < 0) || ref.some((i) => i < 0))
        continue;
      foreignKeys.push({
        fields: own,
        reference: ref,
        names: fk.fields,
        referenceNames: fk.reference.fields,
        seen: new KeyMemory(),
        pending: [],
      });
    }

  function header(given: string[]): void {
    // No labels: the table has no header row, so there is nothing to compare.
    if (given.length === 0) return;
    labels = given;
    const mode = schema.fieldsMatch ?? 'exact';
    if (mode === 'exact') {
      for (let i = nFields; i < given.length; i++)
        record(
          {
            type: 'extra-label',
            fieldNumber: i + 1,
            cell: given[i]!,
            message: `The header has an extra label "${given[i]}" at position ${i + 1}, which no field of the schema describes.`,
          },
          0,
        );
      for (let i = given.length; i < nFields; i++)
        record(
          {
            type: 'missing-label',
            fieldNumber: i + 1,
            fieldName: fields[i]!.name,
            message: `The header has no label for field "${fields[i]!.name}" at position ${i + 1}.`,
          },
          0,
        );
      const seen = new Map<string, number[]>();
      for (let i = 0; i < Math.min(nFields, given.length); i++) {
        const label = given[i]!;
        const name = fields[i]!.name;
        if (label === '') {
          record(
            {
              type: 'blank-label',
              fieldNumber: i + 1,
              fieldName: name,
              cell: '',
              message: `The label of field ${i + 1} in the header is blank.`,
            },
            0,
          );
          continue;
        }
        const before = seen.get(label);
        if (before === undefined) seen.set(label, [i + 1]);
        else {
          record(
            {
              type: 'duplicate-label',
              fieldNumber: i + 1,
              fieldName: name,
              cell: label,
              message: `The label "${label}" at position ${i + 1} repeats the label at position ${before.join(', ')}.`,
            },
            0,
          );
          before.push(i + 1);
          continue;
        }
        if (normalizeLabel(label) !== name)
          record(
            {
              type: 'incorrect-label',
              fieldNumber: i + 1,
              fieldName: name,
              cell: label,
              message: `The label "${label}" at position ${i + 1} does not match the field name "${name}".`,
            },
            0,
          );
      }
      return;
    }

    // Matching by name: the order of the columns is free, extra and missing ones depend on the mode.
    const normalized = given.map(normalizeLabel);
    if (new Set(normalized).size !== normalized.length) {
      fatal = true;
      record(
        {
          type: 'schema-error',
          message: `Fields cannot be matched by name ("fieldsMatch": "${mode}") because the header repeats a label.`,
        },
        0,
      );
      return;
    }
    slots = Int32Array.from(normalized, (label) => indexOf.get(label) ?? -1);
    positions = new Int32Array(nFields);
    slots.forEach((field, i) => {
      if (field >= 0) positions[field] = i + 1;
    });
    const toleratesExtra = mode === 'subset' || mode === 'partial';
    const toleratesMissing = mode === 'superset' || mode === 'partial';
    if (mode === 'partial' && nFields > 0 && slots.every((s) => s < 0)) {
      record(
        {
          type: 'schema-error',
          message: 'No label in the header matches a field of the schema ("fieldsMatch": "partial").',
        },
        0,
      );
    }
    if (!toleratesExtra)
      slots.forEach((field, i) => {
        if (field < 0)
          record(
            {
              type: 'extra-label',
              fieldNumber: i + 1,
              cell: given[i]!,
              message: `The header has an extra label "${given[i]}" at position ${i + 1}, which no field of the schema describes.`,
            },
            0,
          );
      });
    let next = given.length + 1;
    fields.forEach((f, i) => {
      if (positions[i]! > 0) return;
      if (toleratesMissing && !f.required && !(schema.primaryKey ?? []).includes(f.name)) return;
      record(
        {
          type: 'missing-label',
          fieldNumber: next,
          fieldName: f.name,
          message: `The header has no label for field "${f.name}".`,
        },
        0,
      );
      next++;
    });
  }

  // Errors of the current row, flushed once the row is done (a blank row replaces them).
  const rowErrors: ValidationError[] = [];

  function cellError(
    type: ValidationErrorType,
    rowNumber: number,
    position: number,
    name: string,
    cell: unknown,
    note: string,
  ): ValidationError {
    const text = cellText(cell);
    const what =
      type === 'type-error'
        ? 'has a type error'
        : type === 'unique-error'
          ? 'is not unique'
          : 'breaks a constraint';
    return {
      type,
      rowNumber,
      fieldNumber: position,
      fieldName: name,
      cell: text,
      message: `The cell "${text}" in row ${rowNumber} and field "${name}" at position ${position} ${what}: ${note}.`,
    };
  }

  const values: CastValues = new Array(nFields).fill(null);

  function row(source: { rowNumber: number; cells: unknown[] }): CastValues | undefined {
    const cells = source.cells;
    const rowNumber = source.rowNumber;
    const n = cells.length;
    rows++;
    lastRow = rowNumber;
    if (fatal) return undefined;
    // One array for every row: a load reads millions, and each is copied out before the next.
    const out = values;
    const slotCount = slots.length;
    let blank = 0;
    if (slotCount !== nFields) out.fill(null);
    for (let s = 0; s < slotCount; s++) {
      const fi = slots[s]!;
      const cell = s < n ? cells[s] : undefined;
      if (fi < 0) {
        if (cell === undefined || cell === null || cell === '') blank++;
        continue;
      }
      const f = fields[fi]!;
      let missing: boolean;
      if (typeof cell === 'string') missing = f.onlyEmptyMissing ? cell === '' : f.missing.has(cell);
      else if (cell === undefined || cell === null) missing = true;
      else
        missing =
          !f.onlyEmptyMissing &&
          (typeof cell === 'number' || typeof cell === 'boolean' || typeof cell === 'bigint') &&
          f.missing.has(String(cell));
      if (missing) {
        out[fi] = null;
        blank++;
        if (f.required)
          rowErrors.push(
            cellError('constraint-error', rowNumber, s + 1, f.name, cell, 'constraint "required" is "true"'),
          );
        continue;
      }
      const text = f.cast(cell);
      if (text === undefined) {
        out[fi] = null;
        rowErrors.push(cellError('type-error', rowNumber, s + 1, f.name, cell, f.typeNote));
        continue;
      }
      out[fi] = text;
      const checks = f.checks;
      for (let c = 0; c < checks.length; c++) {
        const check = checks[c]!;
        if (!check.test(text))
          rowErrors.push(cellError('constraint-error', rowNumber, s + 1, f.name, cell, check.note));
      }
    }
    if (n > slotCount)
      for (let s = slotCount; s < n; s++) {
        const text = cellText(cells[s]);
        rowErrors.push({
          type: 'extra-cell',
          rowNumber,
          fieldNumber: s + 1,
          cell: text,
          message: `Row ${rowNumber} has an extra cell "${text}" at position ${s + 1}, beyond the last field.`,
        });
      }
    else if (n < slotCount)
      for (let s = n; s < slotCount; s++) {
        const fi = slots[s]!;
        const name = fi >= 0 ? fields[fi]!.name : (labels[s] ?? '');
        rowErrors.push({
          type: 'missing-cell',
          rowNumber,
          fieldNumber: s + 1,
          fieldName: name,
          cell: '',
          message: `Row ${rowNumber} has no cell for field "${name}" at position ${s + 1}.`,
        });
      }
    if (blank === slotCount && slotCount > 0) {
      rowErrors.length = 0;
      rowErrors.push({ type: 'blank-row', rowNumber, message: `Row ${rowNumber} is completely blank.` });
    }

    let sharedBefore = 0;
    for (let u = 0; u < unique.length; u++) {
      const { index, memory } = unique[u]!;
      const v = out[index];
      if (v === null || v === undefined) continue;
      const before = memory.see(boundedKey(fields[index]!.key(v)), rowNumber);
      if (u === sharedUnique) sharedBefore = before;
      if (before > 0)
        rowErrors.push(
          cellError(
            'unique-error',
            rowNumber,
            positions[index]!,
            fields[index]!.name,
            v,
            `the same value is in row ${before}`,
          ),
        );
    }
    if (hasPrimaryKey) {
      let key: string | undefined;
      if (singleKey >= 0) {
        const v = out[singleKey];
        key = v === null || v === undefined ? undefined : fields[singleKey]!.key(v);
      } else key = keyOf(fields, primaryKey, out);
      if (key === undefined)
        rowErrors.push({
          type: 'primary-key',
          rowNumber,
          message: `Row ${rowNumber} breaks the primary key (${primaryNames}): its cells are all blank.`,
        });
      else {
        const before = sharedUnique >= 0 ? sharedBefore : primaryMemory.see(boundedKey(key), rowNumber);
        if (before > 0)
          rowErrors.push({
            type: 'primary-key',
            rowNumber,
            message: `Row ${rowNumber} breaks the primary key (${primaryNames}): the same values are in row ${before}.`,
          });
      }
    }
    for (let k = 0; k < foreignKeys.length; k++) {
      const fk = foreignKeys[k]!;
      const referenced = keyOf(fields, fk.reference, out);
      if (referenced !== undefined) fk.seen.see(boundedKey(referenced), rowNumber);
      const key = keyOf(fields, fk.fields, out);
      if (key === undefined) continue;
      const bounded = boundedKey(key);
      if (!fk.seen.has(bounded))
        fk.pending.push({ row: rowNumber, key: bounded, values: fk.fields.map((i) => out[i]!) });
    }

    if (rowErrors.length === 0) return out;
    for (const error of rowErrors) record(error, rowNumber);
    rowErrors.length = 0;
    return undefined;
  }

  function fail(error: ValidationError): void {
    if (HEADER_TYPES.has(error.type)) record(error, 0);
    else record(error, error.rowNumber ?? lastRow + 0.5);
  }

  function finish(stats: { bytes: number; sha256: string | null }): ValidationReport {
    if (finished !== undefined) return finished;
    // Rows are over, so the stored errors are the earliest ones; foreign-key errors may still sort before
    // them, hence they are stored past the limit (up to another limit's worth) and the list is cut after sorting.
    let extra = 0;
    for (const fk of foreignKeys)
      for (const p of fk.pending) {
        if (fk.seen.has(p.key)) continue;
        const values = p.values.map((v) => v ?? '').join(', ');
        errorCount++;
        if (extra++ >= limit) continue;
        ranks.push(p.row);
        stored.push({
          type: 'foreign-key',
          rowNumber: p.row,
          cell: values,
          message: `Row ${p.row} breaks a foreign key: the values "${values}" of "${fk.names.join(', ')}" are not found in "${fk.referenceNames.join(', ')}" of this table.`,
        });
      }
    const order = stored.map((_e, i) => i).sort((a, b) => ranks[a]! - ranks[b]! || a - b);
    const errors = order.slice(0, limit).map((i) => stored[i]!);
    finished = {
      valid: errorCount === 0,
      errors,
      errorCount,
      limitReached: errorCount > errors.length,
      stats: { rows, fields: nFields, bytes: stats.bytes, sha256: stats.sha256 },
      schema,
      source: null,
    };
    return finished;
  }

  return {
    header,
    row,
    fail,
    finish,
    get failed() {
      return errorCount > 0;
    },
  };
}
