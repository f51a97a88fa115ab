/**
 * ec2-ssh-access-added: key pairs created or imported, SSH keys pushed through Instance Connect
 * or the serial console, serial console enabled.
 *
 * Verified on stratus 0968cbec-f8df-43f3-94ba-b451aad083ed (SendSSHPublicKey), stratus
 * 37ba412b-f943-44f2-ae48-4527f6e789d9 (EnableSerialConsoleAccess), stratus
 * f4dc86c9-6b22-4643-a0e8-fcb97fcfae68 (SendSerialConsoleSSHPublicKey).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, FAILURE, param } from './sqlFragments.js';

export const ec2SshAccessAdded = defineDetection({
  name: 'ec2-ssh-access-added',
  title: 'SSH access to instances added (key pair, Instance Connect, serial console)',
  severity: 'medium',
  techniques: ['T1098.004', 'T1098.001', 'T1021.004'],
  description:
    'CreateKeyPair/ImportKeyPair plant a key for instances launched later; SendSSHPublicKey (EC2 Instance Connect), EnableSerialConsoleAccess and SendSerialConsoleSSHPublicKey give a shell on running instances without their key pair, the serial console even bypassing network controls. Key-pair creation alone is common (tools create one per instance): rank it below key pushes.',
  benignCauses: [
    'Provisioning tools creating per-instance key pairs',
    'Administrators using Instance Connect or the serial console for break-glass access',
  ],
  references: [
    stratus('aws.persistence.ec2-create-suspicious-keypair'),
    sigma(
      'aws_ec2_import_key_pair_activity.yml (AWS Key Pair Import Activity; older file aws_ec2_import_key_pair_detection.yml)',
    ),
    stratus('aws.lateral-movement.ec2-instance-connect'),
    stratus('aws.lateral-movement.ec2-serial-console-send-ssh-public-key'),
  ],
  condition: `(eventsource = 'ec2.amazonaws.com'
      AND eventname IN ('CreateKeyPair', 'ImportKeyPair', 'EnableSerialConsoleAccess'))
    OR (eventsource = 'ec2-instance-connect.amazonaws.com'
      AND eventname IN ('SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey'))`,
  summary: `concat(
    ${ACTOR},
    CASE eventname
      WHEN 'EnableSerialConsoleAccess' THEN concat(
        CASE WHEN errorcode IS NULL THEN ' enabled' ELSE ' tried to enable' END,
        ' serial console access in ',
        coalesce(awsregion, '?'))
      WHEN 'CreateKeyPair' THEN concat(
        CASE WHEN errorcode IS NULL THEN ' created' ELSE ' tried to create' END,
        ' key pair ',
        coalesce(${param('$.keyName')}, '?'))
      WHEN 'ImportKeyPair' THEN concat(
        CASE WHEN errorcode IS NULL THEN ' imported' ELSE ' tried to import' END,
        ' key pair ',
        coalesce(${param('$.keyName')}, '?'))
      ELSE concat(
        CASE WHEN errorcode IS NULL THEN ' pushed' ELSE ' tried to push' END,
        ' an SSH key to instance ',
        coalesce(${param('$.instanceId')}, '?'),
        CASE WHEN ${param('$.instanceOSUser')} IS NULL THEN '' ELSE concat(' as ', ${param('$.instanceOSUser')}) END)
    END,
    ${FAILURE},
    '.')`,
});
