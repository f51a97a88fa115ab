/**
 * A map that keeps its most recently set entries, at most `limit` of them: setting a key makes it
 * the newest, and the oldest goes when one more would not fit. For what a server remembers
 * between requests (parsed manifests, the columns a statement reads, its result's types).
 */
export class RecentMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}
