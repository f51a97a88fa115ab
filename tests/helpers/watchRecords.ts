/** A watch as the stores keep it, for the stores' own tests: a sweep every 15 minutes, never run. */
import type { WatchRecord } from '../../src/lib/watches/watchStore.js';

export const watchRecord = (watchId: string, createdAt = '2026-12-05T00:00:00.000Z'): WatchRecord => ({
  watchId,
  createdAt,
  definition: {
    query: 'sweep',
    parameters: {},
    every: 'PT15M',
    lookback: 'PT45M',
    notify: { url: 'https://hooks.example.com/x', format: 'trailhound' },
  },
  nextRunAt: createdAt,
  totals: { runs: 0, failedRuns: 0, findingsDelivered: 0 },
  pending: [],
});

/** The watch id numbered `n`. */
export const watchIdOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
