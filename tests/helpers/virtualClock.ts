/**
 * A clock for tests of long-running work that only awaits in-memory doubles: `sleep` does not
 * wait for real time. Whenever everything in the process has gone as far as it can without the
 * time moving (the event loop reaches its check phase twice with the same sleepers), the clock
 * jumps to the earliest wake-up and wakes who slept until then. Fifteen minutes of polling and
 * deadlines then run in well under a second, in the order real time would give them.
 */
import type { Clock } from '../../src/lib/clock.js';

interface Sleeper {
  readonly at: number;
  readonly wake: () => void;
}

export class VirtualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  #driving = false;
  /** How many sleeps were asked for since the clock last moved: it moves only once none are. */
  #asked = 0;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#sleepers.push({ at: this.#now + Math.max(0, ms), wake: resolve });
      this.#asked += 1;
      this.#drive();
    });
  }

  #drive() {
    if (this.#driving) return;
    this.#driving = true;
    let quiet = 0;
    const step = () => {
      if (this.#sleepers.length === 0) {
        this.#driving = false;
        return;
      }
      // Nothing new asked for since the last check: the process waits on the clock alone.
      quiet = this.#asked === 0 ? quiet + 1 : 0;
      this.#asked = 0;
      if (quiet >= 2) {
        quiet = 0;
        const next = Math.min(...this.#sleepers.map((s) => s.at));
        this.#now = Math.max(this.#now, next);
        const due = this.#sleepers.filter((s) => s.at <= this.#now);
        this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
        for (const sleeper of due) sleeper.wake();
      }
      setImmediate(step);
    };
    setImmediate(step);
  }
}
