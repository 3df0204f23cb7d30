import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCache } from '../src/modules/datastore/datastore.read-cache.ts';

describe('the cache reads keep per table', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a value for its time, then answers nothing', () => {
    vi.useFakeTimers();
    const cache = readCache<number>(5_000);
    cache.set('r1:1', 42);
    vi.advanceTimersByTime(4_999);
    expect(cache.get('r1:1')).toBe(42);
    vi.advanceTimersByTime(1);
    expect(cache.get('r1:1')).toBeUndefined();
  });

  it("forgets a table's own key and its keys, and no other table's", () => {
    const cache = readCache<string>(5_000);
    cache.set('r1', 'resource');
    cache.set('r1:1', 'version');
    cache.set('r1:1:exact:sql:[]', 'total');
    cache.set('r10', 'another resource');
    cache.set('r10:1', 'its version');
    cache.forgetTable('r1');
    expect([cache.get('r1'), cache.get('r1:1'), cache.get('r1:1:exact:sql:[]')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect([cache.get('r10'), cache.get('r10:1')]).toEqual(['another resource', 'its version']);
  });

  it('drops everything once full rather than growing', () => {
    const cache = readCache<number>(5_000, 3);
    for (const key of ['a', 'b', 'c']) cache.set(key, 1);
    cache.set('d', 2);
    expect([cache.get('a'), cache.get('d')]).toEqual([undefined, 2]);
  });
});
