/**
 * console-login-without-mfa: a successful console sign-in by an IAM user or root without MFA.
 *
 * Verified on invictus 70e5932e-9022-4b38-837e-ca10dad94eb7 (ConsoleLogin), stratus
 * 865d9377-9c6b-4fd7-8aad-725e95f6a140 (ConsoleLogin), grycap
 * 9461856a-be55-46fc-9b50-7db7557db23a (ConsoleLogin).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, LONG_TERM_CALLER } from './sqlFragments.js';

export const consoleLoginWithoutMfa = defineDetection({
  name: 'console-login-without-mfa',
  title: 'Console sign-in without MFA (IAM user or root)',
  severity: 'medium',
  techniques: ['T1078.004'],
  description:
    'A successful ConsoleLogin of an IAM user or root with MFAUsed = No: a password alone was enough. Stolen or sprayed passwords and freshly created backdoor users sign in this way. Federated (SSO) sign-ins are excluded, their MFA happens at the identity provider.',
  benignCauses: [
    'Users without MFA enrolled yet (first sign-in)',
    'Accounts whose users never had MFA (policy gap, still worth fixing)',
  ],
  references: [
    stratus('aws.initial-access.console-login-without-mfa'),
    sigma(
      'aws_cloudtrail_console_login_success_without_mfa.yml (AWS Successful Console Login Without MFA; older file aws_cloudtrail_console_login_without_mfa.yml)',
    ),
    sigma(
      'aws_iam_user_with_console_access_login_without_mfa.yml (AWS IAM user with Console Access Login Without MFA)',
    ),
  ],
  condition: `eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
    AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
    AND upper(coalesce(json_extract_scalar(additionaleventdata, '$.MFAUsed'), '')) = 'NO'
    AND ${LONG_TERM_CALLER}`,
  summary: `concat(
    ${ACTOR},
    ' signed in to the console without MFA from ',
    coalesce(sourceipaddress, '?'),
    '.')`,
});
