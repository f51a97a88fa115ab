/**
 * security-group-ingress-open-to-world: a security group ingress rule from a /0 CIDR (every
 * IPv4 or IPv6 address), flat, nested or modified form.
 *
 * Verified on invictus 7e96f0e7-4d78-423d-b3f5-391370685b30 (AuthorizeSecurityGroupIngress),
 * stratus 9fd68588-ecbf-4528-a345-199fa6bb0821 (AuthorizeSecurityGroupIngress), invictus
 * 74bd84b4-6729-4895-b2a4-e2beb7c6b377 (AuthorizeSecurityGroupIngress).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, cidrOfPrefixZero, did, FAILURE, param } from './sqlFragments.js';

/** Where ModifySecurityGroupRules holds the rule. */
const RULE = '$.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule';

export const securityGroupIngressOpenToWorld = defineDetection({
  name: 'security-group-ingress-open-to-world',
  title: 'Security group ingress opened to the whole internet',
  severity: 'high',
  techniques: ['T1562.007', 'T1190'],
  description:
    'AuthorizeSecurityGroupIngress or ModifySecurityGroupRules with a source CIDR whose prefix length is zero (0.0.0.0/0, ::/0): anyone can reach the port. Matches both request forms (flat cidrIp and nested ipPermissions.items[].ipRanges) and reasons about the /0 prefix, not about a literal address.',
  benignCauses: ['Public web servers on 80/443', 'Temporary troubleshooting'],
  references: [
    stratus('aws.exfiltration.ec2-security-group-open-port-22-ingress'),
    sigma(
      'aws_cloudtrail_security_group_change_ingress_egress.yml (Ingress/Egress Security Group Modification, partial; older file aws_cloudtrail_detect_security_group_modifications.yml)',
    ),
  ],
  condition: `eventsource = 'ec2.amazonaws.com'
    AND eventname IN ('AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules')
    AND ${cidrOfPrefixZero('cidrIp', 'cidrIpv6', 'CidrIpv4', 'CidrIpv6')}`,
  summary: `concat(
    ${ACTOR},
    ${did('opened', 'open')},
    'security group ',
    coalesce(${param('$.groupId')}, ${param('$.groupName')}, ${param('$.ModifySecurityGroupRulesRequest.GroupId')}, '?'),
    ' to the internet on ',
    coalesce(${param('$.ipProtocol')}, ${param('$.ipPermissions.items[0].ipProtocol')}, ${param(`${RULE}.IpProtocol`)}, '?'),
    ' port ',
    coalesce(${param('$.fromPort')}, ${param('$.ipPermissions.items[0].fromPort')}, ${param(`${RULE}.FromPort`)}, '?'),
    '-',
    coalesce(${param('$.toPort')}, ${param('$.ipPermissions.items[0].toPort')}, ${param(`${RULE}.ToPort`)}, '?'),
    ${FAILURE},
    '.')`,
});
