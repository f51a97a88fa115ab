/**
 * ec2-user-data-modified: an instance's user data (its startup script) replaced, code run as
 * root at the next start.
 *
 * Verified on stratus f634894e-d625-4b7b-b1c1-50354cc1100e (ModifyInstanceAttribute).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const ec2UserDataModified = defineDetection({
  name: 'ec2-user-data-modified',
  title: 'EC2 instance user data (startup script) modified',
  severity: 'high',
  techniques: ['T1059.009', 'T1578'],
  description:
    'ModifyInstanceAttribute setting userData: the script runs as root at the next start (attackers stop, modify, start). It executes code on the instance with its role, without SSH or SSM.',
  benignCauses: ['Configuration management changing bootstrap scripts on stopped instances'],
  references: [
    stratus('aws.execution.ec2-user-data'),
    sigma(
      'aws_ec2_startup_script_change.yml (AWS EC2 Startup Shell Script Change; its requestParameters.attribute = userData form misses the userData-key form recorded here)',
    ),
  ],
  condition: `eventsource = 'ec2.amazonaws.com'
    AND eventname = 'ModifyInstanceAttribute'
    AND (${param('$.attribute')} = 'userData'
      OR strpos(requestparameters, '"userData"') > 0)`,
  summary: `concat(
    ${ACTOR},
    ${did('replaced the user data (startup script) of', 'replace the user data (startup script) of')},
    'instance ',
    coalesce(${param('$.instanceId')}, '?'),
    ${FAILURE},
    '.')`,
});
