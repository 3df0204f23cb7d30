import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReadOptions, SourceInfo, SourceRow } from '../src/modules/datastore/datastore.model.ts';
import {
  detectCompression,
  detectFormat,
  openTableSource,
  ReadError,
} from '../src/modules/datastore/tabular/index.ts';
import { SHARED_DIR, sharedAvailable } from './support/shared.ts';
import { zip } from './support/zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'datapolis-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function file(name: string, content: string | Buffer): string {
  const path = join(dir, `${++counter}-${name}`);
  writeFileSync(path, content);
  return path;
}

async function read(path: string, options?: ReadOptions): Promise<{ info: SourceInfo; rows: SourceRow[] }> {
  const source = await openTableSource(path, options);
  const rows: SourceRow[] = [];
  for await (const row of source.rows) rows.push(row);
  return { info: source.info, rows };
}

/** The ReadError a read ends with, whether it comes while opening or while streaming rows. */
async function readError(path: string, options?: ReadOptions): Promise<ReadError> {
  try {
    await read(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ReadError);
    return error as ReadError;
  }
  throw new Error('the read did not fail');
}

function cells(rows: SourceRow[]): unknown[][] {
  return rows.map((row) => row.cells);
}

function numbers(rows: SourceRow[]): number[] {
  return rows.map((row) => row.rowNumber);
}

describe('format detection', () => {
  it('tells formats and compression from file names', () => {
    expect(detectFormat('a/b/table.csv')).toBe('csv');
    expect(detectFormat('table.CSV.gz')).toBe('csv');
    expect(detectFormat('table.tsv')).toBe('tsv');
    expect(detectFormat('book.xlsx')).toBe('xlsx');
    expect(detectFormat('rows.jsonl')).toBe('ndjson');
    expect(detectFormat('rows.ndjson')).toBe('ndjson');
    expect(detectFormat('map.geojson')).toBe('geojson');
    expect(detectFormat('table.json.zip')).toBe('json');
    expect(detectFormat('notes.pdf')).toBeUndefined();
    expect(detectCompression('table.csv.gz')).toBe('gz');
    expect(detectCompression('table.csv.zip')).toBe('zip');
    expect(detectCompression('table.csv')).toBe('none');
  });
});

