// Sensitive-data discovery: scan throughput over generated people-and-records tables, against two loops
// measured in the same run over the same values (stringify and measure each value; one plain regular
// expression test per value), and a whole-file scan against only reading the same file.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withCreditCheck } from '../packages/server/src/lib/credit-code.ts';
import { openTableSource } from '../packages/server/src/modules/datastore/tabular/index.ts';
import {
  createColumnScanner,
  type ScanReport,
  scanFile,
} from '../packages/server/src/modules/security/discovery/index.ts';
import type { BenchContext } from './support/context.ts';
import { atDispose } from './support/database.ts';
import { seededRandom } from './support/entries.ts';
import { int, median, rate, ratio, seconds } from './support/format.ts';
import { log } from './support/measure.ts';
import type { ResultRow, ResultTable, Section } from './support/report.ts';

const FIELDS = [
  '姓名',
  '身份证号',
  '手机号码',
  '电子邮箱',
  '住址',
  '单位信用代码',
  '车牌号',
  '登录IP',
  '纬度',
  '经度',
  '银行卡号',
  '金额',
  '次数',
  '办理日期',
  '提交时间',
  '事项类别',
  '办理意见',
  'remarks',
  '邮政编码',
  '是否办结',
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾欧阳';
const GIVEN = '伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌';
const DISTRICTS = ['北京市朝阳区', '北京市海淀区', '上海市浦东新区', '广州市天河区', '浙江省杭州市西湖区'];
const ROADS = ['建国路', '中关村大街', '世纪大道', '天河路', '文三路', '长安街'];
const CATEGORIES = ['户籍', '社保', '公积金', '不动产', '税务', '交通', '医保', '教育'];
const OPINIONS = [
  '同意办理',
  '材料齐全，准予受理',
  '请补充材料后再次提交',
  '已转交相关部门处理',
  '不予受理：不符合条件',
];
const REMARKS = ['ok', 'called back twice', 'waiting for documents', 'closed on site', 'n/a'];
const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const PLATE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

function idCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return first17 + '10X98765432'[sum % 11]!;
}

function luhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/**
 * Rows of a service-desk register: people's identifiers beside ordinary columns (amounts, counts, dates,
 * categories, free text), typed as a datastore returns them; about 3 % of cells blank.
 */
