/** events on real records, against answers read off the raw JSON. */
import { describe, expect, it } from 'vitest';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, ids, rowIds, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const grycap2014 = ['2014-09-26T00:00:00Z', '2014-09-28T00:00:00Z'] as const;
const invictus = () => rawRecords('invictus-attack-simulation');
const _inGrycap2014 = () =>
  rawRecords('grycap-research-account').filter(
    (r) => r.eventTime >= grycap2014[0] && r.eventTime < grycap2014[1],
  );

describe('events', () => {
  it('combines filters: event names and a principal', async () => {
    const expected = invictus().filter(
      (r) => ['CreateUser', 'DeleteUser'].includes(r.eventName) && r.userIdentity.userName === 'bert-jan',
    );
    const rows = await api.run(
      'events',
      { eventNames: ['CreateUser', 'DeleteUser'], principal: 'bert-jan' },
      ...INVICTUS_DAY,
    );
    expect(rowIds(rows)).toEqual(ids(expected));
    expect(rows).toHaveLength(8);
  });

  it('error code, read-only and event source', async () => {
    const denied = await api.run('events', { errorCode: 'AccessDenied' }, ...INVICTUS_DAY);
    expect(rowIds(denied)).toEqual(ids(invictus().filter((r) => r.errorCode === 'AccessDenied')));
    const iamWrites = await api.run(
      'events',
      { eventSource: 'iam.amazonaws.com', readOnly: false },
      ...INVICTUS_DAY,
    );
    expect(rowIds(iamWrites)).toEqual(
      ids(invictus().filter((r) => r.eventSource === 'iam.amazonaws.com' && r.readOnly === false)),
    );
  });

  it('a resource name found in the request parameters', async () => {
    const rows = await api.run(
      'events',
      { resourceName: 'stratus-red-team-bdbp-lhfzvgcamn' },
      ...INVICTUS_DAY,
    );
    expect(rowIds(rows)).toEqual(
      ids(
        invictus().filter((r) =>
          JSON.stringify(r.requestParameters ?? {}).includes('stratus-red-team-bdbp-lhfzvgcamn'),
        ),
      ),
    );
  });
});
