/**
 * ec2-instance-secrets-read: EC2 user data or Windows password data read, refused attempts
 * included.
 *
 * Verified on invictus 00d955a7-4797-46c4-ba50-ed0c81867020 (GetPasswordData,
 * Client.UnauthorizedOperation), invictus 8d919374-a95d-482e-9d3d-881be4bc638c
 * (DescribeInstanceAttribute), invictus 91bc9d28-e014-49d4-ac84-bcee8d219c72
 * (DescribeInstanceAttribute, Client.UnauthorizedOperation).
 */
import { defineDetection } from './detection.js';
import { stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const ec2InstanceSecretsRead = defineDetection({
  name: 'ec2-instance-secrets-read',
  title: 'EC2 user data or Windows password data read',
  severity: 'medium',
  techniques: ['T1552.005', 'T1580', 'T1552', 'T1555'],
  description:
    'DescribeInstanceAttribute for userData returns startup scripts, which often embed passwords and tokens; GetPasswordData returns the encrypted Windows Administrator password. Bursts of refused calls (Client.UnauthorizedOperation) across many instances are the typical trace of a stolen credential being probed.',
  benignCauses: [
    'Administrators debugging bootstrap scripts',
    'Inventory tools',
    'Administrators retrieving a Windows password through the console',
  ],
  references: [
    stratus('aws.discovery.ec2-download-user-data'),
    stratus('aws.credential-access.ec2-get-password-data'),
  ],
  condition: `eventsource = 'ec2.amazonaws.com'
    AND ((eventname = 'DescribeInstanceAttribute' AND ${param('$.attribute')} = 'userData')
      OR eventname = 'GetPasswordData')`,
  summary: `concat(
    ${ACTOR},
    ${did('read the', 'read the')},
    CASE eventname WHEN 'GetPasswordData' THEN 'Windows password data' ELSE 'user data' END,
    ' of instance ',
    coalesce(${param('$.instanceId')}, '?'),
    ${FAILURE},
    '.')`,
});
