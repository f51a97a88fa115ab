/**
 * rds-iam-role-added: an IAM role given to a database, so that its engine can call AWS (export to
 * S3, invoke Lambda) with it.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000130
 * (AddRoleToDBCluster), written from the RDS API reference; 131 (RemoveRoleFromDBCluster) is the
 * near miss.
 */
import { defineDetection } from './detection.js';
import { awsDoc, mitre } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const rdsIamRoleAdded = defineDetection({
  name: 'rds-iam-role-added',
  title: 'IAM role associated with an RDS database instance or cluster',
  severity: 'medium',
  techniques: ['T1098', 'T1537'],
  description:
    "AddRoleToDBInstance and AddRoleToDBCluster let the database engine act as an IAM role: SQL such as aws_s3.query_export_to_s3 or SELECT INTO OUTFILE S3 then writes tables to any bucket the role reaches, and Lambda functions can be invoked from queries. Data leaves through the database's own sessions, not through AWS API calls a trail would show one by one.",
  benignCauses: ['Setting up S3 import or export, or Lambda integration, for a database'],
  references: [
    awsDoc(
      'AddRoleToDBCluster (Amazon RDS API Reference)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_AddRoleToDBCluster.html',
    ),
    awsDoc(
      'Exporting data from an Aurora PostgreSQL DB cluster to Amazon S3',
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/postgresql-s3-export.html',
    ),
    mitre('T1537', 'Transfer Data to Cloud Account'),
  ],
  condition: `eventsource = 'rds.amazonaws.com' AND eventname IN ('AddRoleToDBInstance', 'AddRoleToDBCluster')`,
  summary: `concat(
    ${ACTOR},
    ${did('gave', 'give')},
    'database ',
    coalesce(${param('$.dBInstanceIdentifier')}, ${param('$.dBClusterIdentifier')}, '?'),
    ' the role ',
    coalesce(${param('$.roleArn')}, '?'),
    CASE WHEN ${param('$.featureName')} IS NULL THEN '' ELSE concat(' for ', ${param('$.featureName')}) END,
    ${FAILURE},
    '.')`,
});
