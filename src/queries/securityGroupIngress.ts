/**
 * security-group-ingress: who opened which port to which CIDR on a security group.
 *
 * CloudTrail records an ingress change in several shapes, and this query reads them all:
 * - requestParameters.ipPermissions.items[] with ipRanges.items[].cidrIp, ipv6Ranges.items[].cidrIpv6
 *   and groups.items[] (rules that admit another group);
 * - the flat request requestParameters.cidrIp / ipProtocol / fromPort / toPort;
 * - responseElements.securityGroupRuleSet.items[] (the rules as created, in newer records);
 * - ModifySecurityGroupRules: requestParameters.ModifySecurityGroupRulesRequest.SecurityGroupRule.
 * A rule recorded in both request and response is returned once. Failed attempts are kept, with
 * their error code. Ports may be JSON numbers or strings; protocol -1 (all traffic) matches any port.
 *
 * Verified on real records: bert-jan opened 443 (nested form) and 22 (flat form) to 0.0.0.0/0 on
 * sg-04cfb7a4712d75b00 (invictus set, events 2023-07-10T12:10:05Z and 12:10:08Z); a failed
 * attempt by group name, Client.InvalidGroup.NotFound (grycap set, 2014-09-27T04:52:43Z).
 */
import { z } from 'zod';
import { integerValue } from '../lib/sql/buildStatement.js';
import { EVENT_COLUMNS } from './fragments.js';
import { defineQuery } from './queryDefinition.js';
import {
  PORT_MATCHES,
  SECURITY_GROUP_RULE_COLUMNS,
  SECURITY_GROUP_RULE_CTES,
  SECURITY_GROUP_RULE_ROWS,
  WORLD_CIDRS,
} from './securityGroupRules.js';

const ipv4Cidr = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const ipv6Cidr = /^[0-9a-fA-F:]{2,39}\/(12[0-8]|1[01]\d|[1-9]?\d)$/;

const SecurityGroupIngressParametersSchema = z
  .strictObject({
    groupId: z
      .string()
      .regex(/^sg-[0-9a-f]{8,17}$/, 'a security group id such as sg-04cfb7a4712d75b00')
      .optional(),
    groupName: z
      .string()
      .regex(
        /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/,
        'a security group name (EC2 allows a-z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*)',
      )
      .optional(),
    port: z.coerce
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe('matches rules whose port range holds it, and protocol -1'),
    cidr: z
      .union([
        z.literal('world'),
        z.literal('any'),
        z.string().regex(ipv4Cidr).or(z.string().regex(ipv6Cidr)),
      ])
      .default('world')
      .describe("'world' (0.0.0.0/0 or ::/0, the default), 'any' (every ingress change) or one CIDR"),
  })
  .refine((p) => (p.groupId === undefined) !== (p.groupName === undefined), {
    message: 'give exactly one of groupId or groupName',
    path: ['groupId'],
  });

export const securityGroupIngress = defineQuery({
  name: 'security-group-ingress',
  title: 'Who opened which port to which CIDR on a security group',
  description:
    'Ingress rules added to one security group (by groupId or groupName), one row per rule, from every shape in which CloudTrail records them: nested ipPermissions, the flat cidrIp form, the securityGroupRuleSet of the response and ModifySecurityGroupRules. Failed attempts are included with their error code. By default only rules open to the world (0.0.0.0/0 or ::/0).',
  parameters: SecurityGroupIngressParametersSchema,
  bind: (p) => ({
    group_id: p.groupId ?? '',
    group_name: p.groupName ?? '',
    port: integerValue(p.port),
    cidr: p.cidr,
  }),
  with: SECURITY_GROUP_RULE_CTES,
  sql: `${SECURITY_GROUP_RULE_ROWS}
WHERE (params.group_id = '' OR c.group_id = params.group_id)
  AND (params.group_name = '' OR c.group_name = params.group_name)
  AND ${PORT_MATCHES}
  AND (params.cidr = 'any'
       OR (params.cidr = 'world' AND r.cidr IN ${WORLD_CIDRS})
       OR r.cidr = params.cidr)
ORDER BY eventtime, eventid, r.from_port, r.cidr`,
  columns: [...EVENT_COLUMNS, ...SECURITY_GROUP_RULE_COLUMNS],
  example: {
    parameters: { groupId: 'sg-04cfb7a4712d75b00', port: 22 },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'bert-jan opened tcp 22 to 0.0.0.0/0 at 2023-07-10T12:10:08Z',
  },
});
