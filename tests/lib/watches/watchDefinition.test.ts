/**
 * What a run of a watch asks: the window over the last `lookback`, reaching back after a failed run
 * to where the last one that succeeded ended, within the window limit; and where a PagerDuty
 * routing key may be sent.
 */
import { describe, expect, it } from 'vitest';
import { loadDuckDbConfig } from '../../../src/lib/config.js';
import {
  checkWatchBody,
  planRun,
  routingKeyRefusal,
  type WatchDefinition,
} from '../../../src/lib/watches/watchDefinition.js';

const limits = loadDuckDbConfig({});
const watch: WatchDefinition = {
  query: 'sweep',
  parameters: {},
  every: 'PT1H',
  lookback: 'PT1H30M',
  notify: { url: 'https://hooks.example.com/x', format: 'trailhound' },
};
const now = Date.parse('2026-12-05T12:00:00Z');
const windowOf = (coveredTo?: string) => {
  const planned = planRun('00000000-0000-4000-8000-000000000001', watch, limits, { now, coveredTo });
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return [planned.plan.window.from, planned.plan.window.to];
};

describe('a run of a watch', () => {
  it('asks [now - lookback, now] after a run that succeeded', () => {
    expect(windowOf()).toEqual(['2026-12-05T10:30:00Z', '2026-12-05T12:00:00Z']);
    expect(windowOf('2026-12-05T11:00:00Z')).toEqual(['2026-12-05T10:30:00Z', '2026-12-05T12:00:00Z']);
  });

  it('reaches back after failed runs to where the last that succeeded ended, less the same overlap', () => {
    // 10:00 succeeded (window to 10:00), 11:00 failed: 12:00 reads from 09:30, not 10:30.
    expect(windowOf('2026-12-05T10:00:00Z')).toEqual(['2026-12-05T09:30:00Z', '2026-12-05T12:00:00Z']);
  });

  it('never past the window limit', () => {
    expect(windowOf('2024-01-01T00:00:00Z')[0]).toBe(
      `${new Date(now - limits.TRAILHOUND_MAX_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 19)}Z`,
    );
  });
});

describe('a schedule out of bounds', () => {
  const body = (schedule: Record<string, string>) => ({
    query: 'sweep',
    ...schedule,
    notify: { url: 'https://hooks.example.com/x' },
  });
  const allowing = loadDuckDbConfig({ TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: 'https://hooks.example.com' });
  const check = (schedule: Record<string, string>) =>
    checkWatchBody(body(schedule), allowing, { now, hasSecret: async () => false });

  it('is a problem of its own field, however long the duration (no date is made of it)', async () => {
    // P200000000D is a valid ISO 8601 duration, and 548,000 years before now no date.
    expect(await check({ every: 'PT1H', lookback: 'P200000000D' })).toEqual({
      ok: false,
      problems: [
        {
          pointer: '#/body/lookback',
          detail: `at most the window limit, ${limits.TRAILHOUND_MAX_WINDOW_DAYS} days (TRAILHOUND_MAX_WINDOW_DAYS)`,
        },
      ],
    });
    expect(await check({ every: 'P200000000D' })).toEqual({
      ok: false,
      problems: [{ pointer: '#/body/every', detail: 'from PT5M to P1D' }],
    });
    expect(await check({ every: 'PT1H', lookback: `P${limits.TRAILHOUND_MAX_WINDOW_DAYS}D` })).toMatchObject({
      ok: true,
    });
  });

  it('kept from a deployment with a longer window limit, is refused by a run as a problem, not thrown', () => {
    const kept: WatchDefinition = { ...watch, lookback: 'P3650D' };
    expect(planRun('00000000-0000-4000-8000-000000000001', kept, limits, { now })).toEqual({
      ok: false,
      problems: [expect.objectContaining({ pointer: '#/body/lookback' })],
    });
    const longer = loadDuckDbConfig({ TRAILHOUND_MAX_WINDOW_DAYS: '3660' });
    expect(planRun('00000000-0000-4000-8000-000000000001', kept, longer, { now }).ok).toBe(true);
  });
});

describe('a PagerDuty routing key', () => {
  it("is sent to PagerDuty's Events API origins only, unless the deployment lists others", () => {
    expect(routingKeyRefusal('https://events.pagerduty.com/v2/enqueue', limits)).toBeUndefined();
    expect(routingKeyRefusal('https://events.eu.pagerduty.com/v2/enqueue', limits)).toBeUndefined();
    expect(routingKeyRefusal('https://hooks.example.com/v2/enqueue', limits)).toMatch(
      /sent to PagerDuty's origins only .*TRAILHOUND_PAGERDUTY_ORIGINS.*not https:\/\/hooks\.example\.com/,
    );
    const listed = loadDuckDbConfig({ TRAILHOUND_PAGERDUTY_ORIGINS: 'http://127.0.0.1:4000' });
    expect(routingKeyRefusal('http://127.0.0.1:4000/v2/enqueue', listed)).toBeUndefined();
    expect(routingKeyRefusal('https://events.pagerduty.com/v2/enqueue', listed)).toBeDefined();
  });
});
