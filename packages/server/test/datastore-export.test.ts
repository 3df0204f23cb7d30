import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  csvStream,
  type ExportField,
  jsonStream,
  ndjsonStream,
  type RowBatches,
  xlsxStream,
} from '../src/modules/datastore/datastore.export.ts';

async function* batchesOf(...batches: unknown[][][]): AsyncGenerator<unknown[][]> {
  for (const batch of batches) yield batch;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

const FIELDS: ExportField[] = [
  { name: 'id', type: 'integer' },
  { name: '线路名称', type: 'string' },
  { name: 'length', type: 'number' },
  { name: 'night', type: 'boolean' },
  { name: 'opened', type: 'date' },
  { name: 'updated', type: 'datetime' },
  { name: 'meta', type: 'object' },
];

/** Values as node-postgres / PGlite return them: bigint and numeric as strings, jsonb as objects. */
const ROWS: unknown[][] = [
  [
    '1',
    '1路, 环线',
    '12.50',
    true,
    '2020-01-31',
    '2024-05-06 07:08:09',
    { operator: '公交一公司', stops: [1, 2] },
  ],
  [
    '9007199254740993',
    'say "hi"\nbye',
    '0.1',
    false,
    new Date(Date.UTC(2021, 1, 3)),
    new Date('2024-05-06T07:08:09.123Z'),
    null,
  ],
  [null, '', null, null, null, null, [1, 'a,b']],
];

describe('csvStream', () => {
  it('writes RFC 4180 CSV with CRLF, quoting only where needed', async () => {
    const csv = (await collect(csvStream(FIELDS, batchesOf(ROWS.slice(0, 1), [], ROWS.slice(1))))).toString(
      'utf8',
    );
    expect(csv).toBe(
      'id,线路名称,length,night,opened,updated,meta\r\n' +
        '1,"1路, 环线",12.50,true,2020-01-31,2024-05-06 07:08:09,"{""operator"":""公交一公司"",""stops"":[1,2]}"\r\n' +
        '9007199254740993,"say ""hi""\nbye",0.1,false,2021-02-03,2024-05-06T07:08:09.123Z,\r\n' +
        ',"",,,,,"[1,""a,b""]"\r\n',
    );
  });

  it('starts with a byte order mark when asked', async () => {
    const bytes = await collect(
      csvStream([{ name: 'a', type: 'string' }], batchesOf([['x']]), { bom: true }),
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('a\r\nx\r\n');
  });

  it('quotes field names that need it and writes only the header for no rows', async () => {
    const csv = await collect(csvStream([{ name: 'a,b', type: 'string' }], batchesOf()));
    expect(csv.toString('utf8')).toBe('"a,b"\r\n');
  });
});

describe('ndjsonStream and jsonStream', () => {
  const expectedLines = [
    '{"id":1,"线路名称":"1路, 环线","length":12.50,"night":true,"opened":"2020-01-31","updated":"2024-05-06 07:08:09","meta":{"operator":"公交一公司","stops":[1,2]}}',
    '{"id":"9007199254740993","线路名称":"say \\"hi\\"\\nbye","length":0.1,"night":false,"opened":"2021-02-03","updated":"2024-05-06T07:08:09.123Z","meta":null}',
    '{"id":null,"线路名称":"","length":null,"night":null,"opened":null,"updated":null,"meta":[1,"a,b"]}',
  ];

  it('writes one JSON object per line, keyed by field name', async () => {
    const text = (await collect(ndjsonStream(FIELDS, batchesOf(ROWS.slice(0, 2), ROWS.slice(2))))).toString(
      'utf8',
    );
    expect(text).toBe(`${expectedLines.join('\n')}\n`);
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line))[1],
    ).toMatchObject({
      id: '9007199254740993',
      线路名称: 'say "hi"\nbye',
    });
  });

  it('writes a JSON array of objects', async () => {
    const text = (await collect(jsonStream(FIELDS, batchesOf([], ROWS)))).toString('utf8');
    expect(text).toBe(`[\n${expectedLines.join(',\n')}\n]\n`);
    expect(JSON.parse(text)).toHaveLength(3);
    expect((await collect(jsonStream(FIELDS, batchesOf()))).toString('utf8')).toBe('[]\n');
  });

  it('does not let a field named __proto__ change anything but its own key', async () => {
    const text = (
      await collect(ndjsonStream([{ name: '__proto__', type: 'object' }], batchesOf([[{ polluted: true }]])))
    ).toString('utf8');
    expect(text).toBe('{"__proto__":{"polluted":true}}\n');
  });
});

