// Sensitive-data discovery: the identifier validators on valid and invalid examples, context words,
// masking, proposals, whole-table scans and files that are not tables.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCreditCheck } from '../src/lib/credit-code.ts';
import {
  addressKind,
  type ColumnScan,
  chineseNameKind,
  createColumnScanner,
  isBankCard,
  isCoordinatePair,
  isCreditCode,
  isEmail,
  isIpv4,
  isIpv6,
  isMobile,
  isPreciseDegree,
  isResidentId,
  isVehiclePlate,
  maskValue,
  passportKind,
  ScanError,
  type ScanReport,
  scanFile,
} from '../src/modules/security/index.ts';

/** Completes 17 digits with the ISO 7064 MOD 11-2 check character, computed here independently. */
function withIdCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return first17 + '10X98765432'[sum % 11]!;
}

/** Completes digits with their Luhn check digit. */
function withLuhn(body: string): string {
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

/** Replaces the last character by another one of the same class. */
function wrongLast(value: string): string {
  const last = value.at(-1)!;
  const other = last === '1' ? '2' : last === 'X' ? '0' : /\d/.test(last) ? '1' : 'X';
  return value.slice(0, -1) + other;
}

function column(report: ScanReport, name: string): ColumnScan {
  const found = report.columns.find((c) => c.name === name);
  expect(found, `column ${name}`).toBeDefined();
  return found!;
}

function scanColumn(
  name: string,
  values: readonly unknown[],
  extra: { title?: string; description?: string } = {},
) {
  const scanner = createColumnScanner([{ name, ...extra }]);
  for (const value of values) scanner.add([value]);
  return scanner.result().columns[0]!;
}

describe('resident identity numbers', () => {
  it('accepts numbers whose check character and birth date are valid', () => {
    expect(isResidentId('11010519491231002X')).toBe(true); // the example of GB 11643-1999
    expect(isResidentId('11010519491231002x')).toBe(true);
    expect(isResidentId(withIdCheck('44030819990110151'))).toBe(true);
    expect(isResidentId(withIdCheck('31011520000229123'))).toBe(true); // 29 February of a leap year
  });

  it('refuses a wrong check character', () => {
    expect(isResidentId('110105194912310021')).toBe(false);
    expect(isResidentId(wrongLast(withIdCheck('44030819990110151')))).toBe(false);
  });

  it('refuses impossible and future birth dates even with a right check character', () => {
    expect(isResidentId(withIdCheck('11010519990230123'))).toBe(false); // 30 February
    expect(isResidentId(withIdCheck('11010519990229123'))).toBe(false); // 1999 is not a leap year
    expect(isResidentId(withIdCheck('11010519991301123'))).toBe(false); // month 13
    expect(isResidentId(withIdCheck('11010518891231123'))).toBe(false); // before 1900
    const nextYear = new Date().getFullYear() + 1;
    expect(isResidentId(withIdCheck(`110105${nextYear}0101123`))).toBe(false); // not born yet
  });

  it('refuses an implausible region, a wrong length and letters', () => {
    expect(isResidentId(withIdCheck('99010519491231002'))).toBe(false);
    expect(isResidentId(withIdCheck('00010519491231002'))).toBe(false);
    expect(isResidentId('11010519491231002')).toBe(false);
    expect(isResidentId('1101051949123100X2')).toBe(false);
  });
});

describe('unified social credit codes', () => {
  it('accepts a right check character and refuses a wrong one', () => {
    const code = withCreditCheck('91110000600037341');
    expect(isCreditCode(code)).toBe(true);
    expect(isCreditCode(wrongLast(code))).toBe(false);
    expect(isCreditCode(withCreditCheck('12100000400010398'))).toBe(true);
    // A registration authority that does not exist (0), letters outside the alphabet (I, O, S, V, Z).
    expect(isCreditCode(withCreditCheck('01110000600037341'))).toBe(false);
    expect(isCreditCode('91110000600037341I')).toBe(false);
  });
});

describe('bank cards', () => {
  it('accepts Luhn-valid numbers with a plausible issuer', () => {
    expect(isBankCard('4111111111111111')).toBe(true);
    expect(isBankCard(withLuhn('622202100112345678'))).toBe(true); // 19-digit UnionPay
    expect(isBankCard(withLuhn('621700000000123'))).toBe(true);
    expect(isBankCard('4111 1111 1111 1111')).toBe(true);
    expect(isBankCard('4111-1111-1111-1111')).toBe(true);
  });

  it('refuses a bad Luhn digit, an implausible issuer and wrong lengths', () => {
    expect(isBankCard('4111111111111112')).toBe(false);
    expect(isBankCard(wrongLast(withLuhn('622202100112345678')))).toBe(false);
    expect(isBankCard(withLuhn('123456781234567'))).toBe(false); // issuer 1
    expect(isBankCard(withLuhn('81234567812345'))).toBe(false); // issuer 8
    expect(isBankCard(withLuhn('41111111111'))).toBe(false); // 12 digits
    expect(isBankCard(withLuhn('4111111111111111111'))).toBe(false); // 20 digits
    expect(isBankCard('4111  1111 1111 1111')).toBe(false);
  });
});

describe('mobile numbers, e-mail, passports, plates, IP addresses, coordinates', () => {
  it('mobile numbers', () => {
    for (const valid of [
      '13800138000',
      '19912345678',
      '+8613800138000',
      '+86 138 0013 8000',
      '0086-139-1234-5678',
      '166-1234-5678',
    ])
      expect(isMobile(valid), valid).toBe(true);
    for (const invalid of [
      '12345678901',
      '1380013800',
      '138001380001',
      '15412345678',
      '23800138000',
      '+85213800138000',
      '138--00138000',
      '13800138000-',
    ])
      expect(isMobile(invalid), invalid).toBe(false);
  });

  it('e-mail addresses', () => {
    for (const valid of ['zhang.san@example.com', '12345@qq.com', 'a+b@mail.gov.cn'])
      expect(isEmail(valid), valid).toBe(true);
    for (const invalid of [
      'zhang@',
      '@example.com',
      'zhang san@example.com',
      'zhang@example',
      'zhang@-ex.com',
      'a@b.c',
    ])
      expect(isEmail(invalid), invalid).toBe(false);
  });

  it('passports: PRC patterns score above the generic one', () => {
    expect(passportKind('E12345678')).toBe(2);
    expect(passportKind('G12345678')).toBe(2);
    expect(passportKind('EA1234567')).toBe(2);
    expect(passportKind('D1234567')).toBe(1);
    expect(passportKind('SE1234567')).toBe(1);
    expect(passportKind('K1234567')).toBe(0.5);
    expect(passportKind('EI1234567')).toBe(0.5); // no I in the second place of a PRC number
    for (const invalid of ['E1234567X', 'ABC123456', 'e12345678', 'E123456', '123456789'])
      expect(passportKind(invalid), invalid).toBe(0);
  });

  it('vehicle plates, including new-energy ones', () => {
    for (const valid of ['京A12345', '粤B8888挂', '沪AD12345', '浙A12345F', '苏E·9X7Y6'])
      expect(isVehiclePlate(valid), valid).toBe(true);
    for (const invalid of ['京I12345', '哈A12345', '京A1234', '京A1234567', '京a12345', '沪AX12345'])
      expect(isVehiclePlate(invalid), invalid).toBe(false);
  });

  it('IPv4 and IPv6 addresses', () => {
    expect(isIpv4('192.168.1.20')).toBe(true);
    expect(isIpv4('256.1.1.1')).toBe(false);
    expect(isIpv4('1.2.3')).toBe(false);
    expect(isIpv6('2001:db8::8a2e:370:7334')).toBe(true);
    expect(isIpv6('::1')).toBe(true);
    expect(isIpv6('12:30:45')).toBe(false);
    expect(isIpv6('2024-01-01 12:30:00')).toBe(false);
  });

  it('precise coordinates: pairs and single degrees with four decimals or more', () => {
    for (const valid of [
      '39.9042,116.4074',
      '39.9042, 116.4074',
      '116.40741 39.90421',
      '(39.9042,116.4074)',
      '-33.8688,151.2093',
    ])
      expect(isCoordinatePair(valid), valid).toBe(true);
    for (const invalid of [
      '39.904,116.407',
      '39.9042;116.4074',
      '139.9042,116.4074',
      '39.9042,116.4074)',
      '2024.0101,12.3456',
    ])
      expect(isCoordinatePair(invalid), invalid).toBe(false);
    expect(isPreciseDegree('39.9042', 90)).toBe(true);
    expect(isPreciseDegree('116.4074', 90)).toBe(false);
    expect(isPreciseDegree('116.4074', 180)).toBe(true);
    expect(isPreciseDegree('39.904', 90)).toBe(false);
  });

  it('Chinese names and street addresses', () => {
    expect(chineseNameKind('张三')).toBe(1);
    expect(chineseNameKind('王小明')).toBe(1);
    expect(chineseNameKind('欧阳娜娜')).toBe(2);
    expect(chineseNameKind('司马光')).toBe(2);
    expect(chineseNameKind('王府井')).toBe(0); // a place: ends like one
    expect(chineseNameKind('天安门广场')).toBe(0); // too long, no surname
    expect(chineseNameKind('张')).toBe(0);
    expect(chineseNameKind('Zhang')).toBe(0);
    expect(addressKind('北京市朝阳区建国路88号')).toBe(2);
    expect(addressKind('浙江省杭州市西湖区文三路')).toBe(1);
    expect(addressKind('建国路88号院3号楼')).toBe(1);
    expect(addressKind('北京市朝阳区')).toBe(0); // a district is not an address
    expect(addressKind('市场监督管理局')).toBe(0);
  });
});

describe('masking', () => {
  it('hides the identifying part of each kind of value', () => {
    expect(maskValue('resident-id', '11010519491231002X')).toBe('110105********002X');
    expect(maskValue('mobile', '13800138000')).toBe('138****8000');
    expect(maskValue('mobile', '+86 138-0013-8000')).toBe('+86 138-****-8000');
    expect(maskValue('email', 'zhang.san@example.com')).toBe('z********@example.com');
    expect(maskValue('bank-card', '6222021001123456785')).toBe('6222***********6785');
    expect(maskValue('passport', 'E12345678')).toBe('E******78');
    expect(maskValue('vehicle-plate', '京A12345')).toBe('京A*****');
    expect(maskValue('ipv4', '192.168.1.20')).toBe('192.168.*.*');
    expect(maskValue('ipv6', '2001:db8::1')).toBe('2001:db8:*');
    expect(maskValue('coordinates', '39.904211,116.407413')).toBe('39.90****,116.40****');
    expect(maskValue('person-name', '欧阳娜娜')).toBe('欧***');
    expect(maskValue('address', '北京市朝阳区建国路88号')).toBe('北京市朝********');
    expect(maskValue('credit-code', withCreditCheck('91110000600037341'))).toMatch(/^911100\*{10}\w{2}$/);
  });

  it('never shows an example unmasked in a scan', () => {
    const ids = [withIdCheck('44030819990110151'), withIdCheck('31011520000229123')];
    const scan = scanColumn('id', ids);
    expect(scan.findings[0]!.examples).toEqual(ids.map((id) => maskValue('resident-id', id)));
    for (const id of ids) expect(JSON.stringify(scan)).not.toContain(id);
  });
});

describe('context and confidence', () => {
  const phones = ['13800138000', '13912345678', '18612345678', '15098765432'];

  it('raises the confidence of the same values when the column says what they are', () => {
    const bare = scanColumn('code', phones).findings[0]!;
    const named = scanColumn('手机号码', phones).findings[0]!;
    const titled = scanColumn('c3', phones, { title: 'Contact phone' }).findings[0]!;
    expect(bare.recognizer).toBe('mobile');
    expect(named.confidence).toBeGreaterThan(bare.confidence);
    expect(titled.confidence).toBe(named.confidence);
    // Latin words inside Chinese names count as words: 登录IP is an IP column.
    const ips = ['10.0.0.1', '192.168.1.20'];
    expect(scanColumn('登录IP', ips).findings[0]!.confidence).toBeGreaterThan(
      scanColumn('登录', ips).findings[0]!.confidence,
    );
  });

  it('needs the context to say a column holds names', () => {
    const names = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆'];
    expect(scanColumn('words', names).holds).toBeUndefined();
    expect(scanColumn('申请人', names).holds).toBe('person-name');
    expect(scanColumn('contactName', names).holds).toBe('person-name');
    expect(scanColumn('name', names).holds).toBe('person-name');
    // "name" inside another field's name is not context: station names are not people.
    expect(scanColumn('station_name', names).holds).toBeUndefined();
  });

  it('reads single degrees as coordinates only in a latitude or longitude column', () => {
    const lat = [39.904211, 31.230416, 22.543099];
    expect(scanColumn('纬度', lat).holds).toBe('coordinates');
    expect(scanColumn('latitude', lat.map(String)).holds).toBe('coordinates');
    expect(scanColumn('price', lat).findings).toEqual([]);
    // Two decimals are a district, not a door.
    expect(scanColumn('lat', [39.9, 31.23]).findings).toEqual([]);
  });

  it('lets the share of matching values lower the confidence', () => {
    const id = withIdCheck('44030819990110151');
    const full = scanColumn('x', [id, id, id, id]).findings[0]!;
    const quarter = scanColumn('x', [id, 'a', 'b', 'c']).findings[0]!;
    expect(full.share).toBe(1);
    expect(quarter.share).toBe(0.25);
    expect(quarter.confidence).toBeLessThan(full.confidence);
    expect(full.confidence).toBeLessThanOrEqual(1);
  });
});

describe('every recogniser through the scanner', () => {
  it('says what each column holds', () => {
    const cases: [string, unknown[], string][] = [
      [
        '证件号码',
        ['11010519491231002X', withIdCheck('44030819990110151'), withIdCheck('31011520000229123')],
        'resident-id',
      ],
      [
        'credit_code',
        [
          withCreditCheck('91110000600037341'),
          withCreditCheck('12100000400010398'),
          withCreditCheck('91310115MA1K3ABC1'),
        ],
        'credit-code',
      ],
      ['mobile', [13800138000, '+86 139 1234 5678', '18612345678'], 'mobile'],
      ['email', ['zhang@example.com', '12345@qq.com', 'li.si@mail.gov.cn'], 'email'],
      ['银行卡号', ['4111111111111111', withLuhn('622202100112345678'), '4111 1111 1111 1111'], 'bank-card'],
      ['护照号码', ['E12345678', 'EA1234567', 'G87654321'], 'passport'],
      ['车牌', ['京A12345', '沪AD12345', '粤B·8888挂'], 'vehicle-plate'],
      ['client_ip', ['192.168.1.20', '10.0.0.1', '172.16.254.3'], 'ipv4'],
      ['remote address', ['2001:DB8::8A2E:370:7334', 'fe80::1', '2001:db8:85a3::8a2e:370:7334'], 'ipv6'],
      ['经纬度', ['39.9042,116.4074', '31.2304, 121.4737', '(22.5431,114.0579)'], 'coordinates'],
      ['联系人', ['张伟', '欧阳娜娜', '王小明'], 'person-name'],
      ['家庭住址', ['北京市朝阳区建国路88号', '上海市浦东新区世纪大道100号', '建国路88号院3号楼'], 'address'],
    ];
    for (const [name, values, holds] of cases) {
      const scan = scanColumn(name, values);
      expect(scan.holds, name).toBe(holds);
      expect(scan.valuesScanned, name).toBe(values.length);
    }
  });

  it('counts typed values and blanks as a datastore returns them', () => {
    const scan = scanColumn('手机', [
      13800138000,
      null,
      undefined,
      '',
      '  ',
      true,
      42,
      new Date(0),
      { a: 1 },
    ]);
    expect(scan.valuesScanned).toBe(5); // the number, true, 42, the date and the object
    expect(scan.findings[0]).toMatchObject({ recognizer: 'mobile', matches: 1, share: 0.2 });
    expect(scan.findings[0]!.examples).toEqual(['138****8000']);
  });
});

describe('proposals', () => {
  it('proposes sensitive, personal or none with the grade of each', () => {
    const ids = scanColumn('sfzh', [withIdCheck('44030819990110151'), '11010519491231002X']);
    expect(ids.holds).toBe('resident-id');
    expect(ids.proposal).toMatchObject({ personalInfo: 'sensitive', grade: 'general-4' });
    expect(ids.proposal.reason).toMatch(/resident identity numbers.*PIPL Art\. 28/);

    const mail = scanColumn('email', ['a@example.com', 'b@example.org']);
    expect(mail.proposal).toMatchObject({ personalInfo: 'personal', grade: 'general-3' });

    const codes = scanColumn('统一社会信用代码', [
      withCreditCheck('91110000600037341'),
      withCreditCheck('12100000400010398'),
    ]);
    expect(codes.holds).toBe('credit-code');
    expect(codes.proposal).toMatchObject({ personalInfo: 'none', grade: 'general-1' });

    const plain = scanColumn('count', [1, 2, 3, 'n/a']);
    expect(plain.findings).toEqual([]);
    expect(plain.holds).toBeUndefined();
    expect(plain.proposal.personalInfo).toBe('none');
  });

  it('flags strong identifiers hidden in free text even when they do not make up the column', () => {
    const notes = Array.from({ length: 40 }, (_, i) => `note ${i}`);
    notes[7] = withIdCheck('44030819990110151');
    notes[21] = '11010519491231002X';
    const scan = scanColumn('备注', notes);
    expect(scan.holds).toBeUndefined();
    expect(scan.findings[0]).toMatchObject({ recognizer: 'resident-id', matches: 2, share: 0.05 });
    expect(scan.proposal.personalInfo).toBe('sensitive');
  });
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'datapolis-discovery-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A zip archive with stored (uncompressed) entries, written by hand. */
function zipOf(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const SURNAMES = '王李张刘陈杨黄赵吴周';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳'];

/** A people table: one kind of value per column, some cells blank, numbers typed as numbers. */
function peopleRows(count: number): unknown[][] {
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    const birth = `19${String(50 + (i % 50)).padStart(2, '0')}${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}`;
    rows.push([
      SURNAMES[i % 10]! + GIVEN[(i * 7) % 10]!,
      withIdCheck(`110105${birth}${String(i % 1000).padStart(3, '0')}`),
      `1${3 + (i % 7)}${String(100_000_000 + i * 7919).slice(-9)}`,
      i % 10 === 0 ? '' : `user${i}@example.com`,
      `北京市海淀区中关村大街${i + 1}号`,
      withCreditCheck(`9111010${String(1_000_000_000 + i).slice(-10)}`),
      Number((39.9 + (i % 100) / 10_000 + 0.00001).toFixed(6)),
      i * 3,
      i % 2 === 0,
      `第${i}条记录`,
    ]);
  }
  return rows;
}
const PEOPLE_FIELDS = [
  '姓名',
  '身份证号',
  '联系电话',
  '邮箱',
  '住址',
  '单位信用代码',
  '纬度',
  '金额',
  '是否有效',
  '备注',
];

function csvOf(fields: readonly string[], rows: readonly unknown[][]): string {
  return `${[fields, ...rows].map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')).join('\n')}\n`;
}

function expectPeople(report: ScanReport, rows: number): void {
  expect(report.rowsScanned).toBe(rows);
  expect(column(report, '姓名').holds).toBe('person-name');
  expect(column(report, '身份证号').holds).toBe('resident-id');
  expect(column(report, '身份证号').proposal.personalInfo).toBe('sensitive');
  expect(column(report, '联系电话').holds).toBe('mobile');
  const mail = column(report, '邮箱');
  expect(mail.holds).toBe('email');
  expect(mail.valuesScanned).toBe(rows - Math.ceil(rows / 10)); // blanks are not values
  expect(column(report, '住址').holds).toBe('address');
  expect(column(report, '单位信用代码').proposal.personalInfo).toBe('none');
  expect(column(report, '单位信用代码').holds).toBe('credit-code');
  expect(column(report, '纬度').holds).toBe('coordinates');
  for (const name of ['金额', '是否有效', '备注']) {
    expect(column(report, name).holds, name).toBeUndefined();
    expect(column(report, name).proposal.personalInfo, name).toBe('none');
  }
}

describe('scanning tables', () => {
  it('scans a mixed table row by row, typed values included', () => {
    const scanner = createColumnScanner(PEOPLE_FIELDS.map((name) => ({ name })));
    for (const row of peopleRows(300)) scanner.add(row);
    const report = scanner.result();
    expectPeople(report, 300);
    expect(column(report, '身份证号').findings[0]!.examples).toHaveLength(3);
  });

  it('scans CSV, gzip and XLSX files alike', async () => {
    const rows = peopleRows(120);
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, csvOf(PEOPLE_FIELDS, rows));
    expectPeople(await scanFile(csv), 120);
    const gz = join(dir, 'people.csv.gz');
    writeFileSync(gz, gzipSync(csvOf(PEOPLE_FIELDS, rows)));
    expectPeople(await scanFile(gz), 120);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('people');
    sheet.addRow(PEOPLE_FIELDS);
    for (const row of rows) sheet.addRow(row.map((c) => (c === '' ? null : c)));
    const xlsx = join(dir, 'people.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    expectPeople(await scanFile(xlsx), 120);
  });

  it('finds precise positions in GeoJSON geometries', async () => {
    const features = [
      [116.407413, 39.904211],
      [121.473701, 31.230416],
    ].map((coordinates, i) => ({
      type: 'Feature',
      properties: { id: i },
      geometry: { type: 'Point', coordinates },
    }));
    const path = join(dir, 'homes.geojson');
    writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
    const report = await scanFile(path);
    expect(column(report, 'geometry').holds).toBe('coordinates');
    expect(column(report, 'geometry').proposal.personalInfo).toBe('sensitive');
  });

  it('scans only the stated sample of rows', async () => {
    const path = join(dir, 'sample.csv');
    writeFileSync(path, csvOf(PEOPLE_FIELDS, peopleRows(500)));
    const sampled = await scanFile(path, { sample: 25 });
    expect(sampled.rowsScanned).toBe(25);
    expect(column(sampled, '身份证号').valuesScanned).toBe(25);
    expect((await scanFile(path)).rowsScanned).toBe(500);
    await expect(scanFile(path, { sample: 0 })).rejects.toMatchObject({
      code: 'SECURITY_SCAN_INVALID_OPTIONS',
    });
  });

  it('keeps the number of examples asked for', async () => {
    const path = join(dir, 'examples.csv');
    writeFileSync(path, csvOf(PEOPLE_FIELDS, peopleRows(50)));
    const none = await scanFile(path, { examples: 0 });
    expect(column(none, '身份证号').findings[0]!.examples).toEqual([]);
    const five = await scanFile(path, { examples: 5 });
    expect(column(five, '身份证号').findings[0]!.examples).toHaveLength(5);
  });
});

describe('files that are not tables', () => {
  async function scanError(path: string): Promise<ScanError> {
    const error = await scanFile(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScanError);
    return error as ScanError;
  }

  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

  it('refuses an image, under its own name or a table name', async () => {
    writeFileSync(join(dir, 'photo.png'), png);
    const image = await scanError(join(dir, 'photo.png'));
    expect(image.code).toBe('SECURITY_SCAN_BINARY');
    expect(image.message).toMatch(/photo\.png is a PNG image, not a table/);
    writeFileSync(join(dir, 'disguised.csv'), png);
    expect((await scanError(join(dir, 'disguised.csv'))).code).toBe('SECURITY_SCAN_BINARY');
  });

  it('refuses NUL bytes at the start and further down a text file', async () => {
    writeFileSync(
      join(dir, 'nul.csv'),
      Buffer.concat([Buffer.from('a,b\n1,'), Buffer.alloc(64), Buffer.from('\n')]),
    );
    expect((await scanError(join(dir, 'nul.csv'))).code).toBe('SECURITY_SCAN_BINARY');
    const late = `a,b\n${'1,2\n'.repeat(30_000)}3,x\u0000y\n`;
    writeFileSync(join(dir, 'late-nul.csv'), late);
    const error = await scanError(join(dir, 'late-nul.csv'));
    expect(error.code).toBe('SECURITY_SCAN_BINARY');
    expect(error.message).toMatch(/row 30002 holds NUL bytes/);
  });

  it('refuses a zip archive that holds no table', async () => {
    writeFileSync(join(dir, 'photos.zip'), zipOf({ 'photo.png': png }));
    expect((await scanError(join(dir, 'photos.zip'))).code).toBe('SECURITY_SCAN_NO_TABLE');
    writeFileSync(join(dir, 'empty.zip'), zipOf({}));
    expect((await scanError(join(dir, 'empty.zip'))).code).toBe('SECURITY_SCAN_NO_TABLE');
    // The same archive with a table in it scans.
    writeFileSync(
      join(dir, 'people.zip'),
      zipOf({ 'people.csv': Buffer.from(csvOf(PEOPLE_FIELDS, peopleRows(40))) }),
    );
    expectPeople(await scanFile(join(dir, 'people.zip')), 40);
  });

  it('refuses malformed, missing and empty files with one clear error', async () => {
    writeFileSync(join(dir, 'broken.json'), '[{"a": 1}, {"a": ');
    const json = await scanError(join(dir, 'broken.json'));
    expect(json.code).toBe('SECURITY_SCAN_MALFORMED');
    expect(json.message).toMatch(/^broken\.json: /);
    writeFileSync(join(dir, 'quote.csv'), 'a,b\n1,"never closed\n2,3\n');
    expect((await scanError(join(dir, 'quote.csv'))).code).toBe('SECURITY_SCAN_MALFORMED');
    writeFileSync(join(dir, 'fake.xlsx'), 'not a workbook at all');
    expect((await scanError(join(dir, 'fake.xlsx'))).code).toBe('SECURITY_SCAN_MALFORMED');
    expect((await scanError(join(dir, 'missing.csv'))).code).toBe('SECURITY_SCAN_UNREADABLE');
    writeFileSync(join(dir, 'empty.csv'), '');
    expect((await scanError(join(dir, 'empty.csv'))).code).toBe('SECURITY_SCAN_UNREADABLE');
  });
});
