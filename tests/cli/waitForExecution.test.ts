/** How long the CLI waits between looks at a running execution: what Retry-After asks (250 ms at least), else a second. */
import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/cli/waitForExecution.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each([
    [null, 1000],
    ['', 1000],
    ['2', 2000],
    // Never faster than every 250 ms, whatever an endpoint asks.
    ['0', 250],
    ['soon', 1000],
    ['3600', 30_000],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 250],
  ])('Retry-After %j waits %i ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});