describe('CSV', () => {
  it('reads labels, cells and Frictionless row numbers', async () => {
    const { info, rows } = await read(file('t.csv', 'id,name\n1,english\n2,中国人\n'));
    expect(info).toEqual({
      format: 'csv',
      encoding: 'utf-8',
      compression: 'none',
      delimiter: ',',
      labels: ['id', 'name'],
      headerRowNumber: 1,
    });
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['1', 'english'] },
      { rowNumber: 3, cells: ['2', '中国人'] },
    ]);
  });

  it('sniffs the delimiter among , ; tab and |', async () => {
    expect((await read(file('s.csv', 'a;b;c\n1;2;3\n'))).info.delimiter).toBe(';');
    expect((await read(file('t.csv', 'a\tb\n1\t2\n'))).info.delimiter).toBe('\t');
    expect((await read(file('p.csv', 'a|b\n1|2\n'))).info.delimiter).toBe('|');
    // Commas inside quotes do not count.
    const quoted = await read(file('q.csv', '"x,y";z\n"1,2";3\n"4,5";6\n'));
    expect(quoted.info.delimiter).toBe(';');
    expect(quoted.info.labels).toEqual(['x,y', 'z']);
    expect(cells(quoted.rows)).toEqual([
      ['1,2', '3'],
      ['4,5', '6'],
    ]);
    // A given delimiter wins; a .tsv file defaults to tabs.
    expect((await read(file('g.csv', 'a;b\n1;2\n'), { delimiter: ',' })).info.labels).toEqual(['a;b']);
    expect((await read(file('x.tsv', 'a,b\tc\n1,2\t3\n'))).info.labels).toEqual(['a,b', 'c']);
  });

  it('strips a UTF-8 BOM', async () => {
    const { info, rows } = await read(file('bom.csv', Buffer.from('\ufeffid,name\n1,a\n')));
    expect(info.labels).toEqual(['id', 'name']);
    expect(info.encoding).toBe('utf-8');
    expect(cells(rows)).toEqual([['1', 'a']]);
  });

  it('keeps newlines in quoted cells and counts a multi-line record as one row', async () => {
    const { rows } = await read(
      file('nl.csv', 'id,text\r\n1,"first\r\nsecond"\r\n2,"say ""hi"""\r\n3,plain\r\n'),
    );
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['1', 'first\r\nsecond'] },
      { rowNumber: 3, cells: ['2', 'say "hi"'] },
      { rowNumber: 4, cells: ['3', 'plain'] },
    ]);
  });

  it('yields blank lines as rows of empty cells', async () => {
    const { rows } = await read(file('blank.csv', 'a,b,c\n1,2,3\n\n,,\n4,5,6\n'));
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['1', '2', '3'] },
      { rowNumber: 3, cells: ['', '', ''] },
      { rowNumber: 4, cells: ['', '', ''] },
      { rowNumber: 5, cells: ['4', '5', '6'] },
    ]);
  });

  it('skips comment rows but keeps counting them', async () => {
    const { info, rows } = await read(file('c.csv', '# a note\nid,name\n1,a\n# another\n2,b\n'), {
      commentChar: '#',
    });
    expect(info.labels).toEqual(['id', 'name']);
    expect(info.headerRowNumber).toBe(2);
    expect(rows).toEqual([
      { rowNumber: 3, cells: ['1', 'a'] },
      { rowNumber: 5, cells: ['2', 'b'] },
    ]);
  });

  it('finds the header below a note as Frictionless does', async () => {
    const { info, rows } = await read(
      file(
        'countries.csv',
        '# clean this data!\nid,neighbor_id,name,population\n1,Ireland,Britain,67\n2,3,France,n/a,x\n5\n',
      ),
    );
    expect(info.headerRowNumber).toBe(2);
    expect(info.labels).toEqual(['id', 'neighbor_id', 'name', 'population']);
    expect(numbers(rows)).toEqual([3, 4, 5]);
    expect(rows[2]?.cells).toEqual(['5']);
  });

  it('reads without a header as field1, field2, ...', async () => {
    const { info, rows } = await read(file('nh.csv', '1,a\n2,b\n'), { header: false });
    expect(info.labels).toEqual(['field1', 'field2']);
    expect(info.headerRowNumber).toBe(0);
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['1', 'a'] },
      { rowNumber: 2, cells: ['2', 'b'] },
    ]);
  });

  it('honours an escape character next to doubled quotes, and skips spaces after delimiters', async () => {
    const text = 'ID, Test\n1, "Test line 1"\n2, "Test "" line 2"\n3, "Test \\" line 3"\n';
    const { info, rows } = await read(file('esc.csv', text), { escapeChar: '\\' });
    expect(info.labels).toEqual(['ID', 'Test']);
    expect(cells(rows)).toEqual([
      ['1', 'Test line 1'],
      ['2', 'Test " line 2'],
      ['3', 'Test " line 3'],
    ]);
  });

  it('reads a quote inside an unquoted cell as text', async () => {
    const { rows } = await read(file('rq.csv', 'a,b\n1,5" pipe\n'));
    expect(cells(rows)).toEqual([['1', '5" pipe']]);
  });

  it('refuses an unclosed quote', async () => {
    const error = await readError(file('uq.csv', 'a,b\n1,"open\n2,3\n'));
    expect(error.type).toBe('format-error');
    expect(error.message).toBe('a quoted cell in row 2 is never closed');
  });

  it('streams rows across many chunks with correct numbering', async () => {
    const lines = ['n,text'];
    for (let i = 1; i <= 30_000; i++)
      lines.push(i % 1000 === 0 ? `${i},"multi\nline ${i}"` : `${i},row ${i}`);
    const { rows } = await read(file('many.csv', `${lines.join('\n')}\n`));
    expect(rows).toHaveLength(30_000);
    expect(rows[29_999]).toEqual({ rowNumber: 30_001, cells: ['30000', 'multi\nline 30000'] });
    expect(rows.every((row, i) => row.rowNumber === i + 2 && row.cells[0] === String(i + 1))).toBe(true);
  });
});

