import { describe, expect, it } from 'vitest';
import {
  derivationRequest,
  hierarchyOf,
  initialWizard,
  maxLevel,
  parseWidths,
  searchRequest,
  serverProblemStep,
  stepProblems,
  type WizardState,
  withField,
  withLevels,
} from '../src/features/security-resources/deid-wizard.ts';

const FIELDS = ['district', 'age', 'sex', 'id_number', 'phone', 'diagnosis'];

/** The plan the server's own test derives: hashed identity numbers, no phones, coarse ages and districts. */
function planned(): WizardState {
  let s = initialWizard(FIELDS, 'BJ-TRANSPORT-0002', '就诊抽样（去标识化）');
  s = withField(s, 'id_number', { kind: 'hash', hashLength: null });
  s = withField(s, 'phone', { kind: 'drop' });
  s = withField(s, 'age', { kind: 'generalize', hierarchy: 'ranges', ranges: '10, 20，40', level: 3 });
  s = withField(s, 'district', {
    kind: 'generalize',
    hierarchy: 'csv',
    csv: { name: 'district.csv', text: '东城区;北京市\n西城区;北京市\n', levels: 2 },
    level: 1,
  });
  return {
    ...s,
    quasiIdentifiers: ['sex', 'district', 'age'],
    sensitive: ['diagnosis'],
    scenario: 'public-release',
  };
}

describe('the derivation request built from the wizard', () => {
  it('sends the chosen transformations only, the risk settings in the table’s order, and the target', () => {
    const built = derivationRequest('res-1', planned());
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.request).toEqual({
      sourceResourceId: 'res-1',
      target: { entryCode: 'BJ-TRANSPORT-0002', name: '就诊抽样（去标识化）' },
      fields: {
        district: {
          kind: 'generalize',
          hierarchy: { csv: '东城区;北京市\n西城区;北京市\n' },
          level: 1,
        },
        age: { kind: 'generalize', hierarchy: { ranges: [10, 20, 40] }, level: 3 },
        id_number: { kind: 'hash' },
        phone: { kind: 'drop' },
      },
      risk: {
        quasiIdentifiers: ['district', 'age', 'sex'],
        sensitive: ['diagnosis'],
        scenario: 'public-release',
      },
    });
  });

  it('adds record suppression with its share as a fraction, and the description when given', () => {
    const s = planned();
    const built = derivationRequest('res-1', {
      ...s,
      suppression: { enabled: true, k: 10, maxSharePercent: 2.5 },
      target: { ...s.target, description: '  按区和年龄段粗化  ' },
    });
    expect(built.ok && built.request.suppression).toEqual({ k: 10, maxShare: 0.025 });
    expect(built.ok && built.request.target.description).toBe('按区和年龄段粗化');
  });

  it('sends the parameters of masks, noise, ranges and date truncation', () => {
    let s = planned();
    s = withField(s, 'phone', { kind: 'mask', mask: { keepStart: 3, keepEnd: 4, char: '#' } });
    s = withField(s, 'age', { kind: 'noise', noise: { distribution: 'gaussian', scale: 2, round: null } });
    s = withField(s, 'diagnosis', { kind: 'range', range: { width: 5, origin: null } });
    s = withField(s, 'sex', { kind: 'truncate-date', truncate: 'month' });
    s = { ...s, quasiIdentifiers: ['district'], sensitive: [] };
    const built = derivationRequest('r', s);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.request.fields.phone).toEqual({ kind: 'mask', keepStart: 3, keepEnd: 4, char: '#' });
    expect(built.request.fields.age).toEqual({ kind: 'noise', distribution: 'gaussian', scale: 2 });
    expect(built.request.fields.diagnosis).toEqual({ kind: 'range', width: 5 });
    expect(built.request.fields.sex).toEqual({ kind: 'truncate-date', unit: 'month' });
    expect(built.request.risk).not.toHaveProperty('sensitive');
  });

  it('places each problem on its step and next to its field, and sends nothing', () => {
    let s = planned();
    s = withField(s, 'age', { ranges: '10, 15' });
    s = withField(s, 'district', { csv: undefined });
    s = withField(s, 'sex', { kind: 'drop' });
    s = { ...s, sensitive: ['diagnosis', 'age'], target: { entryCode: ' ', name: 'x', description: '' } };
    const built = derivationRequest('r', s);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.problems.map((p) => [p.step, p.at, p.code])).toEqual([
      [0, 'district', 'csvMissing'],
      [0, 'age', 'rangesNotNested'],
      [1, 'quasiIdentifiers', 'quasiIdentifierRemoved'],
      [1, 'sensitive', 'bothRoles'],
      [2, 'entryCode', 'required'],
    ]);
  });

  it('refuses a level above the hierarchy and asks for at least one quasi-identifier', () => {
    const s = withField(planned(), 'age', { level: 5 });
    expect(stepProblems(s, 0)).toEqual([{ step: 0, at: 'age', code: 'levelOutOfRange', values: { max: 4 } }]);
    expect(stepProblems({ ...s, quasiIdentifiers: [] }, 1).map((p) => p.code)).toEqual([
      'noQuasiIdentifiers',
    ]);
  });

  it('knows how many levels each kind of hierarchy has', () => {
    const s = planned();
    expect(maxLevel(s.fields.age!)).toBe(4);
    expect(maxLevel(s.fields.district!)).toBe(1);
    expect(maxLevel({ ...s.fields.age!, hierarchy: 'dates', dates: ['month', 'decade'] })).toBe(3);
    expect(maxLevel({ ...s.fields.age!, ranges: 'ten' })).toBeUndefined();
    expect(maxLevel({ ...s.fields.age!, hierarchy: 'regions' })).toBe(3);
    expect(hierarchyOf('district', { ...s.fields.age!, hierarchy: 'regions' })).toEqual({ regions: true });
    expect(parseWidths('5 10、20')).toEqual([5, 10, 20]);
    expect(parseWidths('5, -1')).toBeUndefined();
  });
});

