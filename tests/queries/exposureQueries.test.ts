/**
 * The catalog's exposure and tampering queries on real records (and, where no real set has an
 * example, on the records written from AWS's published examples), against answers read off the
 * raw JSON.
 */
import { describe, expect, it } from 'vitest';
import { PRIVILEGE_EVENTS } from '../../src/queries/iamPrivilegeChanges.js';
import { allRawRecords, type RawRecord, rawRecords } from '../helpers/cloudtrailData.js';
import { useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const invictusDay = ['2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z'] as const;
const docExamplesDay = ['2024-03-05T00:00:00Z', '2024-03-06T00:00:00Z'] as const;
const ids = (records: RawRecord[]) => records.map((r) => r.eventID as string).sort();
const rowIds = (rows: Record<string, unknown>[]) => rows.map((r) => r.eventid as string).sort();

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
    const rows = await api.run('security-group-exposure', { port: 443 }, ...invictusDay);
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

describe('s3-exposure', () => {
  it('lists the three bucket policies of the simulation and flags the one shared with another account', async () => {
    const rows = await api.run('s3-exposure', {}, ...invictusDay);
    expect(rows.map((r) => [r.eventid, r.bucket_name, r.exposure])).toEqual([
      ['988f1043-3e3d-4d84-803b-1b4d00e0df90', 'stratus-red-team-ctes-bucket-qyxyekjbtk', null],
      ['dfcc072b-da6e-454c-b4bf-f7fbf9052e00', 'stratus-red-team-ctlr-bucket-zqfsvooxqj', null],
      ['d58cf935-0194-41d0-baa0-9efc030ce2e6', 'stratus-red-team-bdbp-lhfzvgcamn', 'cross-account-policy'],
    ]);
    const exposed = await api.run('s3-exposure', { exposedOnly: true }, ...invictusDay);
    expect(rowIds(exposed)).toEqual(['d58cf935-0194-41d0-baa0-9efc030ce2e6']);
  });

  it('flags a public policy and a removed public access block (records written from AWS examples)', async () => {
    const rows = await api.run('s3-exposure', { bucketName: 'amzn-s3-demo-bucket' }, ...docExamplesDay);
    expect(rows.map((r) => [r.eventname, r.exposure])).toEqual([
      ['DeleteBucketPublicAccessBlock', 'public-access-block-removed'],
      ['PutBucketPolicy', 'public-policy'],
    ]);
  });
});

describe('kms-key-deletion (records written from AWS examples)', () => {
  it('lists the key disabled and then scheduled for deletion, with its waiting period', async () => {
    const rows = await api.run('kms-key-deletion', {}, ...docExamplesDay);
    expect(
      rows.map((r) => [r.eventname, r.principal, r.key_id, r.pending_window_days, r.deletion_date]),
    ).toEqual([
      ['DisableKey', 'admin.jones', '1234abcd-12ab-34cd-56ef-1234567890ab', null, null],
      [
        'ScheduleKeyDeletion',
        'admin.jones',
        'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        7,
        'Mar 12, 2024, 10:03:40 AM',
      ],
    ]);
  });

  it('finds nothing in a real set that holds none', async () => {
    expect(await api.run('kms-key-deletion', {}, ...invictusDay)).toEqual([]);
  });
});

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
    const rows = await api.run('logging-tampering', {}, ...invictusDay);
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

describe('iam-privilege-changes', () => {
  it('lists every privilege change of the simulation, and flags the AdministratorAccess attachment', async () => {
    const expected = rawRecords('invictus-attack-simulation').filter(
      (r) =>
        r.eventSource === 'iam.amazonaws.com' &&
        (PRIVILEGE_EVENTS as readonly string[]).includes(r.eventName),
    );
    expect(expected.length).toBe(14);
    const rows = await api.run('iam-privilege-changes', {}, ...invictusDay);
    expect(rowIds(rows)).toEqual(ids(expected));
    const admin = await api.run('iam-privilege-changes', { adminOnly: true }, ...invictusDay);
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
