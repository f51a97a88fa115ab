/**
 * network-logs-deleted: VPC flow logs deleted, or Route 53 Resolver query logging deleted or
 * detached.
 *
 * Verified on invictus de58d903-38d7-4f30-a84b-b79d858e8376 (DeleteFlowLogs), stratus
 * ba4609ca-b420-4cb6-bdff-307729b3b7db (DeleteResolverQueryLogConfig), stratus
 * ded2f5af-f3a5-46d2-a170-a23206a32c36 (DeleteFlowLogs).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const networkLogsDeleted = defineDetection({
  name: 'network-logs-deleted',
  title: 'VPC flow logs or Route 53 Resolver query logging deleted',
  severity: 'high',
  techniques: ['T1562.008'],
  description:
    'DeleteFlowLogs stops network flow recording for a VPC, subnet or interface; DeleteResolverQueryLogConfig / DisassociateResolverQueryLogConfig stop recording the DNS queries made from VPCs. Both remove the network evidence of C2 and exfiltration.',
  benignCauses: [
    'Replacing a flow log with a new destination',
    'VPC decommissioning',
    'Moving query logging to a new destination',
  ],
  references: [
    stratus('aws.defense-evasion.vpc-remove-flow-logs'),
    sigma(
      'aws_cloudtrail_vpc_flow_logs_deleted.yml (AWS VPC Flow Logs Deleted; older file aws_cloudtrail_delete_flow_logs.yml, AWS DeleteFlowLogs Command Monitoring)',
    ),
    stratus('aws.defense-evasion.dns-delete-logs'),
  ],
  condition: `(eventsource = 'ec2.amazonaws.com' AND eventname = 'DeleteFlowLogs')
    OR (eventsource = 'route53resolver.amazonaws.com'
      AND eventname IN ('DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig'))`,
  summary: `concat(
    ${ACTOR},
    ${did('deleted', 'delete')},
    CASE WHEN eventname = 'DeleteFlowLogs'
      THEN concat('flow log ', coalesce(
        ${param('$.DeleteFlowLogsRequest.FlowLogId.content')},
        ${param('$.DeleteFlowLogsRequest.FlowLogId[0].content')},
        '?'))
      ELSE concat('DNS query logging config ', coalesce(${param('$.resolverQueryLogConfigId')}, '?'))
    END,
    ${FAILURE},
    '.')`,
});
