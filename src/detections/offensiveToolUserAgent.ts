/**
 * offensive-tool-user-agent: a call whose user agent names an offensive or audit tool, or a
 * penetration-testing distribution.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000072
 * (GetCallerIdentity), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR } from './sqlFragments.js';

export const offensiveToolUserAgent = defineDetection({
  name: 'offensive-tool-user-agent',
  title: 'Known offensive or cloud-attack tool in the user agent',
  severity: 'medium',
  techniques: ['T1059.009', 'T1526'],
  description:
    'User agents of tools used against AWS (TruffleHog, Pacu, S3 Browser, ScoutSuite, Prowler, CloudFox) or of penetration-testing distributions (Kali, Parrot, Pentoo). The tool is what matters, not any pseudonymised value. Stratus Red Team\'s own user agent (stratus-red-team_<uuid>) is deliberately not listed: keying on it would make every simulated technique "detected" without testing the real detection.',
  benignCauses: ['Authorized assessments and purple-team exercises', 'Security posture scanners'],
  userAgentIsSignal: true,
  references: [
    sigma('aws_cloudtrail_pua_trufflehog.yml (PUA - AWS TruffleHog Execution)'),
    sigma('aws_iam_s3browser_user_or_accesskey_creation.yml'),
    sigma('aws_iam_s3browser_loginprofile_creation.yml'),
    sigma('aws_iam_s3browser_templated_s3_bucket_policy_creation.yml'),
  ],
  condition: `regexp_like(lower(coalesce(useragent, '')),
      '(trufflehog|pacu|s3 browser|scoutsuite|prowler|cloudfox|kali|parrot|pentoo)')`,
  summary: `concat(
    ${ACTOR},
    ' called ',
    eventname,
    ' with tool user agent ',
    substr(coalesce(useragent, '?'), 1, 60),
    '.')`,
});
