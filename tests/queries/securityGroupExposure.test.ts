/**
 * security-group-exposure on real records (or, where no real set has an example, on the records
 * written from AWS's published examples), against answers read off the raw JSON.
 */
import { describe, expect, it } from 'vitest';
import { allRawRecords, type RawRecord } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();

describe('security-group-exposure', () => {
  it('finds every world-open rule of 2017-06-01, across every group, as the raw JSON lists them', async () => {
    const expected = allRawRecords()
      .filter((r) => r.eventName === 'AuthorizeSecurityGroupIngress' && r.eventTime.startsWith('2017-06-01'))
      .flatMap((r) =>
        (r.requestParameters.ipPermissions?.items ?? []).flatMap((p: RawRecord) =>
          (p.ipRanges?.items ?? [])
            .filter((x: RawRecord) => x.cidrIp === '0.0.0.0/0')
            .map(() => `${r.eventID}/${p.fromPort}`),
        ),
      )
      .sort();
    expect(expected).toHaveLength(21);
    const rows = await api.run('security-group-exposure', {}, '2017-06-01T00:00:00Z', '2017-06-02T00:00:00Z');
    expect(rows.map((r) => `${r.eventid}/${r.from_port}`).sort()).toEqual(expected);
    // Groups named by id in some calls and by name only in others are all reported.
    expect(rows.some((r) => r.group_id === null && typeof r.group_name === 'string')).toBe(true);
    expect(rows.some((r) => r.group_id === 'sg-84e8fc13')).toBe(true);
  });

  it('narrows to a port, and counts a rule recorded in request and response once (invictus)', async () => {
    const rows = await api.run('security-group-exposure', { port: 443 }, ...INVICTUS_DAY);
    expect(rows.map((r) => [r.eventid, r.principal, r.from_port, r.cidr])).toEqual([
      ['7e96f0e7-4d78-423d-b3f5-391370685b30', 'bert-jan', 443, '0.0.0.0/0'],
    ]);
  });

  it('does not report the pseudonymised 208.236.235.254/0 of the Stratus set as the world', async () => {
    expect(
      await api.run('security-group-exposure', {}, '2024-08-01T00:00:00Z', '2024-08-02T00:00:00Z'),
    ).toEqual([]);
  });
});
