/**
 * image-or-snapshot-shared: AMIs, EBS snapshots and RDS snapshots shared with another account
 * or made public.
 *
 * Verified on invictus 8fe3095f-909c-41f5-a769-00b9ec6e95df (ModifyImageAttribute), invictus
 * 741616fd-4713-426d-8861-3ccae4ba994e (ModifySnapshotAttribute), invictus
 * 2d19ab1e-82e9-4302-ad10-a405b50c8d49 (ModifyDBSnapshotAttribute).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, param, STRING_LIST } from './sqlFragments.js';

/** `value` of jsonPair: an object whose first key is "add", `{"add"...`. */
const ADDS = String.raw`\{\s*"add"`;

/** The account an EC2 permission adds, or everyone when it adds the group "all". */
const sharedWith = (permission: string) => `coalesce(
          ${param(`$.${permission}.add.items[0].userId`)},
          CASE WHEN ${param(`$.${permission}.add.items[0].group`)} = 'all' THEN 'everyone (public)' END,
          '?')`;

export const imageOrSnapshotShared = defineDetection({
  name: 'image-or-snapshot-shared',
  title: 'AMI, EBS snapshot or RDS snapshot shared with another account or made public',
  severity: 'high',
  techniques: ['T1537'],
  description:
    'ModifyImageAttribute adding a launch permission, ModifySnapshotAttribute adding a createVolumePermission, and ModifyDBSnapshotAttribute/ModifyDBClusterSnapshotAttribute adding accounts to the restore attribute. The other account (or everyone, for group/value "all") can launch, mount or restore a full copy of the disk or database. Removals are not matched.',
  benignCauses: [
    'Golden-image pipelines sharing AMIs with owned accounts',
    'Backup copies to an owned vault account',
    'Migrations',
    'Disaster-recovery copies to an owned account',
  ],
  references: [
    stratus('aws.exfiltration.ec2-share-ami'),
    stratus('aws.exfiltration.ec2-share-ebs-snapshot'),
    sigma('aws_snapshot_backup_exfiltration.yml (AWS Snapshot Backup Exfiltration)'),
    stratus('aws.exfiltration.rds-share-snapshot'),
    sigma(
      'aws_rds_snapshot_shared_with_external_account.yml (AWS RDS Snapshot Shared with External Account)',
    ),
  ],
  condition: `(eventsource = 'ec2.amazonaws.com'
      AND eventname = 'ModifyImageAttribute'
      AND regexp_like(requestparameters, ${jsonPair('launchPermission', ADDS)}))
    OR (eventsource = 'ec2.amazonaws.com'
      AND eventname = 'ModifySnapshotAttribute'
      AND regexp_like(requestparameters, ${jsonPair('createVolumePermission', ADDS)}))
    OR (eventsource = 'rds.amazonaws.com'
      AND eventname IN ('ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute')
      AND ${param('$.attributeName')} = 'restore'
      AND regexp_like(requestparameters, ${jsonPair('valuesToAdd', STRING_LIST)}))`,
  summary: `concat(
    ${ACTOR},
    ${did('shared', 'share')},
    CASE eventname
      WHEN 'ModifyImageAttribute' THEN concat(
        'image ',
        coalesce(${param('$.imageId')}, '?'),
        ' with ',
        ${sharedWith('launchPermission')})
      WHEN 'ModifySnapshotAttribute' THEN concat(
        'snapshot ',
        coalesce(${param('$.snapshotId')}, '?'),
        ' with ',
        ${sharedWith('createVolumePermission')})
      ELSE concat(
        'database snapshot ',
        coalesce(${param('$.dBSnapshotIdentifier')}, ${param('$.dBClusterSnapshotIdentifier')}, '?'),
        ' with ',
        coalesce(${param('$.valuesToAdd[0]')}, '?'))
    END,
    ${FAILURE},
    '.')`,
});
