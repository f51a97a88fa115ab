import { describe, expect, it } from 'vitest';
import { isCalendarDay } from '../../src/lib/commandLine.js';

describe('isCalendarDay', () => {
  it('takes the days of the calendar written YYYY-MM-DD', () => {
    for (const day of ['2024-01-01', '2024-02-29', '2023-12-31', '2000-02-29'])
      expect(isCalendarDay(day), day).toBe(true);
  });

  it('refuses months and days the calendar has not, and other spellings', () => {
    for (const day of [
      '2023-13-01',
      '2023-00-10',
      '2023-02-29',
      '2023-02-30',
      '2024-04-31',
      '1900-02-29',
      '2024-1-1',
      '20240101',
      '2024-01-01T00:00:00Z',
      '',
    ])
      expect(isCalendarDay(day), day).toBe(false);
  });
});
