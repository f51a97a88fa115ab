import { describe, expect, it, vi } from 'vitest';
import { withThrottleRetry } from '../../../src/lib/aws/throttleRetry.js';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('withThrottleRetry', () => {
  it('backs off with full jitter, doubling the cap each time', async () => {
    const sleeps: number[] = [];
    const call = vi
      .fn()
      .mockRejectedValueOnce(throttled())
      .mockRejectedValueOnce(throttled())
      .mockRejectedValueOnce(throttled())
      .mockResolvedValue('ok');
    const result = await withThrottleRetry(call, {
      budgetMs: 10_000,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(result).toBe('ok');
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('gives up, with the throttling error, when the next wait would pass the budget', async () => {
    let now = 0;
    const call = vi.fn().mockRejectedValue(throttled());
    const error = await withThrottleRetry(call, {
      budgetMs: 1000,
      baseDelayMs: 400,
      random: () => 0.99,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ThrottlingException');
    // Waited 396 ms after the first call; the second wait (792 ms) would end past 1,000 ms.
    expect(call).toHaveBeenCalledTimes(2);
    expect(now).toBe(396);
  });

  it('does not retry other errors', async () => {
    const call = vi.fn().mockRejectedValue(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    await expect(withThrottleRetry(call, { budgetMs: 1000 })).rejects.toThrow('no');
    expect(call).toHaveBeenCalledTimes(1);
  });
});
