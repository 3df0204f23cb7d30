import { Command } from 'commander';
import { catalogCommands } from './catalog.command.ts';
import { datastoreCommands } from './datastore.command.ts';
import { deidentifyCommands } from './deidentify.command.ts';
import { ledgerCommands } from './ledger.command.ts';
import { scanCommands } from './scan.command.ts';
import { serveCommands } from './serve.command.ts';
import { userCommands } from './user.command.ts';

export function buildProgram(): Command {
  const program = new Command('datapolis')
    .description('Datapolis: the public data platform of the city.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  serveCommands(program);
  userCommands(program);
  ledgerCommands(program);
  catalogCommands(program);
  datastoreCommands(program);
  deidentifyCommands(program);
  scanCommands(program);
  return program;
}
