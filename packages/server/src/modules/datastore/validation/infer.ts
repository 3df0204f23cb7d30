/**
 * Schema inference from a sample of rows, scored the way Frictionless v5 scores it: every candidate type
 * gains a point per cell it reads and loses one per cell it cannot, and the first candidate (in Frictionless's
 * order) whose score reaches `confidence` × the non-missing cells seen wins, as soon as it does.
 */
import type { TableField, TableFieldType, TableSchema } from '../datastore.model.ts';
import { type Cast, createReader } from './cast.ts';

export interface InferOptions {
  /** Cells that mean "no value"; default `[""]`. */
  missingValues?: string[];
  /** Share of the sampled cells a type must read; default 0.9. */
  confidence?: number;
}

/** Frictionless's candidate order: the most specific types first, string last. */
export const INFER_CANDIDATES: readonly TableFieldType[] = [
  'yearmonth',
  'geopoint',
  'duration',
  'geojson',
  'object',
  'array',
  'datetime',
  'time',
  'date',
  'integer',
  'number',
  'boolean',
  'year',
  'string',
];

let candidateReaders: Cast[] | undefined;

/**
 * Field names for header labels: newlines become spaces and ends are trimmed; a blank label becomes
 * `field<position>` (as Frictionless names it); a repeated label gets its occurrence number (`name2`,
 * `name3`, ...) like Frictionless, and, unlike Frictionless, the number is raised until the name is free so
 * that names are always unique (labels `a,a,a2` give `a,a3,a2`).
 */
export function fieldNames(labels: readonly string[]): string[] {
  const names = labels.map((label, i) => label.replaceAll('\n', ' ').trim() || `field${i + 1}`);
  const taken = new Set<string>();
  const firstAt = new Map<string, number>();
  names.forEach((name, i) => {
    if (!firstAt.has(name)) {
      firstAt.set(name, i);
      taken.add(name);
    }
  });
  const counts = new Map<string, number>();
  return names.map((name, i) => {
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    if (firstAt.get(name) === i) return name;
    let n = count;
    while (taken.has(`${name}${n}`)) n++;
    const unique = `${name}${n}`;
    taken.add(unique);
    return unique;
  });
}

export function inferSchema(labels: string[], sample: unknown[][], options: InferOptions = {}): TableSchema {
  const missingValues = options.missingValues ?? [''];
  const missing = new Set(missingValues);
  const confidence = options.confidence ?? 0.9;
  const schema: TableSchema = { fields: [] };
  if (missingValues.length !== 1 || missingValues[0] !== '') schema.missingValues = [...missingValues];

  let names = labels;
  if (names.length === 0) {
    if (sample.length === 0) return schema;
    names = (sample[0] ?? []).map((_c, i) => `field${i + 1}`);
  }
  names = fieldNames(names);
  if (sample.length === 0) {
    schema.fields = names.map((name) => ({ name, type: 'any' }));
    return schema;
  }

  candidateReaders ??= INFER_CANDIDATES.map((type) => createReader({ name: 'candidate', type }));
  const readers = candidateReaders;
  const nCandidates = readers.length;
  const types: (TableFieldType | undefined)[] = new Array(names.length).fill(undefined);
  const scores = new Int32Array(names.length * nCandidates);
  const maxScore = new Array<number>(names.length).fill(sample.length);
  const threshold = sample.length * (confidence - 1);

  for (const cells of sample) {
    for (let col = 0; col < names.length; col++) {
      if (types[col] !== undefined) continue;
      const cell = cells[col];
      const isMissing = typeof cell === 'string' && missing.has(cell);
      if (isMissing) maxScore[col]!--;
      // A cell that is absent or empty reads as "no value" for every candidate, which counts as a success.
      const empty = cell === undefined || cell === null || cell === '';
      for (let c = 0; c < nCandidates; c++) {
        const at = col * nCandidates + c;
        if (scores[at]! < threshold) continue;
        if (!isMissing) scores[at]! += empty || readers[c]!(cell) !== undefined ? 1 : -1;
        const max = maxScore[col]!;
        if (max > 0 && scores[at]! >= max * confidence) {
          types[col] = INFER_CANDIDATES[c]!;
          break;
        }
      }
    }
  }
  // Columns without a winner (all values missing, or too mixed) accept anything, as in Frictionless.
  schema.fields = names.map((name, i): TableField => ({ name, type: types[i] ?? 'any' }));
  return schema;
}