describe('encodings', () => {
  // "北京" in GBK/GB18030.
  const beijing = Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]);
  const gbk = Buffer.concat([
    Buffer.from('city,pop\n'),
    beijing,
    Buffer.from(',21\n'),
    beijing,
    Buffer.from(',22\n'),
  ]);

  it('detects GB18030', async () => {
    const { info, rows } = await read(file('gbk.csv', gbk));
    expect(info.encoding).toBe('gb18030');
    expect(cells(rows)).toEqual([
      ['北京', '21'],
      ['北京', '22'],
    ]);
  });

  it('reads a declared GBK file', async () => {
    const { info, rows } = await read(file('gbk2.csv', gbk), { encoding: 'GBK' });
    expect(info.encoding).toBe('gbk');
    expect(rows[0]?.cells).toEqual(['北京', '21']);
  });

  it('refuses a GBK file declared as UTF-8 with the offending byte and offset', async () => {
    const error = await readError(file('gbk3.csv', gbk), { encoding: 'utf-8' });
    expect(error.type).toBe('encoding-error');
    expect(error.message).toBe(
      "the file is not valid utf-8: byte 0xb1 at offset 9 cannot be decoded (invalid start byte); give the file's encoding (for example windows-1252 or gb18030)",
    );
    expect(error.toValidationError()).toEqual({ type: 'encoding-error', message: error.message });
  });

  it('finds invalid UTF-8 far past the detection sample', async () => {
    const head = 'a,b\n'.padEnd(100_000, 'x');
    const body = Buffer.concat([Buffer.from(`${head}\n1,`), Buffer.from([0xe9]), Buffer.from('\n')]);
    const error = await readError(file('late.csv', body));
    expect(error.type).toBe('encoding-error');
    expect(error.message).toContain(`byte 0xe9 at offset ${Buffer.byteLength(head) + 3}`);
  });

  it('falls back to windows-1252', async () => {
    const { info, rows } = await read(
      file('latin.csv', Buffer.from([...Buffer.from('name\ncaf'), 0xe9, 0x0a])),
    );
    expect(info.encoding).toBe('windows-1252');
    expect(cells(rows)).toEqual([['café']]);
  });

  it('reads UTF-16 with a BOM', async () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,é\n', 'utf16le')]);
    const { info, rows } = await read(file('u16.csv', data));
    expect(info.encoding).toBe('utf-16le');
    expect(info.labels).toEqual(['a', 'b']);
    expect(cells(rows)).toEqual([['1', 'é']]);
  });

  it('keeps a multi-byte character split across chunks intact', async () => {
    const text = `a\n${'é'.repeat(200_000)}\n`;
    const { rows } = await read(file('split.csv', text));
    expect(rows[0]?.cells[0]).toBe('é'.repeat(200_000));
  });

  it('refuses an unknown encoding', async () => {
    const error = await readError(file('e.csv', 'a\n1\n'), { encoding: 'klingon' });
    expect(error.type).toBe('encoding-error');
    expect(error.message).toBe('the encoding "klingon" is not supported');
  });
});

