/**
 * bulk-data-export-started: instances, images, DynamoDB tables or RDS snapshots exported to S3
 * in bulk.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000067
 * (ExportTableToPointInTime), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const bulkDataExportStarted = defineDetection({
  name: 'bulk-data-export-started',
  title: 'Instance, image or table exported out of its service',
  severity: 'medium',
  techniques: ['T1537', 'T1005'],
  description:
    'CreateInstanceExportTask/ExportImage (VM export to S3), DynamoDB ExportTableToPointInTime and RDS StartExportTask copy whole data stores to S3, possibly a bucket in another account.',
  benignCauses: ['Analytics exports to a data lake', 'Migrations'],
  references: [
    sigma('aws_ec2_vm_export_failure.yml (AWS EC2 VM Export Failure)'),
    sigma('aws_dynamodb_table_exported_to_s3.yml (AWS DynamoDB Table Exported to S3)'),
  ],
  condition: `(eventsource = 'ec2.amazonaws.com' AND eventname IN ('CreateInstanceExportTask', 'ExportImage'))
    OR (eventsource = 'dynamodb.amazonaws.com' AND eventname = 'ExportTableToPointInTime')
    OR (eventsource = 'rds.amazonaws.com' AND eventname = 'StartExportTask')`,
  summary: `concat(
    ${ACTOR},
    ${did('started an export with', 'start an export with')},
    eventname,
    ' to ',
    coalesce(
      ${param('$.s3Bucket')},
      ${param('$.exportToS3.s3Bucket')},
      ${param('$.s3BucketName')},
      ${param('$.s3ExportLocation.s3Bucket')},
      '?'),
    ${FAILURE},
    '.')`,
});
