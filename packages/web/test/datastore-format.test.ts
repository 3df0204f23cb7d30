import { describe, expect, it } from 'vitest';
import {
  cellText,
  hasReport,
  isDownloadable,
  loadPhase,
  versionTone,
} from '../src/features/datastore/format-datastore.ts';

describe('datastore formatting', () => {
  const labels = { yes: 'Yes', no: 'No' };

  it('shows cells as short text', () => {
    expect(cellText(null, labels)).toBe('');
    expect(cellText(true, labels)).toBe('Yes');
    expect(cellText(false, labels)).toBe('No');
    expect(cellText(12.5, labels)).toBe('12.5');
    expect(cellText({ type: 'Point', coordinates: [1, 2] }, labels)).toBe(
      '{"type":"Point","coordinates":[1,2]}',
    );
    expect(cellText('x'.repeat(300), labels, 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('knows which versions can be downloaded or have a report', () => {
    expect(isDownloadable({ state: 'live' })).toBe(true);
    expect(isDownloadable({ state: 'superseded' })).toBe(true);
    expect(isDownloadable({ state: 'pruned' })).toBe(false);
    expect(isDownloadable({ state: 'failed' })).toBe(false);
    expect(hasReport({ state: 'failed' })).toBe(true);
    expect(hasReport({ state: 'loading' })).toBe(false);
    expect(versionTone('live')).toBe('green');
    expect(versionTone('failed')).toBe('red');
    expect(versionTone('pruned')).toBe('grey');
  });

  it('reads the progress message of a load job', () => {
    expect(loadPhase('reading and validating')).toEqual({ kind: 'reading' });
    expect(loadPhase('1200 rows read')).toEqual({ kind: 'rowsRead', rows: 1200 });
    expect(loadPhase('1 row read')).toEqual({ kind: 'rowsRead', rows: 1 });
    expect(loadPhase('building indexes')).toEqual({ kind: 'other', text: 'building indexes' });
    expect(loadPhase(null)).toBeUndefined();
    expect(loadPhase('  ')).toBeUndefined();
  });
});
