/** mapLimited: order kept, at most `limit` in flight, and after a failure nothing more started, nothing left running. */
import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../src/lib/mapLimited.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapLimited', () => {
  it('keeps the order of the items, with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick(n);
      inFlight -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts nothing after a failure, and throws it only once the calls in flight have ended', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const failed = mapLimited([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('lease lost');
      await tick(30);
      ended.push(n);
      return n;
    });
    await expect(failed).rejects.toThrow('lease lost');
    // 0 was in flight when 1 failed: it ended before the failure was thrown; 2 to 5 never started.
    expect(ended).toEqual([0]);
    expect(started).toEqual([0, 1]);
  });
});
