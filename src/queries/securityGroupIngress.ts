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
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

const ipv4Cidr = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const ipv6Cidr = /^[0-9a-fA-F:]{2,39}\/(12[0-8]|1[01]\d|[1-9]?\d)$/;

export const SecurityGroupIngressParametersSchema = z
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

const rule = (json: string) => `json_extract_scalar(${json}, '$.ipProtocol') AS protocol,
      try_cast(json_extract_scalar(${json}, '$.fromPort') AS integer) AS from_port,
      try_cast(json_extract_scalar(${json}, '$.toPort') AS integer) AS to_port`;

export const securityGroupIngress = defineQuery({
  name: 'security-group-ingress',
  title: 'Who opened which port to which CIDR on a security group',
  description:
    'Ingress rules added to one security group (by groupId or groupName), one row per rule, from every shape in which CloudTrail records them: nested ipPermissions, the flat cidrIp form, the securityGroupRuleSet of the response and ModifySecurityGroupRules. Failed attempts are included with their error code. By default only rules open to the world (0.0.0.0/0 or ::/0).',
  parameters: SecurityGroupIngressParametersSchema,
  bind: (p) => [p.groupId ?? '', p.groupName ?? '', p.port === undefined ? '' : String(p.port), p.cidr],
  sql: `
params AS (
  SELECT ? AS group_id, ? AS group_name, try_cast(? AS integer) AS port, ? AS cidr
),
changes AS (
  SELECT *,
    coalesce(
      json_extract_scalar(requestparameters, '$.groupId'),
      json_extract_scalar(requestparameters, '$.ModifySecurityGroupRulesRequest.GroupId'),
      json_extract_scalar(responseelements, '$.securityGroupRuleSet.items[0].groupId')) AS group_id,
    json_extract_scalar(requestparameters, '$.groupName') AS group_name
  FROM events
  WHERE eventsource = 'ec2.amazonaws.com'
    AND eventname IN ('AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules')
),
rules AS (
  SELECT c.eventid, ${rule('p')}, json_extract_scalar(r, '$.cidrIp') AS cidr, CAST(NULL AS varchar) AS source_group
  FROM changes c
  CROSS JOIN UNNEST(CAST(json_extract(c.requestparameters, '$.ipPermissions.items') AS ARRAY(JSON))) AS perms (p)
  CROSS JOIN UNNEST(CAST(json_extract(p, '$.ipRanges.items') AS ARRAY(JSON))) AS ranges (r)
  UNION ALL
  SELECT c.eventid, ${rule('p')}, json_extract_scalar(r, '$.cidrIpv6'), CAST(NULL AS varchar)
  FROM changes c
  CROSS JOIN UNNEST(CAST(json_extract(c.requestparameters, '$.ipPermissions.items') AS ARRAY(JSON))) AS perms (p)
  CROSS JOIN UNNEST(CAST(json_extract(p, '$.ipv6Ranges.items') AS ARRAY(JSON))) AS ranges (r)
  UNION ALL
  SELECT c.eventid, ${rule('p')}, CAST(NULL AS varchar),
    coalesce(json_extract_scalar(g, '$.groupId'), json_extract_scalar(g, '$.groupName'))
  FROM changes c
  CROSS JOIN UNNEST(CAST(json_extract(c.requestparameters, '$.ipPermissions.items') AS ARRAY(JSON))) AS perms (p)
  CROSS JOIN UNNEST(CAST(json_extract(p, '$.groups.items') AS ARRAY(JSON))) AS grps (g)
  UNION ALL
  SELECT c.eventid, ${rule('c.requestparameters')},
    coalesce(json_extract_scalar(c.requestparameters, '$.cidrIp'), json_extract_scalar(c.requestparameters, '$.cidrIpv6')),
    json_extract_scalar(c.requestparameters, '$.sourceSecurityGroupName')
  FROM changes c
  WHERE json_extract_scalar(c.requestparameters, '$.cidrIp') IS NOT NULL
     OR json_extract_scalar(c.requestparameters, '$.cidrIpv6') IS NOT NULL
     OR json_extract_scalar(c.requestparameters, '$.sourceSecurityGroupName') IS NOT NULL
  UNION ALL
  SELECT c.eventid, ${rule('r')},
    coalesce(json_extract_scalar(r, '$.cidrIpv4'), json_extract_scalar(r, '$.cidrIpv6')),
    json_extract_scalar(r, '$.referencedGroupInfo.groupId')
  FROM changes c
  CROSS JOIN UNNEST(CAST(json_extract(c.responseelements, '$.securityGroupRuleSet.items') AS ARRAY(JSON))) AS ruleset (r)
  WHERE coalesce(json_extract_scalar(r, '$.isEgress'), 'false') = 'false'
  UNION ALL
  SELECT c.eventid,
    json_extract_scalar(c.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule.IpProtocol'),
    try_cast(json_extract_scalar(c.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule.FromPort') AS integer),
    try_cast(json_extract_scalar(c.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule.ToPort') AS integer),
    coalesce(
      json_extract_scalar(c.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule.CidrIpv4'),
      json_extract_scalar(c.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule.CidrIpv6')),
    json_extract_scalar(c.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule.ReferencedGroupId')
  FROM changes c
  WHERE c.eventname = 'ModifySecurityGroupRules'
),
distinct_rules AS (
  SELECT DISTINCT eventid AS rule_event, protocol, from_port, to_port, cidr, source_group FROM rules
)
SELECT
    ${EVENT_COLUMNS_SQL},
    c.group_id,
    c.group_name,
    r.protocol,
    r.from_port,
    r.to_port,
    r.cidr,
    r.source_group
FROM changes c
JOIN distinct_rules r ON r.rule_event = c.eventid
CROSS JOIN params
WHERE (params.group_id = '' OR c.group_id = params.group_id)
  AND (params.group_name = '' OR c.group_name = params.group_name)
  AND (params.port IS NULL OR r.protocol = '-1'
       OR (r.from_port <= params.port AND params.port <= r.to_port))
  AND (params.cidr = 'any'
       OR (params.cidr = 'world' AND r.cidr IN ('0.0.0.0/0', '::/0'))
       OR r.cidr = params.cidr)
ORDER BY eventtime, eventid, r.from_port, r.cidr`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'group_id', type: 'varchar' },
    { name: 'group_name', type: 'varchar' },
    { name: 'protocol', type: 'varchar' },
    { name: 'from_port', type: 'integer' },
    { name: 'to_port', type: 'integer' },
    { name: 'cidr', type: 'varchar' },
    { name: 'source_group', type: 'varchar' },
  ],
  example: {
    parameters: { groupId: 'sg-04cfb7a4712d75b00', port: 22 },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'bert-jan opened tcp 22 to 0.0.0.0/0 at 2023-07-10T12:10:08Z',
  },
});
