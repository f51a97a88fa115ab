import { describe, expect, it } from 'vitest';
import { formatIsoDuration, parseIsoDuration } from '../../src/lib/isoDuration.js';

describe('ISO 8601 durations', () => {
  it('reads weeks, days, hours, minutes and seconds', () => {
    expect(parseIsoDuration('PT5M')).toBe(300_000);
    expect(parseIsoDuration('PT1H30M')).toBe(5_400_000);
    expect(parseIsoDuration('P1D')).toBe(86_400_000);
    expect(parseIsoDuration('P1W')).toBe(7 * 86_400_000);
    expect(parseIsoDuration('P1DT2H3M4S')).toBe(86_400_000 + 7_200_000 + 180_000 + 4_000);
  });

  it('refuses what is not one, and years and months, whose length depends on the calendar', () => {
    for (const text of ['', 'P', 'PT', 'P1DT', '5M', 'PT5m', 'P1Y', 'P1M', 'PT-5M', 'PT1.5H', 'P1D ']) {
      expect(parseIsoDuration(text), text).toBeUndefined();
    }
  });

  it('writes the shortest form, which reads back the same', () => {
    expect(formatIsoDuration(5_400_000)).toBe('PT1H30M');
    expect(formatIsoDuration(86_400_000 + 1_800_000)).toBe('P1DT30M');
    expect(formatIsoDuration(0)).toBe('PT0S');
    for (const ms of [300_000, 3_600_000 + 1_000, 2 * 86_400_000 + 60_000]) {
      expect(parseIsoDuration(formatIsoDuration(ms))).toBe(ms);
    }
  });
});
