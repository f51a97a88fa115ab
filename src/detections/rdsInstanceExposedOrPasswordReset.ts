/**
 * rds-instance-exposed-or-password-reset: a database made publicly accessible (created,
 * restored or modified), or its master password reset.
 *
 * Verified on grycap 1ea0cbcb-c6bd-400b-85a6-07ed26b18caa (CreateDBInstance), grycap
 * 03aacd87-b933-45e3-9a75-1980b5976ba5 (ModifyDBInstance), grycap
 * 780531d3-d234-4ef7-8b02-605e0ea80f90 (CreateDBInstance). No attack set holds one; those are
 * benign records of a research account.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, param } from './sqlFragments.js';

export const rdsInstanceExposedOrPasswordReset = defineDetection({
  name: 'rds-instance-exposed-or-password-reset',
  title: 'RDS instance or cluster made public, or master password reset',
  severity: 'medium',
  techniques: ['T1098', 'T1530'],
  description:
    'An instance created, restored (from a snapshot, a point in time or S3) or modified with publiclyAccessible true, or a Multi-AZ DB cluster created or restored with it (ModifyDBCluster takes no such parameter), or ModifyDBInstance/ModifyDBCluster setting a new master password: the classic way to read a database without its credentials (restore, reset, connect).',
  benignCauses: ['Password rotation by DBAs', 'Development databases reachable from the internet'],
  outcome: 'succeeded',
  references: [
    sigma('aws_rds_change_master_password.yml (AWS RDS Master Password Change)'),
    sigma('aws_rds_public_db_restore.yml (Restore Public AWS RDS Instance)'),
    sigma('aws_rds_dbcluster_actions.yml (Modify or Delete AWS RDS Cluster, partial)'),
  ],
  condition: `eventsource = 'rds.amazonaws.com'
    AND ((eventname IN ('RestoreDBInstanceFromDBSnapshot', 'RestoreDBInstanceToPointInTime', 'RestoreDBInstanceFromS3',
          'ModifyDBInstance', 'CreateDBInstance', 'RestoreDBClusterFromSnapshot', 'RestoreDBClusterToPointInTime',
          'CreateDBCluster')
        AND (regexp_like(coalesce(requestparameters, ''), ${jsonPair('publiclyAccessible', 'true')})
          OR regexp_like(coalesce(responseelements, ''), ${jsonPair('publiclyAccessible', 'true')})))
      OR (eventname IN ('ModifyDBInstance', 'ModifyDBCluster')
        AND strpos(requestparameters, '"masterUserPassword"') > 0))`,
  summary: `concat(
    ${ACTOR},
    CASE WHEN strpos(coalesce(requestparameters, ''), '"masterUserPassword"') > 0 AND eventname LIKE 'Modify%'
      THEN ${did('reset the master password of', 'reset the master password of')}
      ELSE ${did('made publicly accessible', 'make publicly accessible')}
    END,
    'database ',
    coalesce(${param('$.dBInstanceIdentifier')}, ${param('$.dBClusterIdentifier')}, '?'),
    ${FAILURE},
    '.')`,
});
