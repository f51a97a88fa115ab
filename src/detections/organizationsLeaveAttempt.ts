/**
 * organizations-leave-attempt: an account leaving (or removed from) its AWS Organization,
 * usually refused by an SCP.
 *
 * Verified on invictus be7f89b5-d456-4423-b3e6-0fb0b19bad7c (LeaveOrganization, AccessDenied),
 * stratus 16903cbd-fdff-4818-82f2-d66ad09aaf57 (LeaveOrganization, AccessDenied).
 */
import { defineDetection } from './detection.js';
import { stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const organizationsLeaveAttempt = defineDetection({
  name: 'organizations-leave-attempt',
  title: 'Account tried to leave its AWS Organization',
  severity: 'high',
  techniques: ['T1666', 'T1562'],
  description:
    'LeaveOrganization detaches the account from the organization, removing SCP guardrails, organization trails and delegated security tooling. It is usually refused (AccessDenied) by an SCP; the attempt itself is the signal.',
  benignCauses: ['Planned account transfer between organizations'],
  references: [stratus('aws.defense-evasion.organizations-leave')],
  condition: `eventsource = 'organizations.amazonaws.com'
    AND eventname IN ('LeaveOrganization', 'RemoveAccountFromOrganization')`,
  summary: `concat(
    ${ACTOR},
    CASE eventname
      WHEN 'RemoveAccountFromOrganization' THEN concat(
        ${did('removed account', 'remove account')},
        coalesce(${param('$.accountId')}, '?'),
        ' from its organization')
      ELSE concat(
        ${did('made the account leave', 'make the account leave')},
        'its organization (account ',
        coalesce(recipientaccountid, useridentity.accountid, '?'),
        ')')
    END,
    ${FAILURE},
    '.')`,
});
