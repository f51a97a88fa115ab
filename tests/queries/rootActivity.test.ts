/** root-activity on real records, against answers read off the raw JSON. */
import { describe, expect, it } from 'vitest';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, ids, rowIds, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const grycap2014 = ['2014-09-26T00:00:00Z', '2014-09-28T00:00:00Z'] as const;
const invictus = () => rawRecords('invictus-attack-simulation');
const inGrycap2014 = () =>
  rawRecords('grycap-research-account').filter(
    (r) => r.eventTime >= grycap2014[0] && r.eventTime < grycap2014[1],
  );

describe('root-activity', () => {
  it('every root call of 2014-09-26/27, none of them service events', async () => {
    const person = [undefined, 'signin.amazonaws.com', 'support.amazonaws.com'];
    const expected = inGrycap2014().filter(
      (r) =>
        r.userIdentity.type === 'Root' &&
        person.includes(r.userIdentity.invokedBy) &&
        r.eventType !== 'AwsServiceEvent',
    );
    // 11 by the person; 94 more in root's name were made by Auto Scaling, and are left out.
    expect(expected).toHaveLength(11);
    expect(
      inGrycap2014().filter((r) => r.userIdentity.invokedBy === 'autoscaling.amazonaws.com').length,
    ).toBe(94);
    const rows = await api.run('root-activity', {}, ...grycap2014);
    expect(rowIds(rows)).toEqual(ids(expected));
    expect(rows.every((r) => r.principal === 'root')).toBe(true);
    const changes = await api.run('root-activity', { readOnly: false }, ...grycap2014);
    expect(rowIds(changes)).toEqual(ids(expected.filter((r) => r.readOnly === false)));
  });

  it('finds none in the simulation, where root never acted', async () => {
    expect(invictus().some((r) => r.userIdentity.type === 'Root')).toBe(false);
    expect(await api.run('root-activity', {}, ...INVICTUS_DAY)).toEqual([]);
  });
});
