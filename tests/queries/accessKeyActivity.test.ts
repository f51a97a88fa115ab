/** access-key-activity on real records, against answers read off the raw JSON. */
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

describe('access-key-activity', () => {
  it('a key created for malicious-iam-user: who created it, who deleted it, never used', async () => {
    const rows = await api.run(
      'access-key-activity',
      { accessKeyId: 'AKIATFQR7NSCQLA2F4OD' },
      ...INVICTUS_DAY,
    );
    expect(rows.map((r) => [r.eventid, r.eventname, r.principal, r.relation, r.key_user])).toEqual([
      [
        '8c282c0b-00d1-4369-95b7-cb50b6eee620',
        'CreateAccessKey',
        'bert-jan',
        'created',
        'malicious-iam-user',
      ],
      [
        '20e603c0-e2d6-4bc4-9f25-031d3e314950',
        'DeleteAccessKey',
        'bert-jan',
        'managed',
        'malicious-iam-user',
      ],
    ]);
  });

  it("bert-jan's key: every call signed with it", async () => {
    const key = 'AKIATFQR7NSC8Q4X20BJ';
    const rows = await api.run('access-key-activity', { accessKeyId: key }, ...INVICTUS_DAY);
    expect(rowIds(rows)).toEqual(ids(invictus().filter((r) => r.userIdentity.accessKeyId === key)));
    expect(rows.every((r) => r.relation === 'used')).toBe(true);
  });
});
