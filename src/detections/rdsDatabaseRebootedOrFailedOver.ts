/**
 * rds-database-rebooted-or-failed-over: a database instance or cluster rebooted, or a cluster's (or
 * a global database's) primary moved by hand.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000141
 * (RebootDBInstance with a forced failover) and 142 (FailoverGlobalCluster), written from the RDS
 * API reference; 143 (StopDBInstance, which another detection may want but this one does not) is
 * the near miss.
 */
import { defineDetection } from './detection.js';
import { awsDoc, mitre } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const rdsDatabaseRebootedOrFailedOver = defineDetection({
  name: 'rds-database-rebooted-or-failed-over',
  title: 'RDS database rebooted, or its primary failed over by hand',
  severity: 'low',
  techniques: ['T1529', 'T1499'],
  description:
    "RebootDBInstance and RebootDBCluster restart the database (every connection dropped), and FailoverDBCluster and FailoverGlobalCluster move the writer to another instance or region. Maintenance AWS performs itself makes no such call: each is a principal's decision, and in an incident the time of an outage someone caused, or a database moved where its copy is read.",
  benignCauses: ['Applying parameter group changes', 'Failover drills', 'Recovering a stuck database'],
  references: [
    awsDoc(
      'RebootDBInstance (Amazon RDS API Reference)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RebootDBInstance.html',
    ),
    awsDoc(
      'FailoverGlobalCluster (Amazon RDS API Reference)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html',
    ),
    mitre('T1529', 'System Shutdown/Reboot'),
  ],
  condition: `eventsource = 'rds.amazonaws.com'
    AND eventname IN ('RebootDBInstance', 'RebootDBCluster', 'FailoverDBCluster', 'FailoverGlobalCluster')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' on ',
    coalesce(${param('$.dBInstanceIdentifier')}, ${param('$.dBClusterIdentifier')},
      ${param('$.globalClusterIdentifier')}, '?'),
    ${FAILURE},
    '.')`,
});
