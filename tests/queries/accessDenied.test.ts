/** access-denied on real records, against answers read off the raw JSON. */
import { describe, expect, it } from 'vitest';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const grycap2014 = ['2014-09-26T00:00:00Z', '2014-09-28T00:00:00Z'] as const;
const invictus = () => rawRecords('invictus-attack-simulation');
const _inGrycap2014 = () =>
  rawRecords('grycap-research-account').filter(
    (r) => r.eventTime >= grycap2014[0] && r.eventTime < grycap2014[1],
  );

describe('access-denied', () => {
  it('groups every refused call of the simulation by principal, action and error, with counts', async () => {
    const denied = invictus().filter((r) => /AccessDenied|UnauthorizedOperation/.test(r.errorCode ?? ''));
    const expected = new Map<string, number>();
    for (const r of denied) {
      const key = `${r.userIdentity.arn}|${r.eventName}|${r.errorCode}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const rows = await api.run('access-denied', {}, ...INVICTUS_DAY);
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
