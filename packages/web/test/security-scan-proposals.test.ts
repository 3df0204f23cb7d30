import { describe, expect, it } from 'vitest';
import type { ScanView } from '../src/features/security-resources/resources-types.ts';
import { latestProposals, proposalDiffers } from '../src/features/security-resources/scan-proposals.ts';

function scan(
  id: string,
  createdAt: string,
  state: ScanView['state'],
  columns: [string, string, string][],
): ScanView {
  return {
    id,
    resourceId: 'r',
    entryCode: 'e',
    version: 1,
    sample: null,
    state,
    jobId: null,
    report:
      state === 'done'
        ? {
            rowsScanned: 10,
            columns: columns.map(([name, personalInfo, grade]) => ({
              name,
              valuesScanned: 10,
              findings: [],
              proposal: { personalInfo: personalInfo as 'none', grade, reason: `${name} reason` },
            })),
          }
        : null,
    error: null,
    createdAt,
    finishedAt: state === 'done' ? createdAt : null,
  };
}

describe('the scanner’s proposals in the catalog editor', () => {
  it('takes each field from the newest finished scan that saw it', () => {
    const proposals = latestProposals([
      scan('old', '2026-11-01T00:00:00Z', 'done', [
        ['id_number', 'personal', 'general-3'],
        ['phone', 'personal', 'general-3'],
      ]),
      scan('new', '2026-11-20T00:00:00Z', 'done', [['id_number', 'sensitive', 'general-4']]),
      scan('running', '2026-11-25T00:00:00Z', 'running', []),
    ]);
    expect(proposals.get('id_number')).toMatchObject({
      personalInfo: 'sensitive',
      grade: 'general-4',
      scanId: 'new',
    });
    expect(proposals.get('phone')).toMatchObject({ personalInfo: 'personal', scanId: 'old' });
    expect(proposals.size).toBe(2);
  });

  it('offers to accept only what the item does not already say', () => {
    const p = { personalInfo: 'sensitive' as const, grade: 'general-4' };
    expect(proposalDiffers(p, { personalInfo: 'sensitive', grade: 'general-4' })).toBe(false);
    expect(proposalDiffers(p, { personalInfo: 'none', grade: 'general-4' })).toBe(true);
    expect(proposalDiffers(p, { personalInfo: 'sensitive', grade: 'general-1' })).toBe(true);
    expect(proposalDiffers(p, undefined)).toBe(true);
  });
});
