/**
 * security-group-exposure: every ingress rule opened to the world (0.0.0.0/0 or ::/0) in the
 * window, on any security group, in any of the shapes CloudTrail records (see securityGroupRules).
 *
 * Verified on real records: 2 rules on sg-04cfb7a4712d75b00 by bert-jan (invictus, 2023-07-10);
 * 2017-06-01 in the grycap set holds 21 world-open rules, counted from the raw JSON
 * in tests/queries/exposureQueries.test.ts; the pseudonymised Stratus set turned 0.0.0.0/0 into
 * 208.236.235.254/0, which is rightly not reported.
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

export const securityGroupExposure = defineQuery({
  name: 'security-group-exposure',
  title: 'Every ingress rule opened to the world, on any security group',
  description:
    'Every ingress rule to 0.0.0.0/0 or ::/0 added in the window, on any security group, from every shape CloudTrail records (nested ipPermissions, flat cidrIp, securityGroupRuleSet, ModifySecurityGroupRules), failed attempts included with their error code. Optional port: only rules whose range holds it, or that admit all traffic.',
  parameters: z.strictObject({
    port: z.coerce.number().int().min(1).max(65535).optional().describe('only rules that admit this port'),
  }),
  bind: (p) => ({ port: integerValue(p.port) }),
  with: SECURITY_GROUP_RULE_CTES,
  sql: `${SECURITY_GROUP_RULE_ROWS}
WHERE r.cidr IN ${WORLD_CIDRS}
  AND ${PORT_MATCHES}
ORDER BY eventtime, eventid, r.from_port, r.cidr`,
  columns: [...EVENT_COLUMNS, ...SECURITY_GROUP_RULE_COLUMNS],
  example: {
    parameters: {},
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'bert-jan opened tcp 443 and tcp 22 to 0.0.0.0/0 on sg-04cfb7a4712d75b00',
  },
});
