/**
 * Time as long-running work sees it: what time it is, and waiting. Code that polls or keeps to a
 * deadline takes a Clock, so that a test can run fifteen minutes of it in a second (a virtual
 * clock) and still be exact about what happens when.
 */
/** A day of UTC, in milliseconds. */
export const DAY_MS = 86_400_000;

export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
