/**
 * uncommon-compute-service-provisioned: Lightsail instances, Glue development endpoints and EKS
 * clusters: compute few accounts watch.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000057
 * (CreateInstances), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, CALLED, FAILURE } from './sqlFragments.js';

export const uncommonComputeServiceProvisioned = defineDetection({
  name: 'uncommon-compute-service-provisioned',
  title: 'Compute provisioned in Lightsail, Glue development endpoints or a new EKS cluster',
  severity: 'low',
  techniques: ['T1578.002', 'T1496'],
  description:
    'Lightsail instances, Glue development endpoints (which take a passed role) and EKS clusters are compute that EC2-focused monitoring misses; attackers use them for mining, C2 or privilege escalation through PassRole.',
  benignCauses: ['Teams that use these services legitimately'],
  references: [
    sigma('aws_lightsail_instance_created_or_started.yml (AWS Lightsail Instance Created or Started)'),
    sigma('aws_passed_role_to_glue_development_endpoint.yml (AWS Glue Development Endpoint Activity)'),
    sigma('aws_eks_cluster_created_or_deleted.yml (AWS EKS Cluster Created or Deleted, creation part)'),
  ],
  condition: `(eventsource = 'lightsail.amazonaws.com'
      AND eventname IN ('CreateInstances', 'StartInstances', 'CreateInstancesFromSnapshot'))
    OR (eventsource = 'glue.amazonaws.com'
      AND eventname IN ('CreateDevEndpoint', 'UpdateDevEndpoint', 'DeleteDevEndpoint'))
    OR (eventsource = 'eks.amazonaws.com' AND eventname = 'CreateCluster')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' (',
    eventsource,
    ')',
    ${FAILURE},
    '.')`,
});
