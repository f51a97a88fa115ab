/**
 * data-store-or-backup-destroyed: backups, recovery points, tables, file systems, clusters and
 * images destroyed, or point-in-time recovery turned off.
 *
 * Verified on invictus 01789781-6054-4dd1-93a6-e9d36c5bbb69 (DeregisterImage), invictus
 * c704b1d0-d5a6-4eed-aaf6-caecd497993b (DeleteDBInstance, InvalidDBInstanceStateFault), grycap
 * d9d0a1c6-419c-470f-8cae-715a9156bc74 (DeleteDBInstance); detection-examples 104 to 107
 * (DeleteDBSnapshot, DeleteDBClusterSnapshot, DeleteDBInstanceAutomatedBackup, ModifyDBCluster
 * with deletionProtection false), written from the RDS API reference's request parameters.
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { calledOn, FAILURE, jsonPair, param } from './sqlFragments.js';

export const dataStoreOrBackupDestroyed = defineDetection({
  name: 'data-store-or-backup-destroyed',
  title: 'Backups, tables, file systems, clusters or images destroyed',
  severity: 'medium',
  techniques: ['T1485', 'T1490'],
  description:
    'AWS Backup vault/recovery-point/plan deletion, DynamoDB table/backup deletion or PITR disablement, EFS file system or mount target deletion, RDS cluster deletion, RDS instance deletion (with a final snapshot or without; not a read replica or a member of an Aurora cluster, whose data lives on), RDS snapshot and automated backup deletion, RDS deletion protection turned off, EKS cluster deletion, AMI deregistration. Ransom and sabotage actors remove recovery options first.',
  benignCauses: [
    'Teardown of test environments',
    'Expiring backups by lifecycle',
    'Infrastructure-as-code destroy',
  ],
  references: [
    sigma('aws_backup_vault_or_recovery_point_deleted.yml (AWS Backup Vault or Recovery Point Deleted)'),
    sigma('aws_dynamodb_table_or_backup_deleted.yml (AWS DynamoDB Table or Backup Deleted)'),
    sigma('aws_efs_fileshare_modified_or_deleted.yml (AWS EFS Fileshare Modified or Deleted)'),
    sigma('aws_efs_fileshare_mount_modified_or_deleted.yml (AWS EFS Fileshare Mount Modified or Deleted)'),
    sigma('aws_rds_dbcluster_actions.yml (Modify or Delete AWS RDS Cluster, deletion part)'),
    sigma('aws_eks_cluster_created_or_deleted.yml (AWS EKS Cluster Created or Deleted, deletion part)'),
    stratus('aws.impact.ec2-deregister-ami'),
  ],
  condition: `(eventsource = 'backup.amazonaws.com'
      AND eventname IN ('DeleteBackupVault', 'DeleteRecoveryPoint', 'DeleteBackupPlan', 'DeleteBackupSelection',
        'StopBackupJob', 'PutBackupVaultLockConfiguration'))
    OR (eventsource = 'dynamodb.amazonaws.com'
      AND (eventname IN ('DeleteTable', 'DeleteBackup')
        OR (eventname = 'UpdateContinuousBackups'
          AND regexp_like(requestparameters, ${jsonPair('pointInTimeRecoveryEnabled', 'false')}))))
    OR (eventsource = 'elasticfilesystem.amazonaws.com' AND eventname IN ('DeleteFileSystem', 'DeleteMountTarget'))
    OR (eventsource = 'rds.amazonaws.com'
      AND (eventname IN ('DeleteDBCluster', 'DeleteDBSnapshot', 'DeleteDBClusterSnapshot',
          'DeleteDBInstanceAutomatedBackup', 'DeleteDBClusterAutomatedBackup')
        OR (eventname = 'DeleteDBInstance'
          AND NOT regexp_like(coalesce(responseelements, ''),
            '"(readReplicaSourceDBInstanceIdentifier|dBClusterIdentifier)"\\s*:\\s*"'))
        OR (eventname IN ('ModifyDBInstance', 'ModifyDBCluster')
          AND regexp_like(requestparameters, ${jsonPair('deletionProtection', 'false')}))))
    OR (eventsource = 'eks.amazonaws.com' AND eventname = 'DeleteCluster')
    OR (eventsource = 'ec2.amazonaws.com' AND eventname = 'DeregisterImage')`,
  summary: `concat(
    ${calledOn(param('$.backupVaultName'), param('$.tableName'), param('$.fileSystemId'), param('$.mountTargetId'), param('$.dBClusterIdentifier'), param('$.dBInstanceIdentifier'), param('$.dBSnapshotIdentifier'), param('$.dBClusterSnapshotIdentifier'), param('$.dbiResourceId'), param('$.name'), param('$.backupPlanId'), param('$.imageId'))},
    CASE WHEN eventname = 'DeleteDBInstance' AND ${param('$.finalDBSnapshotIdentifier')} IS NOT NULL
      THEN concat(' (a final snapshot kept: ', ${param('$.finalDBSnapshotIdentifier')}, ')') ELSE '' END,
    ${FAILURE},
    '.')`,
});
