import { describe, expect, it } from 'vitest';
import { allRawRecords } from '../helpers/cloudtrailData.js';
import { useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const ingress = (parameters: Record<string, unknown>, from: string, to: string) =>
  api.run('security-group-ingress', parameters, from, to);

describe('security-group-ingress on real records', () => {
  it('finds the nested and the flat request form on sg-04cfb7a4712d75b00 (invictus)', async () => {
    const rows = await ingress(
      { groupId: 'sg-04cfb7a4712d75b00' },
      '2023-07-10T00:00:00Z',
      '2023-07-11T00:00:00Z',
    );
    expect(rows.map((r) => [r.eventid, r.principal, r.protocol, r.from_port, r.to_port, r.cidr])).toEqual([
      // requestParameters.ipPermissions.items[].ipRanges.items[] (and its securityGroupRuleSet, counted once)
      ['7e96f0e7-4d78-423d-b3f5-391370685b30', 'bert-jan', 'tcp', 443, 443, '0.0.0.0/0'],
      // flat requestParameters.cidrIp / fromPort / toPort
      ['74bd84b4-6729-4895-b2a4-e2beb7c6b377', 'bert-jan', 'tcp', 22, 22, '0.0.0.0/0'],
    ]);
    expect(rows[1]).toMatchObject({
      eventtime: '2023-07-10T12:10:08Z',
      principal_arn: 'arn:aws:iam::123837392027:user/bert-jan',
      group_id: 'sg-04cfb7a4712d75b00',
      error_code: null,
      account: '123837392027',
    });
  });

  it('narrows to one port: 22 matches the flat rule only', async () => {
    const rows = await ingress(
      { groupId: 'sg-04cfb7a4712d75b00', port: 22 },
      '2023-07-10T00:00:00Z',
      '2023-07-11T00:00:00Z',
    );
    expect(rows.map((r) => r.eventid)).toEqual(['74bd84b4-6729-4895-b2a4-e2beb7c6b377']);
  });

  it('returns a failed attempt by group name with its error code (grycap 2014)', async () => {
    const failed = await ingress(
      { groupName: 'gw-aws-31-win' },
      '2014-09-27T00:00:00Z',
      '2014-09-28T00:00:00Z',
    );
    expect(failed).toEqual([
      expect.objectContaining({
        eventid: '07805e22-2ab0-4db7-81e5-c5900de2928a',
        principal: 'alucloud31',
        error_code: 'Client.InvalidGroup.NotFound',
        group_name: 'gw-aws-31-win',
        from_port: 3389,
        cidr: '0.0.0.0/0',
      }),
    ]);
    const retried = await ingress(
      { groupName: 'gs-aws-31-win' },
      '2014-09-27T00:00:00Z',
      '2014-09-28T00:00:00Z',
    );
    expect(retried.map((r) => [r.eventid, r.error_code])).toEqual([
      ['67a34396-e819-46e7-85a7-360389f1a9ee', null],
    ]);
  });

  it('returns one row per permission when one call opens several ports (grycap sg-84e8fc13)', async () => {
    const rows = await ingress({ groupId: 'sg-84e8fc13' }, '2017-06-01T00:00:00Z', '2017-06-02T00:00:00Z');
    expect(rows.map((r) => [r.eventid, r.from_port])).toEqual([
      ['8261f1a7-ea38-4efd-bbcf-c6250522d408', 22],
      ['8261f1a7-ea38-4efd-bbcf-c6250522d408', 80],
      ['8a189706-4be8-48e0-a651-b776885faab0', 3389],
    ]);
  });

  it('finds ModifySecurityGroupRules and IPv6 ::/0 (records written from AWS examples)', async () => {
    const world = await ingress(
      { groupId: 'sg-0123456789abcdef0' },
      '2024-03-05T00:00:00Z',
      '2024-03-06T00:00:00Z',
    );
    expect(world.map((r) => [r.eventname, r.protocol, r.from_port, r.to_port, r.cidr])).toEqual([
      ['ModifySecurityGroupRules', 'tcp', 23, 23, '0.0.0.0/0'],
      ['AuthorizeSecurityGroupIngress', 'tcp', 3389, 3389, '::/0'],
      // Ports recorded as JSON strings ("20", "25") read as numbers.
      ['AuthorizeSecurityGroupIngress', 'tcp', 20, 25, '0.0.0.0/0'],
    ]);
    const telnet = await ingress(
      { groupId: 'sg-0123456789abcdef0', port: 23 },
      '2024-03-05T00:00:00Z',
      '2024-03-06T00:00:00Z',
    );
    expect(telnet.map((r) => [r.principal, r.eventtime])).toEqual([
      ['admin.jones', '2024-03-05T09:14:02Z'],
      ['ops.smith', '2024-03-05T11:00:00Z'],
    ]);
  });

  it("with cidr 'any' also lists rules to private ranges; protocol -1 matches every port", async () => {
    const rows = await ingress(
      { groupId: 'sg-0123456789abcdef0', cidr: 'any', port: 8443 },
      '2024-03-05T00:00:00Z',
      '2024-03-06T00:00:00Z',
    );
    expect(rows.map((r) => [r.protocol, r.cidr])).toEqual([['-1', '203.0.113.0/24']]);
    const exact = await ingress(
      { groupId: 'sg-0123456789abcdef0', cidr: '203.0.113.0/24' },
      '2024-03-05T00:00:00Z',
      '2024-03-06T00:00:00Z',
    );
    expect(exact).toHaveLength(1);
  });

  it('matches every world-open ingress rule of the raw records, group by group', async () => {
    // Worked out from the raw JSON: every 0.0.0.0/0 range of every AuthorizeSecurityGroupIngress in 2017-06.
    const expected = allRawRecords()
      .filter((r) => r.eventName === 'AuthorizeSecurityGroupIngress' && r.eventTime.startsWith('2017-06-01'))
      .flatMap((r) =>
        (r.requestParameters.ipPermissions?.items ?? []).flatMap(
          (p: { fromPort: number; ipRanges?: { items?: { cidrIp: string }[] } }) =>
            (p.ipRanges?.items ?? [])
              .filter((range) => range.cidrIp === '0.0.0.0/0')
              .map(() => ({
                id: r.eventID,
                group: r.requestParameters.groupId ?? r.requestParameters.groupName,
                port: p.fromPort,
              })),
        ),
      );
    expect(expected.length).toBeGreaterThan(10);
    const groups = [...new Set(expected.map((e) => e.group))];
    const found = [];
    for (const group of groups) {
      const parameters = group.startsWith('sg-') ? { groupId: group } : { groupName: group };
      const rows = await ingress(parameters, '2017-06-01T00:00:00Z', '2017-06-02T00:00:00Z');
      found.push(...rows.map((r) => ({ id: r.eventid, group, port: r.from_port })));
    }
    const key = (e: { id: unknown; port: unknown }) => `${e.id}/${e.port}`;
    expect(found.map(key).sort()).toEqual(expected.map(key).sort());
  });
});
