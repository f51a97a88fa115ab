/**
 * guardduty-disabled-or-suppressed: a GuardDuty detector deleted, disabled or detached,
 * trusted-IP lists, and archive filters.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000007
 * (UpdateDetector), detection-examples de000000-0000-4000-8000-000000000009 (CreateIPSet),
 * detection-examples de000000-0000-4000-8000-000000000010 (CreateFilter), written from AWS
 * documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, CALLED, FAILURE, jsonPair, param } from './sqlFragments.js';

export const guarddutyDisabledOrSuppressed = defineDetection({
  name: 'guardduty-disabled-or-suppressed',
  title: 'GuardDuty detector disabled, deleted, detached, or findings suppressed',
  severity: 'high',
  techniques: ['T1562.001', 'T1562.008'],
  description:
    'DeleteDetector, UpdateDetector with enable=false, leaving the administrator account, stopping member monitoring, trusted-IP lists (CreateIPSet/UpdateIPSet) and archive filters (CreateFilter/UpdateFilter with action ARCHIVE). Each stops or silences threat detection for the account.',
  benignCauses: [
    'Account decommissioning',
    'Security team adding its scanner IPs to a trusted list',
    'Suppression rules for known-benign findings',
  ],
  references: [
    sigma(
      'aws_cloudtrail_guardduty_detector_deleted_or_updated.yml (AWS GuardDuty Detector Deleted Or Updated; older file aws_guardduty_detector_deleted_or_updated.yml)',
    ),
    sigma('aws_guardduty_disruption.yml (AWS GuardDuty Important Change)'),
  ],
  condition: `eventsource = 'guardduty.amazonaws.com'
    AND (eventname IN ('DeleteDetector', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount',
        'StopMonitoringMembers', 'DisassociateMembers', 'DeleteMembers', 'CreateIPSet', 'UpdateIPSet')
      OR (eventname = 'UpdateDetector' AND regexp_like(requestparameters, ${jsonPair('enable', 'false')}))
      OR (eventname IN ('CreateFilter', 'UpdateFilter') AND strpos(requestparameters, 'ARCHIVE') > 0))`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' on GuardDuty detector ',
    coalesce(${param('$.detectorId')}, '?'),
    ${FAILURE},
    '.')`,
});
