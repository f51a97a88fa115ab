/**
 * long-term-credentials-converted: federation or session tokens minted from long-term keys, and
 * console sign-in tokens made outside the console.
 *
 * Verified on stratus 6e882b9d-2af8-4c67-b91f-aeac6a0e5e70 (GetFederationToken).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, allowsAllActions, did, FAILURE, LONG_TERM_CALLER, param } from './sqlFragments.js';

export const longTermCredentialsConverted = defineDetection({
  name: 'long-term-credentials-converted',
  title: 'Long-term credentials turned into federation, session or console tokens',
  severity: 'medium',
  techniques: ['T1550.001', 'T1098', 'T1021.007'],
  description:
    'GetFederationToken and GetSessionToken called by an IAM user or root, and GetSigninToken called outside the console. Federation tokens survive the deletion of the access key and can carry an Action * policy; sign-in tokens turn API keys into a console session without MFA (aws_consoler). Attackers use both to keep access after a key is rotated and to blur which key was compromised. Calls made by the console itself (invokedBy signin.amazonaws.com, Jersey user agent) are excluded.',
  benignCauses: [
    'CLI MFA workflows calling GetSessionToken',
    'Legacy federation brokers',
    'Identity Center / SSO portal sign-ins with other user agents',
    'Internal federation brokers',
  ],
  references: [
    stratus('aws.persistence.sts-federation-token'),
    sigma('aws_sts_getsessiontoken_misuse.yml (AWS STS GetSessionToken Misuse)'),
    sigma('aws_console_getsignintoken.yml (AWS Console GetSigninToken Potential Abuse)'),
  ],
  condition: `(eventsource = 'sts.amazonaws.com'
      AND eventname IN ('GetFederationToken', 'GetSessionToken')
      AND ${LONG_TERM_CALLER}
      AND coalesce(useridentity.invokedby, '') <> 'signin.amazonaws.com')
    OR (eventsource = 'signin.amazonaws.com'
      AND eventname = 'GetSigninToken'
      AND strpos(coalesce(useragent, ''), 'Jersey') = 0)`,
  summary: `concat(
    ${ACTOR},
    ${did('minted a', 'mint a')},
    CASE eventname
      WHEN 'GetFederationToken' THEN concat('federation token named ', coalesce(${param('$.name')}, '?'))
      WHEN 'GetSessionToken' THEN 'session token'
      ELSE 'console sign-in token'
    END,
    CASE eventname WHEN 'GetSigninToken' THEN ' from API credentials' ELSE ' from long-term credentials' END,
    CASE WHEN ${allowsAllActions(`coalesce(${param('$.policy')}, '')`)} THEN ' with an Action * policy' ELSE '' END,
    ${FAILURE},
    '.')`,
});
