/**
 * managed-service-security-group-changed: RDS, ElastiCache and load balancer security groups
 * created, changed or deleted.
 *
 * Verified on grycap 9182e5a2-0014-4187-a13f-613d3071689c (RevokeDBSecurityGroupIngress),
 * grycap fb33d891-2963-444b-ae74-7dcac269a3f6 (AuthorizeDBSecurityGroupIngress), grycap
 * 8d5b636a-0075-41a2-a33e-3252248e0d48 (DeleteDBSecurityGroup). No attack set holds one; those
 * are benign records of a research account.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { calledOn, FAILURE, param } from './sqlFragments.js';

export const managedServiceSecurityGroupChanged = defineDetection({
  name: 'managed-service-security-group-changed',
  title: 'RDS, ElastiCache or load balancer security groups changed',
  severity: 'low',
  techniques: ['T1562.007', 'T1190'],
  description:
    'Changes to DB security groups (EC2-Classic), ElastiCache security groups and the security groups of load balancers. They can expose a database or widen what reaches an application.',
  benignCauses: ['New databases or load balancers being set up', 'Routine network maintenance'],
  references: [
    sigma(
      'aws_cloudtrail_security_group_change_rds.yml (RDS Database Security Group Modification; older file aws_cloudtrail_detect_rds_security_group_change.yml)',
    ),
    sigma(
      'aws_cloudtrail_security_group_change_loadbalancer.yml (LoadBalancer Security Group Modification; older file aws_cloudtrail_detect_loadbalancer_security_group_change.yml)',
    ),
    sigma('aws_elasticache_security_group_created.yml (AWS ElastiCache Security Group Created)'),
    sigma(
      'aws_elasticache_security_group_modified_or_deleted.yml (AWS ElastiCache Security Group Modified or Deleted)',
    ),
  ],
  condition: `(eventsource = 'rds.amazonaws.com'
      AND eventname IN ('AuthorizeDBSecurityGroupIngress', 'CreateDBSecurityGroup', 'DeleteDBSecurityGroup',
        'RevokeDBSecurityGroupIngress'))
    OR (eventsource = 'elasticloadbalancing.amazonaws.com'
      AND eventname IN ('ApplySecurityGroupsToLoadBalancer', 'SetSecurityGroups'))
    OR (eventsource = 'elasticache.amazonaws.com'
      AND eventname IN ('CreateCacheSecurityGroup', 'DeleteCacheSecurityGroup', 'AuthorizeCacheSecurityGroupIngress',
        'RevokeCacheSecurityGroupIngress'))`,
  summary: `concat(
    ${calledOn(param('$.dBSecurityGroupName'), param('$.cacheSecurityGroupName'), param('$.loadBalancerName'), param('$.loadBalancerArn'))},
    CASE WHEN ${param('$.cIDRIP')} IS NULL THEN '' ELSE concat(' for ', ${param('$.cIDRIP')}) END,
    ${FAILURE},
    '.')`,
});
