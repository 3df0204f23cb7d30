import { afterEach, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// A CLI command opens the platform, works through its services and stops it, without serving a request.
describe('stopping the platform', () => {
  let t: TestPlatform | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** Stops the platform (and drops its database). */
  async function close(): Promise<void> {
    const open = t;
    t = undefined;
    await open?.close();
  }

  it('does not boot an HTTP app that never booted (booting compiles every route)', async () => {
    t = await startTestPlatform({}, { seed: false, boot: false });
    // A plugin registered now loads when the app boots, with the routes' schemas.
    let booted = 0;
    void t.platform.app.register(async () => {
      booted += 1;
    });
    expect(await t.platform.ledger.size()).toBe(0);
    await close();
    expect(booted).toBe(0);
  });

  it('closes an HTTP app that answered a request', async () => {
    t = await startTestPlatform({}, { seed: false, boot: false });
    let closed = 0;
    t.platform.app.addHook('onClose', (_app, done) => {
      closed += 1;
      done();
    });
    expect((await t.platform.app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    await close();
    expect(closed).toBe(1);
  });
});
