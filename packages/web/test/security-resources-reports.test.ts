import { describe, expect, it } from 'vitest';
import type { RiskReport, ScanReport, ScanView } from '../src/features/security-resources/resources-types.ts';
import {
  clearanceMeaning,
  failedMeasures,
  riskBars,
  riskMeasures,
  verdict,
} from '../src/features/security-resources/risk-display.ts';
import {
  activeScan,
  formatShare,
  sampleSize,
  scanRows,
  scanSummary,
  shownScan,
} from '../src/features/security-resources/scan-rows.ts';

const SCAN: ScanReport = {
  rowsScanned: 60,
  columns: [
    {
      name: 'district',
      valuesScanned: 60,
      findings: [{ recognizer: 'address', matches: 6, share: 0.1, confidence: 0.2, examples: ['东城**'] }],
      proposal: { personalInfo: 'none', grade: 'general-1', reason: 'nothing recognised' },
    },
    {
      name: 'phone',
      valuesScanned: 60,
      findings: [
        { recognizer: 'bank-card', matches: 3, share: 0.05, confidence: 0.3, examples: [] },
        { recognizer: 'mobile', matches: 60, share: 1, confidence: 0.97, examples: ['138****0000'] },
      ],
      holds: 'mobile',
      proposal: { personalInfo: 'personal', grade: 'general-3', reason: 'mobile numbers' },
    },
    {
      name: 'id_number',
      valuesScanned: 58,
      findings: [
        {
          recognizer: 'resident-id',
          matches: 58,
          share: 1,
          confidence: 0.99,
          examples: ['1101**********123X'],
        },
      ],
      holds: 'resident-id',
      proposal: { personalInfo: 'sensitive', grade: 'general-4', reason: 'identity numbers' },
    },
    {
      name: 'age',
      valuesScanned: 60,
      findings: [],
      proposal: { personalInfo: 'none', grade: 'general-1', reason: 'nothing recognised' },
    },
  ],
};

describe('a scan report read into rows', () => {
  it('puts sensitive columns first, then personal ones, then the rest in table order', () => {
    expect(scanRows(SCAN).map((r) => r.name)).toEqual(['id_number', 'phone', 'district', 'age']);
  });

  it('shows what a column holds with its share, confidence and masked examples, and the other matches', () => {
    const phone = scanRows(SCAN).find((r) => r.name === 'phone')!;
    expect(phone.holds).toBe('mobile');
    expect(phone.best).toMatchObject({
      recognizer: 'mobile',
      share: 1,
      confidence: 0.97,
      examples: ['138****0000'],
    });
    expect(phone.others.map((f) => f.recognizer)).toEqual(['bank-card']);
    expect([phone.personalInfo, phone.grade]).toEqual(['personal', 'general-3']);
  });

  it('keeps a weak match as a candidate without saying the column holds it', () => {
    const district = scanRows(SCAN).find((r) => r.name === 'district')!;
    expect(district.holds).toBeUndefined();
    expect(district.best?.recognizer).toBe('address');
    expect(scanRows(SCAN).find((r) => r.name === 'age')!.best).toBeUndefined();
  });

  it('counts the proposals and reads no report as no rows', () => {
    expect(scanSummary(SCAN)).toEqual({ columns: 4, personal: 1, sensitive: 1 });
    expect(scanRows(null)).toEqual([]);
  });

  it('follows the scan just asked for, else one still running, and shows the newest finished one', () => {
    const scan = (id: string, state: ScanView['state']) => ({ id, state }) as ScanView;
    const scans = [scan('c', 'queued'), scan('b', 'done'), scan('a', 'done')];
    expect(activeScan(scans, 'b')?.id).toBe('b');
    expect(activeScan(scans, undefined)?.id).toBe('c');
    expect(activeScan([scan('b', 'done')], undefined)).toBeUndefined();
    expect(shownScan(scans, undefined)?.id).toBe('b');
    expect(shownScan(scans, 'a')?.id).toBe('a');
  });

  it('formats shares in the reader’s language and checks the sample size', () => {
    expect(formatShare(0.875, 'en')).toBe('87.5%');
    expect(formatShare(0.875, 'fr').replace(/\s/g, ' ')).toBe('87,5 %');
    expect(sampleSize('all', 3)).toBeUndefined();
    expect(sampleSize('sample', 1000)).toBe(1000);
    expect(sampleSize('sample', 0)).toBe('invalid');
    expect(sampleSize('sample', 2.5)).toBe('invalid');
  });
});

