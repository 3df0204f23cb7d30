import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/kernel/config/index.ts';
import { createPlatform, type Platform } from '../src/platform/index.ts';
import { freshDatabase } from './support/test-platform.ts';

// A CLI command opens the platform, works through its services and stops it, without serving a request.
describe('stopping the platform', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function openPlatform(): Promise<Platform> {
    const dataDir = mkdtempSync(join(tmpdir(), 'datapolis-stop-'));
    const database = await freshDatabase();
    cleanups.push(async () => {
      await database.db.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const config = loadConfig({ DATAPOLIS_DATA_DIR: dataDir, DATAPOLIS_LOG_LEVEL: 'silent' });
    return createPlatform(config, { db: database.db, logger: pino({ level: 'silent' }) });
  }

  it('does not boot an HTTP app that never booted (booting compiles every route)', async () => {
    const platform = await openPlatform();
    // A plugin registered now loads when the app boots, with the routes' schemas.
    let booted = 0;
    void platform.app.register(async () => {
      booted += 1;
    });
    expect(await platform.ledger.size()).toBe(0);
    await platform.stop();
    expect(booted).toBe(0);
  });

  it('closes an HTTP app that answered a request', async () => {
    const platform = await openPlatform();
    let closed = 0;
    platform.app.addHook('onClose', (_app, done) => {
      closed += 1;
      done();
    });
    expect((await platform.app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    await platform.stop();
    expect(closed).toBe(1);
  });
});
