import pino from 'pino';
import { loadConfig } from '../kernel/config/index.ts';
import { createPlatform, type Platform } from '../platform/index.ts';

/** Opens the platform for a one-shot command (no HTTP listener, no job worker), quietly. */
export async function withPlatform<T>(fn: (platform: Platform) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = pino({ level: process.env.DATAPOLIS_LOG_LEVEL ?? 'warn' });
  const platform = await createPlatform(config, { logger });
  try {
    return await fn(platform);
  } finally {
    await platform.stop();
  }
}

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
