/**
 * The catalog's who-did-what queries on real records, against answers read off the raw JSON.
 */
import { describe, expect, it } from 'vitest';
import { cidrRange } from '../../src/queries/sourceIpActivity.js';
import { type RawRecord, rawRecords } from '../helpers/cloudtrailData.js';
import { useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const invictusDay = ['2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z'] as const;
const grycap2014 = ['2014-09-26T00:00:00Z', '2014-09-28T00:00:00Z'] as const;
const ids = (records: RawRecord[]) => records.map((r) => r.eventID as string).sort();
const rowIds = (rows: Record<string, unknown>[]) => rows.map((r) => r.eventid as string).sort();
const invictus = () => rawRecords('invictus-attack-simulation');
const inGrycap2014 = () =>
  rawRecords('grycap-research-account').filter(
    (r) => r.eventTime >= grycap2014[0] && r.eventTime < grycap2014[1],
  );

describe('access-key-activity', () => {
  it('a key created for malicious-iam-user: who created it, who deleted it, never used', async () => {
    const rows = await api.run(
      'access-key-activity',
      { accessKeyId: 'AKIATFQR7NSCQLA2F4OD' },
      ...invictusDay,
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
    const rows = await api.run('access-key-activity', { accessKeyId: key }, ...invictusDay);
    expect(rowIds(rows)).toEqual(ids(invictus().filter((r) => r.userIdentity.accessKeyId === key)));
    expect(rows.every((r) => r.relation === 'used')).toBe(true);
  });
});

describe('source-ip-activity', () => {
  it('an exact address and the /24 around it find the same calls', async () => {
    const expected = ids(invictus().filter((r) => r.sourceIPAddress === '192.168.10.20'));
    expect(expected.length).toBeGreaterThan(2000);
    const exact = await api.run('source-ip-activity', { ip: '192.168.10.20' }, ...invictusDay);
    expect(rowIds(exact)).toEqual(expected);
    const inCidr = ids(invictus().filter((r) => /^192\.168\.10\.\d+$/.test(r.sourceIPAddress)));
    const cidr = await api.run('source-ip-activity', { cidr: '192.168.10.0/24' }, ...invictusDay);
    expect(rowIds(cidr)).toEqual(inCidr);
  });

  it('a CIDR compares addresses as numbers, and an AWS service name matches as written', async () => {
    expect(cidrRange('192.168.10.0/24')).toEqual([3232238080, 3232238335]);
    expect(cidrRange('10.1.2.3/8')).toEqual([167772160, 184549375]);
    const services = invictus().filter((r) => r.sourceIPAddress === 'ssm.amazonaws.com');
    const rows = await api.run('source-ip-activity', { ip: 'ssm.amazonaws.com' }, ...invictusDay);
    expect(rowIds(rows)).toEqual(ids(services));
  });
});

describe('console-logins', () => {
  it('2014 sign-ins (eventVersion 1.01): outcome, MFA, root, failures with their reason', async () => {
    const expected = inGrycap2014().filter((r) => r.eventName === 'ConsoleLogin');
    expect(expected.length).toBe(18);
    expect(expected.every((r) => r.eventVersion === '1.01' && r.eventType === undefined)).toBe(true);
    const rows = await api.run('console-logins', {}, ...grycap2014);
    expect(rowIds(rows)).toEqual(ids(expected));
    const rootLogin = expected.filter((r) => r.userIdentity.type === 'Root');
    expect(rootLogin).toHaveLength(1);
    expect(rows.filter((r) => r.root).map((r) => [r.eventid, r.principal])).toEqual([
      [rootLogin[0]?.eventID, 'root'],
    ]);
    const failures = await api.run('console-logins', { failuresOnly: true }, ...grycap2014);
    expect(failures.map((r) => [r.principal, r.outcome, r.error_message])).toEqual([
      ['HIDDEN_DUE_TO_SECURITY_REASONS', 'Failure', 'No username found in supplied account'],
      ['alucloud34', 'Failure', 'Failed authentication'],
    ]);
    const hidden = await api.run(
      'console-logins',
      { userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      ...grycap2014,
    );
    expect(hidden).toHaveLength(1);
  });

  it("MFAUsed 'Yes' and 'No': withoutMfaOnly keeps the sign-in without MFA (invictus)", async () => {
    const rows = await api.run('console-logins', {}, ...invictusDay);
    expect(rows.map((r) => [r.principal, r.mfa_used])).toEqual([
      ['stratus-red-team-nmfalu-gfjyeaypjt', false],
      ['bert-jan', true],
    ]);
    const withoutMfa = await api.run('console-logins', { withoutMfaOnly: true }, ...invictusDay);
    expect(withoutMfa.map((r) => r.principal)).toEqual(['stratus-red-team-nmfalu-gfjyeaypjt']);
  });

  it("MFAUsed 'NO' in upper case is no MFA", async () => {
    const rows = await api.run(
      'console-logins',
      { withoutMfaOnly: true },
      '2024-03-05T00:00:00Z',
      '2024-03-06T00:00:00Z',
    );
    expect(rows.map((r) => [r.eventid, r.principal, r.mfa_used])).toEqual([
      ['f1a2b3c4-0000-4000-8000-000000000022', 'ops.smith', false],
    ]);
  });
});

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
    expect(await api.run('root-activity', {}, ...invictusDay)).toEqual([]);
  });
});

