import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { SIGNING_KEY_FILE } from '../kernel/audit/index.ts';
import type { Config } from '../kernel/config/index.ts';
import { createDb } from '../kernel/db/index.ts';
import { DatapolisError } from '../kernel/errors.ts';

const MAGIC = 'DATAPOLIS-BACKUP-1\n';

interface BackupHeader {
  createdAt: string;
  version: string;
  /** The ledger signing key travels with the data, so the restored platform signs with the same key. */
  signingKeyPem: string | undefined;
  databaseBytes: number;
}

/**
 * Writes the embedded database (a PGlite data-dir dump, gzip'd tar) and the signing key into one file.
 * The file holds the signing key: keep it as safe as the data dir itself.
 */
export async function backupEmbedded(
  config: Config,
  file: string,
  version: string,
): Promise<{ bytes: number }> {
  if (config.databaseUrl !== undefined) {
    throw new DatapolisError(
      'BACKUP_USE_PG_DUMP',
      400,
      'DATABASE_URL is set: back up PostgreSQL with pg_dump (see docs/operations.md).',
    );
  }
  if (!existsSync(join(config.dataDir, 'pgdata'))) {
    throw new DatapolisError('BACKUP_NO_DATA', 400, `No embedded database in ${config.dataDir}.`);
  }
  const db = await createDb({ kind: 'pglite', dataDir: config.dataDir });
  try {
    const dump = await db.pglite!.dumpDataDir('gzip');
    const database = Buffer.from(await dump.arrayBuffer());
    const keyFile = join(config.dataDir, 'ledger-signing-key.pem');
    const header: BackupHeader = {
      createdAt: new Date().toISOString(),
      version,
      signingKeyPem: existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : undefined,
      databaseBytes: database.length,
    };
    const out = Buffer.concat([Buffer.from(MAGIC), Buffer.from(`${JSON.stringify(header)}\n`), database]);
    writeFileSync(file, out, { mode: 0o600 });
    return { bytes: out.length };
  } finally {
    await db.close();
  }
}

/** Restores a backup into an empty data dir. */
export async function restoreEmbedded(config: Config, file: string): Promise<void> {
  if (config.databaseUrl !== undefined) {
    throw new DatapolisError(
      'RESTORE_USE_PG_RESTORE',
      400,
      'DATABASE_URL is set: restore PostgreSQL with pg_restore (see docs/operations.md).',
    );
  }
  if (!existsSync(file)) throw new DatapolisError('RESTORE_NO_FILE', 400, `No backup file at ${file}.`);
  const bytes = readFileSync(file);
  if (bytes.subarray(0, MAGIC.length).toString() !== MAGIC) {
    throw new DatapolisError('RESTORE_NOT_A_BACKUP', 400, `${file} is not a Datapolis backup.`);
  }
  const headerEnd = bytes.indexOf(0x0a, MAGIC.length);
  let header: BackupHeader;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length, headerEnd).toString()) as BackupHeader;
  } catch {
    throw new DatapolisError('RESTORE_NOT_A_BACKUP', 400, `${file} has a damaged header.`);
  }
  const database = bytes.subarray(headerEnd + 1);
  if (database.length !== header.databaseBytes) {
    throw new DatapolisError(
      'RESTORE_TRUNCATED',
      400,
      `${file} is truncated: expected ${header.databaseBytes} database bytes, found ${database.length}.`,
    );
  }
  const pgdata = join(config.dataDir, 'pgdata');
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
    throw new DatapolisError(
      'RESTORE_TARGET_NOT_EMPTY',
      400,
      `${config.dataDir} already holds a database; restore into an empty data dir.`,
    );
  }
  mkdirSync(config.dataDir, { recursive: true });
  const pglite = new PGlite(pgdata, { loadDataDir: new Blob([database]) });
  await pglite.waitReady;
  await pglite.query('SELECT 1');
  await pglite.close();
  if (header.signingKeyPem !== undefined) {
    writeFileSync(join(config.dataDir, SIGNING_KEY_FILE), header.signingKeyPem, { mode: 0o600 });
  }
}
