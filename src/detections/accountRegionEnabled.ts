/**
 * account-region-enabled: an opt-in region enabled, a place to run resources where nobody
 * looks.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000034
 * (EnableRegion), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const accountRegionEnabled = defineDetection({
  name: 'account-region-enabled',
  title: 'Opt-in region enabled',
  severity: 'low',
  techniques: ['T1535'],
  description:
    'EnableRegion opens an opt-in region where monitoring, SCPs or GuardDuty may not be configured; attackers run resources there to avoid notice.',
  benignCauses: ['Business expansion to a new region'],
  references: [
    sigma(
      'aws_cloudtrail_region_enabled.yml (AWS EnableRegion Command Monitoring; older file aws_cloudtrail_enable_region.yml)',
    ),
  ],
  // By name alone: no API but the Account Management API's has an EnableRegion, so the event source
  // adds nothing, and a record whose source was rewritten (Panther's rule test names CloudTrail's)
  // is still found.
  condition: `eventname = 'EnableRegion'`,
  summary: `concat(
    ${ACTOR},
    ${did('enabled region', 'enable region')},
    coalesce(${param('$.RegionName')}, ${param('$.regionName')}, '?'),
    ${FAILURE},
    '.')`,
});
