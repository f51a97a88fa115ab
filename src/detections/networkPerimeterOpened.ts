/**
 * network-perimeter-opened: network ACL entries allowing ingress from /0, VPC peering with
 * another account, and Direct Connect changes.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000052
 * (CreateNetworkAclEntry), detection-examples de000000-0000-4000-8000-000000000054
 * (CreateVpcPeeringConnection), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { calledOn, cidrOfPrefixZero, FAILURE, jsonPair, OWN_ACCOUNT, param } from './sqlFragments.js';

export const networkPerimeterOpened = defineDetection({
  name: 'network-perimeter-opened',
  title: 'Network ACL opened to the internet, VPC peered with another account, or Direct Connect changed',
  severity: 'medium',
  techniques: ['T1562.007', 'T1599'],
  description:
    'CreateNetworkAclEntry/ReplaceNetworkAclEntry allowing ingress from a /0 CIDR, CreateVpcPeeringConnection to an account other than the recipient account, and any Direct Connect write. Each opens a network path into the VPCs that security groups alone may not expect.',
  benignCauses: [
    'Public subnets with allow-all NACLs by design',
    'Peering between accounts of the same organization',
  ],
  references: [
    sigma(
      'aws_cloudtrail_new_acl_entries.yml (New Network ACL Entry Added; older file aws_cloudtrail_detect_new_acl_entries.yml)',
    ),
    sigma(
      'aws_ec2_vpc_peering_connection_to_external_account.yml (AWS VPC Peering Connection Created with External Account)',
    ),
    sigma('aws_directconnect_write_action_detected.yml (AWS Direct Connect Write Action Detected)'),
  ],
  condition: `(eventsource = 'ec2.amazonaws.com'
      AND eventname IN ('CreateNetworkAclEntry', 'ReplaceNetworkAclEntry')
      AND regexp_like(requestparameters, ${jsonPair('ruleAction', '"allow"')})
      AND regexp_like(requestparameters, ${jsonPair('egress', 'false')})
      AND ${cidrOfPrefixZero('cidrBlock', 'ipv6CidrBlock')})
    OR (eventsource = 'ec2.amazonaws.com'
      AND eventname = 'CreateVpcPeeringConnection'
      AND coalesce(${param('$.peerOwnerId')}, ${OWN_ACCOUNT}) <> ${OWN_ACCOUNT})
    OR (eventsource = 'directconnect.amazonaws.com'
      AND NOT regexp_like(eventname, '^(Describe|List|Get)'))`,
  summary: `concat(
    ${calledOn(param('$.networkAclId'), param('$.vpcId'), param('$.connectionId'))},
    CASE WHEN ${param('$.peerOwnerId')} IS NULL THEN '' ELSE concat(' peering with account ', ${param('$.peerOwnerId')}) END,
    ${FAILURE},
    '.')`,
});