describe('the search for the best generalisation', () => {
  const thresholds = {
    k: 10,
    maxProsecutor: 0.1,
    maxJournalist: 0.1,
    maxMarketer: 0.05,
    maxUniqueShare: 0,
    l: 2,
  };

  it('asks for the generalised quasi-identifiers only, at the scenario’s k and l', () => {
    const found = searchRequest('res-1', planned(), thresholds);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.skipped).toEqual(['sex']);
    expect(found.request).toEqual({
      resourceId: 'res-1',
      hierarchies: {
        district: { csv: '东城区;北京市\n西城区;北京市\n' },
        age: { ranges: [10, 20, 40] },
      },
      k: 10,
      l: 2,
      sensitive: ['diagnosis'],
      maxSuppression: 0,
    });
  });

  it('allows the suppression the wizard allows', () => {
    const s = { ...planned(), suppression: { enabled: true, k: 3, maxSharePercent: 4 } };
    const found = searchRequest('r', s, { ...thresholds, k: 2, l: undefined } as never);
    expect(found.ok && [found.request.k, found.request.maxSuppression]).toEqual([3, 0.04]);
  });

  it('says so when no quasi-identifier has a hierarchy', () => {
    const s = { ...planned(), quasiIdentifiers: ['sex'] };
    const found = searchRequest('r', s, thresholds);
    expect(found.ok).toBe(false);
    expect(!found.ok && found.problems[0]?.code).toBe('noHierarchies');
  });

  it('fills the levels found into the generalised fields only', () => {
    const s = withLevels(planned(), { age: 2, district: 0, sex: 1 });
    expect(s.fields.age?.level).toBe(2);
    expect(s.fields.district?.level).toBe(0);
    expect(s.fields.sex?.kind).toBe('keep');
    expect(s.fields.sex?.level).toBe(1);
  });
});

describe('server field errors', () => {
  it('are placed on the step that has the control', () => {
    expect(serverProblemStep('/fields/passport')).toEqual({ step: 0, at: 'passport' });
    expect(serverProblemStep('/risk/quasiIdentifiers/1')).toEqual({ step: 1, at: 'quasiIdentifiers' });
    expect(serverProblemStep('/target/entryCode')).toEqual({ step: 2, at: 'entryCode' });
    expect(serverProblemStep('/elsewhere')).toBeUndefined();
  });
});
