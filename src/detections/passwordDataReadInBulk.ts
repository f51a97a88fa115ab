/**
 * password-data-read-in-bulk: one principal asking for the Windows password data of many
 * instances in a burst, refused or not.
 *
 * Verified on stratus aws.credential-access.ec2-get-password-data (457448411975: 30 GetPasswordData
 * of 30 instances in 5 seconds by a role session, every one refused, first 2024-07-30T21:31:16Z)
 * and the invictus simulation's run of it (29, 2023-07-10T11:54:47Z).
 */
import { defineDetection } from './detection.js';
import { mitre, sigma, stratus } from './references.js';
import { BURST_ACTOR, count, FIRST_REFUSED, IN_SPAN, param } from './sqlFragments.js';

export const passwordDataReadInBulk = defineDetection({
  name: 'password-data-read-in-bulk',
  title: 'Windows password data of many instances requested by one principal in a burst',
  severity: 'high',
  techniques: ['T1552.005', 'T1555'],
  description:
    'GetPasswordData for at least 5 distinct instances by one principal, each call within 5 minutes of the one before, whether or not it was allowed: an attacker going through the fleet for administrator passwords. An administrator retrieves the password of the instance they are about to log on to.',
  benignCauses: ['A fleet management script that collects the passwords of new Windows instances'],
  references: [
    stratus('aws.credential-access.ec2-get-password-data'),
    sigma('aws_ec2_get_password_data.yml'),
    mitre('T1552.005', 'Cloud Instance Metadata API'),
  ],
  aggregate: {
    condition: `eventsource = 'ec2.amazonaws.com' AND eventname = 'GetPasswordData'`,
    resources: `ARRAY[coalesce(${param('$.instanceId')}, '?')]`,
    threshold: { gapMinutes: 5, distinctResources: 5, services: 1 },
    summary: `concat(${BURST_ACTOR},
      CASE WHEN errorcode IS NULL THEN ' read' ELSE ' tried to read' END,
      ' the Windows password data of ', ${count('distinct_resources')}, ' instances', ${IN_SPAN},
      ${FIRST_REFUSED}, '.')`,
  },
});