describe('compression', () => {
  const csv = 'id,name\n1,english\n2,中国人\n';
  const expected = [
    { rowNumber: 2, cells: ['1', 'english'] },
    { rowNumber: 3, cells: ['2', '中国人'] },
  ];

  it('reads gzip', async () => {
    const path = file('t.csv.gz', gzipSync(csv));
    const source = await openTableSource(path);
    expect(source.info.compression).toBe('gz');
    const rows: SourceRow[] = [];
    for await (const row of source.rows) rows.push(row);
    expect(rows).toEqual(expected);
    expect(source.bytesRead()).toBe(gzipSync(csv).length);
  });

  it('reads the single file of a zip, or the first table in it', async () => {
    const one = await read(file('t.csv.zip', zip([{ name: 'inner/table.csv', data: Buffer.from(csv) }])));
    expect(one.info.compression).toBe('zip');
    expect(one.rows).toEqual(expected);
    const many = await read(
      file(
        'data.zip',
        zip([
          { name: 'README.txt~', data: Buffer.from('read me') },
          { name: 'rows.ndjson', data: Buffer.from('{"a":1}\n{"a":2}\n') },
        ]),
      ),
    );
    expect(many.info.format).toBe('ndjson');
    expect(cells(many.rows)).toEqual([[1], [2]]);
  });

  it('refuses an unknown compression', async () => {
    const error = await readError(file('t.csv', csv), { compression: 'bad' as never });
    expect(error.type).toBe('compression-error');
    expect(error.message).toBe('compression "bad" is not supported');
  });

  it('refuses a zip bomb from its declared sizes, before inflating it', async () => {
    const bomb = file(
      'bomb.csv.zip',
      zip([{ name: 'bomb.csv', data: Buffer.alloc(64 * 1024 * 1024, 0x30) }]),
    );
    const error = await readError(bomb);
    expect(error.type).toBe('compression-error');
    expect(error.message).toMatch(
      /^"bomb\.csv" in the archive decompresses \d+ times its compressed size \(at most 200 is accepted\): it looks like a zip bomb$/,
    );
    const capped = await readError(file('big.csv.zip', zip([{ name: 'a.csv', data: Buffer.from(csv) }])), {
      limits: { maxDecompressedBytes: 10 },
    });
    expect(capped.message).toBe(
      '"a.csv" in the archive declares 30 decompressed bytes; at most 10 are accepted',
    );
  });

  it('stops a zip entry that inflates past what it declares', async () => {
    const data = Buffer.from(`a\n${'1\n'.repeat(50_000)}`);
    const error = await readError(
      file('liar.csv.zip', zip([{ name: 'liar.csv', data, declaredSize: 1000 }])),
    );
    expect(error.type).toBe('compression-error');
    expect(error.message).toMatch(/^"liar\.csv" cannot be decompressed: /);
  });

  it('stops a gzip bomb while it streams', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x30));
    const error = await readError(file('bomb.csv.gz', bomb));
    expect(error.type).toBe('compression-error');
    expect(error.message).toBe(
      'the gzip file decompresses more than 200 times its compressed size: it looks like a zip bomb',
    );
    const capped = await readError(file('cap.csv.gz', gzipSync(`a\n${'1\n'.repeat(1000)}`)), {
      limits: { maxDecompressedBytes: 100 },
    });
    expect(capped.message).toBe('the gzip file decompresses to more than 100 bytes, the most accepted');
  });

  it('reports a corrupt gzip file', async () => {
    const data = gzipSync(csv);
    data[15] = 0xff;
    data[16] = 0xff;
    const error = await readError(file('bad.csv.gz', data.subarray(0, 20)));
    expect(error.type).toBe('compression-error');
  });
});

