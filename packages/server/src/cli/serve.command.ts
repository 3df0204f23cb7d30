import type { Command } from 'commander';
import { loadConfig } from '../kernel/config/index.ts';
import { migrateToLatest } from '../kernel/db/index.ts';
import { backupEmbedded, restoreEmbedded } from '../platform/backup.ts';
import type { DemoCredentials } from '../platform/index.ts';
import { createPlatform, MIGRATIONS, openDb, VERSION } from '../platform/index.ts';
import { print, withPlatform } from './context.ts';

function printCredentials(credentials: DemoCredentials[]): void {
  print('');
  print('Demo city loaded. These demo accounts are shown once; write them down:');
  const width = Math.max(...credentials.map((c) => c.username.length));
  for (const c of credentials) print(`  ${c.username.padEnd(width)}  ${c.password}  (${c.roles})`);
  print('');
}

export function serveCommands(program: Command): void {
  program
    .command('serve')
    .description('Run the platform: API, web app and background jobs (configured by environment variables)')
    .action(async () => {
      const config = loadConfig();
      const platform = await createPlatform(config);
      const credentials = await platform.seedIfEmpty();
      const address = await platform.start();
      if (credentials !== undefined) printCredentials(credentials);
      print(
        `Datapolis is running at ${address.replace('127.0.0.1', '127.0.0.1')} (database: ${platform.db.capabilities.engine})`,
      );
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        platform.logger.info({ signal }, 'shutting down');
        await platform.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });

  program
    .command('migrate')
    .description('Apply database migrations and exit')
    .action(async () => {
      const config = loadConfig();
      const db = await openDb(config);
      try {
        const applied = await migrateToLatest(db.kysely, MIGRATIONS);
        print(applied.length === 0 ? 'The database schema is current.' : `Applied: ${applied.join(', ')}`);
      } finally {
        await db.close();
      }
    });

  program
    .command('seed-demo')
    .description('Load the demo city into an empty database and print the demo accounts')
    .action(async () => {
      await withPlatform(async (platform) => {
        const credentials = await platform.seedIfEmpty();
        if (credentials === undefined) {
          throw new Error(
            'The database already holds users or organisations (or DATAPOLIS_DEMO=false); nothing loaded.',
          );
        }
        printCredentials(credentials);
      });
    });

  program
    .command('backup')
    .description('Write the embedded database and its ledger key into one file')
    .argument('<file>', 'where to write the backup')
    .action(async (file: string) => {
      const { bytes } = await backupEmbedded(loadConfig(), file, VERSION);
      print(
        `Backup written to ${file} (${bytes} bytes). It contains the ledger signing key: store it safely.`,
      );
    });

  program
    .command('restore')
    .description('Restore a backup into an empty data dir (DATAPOLIS_DATA_DIR)')
    .argument('<file>', 'a file written by `datapolis backup`')
    .action(async (file: string) => {
      const config = loadConfig();
      await restoreEmbedded(config, file);
      print(`Restored ${file} into ${config.dataDir}. Run \`datapolis ledger verify\` to check it.`);
    });
}
