/**
 * cloudtrail-trail-stopped-or-deleted: StopLogging or DeleteTrail on a CloudTrail trail,
 * refused attempts included.
 *
 * Verified on invictus b7e19efd-92be-4182-bbbc-b6468296710b (DeleteTrail,
 * TrailNotFoundException), invictus 9790ee84-ed2b-4866-83d1-f32af0dd4cd2 (StopLogging,
 * TrailNotFoundException), invictus c0057a42-1625-4b1d-9db5-352f931f790a (DeleteTrail).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const cloudtrailTrailStoppedOrDeleted = defineDetection({
  name: 'cloudtrail-trail-stopped-or-deleted',
  title: 'CloudTrail trail stopped or deleted',
  severity: 'critical',
  techniques: ['T1562.008'],
  description:
    'StopLogging halts delivery of every event a trail records; DeleteTrail removes the trail altogether. Either one blinds a trail-based investigation from that moment, and attackers do it early, before the actions they want hidden. Failed attempts (AccessDenied, TrailNotFoundException) are kept: a refused call still shows intent and a principal probing its permissions.',
  benignCauses: [
    'Decommissioning a trail or an account',
    'Planned migration to an organization trail or CloudTrail Lake',
    'Cost-reduction change in a sandbox account',
    'Decommissioning or consolidating trails',
    'Infrastructure-as-code teardown of test stacks',
  ],
  references: [
    stratus('aws.defense-evasion.cloudtrail-stop'),
    sigma('aws_cloudtrail_disable_logging.yml (AWS CloudTrail Important Change)'),
    stratus('aws.defense-evasion.cloudtrail-delete'),
  ],
  condition: `eventsource = 'cloudtrail.amazonaws.com'
    AND eventname IN ('StopLogging', 'DeleteTrail')`,
  summary: `concat(
    ${ACTOR},
    CASE eventname
      WHEN 'StopLogging' THEN ${did('stopped logging on', 'stop logging on')}
      ELSE ${did('deleted', 'delete')}
    END,
    'trail ',
    coalesce(${param('$.name')}, '?'),
    ${FAILURE},
    '.')`,
});