describe('access-denied', () => {
  it('groups every refused call of the simulation by principal, action and error, with counts', async () => {
    const denied = invictus().filter((r) => /AccessDenied|UnauthorizedOperation/.test(r.errorCode ?? ''));
    const expected = new Map<string, number>();
    for (const r of denied) {
      const key = `${r.userIdentity.arn}|${r.eventName}|${r.errorCode}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const rows = await api.run('access-denied', {}, ...invictusDay);
    expect(new Map(rows.map((r) => [`${r.principal_arn}|${r.eventname}|${r.error_code}`, r.events]))).toEqual(
      expected,
    );
    expect(rows[0]).toMatchObject({
      eventname: 'GetPasswordData',
      error_code: 'Client.UnauthorizedOperation',
      events: 29,
    });
    const first = denied
      .filter((r) => r.eventName === 'GetPasswordData')
      .map((r) => r.eventTime as string)
      .sort();
    expect(rows[0]).toMatchObject({ first_seen: first[0], last_seen: first.at(-1) });
  });
});

describe('events', () => {
  it('combines filters: event names and a principal', async () => {
    const expected = invictus().filter(
      (r) => ['CreateUser', 'DeleteUser'].includes(r.eventName) && r.userIdentity.userName === 'bert-jan',
    );
    const rows = await api.run(
      'events',
      { eventNames: ['CreateUser', 'DeleteUser'], principal: 'bert-jan' },
      ...invictusDay,
    );
    expect(rowIds(rows)).toEqual(ids(expected));
    expect(rows).toHaveLength(8);
  });

  it('error code, read-only and event source', async () => {
    const denied = await api.run('events', { errorCode: 'AccessDenied' }, ...invictusDay);
    expect(rowIds(denied)).toEqual(ids(invictus().filter((r) => r.errorCode === 'AccessDenied')));
    const iamWrites = await api.run(
      'events',
      { eventSource: 'iam.amazonaws.com', readOnly: false },
      ...invictusDay,
    );
    expect(rowIds(iamWrites)).toEqual(
      ids(invictus().filter((r) => r.eventSource === 'iam.amazonaws.com' && r.readOnly === false)),
    );
  });

  it('a resource name found in the request parameters', async () => {
    const rows = await api.run(
      'events',
      { resourceName: 'stratus-red-team-bdbp-lhfzvgcamn' },
      ...invictusDay,
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

describe('activity-timeline', () => {
  it('counts events and errors per hour and event name, exactly as the raw records add up', async () => {
    const expected = new Map<string, [number, number]>();
    for (const r of invictus().filter((x) => x.userIdentity.userName === 'bert-jan')) {
      const key = `${r.eventTime.slice(0, 13)}:00:00Z|${r.eventName}`;
      const [n, e] = expected.get(key) ?? [0, 0];
      expected.set(key, [n + 1, e + (r.errorCode ? 1 : 0)]);
    }
    const request = {
      query: 'activity-timeline',
      parameters: { principal: 'bert-jan' },
      from: invictusDay[0],
      to: invictusDay[1],
    };
    const rows = await api.run(request.query, request.parameters, ...invictusDay);
    expect(new Map(rows.map((r) => [`${r.period}|${r.eventname}`, [r.events, r.errors]]))).toEqual(expected);
    const daily = await api.run('activity-timeline', { granularity: 'day' }, ...invictusDay);
    expect(daily.reduce((sum, r) => sum + (r.events as number), 0)).toBe(invictus().length);
    expect(new Set(daily.map((r) => r.period))).toEqual(new Set(['2023-07-10T00:00:00Z']));
  });
});
