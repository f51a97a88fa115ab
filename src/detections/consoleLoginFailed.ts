/**
 * console-login-failed: a failed console sign-in.
 *
 * Verified on grycap 9b22e8f8-3fe1-4d2f-a702-9b6c8141c798 (ConsoleLogin), grycap
 * f9f451e5-59a9-428e-a6e9-1beeae1cc22a (ConsoleLogin). No attack set holds one; those are
 * benign records of a research account.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';

export const consoleLoginFailed = defineDetection({
  name: 'console-login-failed',
  title: 'Failed console sign-in',
  severity: 'low',
  techniques: ['T1110'],
  description:
    'ConsoleLogin with a failure (wrong password, unknown user). Isolated failures are common; many in a short time, or for root, indicate password guessing or spraying.',
  benignCauses: ['Mistyped passwords', 'Expired passwords'],
  references: [
    sigma(
      'aws_cloudtrail_console_login_failed_authentication.yml (AWS ConsoleLogin Failed Authentication; older file aws_cloudtrail_console_login_failure.yml)',
    ),
  ],
  condition: `eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
    AND (errormessage IS NOT NULL
      OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')`,
  summary: `concat(
    'Console sign-in failed for ',
    coalesce(useridentity.username, principal, useridentity.arn, 'an unknown user'),
    ' from ',
    coalesce(sourceipaddress, '?'),
    ' (',
    coalesce(errormessage, 'Failure'),
    ').')`,
});
