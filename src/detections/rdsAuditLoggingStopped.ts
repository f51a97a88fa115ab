/**
 * rds-audit-logging-stopped: a database activity stream stopped, or a database's log exports to
 * CloudWatch Logs turned off.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000124
 * (StopActivityStream) and 125 (ModifyDBCluster disabling the audit log export), written from the
 * RDS API reference; 126 (ModifyDBCluster enabling one) is the near miss.
 */
import { defineDetection } from './detection.js';
import { awsDoc, mitre } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, param } from './sqlFragments.js';

/**
 * A list naming a log that records who did what: audit, general, error and the engines' own
 * (postgresql, where pgaudit writes; Oracle's alert and listener; IAM authentication errors); not
 * slowquery or upgrade, whose exports are turned off to save cost.
 */
const AUDIT_LOG_TYPE = String.raw`\[[^\]]*"(audit|general|error|postgresql|iam-db-auth-error|alert|listener|agent)"`;

export const rdsAuditLoggingStopped = defineDetection({
  name: 'rds-audit-logging-stopped',
  title: "RDS database activity stream stopped, or a database's log exports turned off",
  severity: 'high',
  techniques: ['T1562.008'],
  description:
    "StopActivityStream ends the near-real-time stream of a database's activity (every query and login) that auditors and monitoring read; ModifyDBInstance or ModifyDBCluster with cloudwatchLogsExportConfiguration.disableLogTypes stops exporting the audit, general, error or engine log (postgresql, where pgaudit writes) to CloudWatch Logs; slow-query and upgrade logs are left out. Either blinds whoever watches the database before its data is read or changed.",
  benignCauses: [
    'Cost reduction on non-production databases',
    'Replacing an activity stream with another tool',
  ],
  references: [
    awsDoc(
      'StopActivityStream (Amazon RDS API Reference)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopActivityStream.html',
    ),
    awsDoc(
      'CloudwatchLogsExportConfiguration (Amazon RDS API Reference)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CloudwatchLogsExportConfiguration.html',
    ),
    mitre('T1562.008', 'Impair Defenses: Disable or Modify Cloud Logs'),
  ],
  condition: `eventsource = 'rds.amazonaws.com'
    AND (eventname = 'StopActivityStream'
      OR (eventname IN ('ModifyDBInstance', 'ModifyDBCluster')
        AND regexp_like(coalesce(requestparameters, ''), ${jsonPair('disableLogTypes', AUDIT_LOG_TYPE)})))`,
  summary: `concat(
    ${ACTOR},
    CASE WHEN eventname = 'StopActivityStream'
      THEN concat(${did('stopped', 'stop')}, 'the activity stream of ', coalesce(${param('$.resourceArn')}, '?'))
      ELSE concat(${did('turned off', 'turn off')}, 'log exports of ',
        coalesce(${param('$.dBInstanceIdentifier')}, ${param('$.dBClusterIdentifier')}, '?')) END,
    ${FAILURE},
    '.')`,
});
