/**
 * Values read on first use and kept for `ttlMs`, for what is read on every request but
 * changes rarely (a status, an agency, a key). Callers asking at the same moment share one
 * read; a read that fails is not kept; `forget` drops an entry early (a change made here).
 * Past `maxEntries` the oldest entry makes room.
 */
export function createExpiringCache<K, V>(options: { ttlMs: number; maxEntries?: number }) {
  const entries = new Map<K, { at: number; value: Promise<V> }>();
  const maxEntries = options.maxEntries ?? 10_000;
  return {
    /** The kept value for `key`, or `load()`'s, kept from now. */
    get(key: K, load: () => Promise<V>): Promise<V> {
      const hit = entries.get(key);
      if (hit && Date.now() - hit.at < options.ttlMs) return hit.value;
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      const entry = { at: Date.now(), value: load() };
      entries.set(key, entry);
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.value;
    },
    forget(key: K): void {
      entries.delete(key);
    },
  };
}
export type ExpiringCache<K, V> = ReturnType<typeof createExpiringCache<K, V>>;
