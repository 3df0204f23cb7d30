import { describe, expect, it } from 'vitest';
import { derivedGrade, gradeRank, higherGrade, highestItemGrade } from '../src/features/catalog/grade.ts';

describe('the derived grade of a dataset', () => {
  it('orders grades from core down to general level 1', () => {
    expect(gradeRank('core')).toBeLessThan(gradeRank('important'));
    expect(gradeRank('general-4')).toBeLessThan(gradeRank('general-1'));
    expect(gradeRank('nonsense')).toBeGreaterThan(gradeRank('general-1'));
    expect(higherGrade('general-2', 'important')).toBe('important');
  });

  it('takes the highest grade of the information items', () => {
    const items = [{ grade: 'general-1' }, { grade: 'general-3' }, { grade: 'general-2' }];
    expect(derivedGrade('general-1', items)).toBe('general-3');
    expect(highestItemGrade(items)).toBe('general-3');
  });

  it('keeps a declared grade that is higher than every item', () => {
    expect(derivedGrade('important', [{ grade: 'general-2' }])).toBe('important');
  });

  it('uses the declared grade when there are no items, and skips rows not filled in yet', () => {
    expect(derivedGrade('general-2', [])).toBe('general-2');
    expect(derivedGrade('general-2', [{ grade: undefined }, { grade: null }, {}])).toBe('general-2');
    expect(highestItemGrade([])).toBeUndefined();
  });
});
