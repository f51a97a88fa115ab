/**
 * logging-tampering on real records (or, where no real set has an example, on the records written
 * from AWS's published examples), against answers read off the raw JSON.
 */
import { describe, expect, it } from 'vitest';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, ids, rowIds, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();

describe('logging-tampering', () => {
  it('lists every trail, log group and flow log change of the simulation, failed ones too', async () => {
    const tampering = new Set([
      'StopLogging',
      'DeleteTrail',
      'UpdateTrail',
      'PutEventSelectors',
      'PutInsightSelectors',
      'DeleteLogGroup',
      'DeleteLogStream',
      'PutRetentionPolicy',
      'DeleteFlowLogs',
    ]);
    const expected = rawRecords('invictus-attack-simulation').filter((r) => tampering.has(r.eventName));
    expect(expected.length).toBe(10);
    const rows = await api.run('logging-tampering', {}, ...INVICTUS_DAY);
    expect(rowIds(rows)).toEqual(ids(expected));
    expect(rows.filter((r) => r.eventname === 'StopLogging').map((r) => [r.error_code, r.target])).toEqual([
      ['TrailNotFoundException', 'stratus-red-team-ct-stop-trail-qzbgnfqisx'],
      ['TrailNotFoundException', 'stratus-red-team-ct-stop-trail-qzbgnfqisx'],
      ['TrailNotFoundException', 'stratus-red-team-ct-stop-trail-qzbgnfqisx'],
    ]);
  });

  it('finds the Stratus set StopLogging, DeleteTrail and PutEventSelectors', async () => {
    const expected = rawRecords('stratus-detonations-pseudonymized').filter((r) =>
      ['StopLogging', 'DeleteTrail', 'PutEventSelectors'].includes(r.eventName),
    );
    const rows = await api.run('logging-tampering', {}, '2024-07-01T00:00:00Z', '2024-12-01T00:00:00Z');
    expect(rowIds(rows)).toEqual(expect.arrayContaining(ids(expected)));
    expect(rows.length).toBeGreaterThanOrEqual(expected.length);
  });
});
