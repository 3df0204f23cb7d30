import type { Command } from 'commander';
import { print, withPlatform } from './context.ts';

export function ledgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('The transparency log');
  ledger
    .command('verify')
    .description('Recompute the tree from the stored entries and check every signed tree head')
    .option('--json', 'print the full report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await withPlatform(async (platform) => {
        await platform.ledger.signLatest();
        return platform.ledger.verify();
      });
      if (options.json === true) {
        print(JSON.stringify(report, null, 2));
      } else if (report.ok) {
        print(
          `OK: ${report.size} entries, ${report.nodesChecked} inner nodes and ${report.treeHeadsChecked} signed tree heads verified.`,
        );
      } else {
        for (const p of report.problems) print(`${p.kind}: ${p.message}`);
      }
      if (!report.ok)
        throw new Error(`the log failed verification: ${report.problems.length} problem(s) found.`);
    });

  ledger
    .command('proof')
    .description('Print the inclusion proof of one entry against the latest signed tree head')
    .argument('<index>', 'entry index')
    .action(async (indexText: string) => {
      const index = Number(indexText);
      if (!Number.isInteger(index) || index < 0) throw new Error(`"${indexText}" is not an entry index.`);
      const result = await withPlatform(async (platform) => {
        const sth = await platform.ledger.signLatest();
        if (index >= sth.treeSize)
          throw new Error(`The log has ${sth.treeSize} entries; there is no entry ${index}.`);
        const proof = await platform.ledger.proveInclusion(index, sth.treeSize);
        const entry = await platform.ledger.getEntry(index);
        return { entry: entry.entry, treeHead: sth, proof };
      });
      print(JSON.stringify(result, null, 2));
    });
}