const REPORT: RiskReport = {
  records: 60,
  classes: 4,
  k: 12,
  averageClassSize: 15,
  uniqueShare: 0,
  prosecutor: { highest: 0.0833, average: 0.0667, recordsAtRisk: 0, threshold: 0.1 },
  journalist: {
    highest: 0.0833,
    average: 0.0667,
    recordsAtRisk: 0,
    threshold: 0.1,
    model: 'sample-as-population',
    population: 60,
  },
  marketer: 0.0667,
  lDiversity: { diagnosis: { distinct: 3, entropy: 2.9 } },
  tCloseness: { diagnosis: 0.25 },
  scenario: 'public-release',
  thresholds: {
    k: 10,
    maxProsecutor: 0.1,
    maxJournalist: 0.1,
    maxMarketer: 0.05,
    maxUniqueShare: 0,
    l: 2,
    t: 0.2,
  },
  pass: false,
  failures: ['marketer risk 0.0667 is above 0.05', '"diagnosis" is 0.25-close, above t = 0.2'],
  notes: [],
};

describe('risk against the scenario’s thresholds', () => {
  it('sets every figure beside its limit, floors for k and l, ceilings for risks', () => {
    const measures = riskMeasures(REPORT);
    expect(measures.map((m) => [m.key, m.attribute ?? '', m.value, m.limit, m.pass])).toEqual([
      ['k', '', 12, 10, true],
      ['prosecutor', '', 0.0833, 0.1, true],
      ['journalist', '', 0.0833, 0.1, true],
      ['marketer', '', 0.0667, 0.05, false],
      ['uniqueShare', '', 0, 0, true],
      ['l', 'diagnosis', 3, 2, true],
      ['t', 'diagnosis', 0.25, 0.2, false],
    ]);
    expect(failedMeasures(measures).map((m) => m.key)).toEqual(['marketer', 't']);
    expect(verdict(REPORT)).toBe('fail');
  });

  it('has no verdict and no limits when assessed without a scenario', () => {
    const bare = {
      ...REPORT,
      scenario: undefined,
      thresholds: undefined,
      pass: undefined,
    } as unknown as RiskReport;
    const measures = riskMeasures(bare);
    expect(measures.every((m) => m.limit === undefined && m.pass === undefined)).toBe(true);
    expect(verdict(bare)).toBe('unassessed');
    // Another scenario's thresholds can be laid over the same figures.
    expect(failedMeasures(riskMeasures(bare, { ...REPORT.thresholds!, k: 20 })).map((m) => m.key)).toEqual([
      'k',
      'marketer',
      't',
    ]);
  });

  it('charts the probabilities and shares only, within 0..1', () => {
    const bars = riskBars(riskMeasures({ ...REPORT, prosecutor: { ...REPORT.prosecutor, highest: 1.2 } }));
    expect(bars.map((b) => b.key)).toEqual(['prosecutor', 'journalist', 'marketer', 'uniqueShare', 't']);
    expect(bars[0]).toEqual({ key: 'prosecutor', value: 1, limit: 0.1, pass: false });
  });

  it('explains a clearance only once the derivation is done', () => {
    expect(clearanceMeaning({ state: 'done', clearance: 'conditional-opening' })).toBe('conditional-opening');
    expect(clearanceMeaning({ state: 'done', clearance: 'none' })).toBe('none');
    expect(clearanceMeaning({ state: 'done', clearance: null })).toBe('not-personal');
    expect(clearanceMeaning({ state: 'running', clearance: null })).toBe('pending');
  });
});
