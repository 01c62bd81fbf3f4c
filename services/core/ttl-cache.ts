/**
 * A small time-bounded memo for values that rarely change and are read on every request (a program's
 * terms, an issuer's right, a registered collector). Only what was found is cached, so a grant or a
 * registration is visible at once; a change to a cached value is visible within `ttlMs`.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: K, load: () => Promise<V | undefined>, now = Date.now()): Promise<V | undefined> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = await load();
    if (value === undefined) {
      this.entries.delete(key);
      return undefined;
    }
    // Map keeps insertion order: the first key is the oldest, a cheap approximation of LRU.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, { value, expires: now + this.ttlMs });
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
