/** console-logins on real records, against answers read off the raw JSON. */
import { describe, expect, it } from 'vitest';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, ids, rowIds, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const grycap2014 = ['2014-09-26T00:00:00Z', '2014-09-28T00:00:00Z'] as const;
const _invictus = () => rawRecords('invictus-attack-simulation');
const inGrycap2014 = () =>
  rawRecords('grycap-research-account').filter(
    (r) => r.eventTime >= grycap2014[0] && r.eventTime < grycap2014[1],
  );

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
    const rows = await api.run('console-logins', {}, ...INVICTUS_DAY);
    expect(rows.map((r) => [r.principal, r.mfa_used])).toEqual([
      ['stratus-red-team-nmfalu-gfjyeaypjt', false],
      ['bert-jan', true],
    ]);
    const withoutMfa = await api.run('console-logins', { withoutMfaOnly: true }, ...INVICTUS_DAY);
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
