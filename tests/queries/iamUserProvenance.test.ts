import { describe, expect, it } from 'vitest';
import { useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();

describe('iam-user-provenance on real records', () => {
  it('malicious-iam-user: created by bert-jan, given AdministratorAccess, a key, then deleted (invictus)', async () => {
    const rows = await api.run(
      'iam-user-provenance',
      { userName: 'malicious-iam-user' },
      '2023-07-10T00:00:00Z',
      '2023-07-11T00:00:00Z',
    );
    // Read off the raw records: IAM write events whose requestParameters.userName is the user.
    expect(rows.map((r) => [r.eventtime, r.eventname, r.principal, r.admin_policy])).toEqual([
      ['2023-07-10T12:24:49Z', 'CreateUser', 'bert-jan', false],
      ['2023-07-10T12:24:49Z', 'AttachUserPolicy', 'bert-jan', true],
      ['2023-07-10T12:24:50Z', 'CreateAccessKey', 'bert-jan', false],
      ['2023-07-10T12:28:24Z', 'DeleteAccessKey', 'bert-jan', false],
      ['2023-07-10T12:28:24Z', 'DetachUserPolicy', 'bert-jan', false],
      ['2023-07-10T12:28:24Z', 'DeleteUser', 'bert-jan', false],
    ]);
    expect(rows.map((r) => r.eventid)).toEqual([
      '85c89720-8103-4281-9e0e-8977b52bcdbe',
      'f4923a37-92d5-4dfd-9786-6caef2b5f33c',
      '8c282c0b-00d1-4369-95b7-cb50b6eee620',
      '20e603c0-e2d6-4bc4-9f25-031d3e314950',
      '7dfa2d8e-aa3d-44d1-bd90-d990f58311e0',
      '0bb0dbe3-f64f-461a-aa94-bde583ff90b6',
    ]);
    expect(rows[1]?.policy_arn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(rows[2]?.target_access_key_id).toBe('AKIATFQR7NSCQLA2F4OD');
    // Reads (ListAccessKeys) are not changes to the user.
    expect(rows.map((r) => r.eventid)).not.toContain('b6349c43-9682-40c4-abf2-f57fb09ccaed');
  });

  it('the same user name in another account and year is another history (stratus 2024)', async () => {
    const rows = await api.run(
      'iam-user-provenance',
      { userName: 'malicious-iam-user' },
      '2024-08-01T00:00:00Z',
      '2024-08-02T00:00:00Z',
    );
    expect(rows.map((r) => [r.eventname, r.principal, r.account])).toEqual([
      ['CreateUser', 'christophe', '229654561268'],
      ['AttachUserPolicy', 'christophe', '229654561268'],
      ['CreateAccessKey', 'christophe', '229654561268'],
    ]);
  });

  it('a login profile shows up for a console user (invictus)', async () => {
    const rows = await api.run(
      'iam-user-provenance',
      { userName: 'stratus-red-team-login-profile-user' },
      '2023-07-10T00:00:00Z',
      '2023-07-11T00:00:00Z',
    );
    expect(rows.map((r) => [r.eventname, r.eventid])).toEqual([
      ['CreateUser', '564ee71e-5934-49b7-8a5f-d6f4d9248018'],
      ['CreateLoginProfile', 'f0d7bb15-75c8-4770-a500-92d1f71b948c'],
      ['DeleteLoginProfile', 'b1b84418-3c77-4f3e-817b-e6930d1cab70'],
      ['DeleteLoginProfile', 'dddcd0f2-b515-4772-90e6-7c748ad5f514'],
      ['DeleteUser', '4be3f777-c2a8-4455-88a4-9dc6f0dc0f09'],
    ]);
  });
});
