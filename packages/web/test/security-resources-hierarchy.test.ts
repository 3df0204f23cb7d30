import { describe, expect, it } from 'vitest';
import { readHierarchyFile, readHierarchyText } from '../src/features/security-resources/hierarchy-file.ts';

describe('a hierarchy file read in the browser', () => {
  it('reads the value, its levels and the delimiter, without the byte-order mark', () => {
    const read = readHierarchyText(
      '\uFEFF东城区;核心区;北京市;*\n西城区;核心区;北京市;*\r\n朝阳区;城六区;北京市;*\n\n',
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.file).toMatchObject({ delimiter: ';', levels: 4, values: 3 });
    expect(read.file.csv.startsWith('东城区')).toBe(true);
    expect(read.file.preview[0]).toEqual(['东城区', '核心区', '北京市', '*']);
  });

  it('honours quoted cells and commas', () => {
    const read = readHierarchyText('"Paris, 1er",Paris,*\n"Paris, 2e",Paris,*\n');
    expect(read.ok && read.file.preview.map((r) => r[0])).toEqual(['Paris, 1er', 'Paris, 2e']);
  });

  it('says what is wrong with a broken file', () => {
    expect(readHierarchyText('  \n')).toEqual({ ok: false, problem: { code: 'empty' } });
    expect(readHierarchyText('a\nb\n')).toEqual({ ok: false, problem: { code: 'oneColumn' } });
    expect(readHierarchyText('a;x;*\nb;x\n')).toEqual({
      ok: false,
      problem: { code: 'ragged', line: 2, columns: 2, expected: 3 },
    });
    expect(readHierarchyText('a;x;*\na;y;*\n')).toEqual({
      ok: false,
      problem: { code: 'conflict', value: 'a' },
    });
    // x generalises to both P and Q: not a tree.
    expect(readHierarchyText('a;x;P\nb;x;Q\n')).toEqual({
      ok: false,
      problem: { code: 'notTree', value: 'x', level: 1 },
    });
  });

  it('reads UTF-8 files and GB18030 ones as spreadsheets save them', async () => {
    const utf8 = await readHierarchyFile(new Blob(['海淀区,北京市\n'], { type: 'text/csv' }));
    expect(utf8.ok && utf8.file.preview[0]).toEqual(['海淀区', '北京市']);
    // 海淀区,北京市 in GB18030.
    const gb = new Uint8Array([
      0xba, 0xa3, 0xb5, 0xed, 0xc7, 0xf8, 0x2c, 0xb1, 0xb1, 0xbe, 0xa9, 0xca, 0xd0, 0x0a,
    ]);
    const read = await readHierarchyFile(new Blob([gb]));
    expect(read.ok && read.file.preview[0]).toEqual(['海淀区', '北京市']);
  });
});
