/**
 * instance-credentials-used-for-recon: an instance role's session (named after the instance)
 * doing reconnaissance or used from a workstation.
 *
 * Verified on cloudgoat 7d91ac29-614a-4af9-af5c-c5a80e63a0bb (ListBuckets), cloudgoat
 * bf575a0c-c344-4302-a468-00e6a84a127a (ListObjects), cloudgoat
 * 771299cb-e200-4926-9604-c85358b30499 (GetObject).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';

export const instanceCredentialsUsedForRecon = defineDetection({
  name: 'instance-credentials-used-for-recon',
  title: 'EC2 instance-role credentials used for reconnaissance or from a workstation',
  severity: 'medium',
  techniques: ['T1552.005', 'T1580', 'T1087.004'],
  description:
    'A session of an instance role (its session name is the instance id, i-...) calling whoami and inventory APIs (GetCallerIdentity, ListBuckets, GetAccountAuthorizationDetails, ListUsers/Roles, DescribeTrails, ListDetectors...), or sending a desktop user agent (macOS Darwin), which no EC2 Linux/Windows instance produces; also any use of the EC2 instance identity role (assumed-role/aws:ec2-instance) outside SSM, which only AWS agents should use. Applications rarely ask who they are; credentials stolen through SSRF or IMDS, or a compromised instance, do. Where the table exposes useridentity.sessioncontext.ec2roledelivery, 1.0 (IMDSv1) adds weight.',
  benignCauses: [
    'SDKs or tools that call GetCallerIdentity at start-up',
    'Inventory agents running on instances',
  ],
  principals: ['InstanceRole'],
  userAgentIsSignal: true,
  references: [
    stratus('aws.credential-access.ec2-steal-instance-credentials'),
    stratus('aws.discovery.ec2-enumerate-from-instance'),
    sigma(
      'aws_cloudtrail_imds_malicious_usage.yml (Malicious Usage Of IMDS Credentials Outside Of AWS Infrastructure, related; older file aws_cloudtrail_malicious_usage_of_imds.yml)',
    ),
    sigma('aws_enum_buckets.yml (Potential Bucket Enumeration on AWS, related: ListBuckets)'),
  ],
  condition: `useridentity.type = 'AssumedRole'
    AND ((regexp_like(coalesce(useridentity.arn, ''), '/i-[0-9a-fA-F]{8,17}$')
        AND (eventname IN ('GetCallerIdentity', 'ListBuckets', 'GetAccountAuthorizationDetails', 'GetAccountSummary',
            'ListUsers', 'ListRoles', 'ListAccessKeys', 'ListAttachedRolePolicies', 'ListRolePolicies', 'DescribeTrails',
            'ListDetectors', 'DescribeSnapshots', 'ListSecrets', 'DescribeParameters')
          OR regexp_like(coalesce(useragent, ''), 'Darwin|Macintosh')))
      OR (regexp_like(coalesce(useridentity.arn, ''), ':assumed-role/aws:')
        AND eventsource <> 'ssm.amazonaws.com'
        AND eventname <> 'RegisterManagedInstance'
        AND coalesce(sourceipaddress, '') <> 'AWS Internal'))`,
  summary: `concat(
    'Instance credentials of ',
    coalesce(useridentity.sessioncontext.sessionissuer.username, '?'),
    '/',
    regexp_extract(coalesce(useridentity.arn, ''), '[^/]+$'),
    ' called ',
    eventname,
    ' from ',
    coalesce(sourceipaddress, '?'),
    '.')`,
});
