/**
 * logging-tampering: attempts to blind the defenders. CloudTrail trails and event data stores
 * stopped, deleted or reconfigured; CloudWatch log groups and streams deleted or their retention
 * cut; AWS Config recording stopped; GuardDuty detectors deleted or changed; VPC flow logs deleted.
 * Failed attempts are kept with their error code.
 *
 * Verified on real records: invictus holds StopLogging, DeleteTrail and PutEventSelectors by
 * bert-jan (12:00 to 12:01 UTC), the stratus set one of each, counted in the tests.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

const TAMPERING_EVENTS = {
  'cloudtrail.amazonaws.com': [
    'StopLogging',
    'DeleteTrail',
    'UpdateTrail',
    'PutEventSelectors',
    'PutInsightSelectors',
    'DeleteEventDataStore',
    'StopEventDataStoreIngestion',
    'UpdateEventDataStore',
  ],
  'logs.amazonaws.com': [
    'DeleteLogGroup',
    'DeleteLogStream',
    'PutRetentionPolicy',
    'DeleteSubscriptionFilter',
  ],
  'config.amazonaws.com': [
    'StopConfigurationRecorder',
    'DeleteConfigurationRecorder',
    'DeleteDeliveryChannel',
  ],
  'guardduty.amazonaws.com': ['DeleteDetector', 'UpdateDetector', 'DisassociateFromMasterAccount'],
  'ec2.amazonaws.com': ['DeleteFlowLogs'],
} as const;

const matches = Object.entries(TAMPERING_EVENTS)
  .map(
    ([source, names]) =>
      `(eventsource = '${source}' AND eventname IN (${names.map((n) => `'${n}'`).join(', ')}))`,
  )
  .join('\n    OR ');

export const loggingTampering = defineQuery({
  name: 'logging-tampering',
  title: 'Logging turned off, deleted or weakened',
  description:
    'StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors, PutInsightSelectors and event data store changes; CloudWatch log group and stream deletion and retention changes; AWS Config recorder stops; GuardDuty detector deletion; VPC flow log deletion. target names the trail, log group, recorder or detector. Failed attempts included.',
  parameters: z.strictObject({}),
  bind: () => ({}),
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    coalesce(
      json_extract_scalar(requestparameters, '$.name'),
      json_extract_scalar(requestparameters, '$.trailName'),
      json_extract_scalar(requestparameters, '$.eventDataStore'),
      json_extract_scalar(requestparameters, '$.logGroupName'),
      json_extract_scalar(requestparameters, '$.configurationRecorderName'),
      json_extract_scalar(requestparameters, '$.deliveryChannelName'),
      json_extract_scalar(requestparameters, '$.detectorId')) AS target,
    requestparameters AS request_parameters
FROM events
WHERE ${matches}
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'target', type: 'varchar' },
    { name: 'request_parameters', type: 'varchar' },
  ],
  example: {
    parameters: {},
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'bert-jan stopped logging on, reconfigured and deleted stratus-red-team trails',
  },
});
