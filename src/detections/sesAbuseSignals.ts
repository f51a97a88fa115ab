/**
 * ses-abuse-signals: SES sending limits and identities enumerated, or identities deleted: the
 * steps of spam from a stolen key.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000061
 * (GetSendQuota), detection-examples de000000-0000-4000-8000-000000000062 (DeleteIdentity),
 * written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

/** The sending identity (address or domain) a request names. */
const IDENTITY = `coalesce(${param('$.identity')}, ${param('$.emailIdentity')})`;

export const sesAbuseSignals = defineDetection({
  name: 'ses-abuse-signals',
  title: 'SES sending capability enumerated or a sending identity deleted',
  severity: 'low',
  techniques: ['T1526', 'T1580', 'T1070'],
  description:
    'GetAccountSendingEnabled, GetSendQuota, ListIdentities, GetAccount (SESv2) and identity verification lookups are the first moves of attackers who want to send phishing or spam with stolen keys; DeleteIdentity/DeleteEmailIdentity after a campaign removes the sender they used. Enumeration from long-term keys or across many regions weighs more.',
  benignCauses: ['Applications and dashboards checking sending quotas', 'Decommissioning a sending domain'],
  references: [
    stratus('aws.discovery.ses-enumerate'),
    sigma(
      'aws_cloudtrail_ses_account_discovery.yml (AWS SES Account Availability Discovery Via Long-Lived Access Key)',
    ),
    sigma('aws_delete_identity.yml (SES Identity Has Been Deleted)'),
  ],
  condition: `eventsource = 'ses.amazonaws.com'
    AND eventname IN ('GetAccountSendingEnabled', 'GetSendQuota', 'ListIdentities', 'GetAccount',
      'GetIdentityVerificationAttributes', 'ListEmailIdentities', 'DeleteIdentity', 'DeleteEmailIdentity')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    'SES ',
    eventname,
    ' in ',
    coalesce(awsregion, '?'),
    CASE WHEN ${IDENTITY} IS NULL THEN '' ELSE concat(' for ', ${IDENTITY}) END,
    ${FAILURE},
    '.')`,
});
