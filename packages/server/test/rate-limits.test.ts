// The open API's limits: the public shares one limit per address, a signed-in account has its own,
// higher one wherever it calls from, and over a limit the answer is 429 at once, for that caller only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateCounter } from '../src/kernel/http/rate-counter.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_RATE_LIMIT: '5', DATAPOLIS_RATE_LIMIT_ACCOUNT: '10' });
});

afterAll(async () => {
  await t?.close();
});

async function get(cookie?: string) {
  return t.platform.app.inject({
    method: 'GET',
    url: '/api/v1/catalog/entries?limit=1',
    headers: cookie === undefined ? {} : { cookie },
  });
}

describe('rate limits', () => {
  it('answer 429 to the caller over its limit, and keep serving the others; every answer says what is left', async () => {
    // Signing in is a request of the address too: one of its five.
    const citizen = await t.login('citizen');
    const anonymous: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await get();
      anonymous.push(answer.statusCode);
      remaining.push(String(answer.headers['x-ratelimit-remaining']));
      expect(answer.headers['x-ratelimit-limit']).toBe('5');
      expect(Number(answer.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(answer.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    expect(anonymous).toEqual([200, 200, 200, 200, 429]);
    expect(remaining).toEqual(['3', '2', '1', '0', '0']);
    const refused = await get();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect((refused.json() as { code: string }).code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // The account, from the same address, has its own ten.
    const account: number[] = [];
    for (let i = 0; i < 11; i++) account.push((await get(citizen.cookie)).statusCode);
    expect(account.filter((s) => s === 200)).toHaveLength(10);
    expect(account.at(-1)).toBe(429);
  });
});

describe('the rate counter', () => {
  it('counts each caller in windows of its own, which start again when they end', () => {
    const counter = createRateCounter(60_000);
    expect(counter.hit('a', 0)).toEqual({ count: 1, resetAt: 60_000 });
    expect(counter.hit('a', 59_999)).toEqual({ count: 2, resetAt: 60_000 });
    expect(counter.hit('b', 30_000)).toEqual({ count: 1, resetAt: 90_000 });
    expect(counter.hit('a', 60_000)).toEqual({ count: 1, resetAt: 120_000 });
  });

  it('keeps at most its number of callers: ended windows go first, then the callers seen longest ago', () => {
    const counter = createRateCounter(1_000, 3);
    counter.hit('old', 0);
    counter.hit('x', 500);
    counter.hit('y', 600);
    // At 1,200 the first window has ended: it makes room.
    counter.hit('z', 1_200);
    expect(counter.size).toBe(3);
    counter.hit('x', 1_300);
    // Nothing has ended at 1,400: the caller seen longest ago (x, first counted at 500) goes.
    counter.hit('w', 1_400);
    expect(counter.size).toBe(3);
    expect(counter.hit('y', 1_450).count).toBe(2);
    expect(counter.hit('x', 1_460).count).toBe(1);
  });
});