describe('xlsxStream', () => {
  it('writes typed cells under a bold, frozen header that ExcelJS reads back', async () => {
    const bytes = await collect(xlsxStream(FIELDS, batchesOf(ROWS), { sheetName: '公交线路' }));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['公交线路']);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...FIELDS.map((f) => f.name)]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const row2 = sheet.getRow(2);
    expect(row2.getCell(1).value).toBe(1);
    expect(row2.getCell(2).value).toBe('1路, 环线');
    expect(row2.getCell(3).value).toBe(12.5);
    expect(row2.getCell(4).value).toBe(true);
    expect(row2.getCell(5).value).toEqual(new Date(Date.UTC(2020, 0, 31)));
    expect(row2.getCell(5).numFmt).toBe('yyyy-mm-dd');
    expect(row2.getCell(6).value).toEqual(new Date(Date.UTC(2024, 4, 6, 7, 8, 9)));
    expect(JSON.parse(String(row2.getCell(7).value))).toEqual({ operator: '公交一公司', stops: [1, 2] });

    const row3 = sheet.getRow(3);
    // Beyond 2^53 an integer stays text rather than lose its last digits.
    expect(row3.getCell(1).value).toBe('9007199254740993');
    expect(row3.getCell(2).value).toBe('say "hi"\nbye');
    expect(row3.getCell(5).value).toEqual(new Date(Date.UTC(2021, 1, 3)));
    expect(row3.getCell(6).value).toEqual(new Date('2024-05-06T07:08:09.123Z'));
    expect(row3.getCell(7).value).toBeNull();

    const row4 = sheet.getRow(4);
    expect(row4.getCell(1).value).toBeNull();
    expect(row4.getCell(7).value).toBe('[1,"a,b"]');
    expect(sheet.rowCount).toBe(4);
  });

  it('starts a new sheet when a sheet is full', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => [String(i + 1), `row ${i + 1}`]);
    const fields: ExportField[] = [
      { name: 'n', type: 'integer' },
      { name: 'label', type: 'string' },
    ];
    const bytes = await collect(
      xlsxStream(fields, batchesOf(rows.slice(0, 4), rows.slice(4)), {
        sheetName: 'data',
        maxRowsPerSheet: 3,
      }),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['data', 'data 2', 'data 3']);
    const counts = workbook.worksheets.map((s) => s.rowCount);
    expect(counts).toEqual([4, 4, 2]);
    expect(workbook.worksheets[2]!.getRow(1).values).toEqual([undefined, 'n', 'label']);
    expect(workbook.worksheets[2]!.getRow(2).values).toEqual([undefined, 7, 'row 7']);
  });

  it('drops characters XML cannot carry instead of writing a broken file', async () => {
    const bytes = await collect(
      xlsxStream([{ name: 'a', type: 'string' }], batchesOf([['x\u0001y\u0000z']])),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(2).getCell(1).value).toBe('xyz');
  });
});

