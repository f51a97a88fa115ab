/**
 * root-account-used: any call made with the root user, except services acting on resources root
 * created.
 *
 * Verified on grycap 1aa72db4-c74f-4976-a53f-ed44a5168313 (GetSessionToken), grycap
 * 5a0d4999-5c63-4035-9f9b-03c165bd716c (ConsoleLogin), grycap
 * 1df311d9-674a-40c7-9f89-a0c5d77e59c2 (GetAccountSummary). No attack set holds one; those are
 * benign records of a research account.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, FAILURE } from './sqlFragments.js';

export const rootAccountUsed = defineDetection({
  name: 'root-account-used',
  title: 'Root user activity',
  severity: 'high',
  techniques: ['T1078.004'],
  description:
    "Any API call or sign-in made with the root user's credentials, including console actions relayed by signin/support (invokedBy), but not services acting autonomously on root-created resources (Auto Scaling, CloudFormation, Elastic Beanstalk, ELB). Root cannot be restricted by IAM policies; day-to-day use is itself a finding and attacker use is catastrophic.",
  benignCauses: ['Tasks that require root (billing settings, account closure, some support plans)'],
  principals: ['Root'],
  references: [sigma('aws_root_account_usage.yml (AWS Root Credentials)')],
  condition: `useridentity.type = 'Root'
    AND coalesce(eventtype, '') <> 'AwsServiceEvent'
    AND coalesce(useridentity.invokedby, '') NOT IN ('autoscaling.amazonaws.com', 'cloudformation.amazonaws.com',
      'elasticbeanstalk.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'AWS Internal')`,
  summary: `concat(
    ${ACTOR},
    ' (root) ',
    CASE WHEN errorcode IS NULL THEN 'called ' ELSE 'tried to call ' END,
    eventname,
    ' from ',
    coalesce(sourceipaddress, '?'),
    ${FAILURE},
    '.')`,
});
