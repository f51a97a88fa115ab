/**
 * The local server's schedule: every tick it runs the watches that are due (Watches.runDue), and
 * it looks at once when a watch is made (its first run is due then). The first tick comes at
 * start, so a run missed while the server was down runs once then.
 */
import { logger } from '../logging/logger.js';
import type { Watches } from './watches.js';

const DEFAULT_TICK_MS = 15_000;

export class WatchScheduler {
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  /** Asked to look while a look was under way: look again when it ends. */
  #again = false;

  constructor(
    private readonly watches: Watches,
    private readonly tickMs = DEFAULT_TICK_MS,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#look(), this.tickMs);
    this.#timer.unref();
    this.watches.whenCreated(() => this.#look());
    this.#look();
  }

  #look(): void {
    if (!this.#timer) return;
    if (this.#tick) {
      this.#again = true;
      return;
    }
    // Runs whose execution ended and were not finished (an error, a restart) first, then the due ones.
    this.#tick = this.watches
      .resume({ waitUntil: Date.now() })
      .then(() => this.watches.runDue())
      .catch((error: unknown) => logger.error('watches could not be scheduled', error as Error))
      .finally(() => {
        this.#tick = undefined;
        if (this.#again) {
          this.#again = false;
          this.#look();
        }
      });
  }

  /** Stops looking; resolves when the look under way has started what it was starting. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    while (this.#tick) await this.#tick;
  }
}
