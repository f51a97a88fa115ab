/**
 * ssm-remote-execution: commands sent to instances through SSM, and SSM sessions opened on
 * them.
 *
 * Verified on invictus 99b46479-d5c7-4384-b342-006ece8c36a0 (SendCommand), invictus
 * 22d1e206-17fd-4a52-9923-e86605f3dd7f (SendCommand, InvalidInstanceId), stratus
 * 32e8a07f-4751-4081-882e-958a25231c56 (StartSession).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const ssmRemoteExecution = defineDetection({
  name: 'ssm-remote-execution',
  title: 'Command or session run on instances through Systems Manager',
  severity: 'medium',
  techniques: ['T1651', 'T1021.007'],
  description:
    'SendCommand (AWS-RunShellScript and friends) and StartSession run code or open a shell on instances with their instance role; an attacker with ssm permissions needs no network access. Commands on several instances at once, or from an unusual principal, are the signal.',
  benignCauses: ['Patch and configuration automation', 'Administrators using Session Manager instead of SSH'],
  references: [
    stratus('aws.execution.ssm-send-command'),
    stratus('aws.execution.ssm-start-session'),
    sigma(
      'aws_cloudtrail_ssm_malicious_usage.yml (Potential Malicious Usage of CloudTrail System Manager; older file aws_cloudtrail_malicious_ssm_usage.yml)',
    ),
  ],
  condition: `eventsource = 'ssm.amazonaws.com'
    AND eventname IN ('SendCommand', 'StartSession')`,
  summary: `concat(
    ${ACTOR},
    CASE eventname
      WHEN 'SendCommand' THEN concat(
        ${did('ran', 'run')},
        coalesce(${param('$.documentName')}, '?'),
        ' on ',
        coalesce(${param('$.instanceIds[0]')}, '?'),
        CASE WHEN ${param('$.instanceIds[1]')} IS NULL THEN '' ELSE ' and other instances' END)
      ELSE concat(
        ${did('opened a session on', 'open a session on')},
        coalesce(${param('$.target')}, '?'))
    END,
    ${FAILURE},
    '.')`,
});
