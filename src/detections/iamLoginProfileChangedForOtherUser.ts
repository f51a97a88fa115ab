/**
 * iam-login-profile-changed-for-other-user: the console password of another IAM user than the
 * caller changed.
 *
 * Verified on stratus a46a1a42-9ef1-48d4-9c61-507eb6d4019f (UpdateLoginProfile).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param, TARGETS_ANOTHER_USER } from './sqlFragments.js';

export const iamLoginProfileChangedForOtherUser = defineDetection({
  name: 'iam-login-profile-changed-for-other-user',
  title: 'Console password of another IAM user changed',
  severity: 'high',
  techniques: ['T1098', 'T1078.004'],
  description:
    "UpdateLoginProfile on a user other than the caller resets that user's console password: the caller can now sign in as them.",
  benignCauses: ['Help-desk password resets by administrators'],
  references: [
    stratus('aws.privilege-escalation.iam-update-user-login-profile'),
    sigma('aws_update_login_profile.yml (AWS User Login Profile Was Modified)'),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname = 'UpdateLoginProfile'
    AND ${TARGETS_ANOTHER_USER}`,
  summary: `concat(
    ${ACTOR},
    ${did('changed the console password of', 'change the console password of')},
    'user ',
    coalesce(${param('$.userName')}, '?'),
    ${FAILURE},
    '.')`,
});
