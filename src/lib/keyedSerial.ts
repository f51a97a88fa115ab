/**
 * Work queued per key: each piece runs after the one before it for the same key, whatever that
 * one's outcome, so that read-modify-writes of one record never interleave in this process.
 */
export class KeyedSerial {
  /** The last piece queued for each key: the next one waits for it. */
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const next = before.then(work, work);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}
