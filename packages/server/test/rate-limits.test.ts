// The open API's limits: the public shares one limit per address, a signed-in account has its own,
// higher one wherever it calls from, and over a limit the answer is 429 at once, for that caller only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('answer 429 to the caller over its limit, and keep serving the others', async () => {
    // Signing in is a request of the address too: one of its five.
    const citizen = await t.login('citizen');
    const anonymous: number[] = [];
    for (let i = 0; i < 5; i++) anonymous.push((await get()).statusCode);
    expect(anonymous).toEqual([200, 200, 200, 200, 429]);
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
