/** Runs at most `limit` tasks at once; the others wait their turn in order of arrival. */
export class RunQueue {
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(readonly limit: number) {}

  async run(task: () => Promise<void>): Promise<void> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running += 1;
    try {
      await task();
    } finally {
      this.#running -= 1;
      this.#waiting.shift()?.();
    }
  }
}
