import type { ColumnScan, ScanView } from './resources-types.ts';

export type ScanProposal = ColumnScan['proposal'] & { scanId: string; scannedAt: string };

/**
 * What the latest finished scan of an entry's tables proposes for each field, by field name: what the
 * catalog editor shows beside each information item for the owner to accept or correct. A field the latest
 * scan did not see keeps the proposal of an earlier scan that did (another table of the same entry).
 */
export function latestProposals(scans: readonly ScanView[]): Map<string, ScanProposal> {
  const done = scans
    .filter((s) => s.state === 'done' && s.report !== null)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const proposals = new Map<string, ScanProposal>();
  for (const scan of done)
    for (const column of scan.report!.columns)
      if (!proposals.has(column.name))
        proposals.set(column.name, {
          ...column.proposal,
          scanId: scan.id,
          scannedAt: scan.finishedAt ?? scan.createdAt,
        });
  return proposals;
}

/** Whether a proposal says something the item does not already say. */
export function proposalDiffers(
  proposal: Pick<ScanProposal, 'personalInfo' | 'grade'>,
  item: { personalInfo?: string; grade?: string } | undefined,
): boolean {
  return item?.personalInfo !== proposal.personalInfo || item?.grade !== proposal.grade;
}
