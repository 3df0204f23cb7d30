#!/usr/bin/env node
import { type Command, CommanderError } from 'commander';
import { buildProgram } from './program.ts';

const program = buildProgram();
program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; usage mistakes have already been printed by commander.
    process.exit(error.exitCode);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`datapolis: ${message.split('\n')[0]}\n`);
  process.exit(1);
}

export type { Command };
