/**
 * rds-snapshot-created-or-copied: a person or program (not AWS Backup) snapshotting a database or
 * copying a snapshot, the first step of taking a database's data elsewhere.
 *
 * Verified on invictus 0516b66a-77ec-4479-a82d-0cda54d3fc5d (CreateDBSnapshot "exfiltration"), and
 * detection-examples de000000-0000-4000-8000-000000000127 (CreateDBSnapshot) and 128
 * (CopyDBClusterSnapshot from another region), written from the RDS API reference; 129
 * (DescribeDBSnapshots) and 138 (CreateDBSnapshot by an AWS Backup job) are the near misses.
 */
import { defineDetection } from './detection.js';
import { awsDoc, mitre } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const rdsSnapshotCreatedOrCopied = defineDetection({
  name: 'rds-snapshot-created-or-copied',
  title: 'RDS database or cluster snapshot created or copied by hand',
  severity: 'low',
  techniques: ['T1578.001', 'T1537'],
  description:
    "CreateDBSnapshot, CreateDBClusterSnapshot, CopyDBSnapshot and CopyDBClusterSnapshot made by a principal, not by AWS Backup's jobs (userIdentity.invokedBy backup.amazonaws.com). A manual snapshot is a whole copy of a database that can then be shared, copied to another region or account, or restored where the attacker controls the master password; image-or-snapshot-shared and rds-instance-exposed-or-password-reset find those next steps.",
  benignCauses: [
    'Snapshots before a migration or upgrade',
    'Scheduled snapshot scripts',
    'Disaster-recovery copies',
  ],
  references: [
    awsDoc(
      'CreateDBSnapshot (Amazon RDS API Reference)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSnapshot.html',
    ),
    awsDoc(
      'CopyDBClusterSnapshot (Amazon RDS API Reference)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBClusterSnapshot.html',
    ),
    mitre('T1578.001', 'Modify Cloud Compute Infrastructure: Create Snapshot'),
  ],
  condition: `eventsource = 'rds.amazonaws.com'
    AND eventname IN ('CreateDBSnapshot', 'CreateDBClusterSnapshot', 'CopyDBSnapshot', 'CopyDBClusterSnapshot')
    AND coalesce(useridentity.invokedby, '') <> 'backup.amazonaws.com'`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' of ',
    coalesce(${param('$.dBInstanceIdentifier')}, ${param('$.dBClusterIdentifier')},
      ${param('$.sourceDBSnapshotIdentifier')}, ${param('$.sourceDBClusterSnapshotIdentifier')}, '?'),
    ' as ',
    coalesce(${param('$.dBSnapshotIdentifier')}, ${param('$.dBClusterSnapshotIdentifier')},
      ${param('$.targetDBSnapshotIdentifier')}, ${param('$.targetDBClusterSnapshotIdentifier')}, '?'),
    ${FAILURE},
    '.')`,
});
