/** One caller's count in the current window. */
export interface RateWindow {
  count: number;
  /** When the window ends (ms since the epoch); the next request after it starts a new one. */
  resetAt: number;
}

/**
 * Requests counted per caller in fixed windows, in this process's memory. Synchronous: the count is taken in
 * the route's permission hook, once the caller is known, without a promise. At most `maxKeys` callers are
 * kept: past that, ended windows go first, then the callers seen longest ago (their count starts again).
 */
export function createRateCounter(windowMs: number, maxKeys = 10_000) {
  const windows = new Map<string, RateWindow>();

  function prune(now: number): void {
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  }

  return {
    /** Counts one request of `key` at `now` and returns its window. */
    hit(key: string, now: number): RateWindow {
      let window = windows.get(key);
      if (window === undefined) {
        if (windows.size >= maxKeys) prune(now);
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      } else if (window.resetAt <= now) {
        window.count = 0;
        window.resetAt = now + windowMs;
      }
      window.count += 1;
      return window;
    },
    get size(): number {
      return windows.size;
    },
  };
}
