/**
 * rds-log-files-downloaded: a database's log files read through the RDS API.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000132
 * (DownloadDBLogFilePortion), written from the RDS API reference; 133 (DescribeDBLogFiles, which
 * lists them without reading) is the near miss.
 */
import { defineDetection } from './detection.js';
import { awsDoc, mitre } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const rdsLogFilesDownloaded = defineDetection({
  name: 'rds-log-files-downloaded',
  title: 'RDS database log file downloaded',
  severity: 'low',
  techniques: ['T1552', 'T1005'],
  description:
    "DownloadDBLogFilePortion reads a database's error, slow-query, general or audit log from outside the database. Those logs hold statements as they were run, passwords in a failed CREATE USER or ALTER USER among them, and the names of users, tables and clients: credentials and a map of the data, without a database login.",
  benignCauses: ['Database administrators reading logs in the console or with the CLI', 'Log shipping tools'],
  references: [
    awsDoc(
      'DownloadDBLogFilePortion (Amazon RDS API Reference)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DownloadDBLogFilePortion.html',
    ),
    mitre('T1552', 'Unsecured Credentials'),
  ],
  condition: `eventsource = 'rds.amazonaws.com' AND eventname = 'DownloadDBLogFilePortion'`,
  summary: `concat(
    ${ACTOR},
    ${did('read', 'read')},
    'log file ',
    coalesce(${param('$.logFileName')}, '?'),
    ' of database ',
    coalesce(${param('$.dBInstanceIdentifier')}, '?'),
    ${FAILURE},
    '.')`,
});
