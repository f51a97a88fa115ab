/**
 * Retries an AWS call that was throttled (TooManyRequestsException, ThrottlingException), with
 * exponential backoff and full jitter, until a time budget runs out; other errors pass through.
 * (Full jitter: aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/)
 *
 * Underneath, every client retries each call with the SDK's own strategy in adaptive mode
 * (AWS_CLIENT_SETTINGS: a few attempts, and a client-side rate limit once throttled, so a warm
 * container slows down instead of hammering). What the SDK's strategies cannot say is a time
 * budget: they count attempts, and a handler behind API Gateway has 29 s in all. This loop adds
 * that budget on top, for throttling only, and ends with the throttling error itself, which the
 * edge answers as 503 with Retry-After.
 */

/** How every AWS SDK client of trailhound is made: the SDK's adaptive retry mode. */
export const AWS_CLIENT_SETTINGS = { retryMode: 'adaptive', maxAttempts: 3 } as const;

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
