/**
 * Retries an AWS call that was throttled (TooManyRequestsException, ThrottlingException), with
 * exponential backoff and full jitter, until a time budget runs out; other errors pass through.
 * (Full jitter: aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/)
 */

const THROTTLING_ERRORS = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'SlowDown',
]);

export const isThrottling = (error: unknown): boolean =>
  error instanceof Error && THROTTLING_ERRORS.has(error.name);

export interface RetryOptions {
  /** Total time the retries may take, in ms. */
  readonly budgetMs: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const defaults = {
  baseDelayMs: 100,
  maxDelayMs: 2000,
  random: Math.random,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

export const withThrottleRetry = async <T>(call: () => Promise<T>, options: RetryOptions): Promise<T> => {
  const { budgetMs, baseDelayMs, maxDelayMs, random, sleep, now } = { ...defaults, ...options };
  const deadline = now() + budgetMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error)) throw error;
      const delay = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
      if (now() + delay >= deadline) throw error;
      await sleep(delay);
    }
  }
};
