import { describe, expect, it } from 'vitest';
import { resolveWindow, WindowFieldsSchema } from '../../../src/lib/sql/timeWindow.js';

describe('resolveWindow', () => {
  it('formats both ends as CloudTrail eventTime and adds a day of partition slack after the end', () => {
    expect(resolveWindow({ from: '2023-07-10T12:00:00Z', to: '2023-07-10T13:00:00Z' }, 366)).toEqual({
      window: {
        from: '2023-07-10T12:00:00Z',
        to: '2023-07-10T13:00:00Z',
        firstDay: '2023/07/10',
        lastDay: '2023/07/11',
      },
    });
  });

  it('converts offsets to UTC, floors from and ceils to to the second', () => {
    const { window } = resolveWindow(
      { from: '2023-07-10T14:00:00.900+02:00', to: '2023-07-10T23:59:59.100Z' },
      366,
    ) as {
      window: { from: string; to: string; lastDay: string };
    };
    expect(window.from).toBe('2023-07-10T12:00:00Z');
    expect(window.to).toBe('2023-07-11T00:00:00Z');
    // `to` is exclusive: midnight itself needs no file of the 11th beyond the slack day.
    expect(window.lastDay).toBe('2023/07/11');
  });

  it('defaults to to now', () => {
    const now = Date.parse('2024-01-02T03:04:05Z');
    expect(resolveWindow({ from: '2024-01-01T00:00:00Z' }, 366, now)).toMatchObject({
      window: { to: '2024-01-02T03:04:05Z', lastDay: '2024/01/03' },
    });
  });

  it('refuses an empty or reversed window', () => {
    expect(resolveWindow({ from: '2024-01-02T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 366)).toEqual({
      problem: { field: 'to', detail: '`to` must be later than `from`' },
    });
    expect(resolveWindow({ from: '2024-01-02T00:00:00Z', to: '2024-01-02T00:00:00Z' }, 366)).toHaveProperty(
      'problem',
    );
  });

  it('refuses a window longer than the configured maximum', () => {
    expect(resolveWindow({ from: '2024-01-01T00:00:00Z', to: '2024-01-31T00:00:01Z' }, 30)).toHaveProperty(
      'problem',
    );
    expect(resolveWindow({ from: '2024-01-01T00:00:00Z', to: '2024-01-31T00:00:00Z' }, 30)).toHaveProperty(
      'window',
    );
  });

  it('deduplicates accounts and regions', () => {
    const resolved = resolveWindow(
      {
        from: '2024-01-01T00:00:00Z',
        to: '2024-01-02T00:00:00Z',
        accounts: ['111122223333', '111122223333'],
        regions: ['us-east-1'],
      },
      366,
    );
    expect(resolved).toMatchObject({ window: { accounts: ['111122223333'], regions: ['us-east-1'] } });
  });
});

describe('WindowFieldsSchema', () => {
  it('takes an instant from 1970 to 9999 in UTC, and refuses one outside, offset included', () => {
    const from = (value: string) => WindowFieldsSchema.safeParse({ from: value });
    expect(from('1970-01-01T00:00:00Z').success).toBe(true);
    expect(from('9999-12-31T23:59:59Z').success).toBe(true);
    for (const outside of [
      '0000-01-01T00:00:00+01:00',
      '1969-12-31T23:59:59Z',
      '9999-12-31T23:59:59-01:00',
    ]) {
      const parsed = from(outside);
      expect(parsed.success, outside).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message)).toEqual(['an instant from 1970 to 9999 in UTC']);
    }
    // Text that is no date-time (though Date.parse reads some of it) has one problem, its format's.
    for (const text of ['1969', '12/31/1969', 'yesterday']) {
      expect(from(text).error?.issues.map((i) => i.message)).toEqual([
        'an ISO 8601 date-time such as 2023-07-10T12:00:00Z',
      ]);
    }
  });
});
