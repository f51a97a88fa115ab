/**
 * iam-privilege-changes on real records (or, where no real set has an example, on the records
 * written from AWS's published examples), against answers read off the raw JSON.
 */
import { describe, expect, it } from 'vitest';
import { PRIVILEGE_EVENTS } from '../../src/queries/iamPrivilegeChanges.js';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, ids, rowIds, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();

describe('iam-privilege-changes', () => {
  it('lists every privilege change of the simulation, and flags the AdministratorAccess attachment', async () => {
    const expected = rawRecords('invictus-attack-simulation').filter(
      (r) =>
        r.eventSource === 'iam.amazonaws.com' &&
        (PRIVILEGE_EVENTS as readonly string[]).includes(r.eventName),
    );
    expect(expected.length).toBe(14);
    const rows = await api.run('iam-privilege-changes', {}, ...INVICTUS_DAY);
    expect(rowIds(rows)).toEqual(ids(expected));
    const admin = await api.run('iam-privilege-changes', { adminOnly: true }, ...INVICTUS_DAY);
    expect(admin.map((r) => [r.eventid, r.eventname, r.target_type, r.target_name])).toEqual([
      [
        '493e08b7-63e4-49a4-832a-1a7598ce78e5',
        'AttachRolePolicy',
        'role',
        'stratus-red-team-backdoor-r-role',
      ],
      ['f4923a37-92d5-4dfd-9786-6caef2b5f33c', 'AttachUserPolicy', 'user', 'malicious-iam-user'],
    ]);
    expect(admin.every((r) => r.policy_arn === 'arn:aws:iam::aws:policy/AdministratorAccess')).toBe(true);
    expect(
      rows.filter((r) => r.eventname === 'UpdateAssumeRolePolicy').every((r) => r.target_type === 'role'),
    ).toBe(true);
  });
});
