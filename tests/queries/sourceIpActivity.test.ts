/** source-ip-activity on real records, against answers read off the raw JSON. */
import { describe, expect, it } from 'vitest';
import { cidrRange } from '../../src/queries/sourceIpActivity.js';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, ids, rowIds, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const grycap2014 = ['2014-09-26T00:00:00Z', '2014-09-28T00:00:00Z'] as const;
const invictus = () => rawRecords('invictus-attack-simulation');
const _inGrycap2014 = () =>
  rawRecords('grycap-research-account').filter(
    (r) => r.eventTime >= grycap2014[0] && r.eventTime < grycap2014[1],
  );

describe('source-ip-activity', () => {
  it('an exact address and the /24 around it find the same calls', async () => {
    const expected = ids(invictus().filter((r) => r.sourceIPAddress === '192.168.10.20'));
    expect(expected.length).toBeGreaterThan(2000);
    const exact = await api.run('source-ip-activity', { ip: '192.168.10.20' }, ...INVICTUS_DAY);
    expect(rowIds(exact)).toEqual(expected);
    const inCidr = ids(invictus().filter((r) => /^192\.168\.10\.\d+$/.test(r.sourceIPAddress)));
    const cidr = await api.run('source-ip-activity', { cidr: '192.168.10.0/24' }, ...INVICTUS_DAY);
    expect(rowIds(cidr)).toEqual(inCidr);
  });

  it('a CIDR compares addresses as numbers, and an AWS service name matches as written', async () => {
    expect(cidrRange('192.168.10.0/24')).toEqual([3232238080, 3232238335]);
    expect(cidrRange('10.1.2.3/8')).toEqual([167772160, 184549375]);
    const services = invictus().filter((r) => r.sourceIPAddress === 'ssm.amazonaws.com');
    const rows = await api.run('source-ip-activity', { ip: 'ssm.amazonaws.com' }, ...INVICTUS_DAY);
    expect(rowIds(rows)).toEqual(ids(services));
  });
});
