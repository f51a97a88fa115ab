/**
 * traffic-mirroring-created: a VPC traffic mirror session (or its target or filter) created, which
 * copies an instance's network traffic to a place of the caller's choosing.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000113
 * (CreateTrafficMirrorSession), written from the EC2 API reference; 114
 * (DescribeTrafficMirrorSessions) is its near miss.
 */
import { defineDetection } from './detection.js';
import { mitre } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const trafficMirroringCreated = defineDetection({
  name: 'traffic-mirroring-created',
  title: 'VPC traffic mirroring session, target or filter created',
  severity: 'medium',
  techniques: ['T1040', 'T1020'],
  description:
    'CreateTrafficMirrorSession copies every packet of a network interface to a mirror target (another interface or a load balancer, possibly in another account); CreateTrafficMirrorTarget and CreateTrafficMirrorFilter prepare one. An attacker with EC2 rights reads unencrypted traffic, credentials included, without touching the instance.',
  benignCauses: [
    'Network monitoring or intrusion detection appliances',
    'Troubleshooting by network engineers',
  ],
  references: [mitre('T1040', 'Network Sniffing'), mitre('T1020', 'Automated Exfiltration')],
  condition: `eventsource = 'ec2.amazonaws.com'
    AND eventname IN ('CreateTrafficMirrorSession', 'CreateTrafficMirrorTarget', 'CreateTrafficMirrorFilter',
      'CreateTrafficMirrorFilterRule', 'ModifyTrafficMirrorSession')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' on ',
    coalesce(${param('$.CreateTrafficMirrorSessionRequest.NetworkInterfaceId')},
      ${param('$.CreateTrafficMirrorTargetRequest.NetworkInterfaceId')},
      ${param('$.CreateTrafficMirrorTargetRequest.NetworkLoadBalancerArn')},
      ${param('$.ModifyTrafficMirrorSessionRequest.TrafficMirrorSessionId')}, 'a mirror filter'),
    ${FAILURE},
    '.')`,
});