describe('backpressure', () => {
  /** Endless batches that count how many were pulled and notice being closed. */
  function counting(): { batches: RowBatches; pulled: () => number; closed: () => boolean } {
    let pulled = 0;
    let closed = false;
    async function* generate(): AsyncGenerator<unknown[][]> {
      try {
        for (;;) {
          pulled++;
          yield Array.from({ length: 1_000 }, (_, i) => [String(i), 'x'.repeat(100)]);
        }
      } finally {
        closed = true;
      }
    }
    return { batches: generate(), pulled: () => pulled, closed: () => closed };
  }
  const fields: ExportField[] = [
    { name: 'n', type: 'integer' },
    { name: 's', type: 'string' },
  ];

  it.each([
    ['csv', csvStream],
    ['ndjson', ndjsonStream],
    ['json', jsonStream],
    ['xlsx', xlsxStream],
  ] as const)(
    '%s pulls batches only as fast as they are read, and closes them when destroyed',
    async (_, writer) => {
      const source = counting();
      const stream = writer(fields, source.batches);
      // Read one chunk, then stop reading.
      await new Promise<void>((resolve) => {
        stream.once('data', () => {
          stream.pause();
          resolve();
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A paused stream stops after filling its buffers: a few batches, not an endless loop.
      expect(source.pulled()).toBeGreaterThan(0);
      expect(source.pulled()).toBeLessThan(20);
      stream.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(source.closed()).toBe(true);
    },
  );

  it('closes batches that were never read when the stream is destroyed', async () => {
    const source = counting();
    const stream = csvStream(fields, source.batches);
    // Start the generator, as a caller that opened a cursor would have.
    await source.batches[Symbol.asyncIterator]().next();
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(source.closed()).toBe(true);
  });
});

describe('memory and throughput', () => {
  const ROW_COUNT = 2_000_000;
  const BATCH = 1_000;
  const fields: ExportField[] = [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'string' },
    { name: 'amount', type: 'number' },
    { name: 'flag', type: 'boolean' },
    { name: 'day', type: 'date' },
    { name: 'meta', type: 'object' },
  ];

  async function* generated(rows: number): AsyncGenerator<unknown[][]> {
    for (let start = 0; start < rows; start += BATCH) {
      const batch: unknown[][] = [];
      for (let i = start; i < Math.min(start + BATCH, rows); i++) {
        batch.push([
          String(i),
          i % 7 === 0 ? `站点 "${i}", 北区` : `stop ${i}`,
          (i / 100).toFixed(2),
          i % 2 === 0,
          '2024-01-15',
          i % 10 === 0 ? { k: i } : null,
        ]);
      }
      yield batch;
    }
  }

  /** Streams into a sink that discards, sampling RSS; returns the growth and rows per second. */
  async function measure(
    stream: NodeJS.ReadableStream,
    rows: number,
  ): Promise<{ growthMb: number; rowsPerSecond: number; bytes: number }> {
    globalThis.gc?.();
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    let bytes = 0;
    let chunks = 0;
    const started = performance.now();
    // Sampled in the sink: with a generated source and a discarding sink the stream never waits on I/O,
    // so timers would not fire until it ends.
    await pipeline(
      stream,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          if (++chunks % 16 === 0) peak = Math.max(peak, process.memoryUsage.rss());
          callback();
        },
      }),
    );
    peak = Math.max(peak, process.memoryUsage.rss());
    const seconds = (performance.now() - started) / 1000;
    return { growthMb: (peak - baseline) / 1024 / 1024, rowsPerSecond: Math.round(rows / seconds), bytes };
  }

  it('streams 2,000,000 rows through csvStream with flat memory', { timeout: 180_000 }, async () => {
    const result = await measure(csvStream(fields, generated(ROW_COUNT)), ROW_COUNT);
    console.log(
      `csv: ${result.rowsPerSecond} rows/s, ${(result.bytes / 1e6).toFixed(0)} MB, RSS +${result.growthMb.toFixed(1)} MB`,
    );
    expect(result.bytes).toBeGreaterThan(ROW_COUNT * 20);
    expect(result.growthMb).toBeLessThan(150);
  });

  it('streams 2,000,000 rows through ndjsonStream with flat memory', { timeout: 180_000 }, async () => {
    const result = await measure(ndjsonStream(fields, generated(ROW_COUNT)), ROW_COUNT);
    console.log(
      `ndjson: ${result.rowsPerSecond} rows/s, ${(result.bytes / 1e6).toFixed(0)} MB, RSS +${result.growthMb.toFixed(1)} MB`,
    );
    expect(result.bytes).toBeGreaterThan(ROW_COUNT * 50);
    expect(result.growthMb).toBeLessThan(150);
  });

  it('streams rows through xlsxStream with bounded memory', { timeout: 180_000 }, async () => {
    // ExcelJS allocates heavily per row, so V8 keeps more heap reserved than for CSV; the bound is looser.
    const rows = 300_000;
    const result = await measure(xlsxStream(fields, generated(rows)), rows);
    console.log(
      `xlsx: ${result.rowsPerSecond} rows/s, ${(result.bytes / 1e6).toFixed(1)} MB, RSS +${result.growthMb.toFixed(1)} MB`,
    );
    expect(result.growthMb).toBeLessThan(300);
  });
});
