/**
 * Values a read keeps a few seconds per key, at most `max` of them (past that, all are dropped at once:
 * cheaper than tracking the oldest). Keys start with the resource id, so that a change of a table forgets
 * everything kept about it.
 */
export function readCache<V>(ttlMs: number, max = 10_000) {
  const entries = new Map<string, { at: number; value: V }>();
  return {
    get(key: string): V | undefined {
      const hit = entries.get(key);
      return hit !== undefined && Date.now() - hit.at < ttlMs ? hit.value : undefined;
    },
    set(key: string, value: V): void {
      if (entries.size >= max) entries.clear();
      entries.set(key, { at: Date.now(), value });
    },
    delete(key: string): void {
      entries.delete(key);
    },
    /** Forgets the key `id` and every key `id:…`. */
    forgetTable(id: string): void {
      entries.delete(id);
      for (const key of entries.keys()) if (key.startsWith(`${id}:`)) entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
  };
}