describe('limits and hostile files', () => {
  it('refuses more columns than the limit', async () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    const error = await readError(file('wide.csv', `${header}\n`));
    expect(error.type).toBe('format-error');
    expect(error.message).toBe('the table has 10000 columns; at most 1000 are accepted');
  });

  it('refuses a very long line quickly, without buffering it whole', async () => {
    const path = file('long.csv', Buffer.alloc(20 * 1024 * 1024, 0x61));
    const source = await openTableSource(path, { limits: { maxCellBytes: 1024 * 1024 } }).catch((e) => e);
    expect(source).toBeInstanceOf(ReadError);
    expect((source as ReadError).type).toBe('format-error');
    expect((source as ReadError).message).toBe(
      'row 1 has a line or cell longer than 1048576 bytes, the most accepted',
    );
  });

  it('stops a long line of empty cells on the column limit', async () => {
    const error = await readError(file('commas.csv', `a\n${','.repeat(5 * 1024 * 1024)}\n`));
    expect(error.type).toBe('format-error');
    expect(error.message).toMatch(/^the table has more than \d+ columns; at most 1000 are accepted$/);
  });

  it('refuses an empty file', async () => {
    const error = await readError(file('empty.csv', ''));
    expect(error.type).toBe('source-error');
    expect(error.message).toBe('the source is empty');
    expect((await readError(file('empty.csv.gz', gzipSync('')))).message).toBe('the source is empty');
  });

  it('refuses a missing file', async () => {
    const error = await readError(join(dir, 'nope.csv'));
    expect(error.type).toBe('source-error');
    expect(error.message).toBe('the source "nope.csv" does not exist');
  });

  it('refuses a binary file named .csv', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      randomBytes(4096),
    ]);
    const error = await readError(file('image.csv', png));
    expect(error.type).toBe('format-error');
    expect(error.message).toBe('the file looks binary, not CSV text');
    const json = await readError(file('noise.json', Buffer.concat([Buffer.from('[1,'), Buffer.alloc(10)])));
    expect(json.message).toBe('the file looks binary, not JSON text');
  });

  it('counts bytes read and releases the file when closed early', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},x`);
    const path = file('early.csv', `${lines.join('\n')}\n`);
    const source = await openTableSource(path);
    let seen = 0;
    for await (const _ of source.rows) if (++seen === 10) break;
    expect(seen).toBe(10);
    expect(source.bytesRead()).toBeGreaterThan(0);
    expect(source.bytesRead()).toBeLessThan(2_000_000);
    await source.close();
    // A source never iterated closes as well.
    const other = await openTableSource(path);
    await other.close();
  });
});

describe('JSON, NDJSON and GeoJSON', () => {
  it('reads an array of arrays', async () => {
    const { info, rows } = await read(file('t.json', '[["id","name"],[1,"english"],[2,"中国人"]]'));
    expect(info.format).toBe('json');
    expect(info.labels).toEqual(['id', 'name']);
    expect(rows).toEqual([
      { rowNumber: 2, cells: [1, 'english'] },
      { rowNumber: 3, cells: [2, '中国人'] },
    ]);
  });

  it('reads an array of objects by the first object keys', async () => {
    const text = '[{"id":1,"name":"a","tags":["x"]},\n{"name":"b","id":2,"extra":true},\n{"id":3}]';
    const { info, rows } = await read(file('k.json', text));
    expect(info.labels).toEqual(['id', 'name', 'tags']);
    expect(rows).toEqual([
      { rowNumber: 2, cells: [1, 'a', ['x']] },
      { rowNumber: 3, cells: [2, 'b', null] },
      { rowNumber: 4, cells: [3, null, null] },
    ]);
  });

  it('keeps brackets and commas inside strings', async () => {
    const text = '[["a"],["x]\\"},["],[{"k":"[,]"}]]';
    const { rows } = await read(file('s.json', text));
    expect(cells(rows)).toEqual([['x]"},['], [{ k: '[,]' }]]);
  });

  it('reads NDJSON of objects and of arrays', async () => {
    const objects = await read(file('t.ndjson', '{"id":1,"name":"english"}\n{"id":2,"name":"中国人"}\n'));
    expect(objects.info.format).toBe('ndjson');
    expect(objects.info.labels).toEqual(['id', 'name']);
    expect(objects.rows).toEqual([
      { rowNumber: 2, cells: [1, 'english'] },
      { rowNumber: 3, cells: [2, '中国人'] },
    ]);
    const arrays = await read(file('a.jsonl', '["id","v"]\r\n[1,true]\r\n\r\n[2,false]\r\n'));
    expect(arrays.info.labels).toEqual(['id', 'v']);
    expect(cells(arrays.rows)).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('names the line of broken NDJSON', async () => {
    const error = await readError(file('b.ndjson', '{"a":1}\n{"a":2\n{"a":3}\n'));
    expect(error.type).toBe('format-error');
    expect(error.message).toMatch(/^the line at line 2 is not valid JSON: /);
  });

  it('refuses broken JSON with its line', async () => {
    const missingComma = await readError(file('m.json', '[["a"],\n[1]\n[2]]'));
    expect(missingComma.message).toBe('the JSON lacks a comma between items at line 3');
    const truncated = await readError(file('t.json', '[["a"],\n[1],\n[2'));
    expect(truncated.message).toBe('the JSON ends unexpectedly at line 3: it is incomplete');
    const badItem = await readError(file('i.json', '[["a"],\n[tru]]'));
    expect(badItem.message).toMatch(/^the item at line 2 is not valid JSON: /);
  });

  const geojson = JSON.stringify({
    type: 'FeatureCollection',
    name: 'stops',
    features: [
      {
        type: 'Feature',
        properties: { id: 1, name: 'Gare' },
        geometry: { type: 'Point', coordinates: [2.35, 48.85] },
      },
      { type: 'Feature', properties: { name: 'Quai', line: 'B' }, geometry: null },
    ],
    crs: { type: 'name', properties: { name: 'EPSG:4326' } },
  });

  it('reads GeoJSON features as rows with a geometry cell', async () => {
    const { info, rows } = await read(file('stops.geojson', geojson));
    expect(info.format).toBe('geojson');
    expect(info.labels).toEqual(['id', 'name', 'line', 'geometry']);
    expect(rows).toEqual([
      { rowNumber: 2, cells: [1, 'Gare', null, { type: 'Point', coordinates: [2.35, 48.85] }] },
      { rowNumber: 3, cells: [null, 'Quai', 'B', null] },
    ]);
    // A .json file holding a FeatureCollection reads the same way.
    expect((await read(file('stops.json', geojson))).info.format).toBe('geojson');
  });

  it('takes GeoJSON labels from the first 100 features only', async () => {
    const features = Array.from({ length: 150 }, (_, i) => ({
      type: 'Feature',
      properties: i === 40 ? { id: i, early: 'e' } : i === 120 ? { id: i, late: 'l' } : { id: i },
      geometry: null,
    }));
    const { info, rows } = await read(
      file('many.geojson', JSON.stringify({ type: 'FeatureCollection', features })),
    );
    expect(info.labels).toEqual(['id', 'early', 'geometry']);
    expect(rows).toHaveLength(150);
    expect(rows[40]).toEqual({ rowNumber: 42, cells: [40, 'e', null] });
    expect(rows[120]).toEqual({ rowNumber: 122, cells: [120, null, null] });
  });

  it('refuses broken GeoJSON and GeoJSON without features', async () => {
    const broken = await readError(file('broken.geojson', geojson.slice(0, 120)));
    expect(broken.type).toBe('format-error');
    expect(broken.message).toBe('the JSON ends unexpectedly at line 1: it is incomplete');
    const feature = await readError(
      file('one.geojson', '{"type":"Feature","properties":{},"geometry":null}'),
    );
    expect(feature.message).toBe('the GeoJSON has no "features" array: it is not a FeatureCollection');
    const mismatched = await readError(
      file('mm.geojson', '{"type":"FeatureCollection",\n"features":[{"a":1]]}'),
    );
    expect(mismatched.message).toBe('the JSON has an unexpected "]" at line 2');
  });
});

describe('XLSX', () => {
  async function workbook(name: string): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const people = wb.addWorksheet('People');
    people.addRow(['id', 'name', 'born', 'active', 'double']);
    people.addRow([1, 'Ann', new Date(Date.UTC(1990, 0, 2)), true, { formula: 'A2*2', result: 2 }]);
    people.addRow([
      2,
      { richText: [{ text: 'Bo' }, { font: { bold: true }, text: 'b' }] },
      new Date(Date.UTC(2020, 4, 6, 7, 8, 9)),
      false,
      { formula: 'A3*2', result: 4 },
    ]);
    // Row 4 stays empty.
    people.getRow(5).values = [3, 'Cy'];
    const second = wb.addWorksheet('Second');
    second.addRow(['x']);
    second.addRow([42]);
    const path = join(dir, `${++counter}-${name}`);
    await wb.xlsx.writeFile(path);
    return path;
  }

  it('streams the first sheet with typed cells and blank rows', async () => {
    const { info, rows } = await read(await workbook('book.xlsx'));
    expect(info).toEqual({
      format: 'xlsx',
      encoding: null,
      compression: 'none',
      delimiter: null,
      labels: ['id', 'name', 'born', 'active', 'double'],
      headerRowNumber: 1,
    });
    expect(rows).toEqual([
      { rowNumber: 2, cells: [1, 'Ann', '1990-01-02', true, 2] },
      { rowNumber: 3, cells: [2, 'Bob', '2020-05-06T07:08:09', false, 4] },
      { rowNumber: 4, cells: [null, null, null, null, null] },
      { rowNumber: 5, cells: [3, 'Cy', null, null, null] },
    ]);
  });

  it('selects a sheet by index or name and names a missing one', async () => {
    const path = await workbook('sheets.xlsx');
    const byIndex = await read(path, { sheet: 2 });
    expect(byIndex.info.labels).toEqual(['x']);
    expect(byIndex.rows).toEqual([{ rowNumber: 2, cells: [42] }]);
    expect((await read(path, { sheet: 'Second' })).info.labels).toEqual(['x']);
    const missing = await readError(path, { sheet: 3 });
    expect(missing.type).toBe('format-error');
    expect(missing.message).toBe(`Excel document "${path.split('/').pop()}" does not have a sheet "3"`);
    expect((await readError(path, { sheet: 'bad' })).message).toMatch(/does not have a sheet "bad"$/);
  });

  it('refuses an XLSX zip bomb from its central directory', async () => {
    const started = Date.now();
    const bomb = file(
      'bomb.xlsx',
      zip([
        { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(64 * 1024 * 1024, 0x20) },
      ]),
    );
    const error = await readError(bomb);
    expect(error.type).toBe('compression-error');
    expect(error.message).toMatch(
      /^the XLSX part "xl\/worksheets\/sheet1\.xml" decompresses \d+ times its compressed size \(at most 200 is accepted\): it looks like a zip bomb$/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    const capped = await readError(await workbook('cap.xlsx'), { limits: { maxDecompressedBytes: 1000 } });
    expect(capped.type).toBe('compression-error');
    expect(capped.message).toMatch(
      /^the XLSX part ".+" declares \d+ decompressed bytes; at most 1000 are accepted$/,
    );
  });

  it('refuses a file that is not a zip', async () => {
    const error = await readError(file('fake.xlsx', 'id,name\n1,a\n'));
    expect(error.type).toBe('format-error');
    expect(error.message).toMatch(/is not an XLSX document: it is not a zip archive$/);
  });
});

describe.skipIf(!sharedAvailable)('Frictionless fixtures: parsing and dialect edge cases', () => {
  const data = (name: string) => join(SHARED_DIR, 'fixtures/frictionless/data', name);
  const table = [
    { rowNumber: 2, cells: ['1', 'english'] },
    { rowNumber: 3, cells: ['2', '中国人'] },
  ];
  const typed = [
    { rowNumber: 2, cells: [1, 'english'] },
    { rowNumber: 3, cells: [2, '中国人'] },
  ];

  it.each(['table.json', 'table.jsonl', 'table.ndjson', 'table.keyed.json', 'table.xlsx'])(
    'reads %s as id,name',
    async (name) => {
      const { info, rows } = await read(data(name));
      expect(info.labels).toEqual(['id', 'name']);
      expect(rows).toEqual(typed);
    },
  );

  it.each(['bom.csv', 'delimiter.csv', 'table.csv.gz', 'table.csv.zip'])(
    'reads %s as table.csv',
    async (name) => {
      const { info, rows } = await read(data(name));
      expect(info.labels).toEqual(['id', 'name']);
      expect(rows).toEqual(table);
    },
  );

  it('delimiter.csv uses ;', async () => {
    expect((await read(data('delimiter.csv'))).info.delimiter).toBe(';');
  });

  it('skip-rows.csv with commentChar #', async () => {
    const { info, rows } = await read(data('skip-rows.csv'), { commentChar: '#' });
    expect(info.labels).toEqual(['id', 'name']);
    expect(cells(rows)).toEqual([
      ['1', 'english'],
      ['2', '中国人'],
    ]);
    expect(numbers(rows)).toEqual([3, 5]);
  });

  it('table-unicode-headers.csv', async () => {
    expect((await read(data('table-unicode-headers.csv'))).info.labels).toEqual(['id', '国人']);
  });

  it('doublequote.csv has 17 fields and 5 rows', async () => {
    const { info, rows } = await read(data('doublequote.csv'));
    expect(info.labels).toHaveLength(17);
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.cells.length === 17)).toBe(true);
  });

  it('escaping.csv with escapeChar', async () => {
    const { info, rows } = await read(data('escaping.csv'), { escapeChar: '\\' });
    expect(info.labels).toEqual(['ID', 'Test']);
    expect(cells(rows)).toEqual([
      ['1', 'Test line 1'],
      ['2', 'Test " line 2'],
      ['3', 'Test " line 3'],
    ]);
  });

  it('countries.csv: the header is row 2', async () => {
    const { info, rows } = await read(data('countries.csv'));
    expect(info.headerRowNumber).toBe(2);
    expect(info.labels).toEqual(['id', 'neighbor_id', 'name', 'population']);
    expect(numbers(rows)).toEqual([3, 4, 5, 6, 7]);
    expect(rows[1]?.cells).toHaveLength(5);
    expect(rows[4]?.cells).toEqual(['5']);
  });

  it('sheet2.xlsx and sheets.xlsx: sheet selection and a missing sheet', async () => {
    const second = await read(data('sheet2.xlsx'), { sheet: 2 });
    expect(second.info.labels).toEqual(['id', 'name']);
    expect(second.rows).toEqual(typed);
    const byName = await read(data('sheets.xlsx'), { sheet: 'Sheet2' });
    expect(byName.rows).toEqual([{ rowNumber: 2, cells: [2, 'paris'] }]);
    const missing = await readError(data('sheets.xlsx'), { sheet: 4 });
    expect(missing.type).toBe('format-error');
    expect(missing.message).toBe('Excel document "sheets.xlsx" does not have a sheet "4"');
    const none = await readError(data('sheet2.xlsx'), { sheet: 3 });
    expect(none.message).toBe('Excel document "sheet2.xlsx" does not have a sheet "3"');
  });

  it('issue-312.xlsx: blank labels padded to the sheet width and a blank row 5', async () => {
    const { info, rows } = await read(data('issue-312.xlsx'));
    expect(info.labels).toEqual(['id', 'name', '', 'name', '']);
    expect(numbers(rows)).toEqual([2, 3, 4, 5, 6]);
    expect(rows[3]?.cells).toEqual([null, null, null, null, null]);
  });

  it('latin1.csv: auto-detected, and an encoding-error when utf-8 is forced', async () => {
    const detected = await read(data('latin1.csv'));
    expect(detected.rows[1]?.cells).toEqual(['2', '©']);
    const error = await readError(data('latin1.csv'), { encoding: 'utf-8' });
    expect(error.type).toBe('encoding-error');
    expect(error.message).toMatch(/^the file is not valid utf-8: byte 0xa9 at offset 20 cannot be decoded/);
  });

  it('encoding-issue-274.csv reads as utf-8', async () => {
    const { rows } = await read(data('encoding-issue-274.csv'), { encoding: 'utf-8' });
    expect(rows.length).toBeGreaterThan(0);
  });

  it('blank-rows.csv and structure-errors.csv keep their physical numbers', async () => {
    const blank = await read(data('blank-rows.csv'));
    expect(blank.rows[2]).toEqual({ rowNumber: 4, cells: ['', '', ''] });
    const structure = await read(data('structure-errors.csv'));
    expect(structure.rows[3]).toEqual({ rowNumber: 5, cells: ['1', '2', '3', '4', '5', '6'] });
  });
});
