/**
 * cloudwatch-logs-deleted-or-shortened: CloudWatch log groups, streams or subscription filters
 * deleted, or retention cut to a week or less.
 *
 * Verified on invictus 349b65f9-1932-4258-a52e-476cf4fcf6d7 (DeleteLogGroup), grycap
 * e81c6586-fdd5-4144-a013-df9a00480421 (DeleteLogGroup), grycap
 * 0b9550f6-bdb9-461b-8fa8-133d8715780b (DeleteLogGroup).
 */
import { defineDetection } from './detection.js';
import { mitre } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const cloudwatchLogsDeletedOrShortened = defineDetection({
  name: 'cloudwatch-logs-deleted-or-shortened',
  title: 'CloudWatch log group or stream deleted, or retention cut to a week or less',
  severity: 'medium',
  techniques: ['T1562.008', 'T1070'],
  description:
    'DeleteLogGroup, DeleteLogStream, DeleteSubscriptionFilter, or PutRetentionPolicy with 7 days or less. Log groups hold VPC flow logs, Lambda and application logs, and CloudTrail copies; deleting them or shortening retention destroys evidence.',
  benignCauses: [
    'Cleanup of Lambda log groups after function deletion',
    'Infrastructure-as-code teardown',
    'Cost-driven retention policies in development',
  ],
  references: [
    mitre('T1562.008', 'Impair Defenses: Disable or Modify Cloud Logs'),
    mitre('T1070', 'Indicator Removal'),
  ],
  condition: `eventsource = 'logs.amazonaws.com'
    AND (eventname IN ('DeleteLogGroup', 'DeleteLogStream', 'DeleteSubscriptionFilter')
      OR (eventname = 'PutRetentionPolicy' AND ${param('$.retentionInDays')} IN ('1', '3', '5', '7')))`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' on log group ',
    coalesce(${param('$.logGroupName')}, '?'),
    ${FAILURE},
    '.')`,
});
