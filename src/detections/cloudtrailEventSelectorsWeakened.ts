/**
 * cloudtrail-event-selectors-weakened: event selectors that drop management events, keep only
 * reads or writes, or exclude event sources.
 *
 * Verified on invictus 076e96d5-2983-473f-920a-2fc2d7e02777 (PutEventSelectors), stratus
 * c2a89408-340a-42f0-8ace-75d9f5769393 (PutEventSelectors).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, param, STRING_LIST } from './sqlFragments.js';

export const cloudtrailEventSelectorsWeakened = defineDetection({
  name: 'cloudtrail-event-selectors-weakened',
  title: 'CloudTrail event selectors stop recording management events',
  severity: 'high',
  techniques: ['T1562.008'],
  description:
    'PutEventSelectors or PutAdvancedEventSelectors that exclude management events, keep only read-only or write-only events, or exclude management event sources. The trail stays "on" (no StopLogging) but records little or nothing useful, a quieter way to blind it.',
  benignCauses: [
    'Trail dedicated to data events only, by design',
    'Cost tuning that excludes KMS or RDS Data API events',
  ],
  references: [
    stratus('aws.defense-evasion.cloudtrail-event-selectors'),
    sigma('aws_cloudtrail_disable_logging.yml (AWS CloudTrail Important Change, partial: UpdateTrail only)'),
  ],
  condition: `eventsource = 'cloudtrail.amazonaws.com'
    AND eventname IN ('PutEventSelectors', 'PutAdvancedEventSelectors')
    AND (regexp_like(requestparameters, ${jsonPair('includeManagementEvents', 'false')})
      OR regexp_like(requestparameters, ${jsonPair('readWriteType', '"(ReadOnly|WriteOnly)"')})
      OR regexp_like(requestparameters, ${jsonPair('excludeManagementEventSources', STRING_LIST)})
      OR (eventname = 'PutAdvancedEventSelectors' AND strpos(requestparameters, 'Management') = 0))`,
  summary: `concat(
    ${ACTOR},
    ${did('reduced what', 'reduce what')},
    'trail ',
    coalesce(${param('$.trailName')}, ${param('$.name')}, '?'),
    ' records (management events excluded or filtered)',
    ${FAILURE},
    '.')`,
});
