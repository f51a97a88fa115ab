/** Which days the compaction on AWS may take, and which the daily run takes. */
import { describe, expect, it } from 'vitest';
import { scheduledDays } from '../../../../src/lib/store/athena/compactDays.js';
import { accountPrefix, dayPrefix, partitionOfKey } from '../../../../src/lib/store/athena/storeLayout.js';
import {
  batchesOf,
  UNLOAD_MAX_PARTITIONS,
  unloadStatement,
} from '../../../../src/lib/store/athena/unloadBatch.js';
import { coveredRange, extendRange, extensibleRange } from '../../../../src/lib/store/athena/watermark.js';
import { daysFrom, lastClosedDay } from '../../../../src/lib/store/closedDays.js';

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
        { from: '2024/01/01', through: '2024/03/19', updatedAt: now.toISOString(), layout: 2, ...SETS },
        now,
        7,
      ),
    ).toEqual([]);
    expect(
      scheduledDays(
        { from: '2024/01/01', through: '2024/03/17', updatedAt: now.toISOString(), layout: 2, ...SETS },
        now,
        7,
      ),
    ).toEqual(['2024/03/18', '2024/03/19']);
    expect(
      scheduledDays(
        { from: '2024/01/01', through: '2024/03/01', updatedAt: now.toISOString(), layout: 2, ...SETS },
        now,
        7,
      ),
    ).toHaveLength(7);
    // A watermark of the first store layout names days nothing reads: the schedule starts again.
    expect(
      scheduledDays(
        { from: '2024/01/01', through: '2024/03/17', updatedAt: now.toISOString(), ...SETS },
        now,
        7,
      ),
    ).toEqual(['2024/03/19']);
  });
});

describe('the compacted range', () => {
  it('is read only when it covers every account and region executions may read', () => {
    const watermark = {
      from: '2024/03/10',
      through: '2024/03/20',
      updatedAt: '2024-03-21T01:30:00.000Z',
      layout: 2,
      ...SETS,
    };
    expect(coveredRange(watermark, ['111122223333'], ['us-east-1'])).toEqual({
      from: '2024/03/10',
      through: '2024/03/20',
    });
    expect(coveredRange(watermark, ['111122223333', '444455556666'], ['us-east-1'])).toBeUndefined();
    expect(coveredRange(watermark, ['111122223333'], ['us-east-1', 'eu-west-1'])).toBeUndefined();
    expect(coveredRange(undefined, ['111122223333'], ['us-east-1'])).toBeUndefined();
    // Days of the first layout (a prefix per account, region and day) are where the table no longer looks.
    const { layout: _first, ...firstLayout } = watermark;
    expect(coveredRange(firstLayout, ['111122223333'], ['us-east-1'])).toBeUndefined();
    expect(extensibleRange(firstLayout, ['111122223333'], ['us-east-1'])).toBeUndefined();
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

describe('the UNLOADs of a day', () => {
  it('cuts a day into batches of at most 100 partitions: 200 accounts in 17 regions in 40', () => {
    const accounts = Array.from({ length: 200 }, (_, i) => String(100000000000 + i));
    const regions = Array.from({ length: 17 }, (_, i) => `eu-test-${i + 1}`);
    const batches = batchesOf('2024/03/01', accounts, regions);
    expect(batches).toHaveLength(40);
    for (const b of batches)
      expect(b.accounts.length * b.regions.length).toBeLessThanOrEqual(UNLOAD_MAX_PARTITIONS);
    // Every account once, in order.
    expect(batches.flatMap((b) => b.accounts)).toEqual([...accounts].sort());
    expect(batchesOf('2024/03/01', ['111122223333'], ['us-east-1'])).toHaveLength(1);
    expect(() =>
      batchesOf(
        '2024/03/01',
        accounts,
        Array.from({ length: 101 }, (_, i) => `r-x-${i}`),
      ),
    ).toThrow(/at most 100 partitions/);
  });

  it('names its destination only from checked values, and binds every value as a parameter', () => {
    const unload = unloadStatement('trailhound-store-1', {
      day: '2024/03/01',
      accounts: ['111122223333', '444455556666'],
      regions: ['eu-west-1', 'us-east-1'],
    });
    expect(unload.parameters).toEqual([
      '2024/03/01',
      '111122223333',
      '444455556666',
      'eu-west-1',
      'us-east-1',
    ]);
    expect(unload.sql).toContain("TO 's3://trailhound-store-1/cloudtrail/2024/03/01/'");
    expect(unload.sql).toContain("partitioned_by = ARRAY['account', 'region']");
    // The partition columns come last in the SELECT, as UNLOAD requires.
    expect(unload.sql).toMatch(/, account, region FROM cloudtrail_logs/);
    expect(unload.sql.match(/\?/g)).toHaveLength(5);
    for (const bad of [
      { day: '2024/03/01', accounts: ["1111'22223333"], regions: ['eu-west-1'] },
      { day: '2024/03/01', accounts: ['111122223333'], regions: ["eu-west-1'/*"] },
      { day: '2024/13/01', accounts: ['111122223333'], regions: ['eu-west-1'] },
    ]) {
      expect(() => unloadStatement('trailhound-store-1', bad), JSON.stringify(bad)).toThrow(/Not a/);
    }
    expect(() =>
      unloadStatement("bucket'x", { day: '2024/03/01', accounts: ['111122223333'], regions: ['eu-west-1'] }),
    ).toThrow(/Not a bucket/);
  });

  it('keys the store as UNLOAD writes partitions and the table projects them', () => {
    expect(dayPrefix('2024/03/01')).toBe('cloudtrail/2024/03/01/');
    expect(accountPrefix('2024/03/01', '111122223333')).toBe('cloudtrail/2024/03/01/account=111122223333/');
    expect(
      partitionOfKey('cloudtrail/2024/03/01/account=111122223333/region=eu-west-1/20240302_x_0'),
    ).toEqual({
      day: '2024/03/01',
      account: '111122223333',
      region: 'eu-west-1',
    });
    expect(partitionOfKey('cloudtrail/111122223333/eu-west-1/2024/03/01/x')).toBeUndefined();
    expect(() => accountPrefix('2024/03/01', '1/../x')).toThrow(/Not an account/);
  });
});
