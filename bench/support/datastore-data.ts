// Generated tables for the datastore benchmark: deterministic (row i is always the same row), ten columns of
// the types a city publishes (integer, number, Chinese and ASCII text, date, date-time, boolean), written as
// CSV for the loader and as COPY text (with the loader's `_id`) for tables filled directly.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { seededRandom } from './entries.ts';

/** Column names and the Table Schema type each must be inferred as. */
export const COLUMNS = [
  ['record_id', 'integer'],
  ['district', 'string'],
  ['category', 'string'],
  ['amount', 'number'],
  ['quantity', 'integer'],
  ['event_date', 'date'],
  ['recorded_at', 'datetime'],
  ['verified', 'boolean'],
  ['note', 'string'],
  ['code', 'string'],
] as const;

/** The PostgreSQL type of each column, as the loader stores each Table Schema type. */
export const SQL_TYPES: Record<string, string> = {
  integer: 'bigint',
  number: 'numeric',
  string: 'text',
  date: 'date',
  datetime: 'timestamp',
  boolean: 'boolean',
};

/** Beijing's districts weighted roughly by population: the largest holds a fifth of the rows. */
const DISTRICTS: readonly (readonly [string, number])[] = [
  ['朝阳区', 0.2],
  ['海淀区', 0.15],
  ['丰台区', 0.1],
  ['昌平区', 0.08],
  ['大兴区', 0.07],
  ['通州区', 0.07],
  ['西城区', 0.05],
  ['顺义区', 0.05],
  ['房山区', 0.05],
  ['东城区', 0.04],
  ['石景山区', 0.03],
  ['密云区', 0.03],
  ['门头沟区', 0.02],
  ['怀柔区', 0.02],
  ['平谷区', 0.02],
  ['延庆区', 0.02],
];
export const LARGEST_DISTRICT = DISTRICTS[0]![0];
export const LARGEST_SHARE = DISTRICTS[0]![1];

const CATEGORIES = ['餐饮', '零售', '交通', '医疗', '教育', '住房', '文化', '环境'];

const NOTE_PARTS = [
  '公交站台',
  '夜间巡查',
  '设备更换',
  '市民来电',
  '已处理',
  '待复核',
  '地铁换乘',
  '施工占道',
  '噪声投诉',
  '垃圾分类',
  '路灯维修',
  '共享单车',
  '停车泊位',
  '绿化养护',
  '消防通道',
  '电梯年检',
];

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2020, 0, 1);
const DAYS = 6 * 365;

function pick(random: () => number): string {
  let r = random();
  for (const [name, share] of DISTRICTS) {
    r -= share;
    if (r < 0) return name;
  }
  return DISTRICTS[0]![0];
}

/** One row's values as text, in column order; '' for an empty cell. */
export type RowValues = string[];

/**
 * Rows in order from the first: each call gives the next row. Notes are empty in about one row in eight,
 * and some hold an ASCII comma or double quotes, so that quoting is exercised.
 */
export function rowGenerator(seed = 20_261_201): () => RowValues {
  const random = seededRandom(seed);
  const dates = Array.from({ length: DAYS }, (_, d) =>
    new Date(FIRST_DAY + d * DAY_MS).toISOString().slice(0, 10),
  );
  const two = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
  let i = 0;
  return () => {
    i++;
    const date = dates[Math.floor(random() * DAYS)]!;
    const second = Math.floor(random() * 86_400);
    const at = `${date}T${two[Math.floor(second / 3600)]}:${two[Math.floor(second / 60) % 60]}:${two[second % 60]}`;
    const r = random();
    let note = '';
    if (r >= 0.125) {
      const parts = 1 + Math.floor(random() * 3);
      for (let p = 0; p < parts; p++) {
        if (p > 0) note += r < 0.2 ? ', ' : '，';
        note += NOTE_PARTS[Math.floor(random() * NOTE_PARTS.length)]!;
      }
      if (r > 0.99) note += '"加急"';
    }
    return [
      String(i),
      pick(random),
      CATEGORIES[Math.floor(random() * CATEGORIES.length)]!,
      (random() * 10_000).toFixed(2),
      String(Math.floor(random() * 1000)),
      date,
      at,
      random() < 0.7 ? 'true' : 'false',
      note,
      `BJ${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
    ];
  };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: RowValues): string {
  let line = csvCell(values[0]!);
  for (let i = 1; i < values.length; i++) line += `,${csvCell(values[i]!)}`;
  return `${line}\n`;
}

/** COPY text format with the loader's `_id` first; an empty cell is NULL, as the loader stores it. */
export function copyLine(id: number, values: RowValues): string {
  let line = String(id);
  for (const v of values) line += `\t${v === '' ? '\\N' : v}`;
  return `${line}\n`;
}

export interface GeneratedFile {
  path: string;
  rows: number;
  bytes: number;
  /** Empty notes: the loader's NULL count for that column. */
  emptyNotes: number;
}

/** Writes `rows` rows with a header to `path`, streamed in chunks of about 1 MiB. */
export async function writeCsv(path: string, rows: number, seed?: number): Promise<GeneratedFile> {
  const out = createWriteStream(path);
  const next = rowGenerator(seed);
  let bytes = 0;
  let emptyNotes = 0;
  let chunk = `${COLUMNS.map(([name]) => name).join(',')}\n`;
  const flush = async () => {
    bytes += Buffer.byteLength(chunk);
    const ok = out.write(chunk);
    chunk = '';
    if (!ok) await once(out, 'drain');
  };
  for (let i = 0; i < rows; i++) {
    const values = next();
    if (values[8] === '') emptyNotes++;
    chunk += csvLine(values);
    if (chunk.length >= 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { path, rows, bytes, emptyNotes };
}

/** The same rows as COPY text with `_id` 1..rows, in chunks of about 1 MiB. */
export async function* copyChunks(rows: number, seed?: number): AsyncGenerator<string> {
  const next = rowGenerator(seed);
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    chunk += copyLine(i, next());
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
