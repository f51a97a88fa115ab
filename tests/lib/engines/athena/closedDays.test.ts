/** Which days the compaction on AWS may take, and which the daily run takes. */
import { describe, expect, it } from 'vitest';
import { daysFrom, lastClosedDay } from '../../../../src/lib/engines/athena/compaction/closedDays.js';
import { scheduledDays } from '../../../../src/lib/engines/athena/compaction/compactDays.js';
import {
  partitionPrefix,
  unloadStatement,
} from '../../../../src/lib/engines/athena/compaction/unloadPartition.js';
import {
  coveredRange,
  extendRange,
  extensibleRange,
} from '../../../../src/lib/engines/athena/compaction/watermark.js';

const SETS = { accounts: ['111122223333'], regions: ['us-east-1'] };

describe('closed days', () => {
  it('closes a day an hour after it ends, UTC', () => {
    expect(lastClosedDay(new Date('2024-03-02T00:59:59Z'))).toBe('2024/02/29');
    expect(lastClosedDay(new Date('2024-03-02T01:00:00Z'))).toBe('2024/03/01');
  });

  it('counts days across months and leap years', () => {
    expect(daysFrom('2024/02/28', '2024/03/01')).toEqual(['2024/02/28', '2024/02/29', '2024/03/01']);
    expect(daysFrom('2024/03/02', '2024/03/01')).toEqual([]);
    expect(() => daysFrom('2023/02/29', '2023/03/01')).toThrow(/Not a day/);
  });

  it('schedules the closed days after the watermark, a week at most; yesterday alone at first', () => {
    const now = new Date('2024-03-20T01:30:00Z');
    expect(scheduledDays(undefined, now, 7)).toEqual(['2024/03/19']);
    expect(
      scheduledDays(
        { from: '2024/01/01', through: '2024/03/19', updatedAt: now.toISOString(), ...SETS },
        now,
        7,
      ),
    ).toEqual([]);
    expect(
      scheduledDays(
        { from: '2024/01/01', through: '2024/03/17', updatedAt: now.toISOString(), ...SETS },
        now,
        7,
      ),
    ).toEqual(['2024/03/18', '2024/03/19']);
    expect(
      scheduledDays(
        { from: '2024/01/01', through: '2024/03/01', updatedAt: now.toISOString(), ...SETS },
        now,
        7,
      ),
    ).toHaveLength(7);
  });
});

describe('the compacted range', () => {
  it('is read only when it covers every account and region executions may read', () => {
    const watermark = {
      from: '2024/03/10',
      through: '2024/03/20',
      updatedAt: '2024-03-21T01:30:00.000Z',
      ...SETS,
    };
    expect(coveredRange(watermark, ['111122223333'], ['us-east-1'])).toEqual({
      from: '2024/03/10',
      through: '2024/03/20',
    });
    expect(coveredRange(watermark, ['111122223333', '444455556666'], ['us-east-1'])).toBeUndefined();
    expect(coveredRange(watermark, ['111122223333'], ['us-east-1', 'eu-west-1'])).toBeUndefined();
    expect(coveredRange(undefined, ['111122223333'], ['us-east-1'])).toBeUndefined();
    // A compaction of other sets starts a new range rather than extending one its days lack.
    expect(extensibleRange(watermark, ['111122223333'], ['us-east-1', 'eu-west-1'])).toBeUndefined();
    expect(extensibleRange(watermark, ['111122223333'], ['us-east-1'])).toEqual({
      from: '2024/03/10',
      through: '2024/03/20',
    });
  });

  it('grows only by days that touch or overlap it', () => {
    const range = { from: '2024/03/10', through: '2024/03/20' };
    expect(extendRange(undefined, range)).toEqual(range);
    expect(extendRange(range, { from: '2024/03/21', through: '2024/03/25' })).toEqual({
      from: '2024/03/10',
      through: '2024/03/25',
    });
    expect(extendRange(range, { from: '2024/03/01', through: '2024/03/09' })).toEqual({
      from: '2024/03/01',
      through: '2024/03/20',
    });
    expect(extendRange(range, { from: '2024/03/12', through: '2024/03/14' })).toEqual(range);
    expect(() => extendRange(range, { from: '2024/03/22', through: '2024/03/25' })).toThrow(/do not touch/);
  });
});

describe('the UNLOAD of a partition', () => {
  it('names its destination only from checked values, and binds them as parameters', () => {
    const unload = unloadStatement('trailhound-store-1', {
      account: '111122223333',
      region: 'eu-west-1',
      day: '2024/03/01',
    });
    expect(unload.parameters).toEqual(['111122223333', 'eu-west-1', '2024/03/01']);
    expect(unload.sql).toContain(
      "TO 's3://trailhound-store-1/cloudtrail/111122223333/eu-west-1/2024/03/01/'",
    );
    expect(unload.sql.match(/\?/g)).toHaveLength(3);
    for (const bad of [
      { account: "1111'22223333", region: 'eu-west-1', day: '2024/03/01' },
      { account: '111122223333', region: "eu-west-1'/*", day: '2024/03/01' },
      { account: '111122223333', region: 'eu-west-1', day: '2024/13/01' },
    ]) {
      expect(() => partitionPrefix(bad)).toThrow(/Not a partition/);
    }
    expect(() =>
      unloadStatement("bucket'x", { account: '111122223333', region: 'eu-west-1', day: '2024/03/01' }),
    ).toThrow(/Not a bucket/);
  });
});
