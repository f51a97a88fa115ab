/**
 * The ingress rules CloudTrail records, in every shape it records them, as CTEs over
 * `events` for the security-group queries:
 * - `changes`: AuthorizeSecurityGroupIngress and ModifySecurityGroupRules events, with the group's
 *   id (request, ModifySecurityGroupRulesRequest or the response's rule set) and name;
 * - `distinct_rules`: one row per rule and event (rule_event), from
 *   requestParameters.ipPermissions.items[] (ipRanges, ipv6Ranges, groups), the flat
 *   cidrIp/cidrIpv6/fromPort/toPort request, responseElements.securityGroupRuleSet.items[] (ingress
 *   only) and ModifySecurityGroupRulesRequest.SecurityGroupRule. A rule recorded in both request
 *   and response is counted once. Ports may be JSON numbers or strings.
 */

import type { ResultColumn } from '../lib/engines/queryEngine.js';
import type { Cte } from '../lib/sql/buildStatement.js';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';

const rule = (json: string) => `json_extract_scalar(${json}, '$.ipProtocol') AS protocol,
      try_cast(json_extract_scalar(${json}, '$.fromPort') AS integer) AS from_port,
      try_cast(json_extract_scalar(${json}, '$.toPort') AS integer) AS to_port`;

export const SECURITY_GROUP_RULE_CTES: readonly Cte[] = [
  // The event columns are made here, once, rather than carrying every column of the event on:
  // `changes` is read by every part of `rules`, and a whole `useridentity` carried through it
  // would be read whole from Parquet instead of the few fields the event columns name.
  {
    name: 'changes',
    sql: `
  SELECT ${EVENT_COLUMNS_SQL},
    requestparameters,
    responseelements,
    coalesce(
      json_extract_scalar(requestparameters, '$.groupId'),
      json_extract_scalar(requestparameters, '$.ModifySecurityGroupRulesRequest.GroupId'),
      json_extract_scalar(responseelements, '$.securityGroupRuleSet.items[0].groupId')) AS group_id,
    json_extract_scalar(requestparameters, '$.groupName') AS group_name
  FROM events
  WHERE eventsource = 'ec2.amazonaws.com'
    AND eventname IN ('AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules')`,
  },
  {
    name: 'rules',
    sql: `
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
  WHERE c.eventname = 'ModifySecurityGroupRules'`,
  },
  {
    name: 'distinct_rules',
    sql: 'SELECT DISTINCT eventid AS rule_event, protocol, from_port, to_port, cidr, source_group FROM rules',
  },
];

/** Columns a query selects from `changes c JOIN distinct_rules r`, after the event columns. */
const SECURITY_GROUP_RULE_SQL = `c.group_id,
    c.group_name,
    r.protocol,
    r.from_port,
    r.to_port,
    r.cidr,
    r.source_group`;

export const SECURITY_GROUP_RULE_COLUMNS: readonly ResultColumn[] = [
  { name: 'group_id', type: 'varchar' },
  { name: 'group_name', type: 'varchar' },
  { name: 'protocol', type: 'varchar' },
  { name: 'from_port', type: 'integer' },
  { name: 'to_port', type: 'integer' },
  { name: 'cidr', type: 'varchar' },
  { name: 'source_group', type: 'varchar' },
];

/**
 * The SELECT both security-group queries start from, over SECURITY_GROUP_RULE_CTES: the event and
 * rule columns, one row per rule joined to its event; each query adds its WHERE.
 */
export const SECURITY_GROUP_RULE_ROWS = `
SELECT
    ${EVENT_COLUMNS.map((column) => `c.${column.name}`).join(',\n    ')},
    ${SECURITY_GROUP_RULE_SQL}
FROM changes c
JOIN distinct_rules r ON r.rule_event = c.eventid
CROSS JOIN params`;

/** CIDRs that admit the whole Internet. */
export const WORLD_CIDRS = "('0.0.0.0/0', '::/0')";

/** Matches a rule to an optional port (params.port): its range holds it, or it admits all traffic. */
export const PORT_MATCHES = `(params.port IS NULL OR r.protocol = '-1'
       OR (r.from_port <= params.port AND params.port <= r.to_port))`;
