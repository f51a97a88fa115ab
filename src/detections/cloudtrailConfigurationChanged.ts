/**
 * cloudtrail-configuration-changed: any change to a trail, its selectors, or a CloudTrail Lake
 * event data store or channel.
 *
 * Verified on invictus 076e96d5-2983-473f-920a-2fc2d7e02777 (PutEventSelectors), stratus
 * c2a89408-340a-42f0-8ace-75d9f5769393 (PutEventSelectors), invictus
 * 3d6df238-f83c-4a34-bea8-45cf80a2050b (PutEventSelectors).
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { calledOn, FAILURE, param } from './sqlFragments.js';

export const cloudtrailConfigurationChanged = defineDetection({
  name: 'cloudtrail-configuration-changed',
  title: 'CloudTrail trail or event data store reconfigured',
  severity: 'medium',
  techniques: ['T1562.008'],
  description:
    'UpdateTrail (new bucket, KMS key, single-region, no global events), any event or insight selector change (the weakening ones are also caught, at high, by cloudtrail-event-selectors-weakened), and CloudTrail Lake event data store deletion, update or ingestion stop. Redirecting a trail to a bucket the attacker controls or shrinking its scope weakens the audit record without stopping it.',
  benignCauses: [
    'Log-archive bucket migration',
    'Enabling or tuning CloudTrail Insights',
    'Retention changes on CloudTrail Lake',
  ],
  references: [sigma('aws_cloudtrail_disable_logging.yml (AWS CloudTrail Important Change)')],
  condition: `eventsource = 'cloudtrail.amazonaws.com'
    AND eventname IN ('UpdateTrail', 'PutEventSelectors', 'PutAdvancedEventSelectors', 'PutInsightSelectors',
      'DeleteEventDataStore', 'UpdateEventDataStore', 'StopEventDataStoreIngestion', 'DeleteChannel')`,
  summary: `concat(
    ${calledOn(param('$.name'), param('$.trailName'), param('$.eventDataStore'), param('$.channel'))},
    ${FAILURE},
    '.')`,
});
