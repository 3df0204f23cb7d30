// `datapolis scan <file>`: a readable table or JSON per column, one error line for what is not a table,
// and no platform opened (the data directory is never created).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCreditCheck } from '../src/lib/credit-code.ts';
import type { ScanReport } from '../src/modules/security/index.ts';
import { childEnv, runCli } from './support/processes.ts';

let dir: string;
let env: Record<string, string>;

function withIdCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return first17 + '10X98765432'[sum % 11]!;
}

const IDS = [withIdCheck('44030819990110151'), withIdCheck('31011519850612002'), '11010519491231002X'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'datapolis-scan-cli-'));
  // The data directory a platform would open; the scan must leave it absent.
  env = childEnv({ DATAPOLIS_DATA_DIR: join(dir, 'data') });
  const lines = ['姓名,身份证号,手机,单位,备注'];
  for (let i = 0; i < 30; i++)
    lines.push(
      [
        ['张伟', '王芳', '李娜'][i % 3],
        IDS[i % 3],
        `139${String(10_000_000 + i * 313).slice(-8)}`,
        withCreditCheck('91110000600037341'),
        `第${i}次来访`,
      ].join(','),
    );
  writeFileSync(join(dir, 'visitors.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'photo.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  writeFileSync(join(dir, 'broken.json'), '[{"a": 1}, {"a": ');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('datapolis scan', () => {
  it('prints a table per column with holds, share, confidence, proposal and masked examples', async () => {
    const result = await runCli(['scan', join(dir, 'visitors.csv')], env);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/visitors\.csv: 30 rows, 5 columns scanned/);
    expect(lines.find((l) => l.startsWith('column'))).toMatch(
      /holds\s+share\s+confidence\s+proposal\s+examples/,
    );
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row('身份证号')).toMatch(/resident-id\s+100\.0 %\s+1\.00\s+sensitive \/ general-4\s+440308\*+/);
    expect(row('手机')).toMatch(/mobile\s+100\.0 %\s+\d\.\d\d\s+personal \/ general-3\s+139\*{4}\d{4}/);
    expect(row('姓名')).toMatch(/person-name .*personal \/ general-3\s+张\*/);
    expect(row('单位')).toMatch(/credit-code .*none \/ general-1/);
    expect(row('备注')).toMatch(/^备注\s+-\s+-\s+-\s+none \/ general-1$/);
    // Examples are masked: no identity number appears whole.
    for (const id of IDS) expect(result.stdout).not.toContain(id);
    expect(result.stdout).toMatch(/身份证号: 100\.0 % of 30 values are resident identity numbers/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('prints the report as JSON, for the sample asked for', async () => {
    const result = await runCli(['scan', join(dir, 'visitors.csv'), '--json', '--sample', '10'], env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.rowsScanned).toBe(10);
    const ids = report.columns.find((c) => c.name === '身份证号')!;
    expect(ids).toMatchObject({
      valuesScanned: 10,
      holds: 'resident-id',
      proposal: { personalInfo: 'sensitive' },
    });
    expect(ids.findings[0]!.examples).toHaveLength(3);
    expect(report.columns.map((c) => c.name)).toEqual(['姓名', '身份证号', '手机', '单位', '备注']);
  });

  it('reads a file as the options say', async () => {
    writeFileSync(join(dir, 'semi.txt'), `name;phone\n张伟;13912345678\n王芳;13812345678\n`);
    const result = await runCli(
      ['scan', join(dir, 'semi.txt'), '--format', 'csv', '--delimiter', ';', '--json'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.columns.map((c) => [c.name, c.holds])).toEqual([
      ['name', 'person-name'],
      ['phone', 'mobile'],
    ]);
  });

  it('answers a file that is not a table with one readable line and a failing exit code', async () => {
    for (const [file, code] of [
      ['photo.png', 'SECURITY_SCAN_BINARY'],
      ['broken.json', 'SECURITY_SCAN_MALFORMED'],
      ['missing.csv', 'SECURITY_SCAN_UNREADABLE'],
    ] as const) {
      const result = await runCli(['scan', join(dir, file)], env);
      expect(result.code, file).toBe(1);
      expect(result.stdout, file).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines, file).toHaveLength(1);
      expect(lines[0], file).toMatch(new RegExp(`^datapolis: ${file.replace('.', '\\.')}.*\\(${code}\\)$`));
    }
    const bad = await runCli(['scan', join(dir, 'visitors.csv'), '--sample', 'ten'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('datapolis: --sample must be a whole number of at least 1, not "ten".');
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
