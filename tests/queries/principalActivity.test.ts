import { describe, expect, it } from 'vitest';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { ids, rowIds, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const activity = (parameters: Record<string, unknown>, from: string, to: string) =>
  api.run('principal-activity', parameters, from, to);

describe('principal-activity on real records', () => {
  it('by userName: every call bert-jan made in the invictus simulation', async () => {
    const expected = rawRecords('invictus-attack-simulation').filter(
      (r) => r.userIdentity.userName === 'bert-jan',
    );
    expect(expected).toHaveLength(2642);
    const rows = await activity({ userName: 'bert-jan' }, '2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z');
    expect(rowIds(rows)).toEqual(ids(expected));
    const first = expected.map((r) => r.eventTime as string).sort()[0];
    expect(rows[0]).toMatchObject({ eventtime: first, principal: 'bert-jan', principal_type: 'IAMUser' });
    expect(rows.map((r) => r.eventtime)).toEqual([...rows.map((r) => r.eventtime as string)].sort());
  });

  it("by accessKeyId: every call signed with bert-jan's key", async () => {
    const key = 'AKIATFQR7NSC8Q4X20BJ';
    const expected = rawRecords('invictus-attack-simulation').filter(
      (r) => r.userIdentity.accessKeyId === key,
    );
    const rows = await activity({ accessKeyId: key }, '2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z');
    expect(expected.length).toBeGreaterThan(100);
    expect(rowIds(rows)).toEqual(ids(expected));
  });

  it('by role ARN: every session of the role; by session ARN: that session only', async () => {
    const assumed = rawRecords('invictus-attack-simulation').filter(
      (r) => r.userIdentity.type === 'AssumedRole',
    );
    const roleArn = assumed[0]?.userIdentity.sessionContext.sessionIssuer.arn as string;
    const sessionArn = assumed[0]?.userIdentity.arn as string;
    const byRole = assumed.filter((r) => r.userIdentity.sessionContext.sessionIssuer.arn === roleArn);
    const bySession = assumed.filter((r) => r.userIdentity.arn === sessionArn);
    const roleRows = await activity({ arn: roleArn }, '2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z');
    const sessionRows = await activity({ arn: sessionArn }, '2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z');
    expect(rowIds(roleRows)).toEqual(ids(byRole));
    expect(rowIds(sessionRows)).toEqual(ids(bySession));
    expect(sessionRows[0]?.principal).toBe(
      `${assumed[0]?.userIdentity.sessionContext.sessionIssuer.userName}/${sessionArn.split('/').at(-1)}`,
    );
  });

  it('by principalId: an AROA role id matches each of its sessions', async () => {
    const assumed = rawRecords('invictus-attack-simulation').filter(
      (r) => r.userIdentity.type === 'AssumedRole',
    );
    const principalId = String(assumed[0]?.userIdentity.principalId);
    const roleId = principalId.split(':')[0] as string;
    const expected = assumed.filter((r) => (r.userIdentity.principalId as string).startsWith(`${roleId}:`));
    const rows = await activity({ principalId: roleId }, '2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z');
    expect(rowIds(rows)).toEqual(ids(expected));
  });

  it('respects the window to the second: from is inclusive, to exclusive', async () => {
    const rows = await activity({ userName: 'bert-jan' }, '2023-07-10T12:10:05Z', '2023-07-10T12:10:08Z');
    const expected = rawRecords('invictus-attack-simulation').filter(
      (r) =>
        r.userIdentity.userName === 'bert-jan' &&
        r.eventTime >= '2023-07-10T12:10:05Z' &&
        r.eventTime < '2023-07-10T12:10:08Z',
    );
    expect(rowIds(rows)).toEqual(ids(expected));
    expect(rows.map((r) => r.eventid)).toContain('7e96f0e7-4d78-423d-b3f5-391370685b30');
    expect(rows.map((r) => r.eventid)).not.toContain('74bd84b4-6729-4895-b2a4-e2beb7c6b377');
  });
});