function generateRows(count: number): unknown[][] {
  const random = seededRandom(7);
  const pick = <T>(items: ArrayLike<T>): T => items[Math.floor(random() * items.length)]!;
  const digits = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(random() * 10);
    return s;
  };
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    const year = 1950 + Math.floor(random() * 55);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    const row: unknown[] = [
      pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : ''),
      idCheck(`${pick(['110105', '310115', '440106', '330106', '510104'])}${year}${month}${day}${digits(3)}`),
      `1${pick('3578')}${digits(9)}`,
      `${pick(['zhang', 'li', 'wang', 'user', 'chen'])}${digits(4)}@${pick(['qq.com', '163.com', 'example.cn'])}`,
      `${pick(DISTRICTS)}${pick(ROADS)}${1 + Math.floor(random() * 300)}号${1 + Math.floor(random() * 20)}栋${digits(3)}室`,
      withCreditCheck(`91${pick(['1101', '3101', '4401'])}${pick(['05', '06', '15'])}MA${digits(7)}`),
      `${pick(PLATE_PROVINCES)}${pick('ABCDEFG')}${pick(PLATE_CHARS)}${pick(PLATE_CHARS)}${digits(3)}`,
      `${10 + Math.floor(random() * 200)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
      Number((22 + random() * 18).toFixed(6)),
      Number((103 + random() * 18).toFixed(6)),
      luhn(`62${pick(['22', '17', '28'])}${digits(14)}`),
      Math.round(random() * 10_000_000) / 100,
      Math.floor(random() * 50),
      `20${String(10 + Math.floor(random() * 15))}-${month}-${day}`,
      `2024-${month}-${day}T${String(Math.floor(random() * 24)).padStart(2, '0')}:${digits(1)}${digits(1)}:00+08:00`,
      pick(CATEGORIES),
      pick(OPINIONS),
      pick(REMARKS),
      `${pick(['100', '200', '510', '310'])}${digits(3)}`,
      random() < 0.7,
    ];
    for (let j = 0; j < row.length; j++) if (random() < 0.03) row[j] = null;
    rows.push(row);
  }
  return rows;
}

/** Baseline 1: the loop every scan needs, that only stringifies each non-empty value and measures it. */
function stringifyPass(rows: readonly unknown[][], passes: number): number {
  let total = 0;
  for (let p = 0; p < passes; p++)
    for (const row of rows)
      for (let j = 0; j < row.length; j++) {
        const value = row[j];
        if (value === null || value === undefined) continue;
        const s = typeof value === 'string' ? value.trim() : String(value);
        total += s.length;
      }
  return total;
}

const MOBILE_REGEX = /^1[3-9]\d{9}$/;
/** Baseline 2: one plain regular-expression test per value (the mobile pattern). */
function regexPass(rows: readonly unknown[][], passes: number): number {
  let hits = 0;
  for (let p = 0; p < passes; p++)
    for (const row of rows)
      for (let j = 0; j < row.length; j++) {
        const value = row[j];
        if (value === null || value === undefined) continue;
        if (MOBILE_REGEX.test(typeof value === 'string' ? value.trim() : String(value))) hits++;
      }
  return hits;
}

function scanPass(rows: readonly unknown[][], passes: number): ScanReport {
  const scanner = createColumnScanner(FIELDS.map((name) => ({ name })));
  for (let p = 0; p < passes; p++) for (const row of rows) scanner.add(row);
  return scanner.result();
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

async function writeCsv(path: string, rows: readonly unknown[][], passes: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (line: string) =>
    out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write(`${FIELDS.join(',')}\n`);
  for (let p = 0; p < passes; p++)
    for (const row of rows) await write(`${row.map((c) => (c === null ? '' : String(c))).join(',')}\n`);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function readOnly(path: string): Promise<number> {
  const source = await openTableSource(path);
  let rows = 0;
  if (source.batches !== undefined) for await (const batch of source.batches) rows += batch.length;
  else for await (const _ of source.rows) rows++;
  return rows;
}

export async function securityScanBench(ctx: BenchContext): Promise<Section> {
  const poolRows = ctx.quick ? 10_000 : 100_000;
  const passes = 10;
  const totalRows = poolRows * passes;
  const rounds = ctx.quick ? 1 : 3;
  const fileRows = ctx.quick ? 20_000 : 200_000;
  log(`scan: generating ${int(poolRows)} rows × ${FIELDS.length} columns`);
  const rows = generateRows(poolRows);
  let values = 0;
  for (const row of rows) for (const v of row) if (v !== null) values++;
  values *= passes;

  const stringify: number[] = [];
  const regex: number[] = [];
  const ours: number[] = [];
  let report: ScanReport | undefined;
  // Alternating rounds, so that drift hits the three alike; one warm-up pass of each first.
  stringifyPass(rows, 1);
  regexPass(rows, 1);
  scanPass(rows, 1);
  for (let round = 0; round < rounds; round++) {
    await ctx.settle(`in-memory round ${round + 1}`);
    log(`scan: in-memory round ${round + 1} of ${rounds}, ${int(totalRows)} rows`);
    stringify.push(timed(() => stringifyPass(rows, passes)).ms);
    regex.push(timed(() => regexPass(rows, passes)).ms);
    const scanned = timed(() => scanPass(rows, passes));
    ours.push(scanned.ms);
    report = scanned.value;
  }

  const dir = mkdtempSync(join(tmpdir(), 'datapolis-bench-scan-'));
  const removeDir = atDispose(async () => rmSync(dir, { recursive: true, force: true }));
  const readMs: number[] = [];
  const fileMs: number[] = [];
  try {
    const path = join(dir, 'register.csv');
    log(`scan: writing a ${int(fileRows)}-row CSV`);
    await writeCsv(path, rows, fileRows / poolRows);
    for (let round = 0; round < Math.min(rounds, 2); round++) {
      await ctx.settle(`file round ${round + 1}`);
      log(`scan: file round ${round + 1}`);
      let start = performance.now();
      const read = await readOnly(path);
      readMs.push(performance.now() - start);
      start = performance.now();
      const scanned = await scanFile(path);
      fileMs.push(performance.now() - start);
      if (read !== fileRows || scanned.rowsScanned !== fileRows)
        throw new Error(`read ${read} and scanned ${scanned.rowsScanned} rows of ${fileRows}`);
    }
  } finally {
    await removeDir();
  }

  const perSecond = (count: number, ms: number) => (count / ms) * 1000;
  const oursRate = perSecond(values, median(ours));
  const stringifyRate = perSecond(values, median(stringify));
  const regexRate = perSecond(values, median(regex));
  const fileValues = (values / totalRows) * fileRows;
  const fileRate = perSecond(fileValues, median(fileMs));
  const readRate = perSecond(fileValues, median(readMs));
  const held = report!.columns.filter((c) => c.holds !== undefined).map((c) => `${c.name} → ${c.holds}`);

  const tables: ResultTable[] = [
    {
      caption: `In memory: ${int(totalRows)} rows × ${FIELDS.length} columns (${int(values)} non-empty values)`,
      rows: [
        {
          figure: 'scan (all 12 recognisers, findings, proposals)',
          ours: `${rate(oursRate)} values/s`,
          baseline: `${rate(stringifyRate)} values/s stringify + length only`,
          ratio: ratio(oursRate / stringifyRate),
          target: '—',
        },
        {
          figure: 'scan against one regular expression per value',
          ours: `${rate(oursRate)} values/s`,
          baseline: `${rate(regexRate)} values/s one regex test`,
          ratio: ratio(oursRate / regexRate),
          target: '—',
        },
        {
          figure: `time for ${int(totalRows)} rows`,
          ours: seconds(median(ours)),
          baseline: seconds(median(stringify)),
          ratio: ratio(median(ours) / median(stringify)),
          target: '—',
        },
      ] satisfies ResultRow[],
    },
    {
      caption: `From a file: \`scanFile\` on a ${int(fileRows)}-row UTF-8 CSV against reading the same file only`,
      rows: [
        {
          figure: 'scan of the whole file',
          ours: `${rate(fileRate)} values/s (${seconds(median(fileMs))})`,
          baseline: `${rate(readRate)} values/s read only (${seconds(median(readMs))})`,
          ratio: ratio(fileRate / readRate),
          target: '—',
        },
      ],
    },
  ];
  return {
    id: 'scan',
    title: 'Security: sensitive-data discovery',
    measured: ctx.measured,
    method: [
      `A generated service-desk register (seeded): ${FIELDS.length} columns of Chinese names, resident identity numbers, ` +
        'mobile numbers, e-mail and street addresses, credit codes, plates, IPv4 addresses, latitudes and longitudes ' +
        'with six decimals, bank cards, amounts and counts (numbers), dates and timestamps, categories, Chinese and ' +
        `English free text, postal codes and booleans, about 3 % of cells blank. ${int(poolRows)} distinct rows are ` +
        `fed ${passes} times to one \`createColumnScanner\` (${int(totalRows)} rows), then \`result()\` builds the report.`,
      'Baselines, over the same rows in the same process: the loop alone that stringifies each non-empty value and ' +
        'adds up its length (what any scan must at least do), and the same loop with one plain regular-expression ' +
        `test per value (\`${MOBILE_REGEX.source}\`). The three alternate in ${rounds} round(s) after one warm-up pass ` +
        'each; medians are shown. The file figure times `scanFile` (streaming CSV reader, then the scanner) against ' +
        'iterating the same file with `openTableSource` and doing nothing with the rows.',
    ],
    tables,
    notes: [
      `Columns the scan says it holds: ${held.join(', ')}.`,
      `Rounds (ms), scan: ${ours.map((v) => v.toFixed(0)).join(', ')}; stringify: ${stringify.map((v) => v.toFixed(0)).join(', ')}; ` +
        `regex: ${regex.map((v) => v.toFixed(0)).join(', ')}; file scan: ${fileMs.map((v) => v.toFixed(0)).join(', ')}; ` +
        `file read: ${readMs.map((v) => v.toFixed(0)).join(', ')}.`,
    ],
  };
}
