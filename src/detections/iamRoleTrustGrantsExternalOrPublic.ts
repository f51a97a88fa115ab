/**
 * iam-role-trust-grants-external-or-public: a role created or re-trusted so that everyone, or a
 * principal of another account, may assume it.
 *
 * Verified on invictus d96d75c7-e715-44ff-9735-9dc51afbd774 (UpdateAssumeRolePolicy), stratus
 * 62e290e2-ee95-4a7c-a9f8-db4ef462b12d (UpdateAssumeRolePolicy), stratus
 * d2905ac3-9898-433f-b10d-9302abe4e208 (CreateRole).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import {
  ACTOR,
  did,
  FAILURE,
  grantsAnotherAccount,
  grantsEveryone,
  outsidePrincipal,
  param,
} from './sqlFragments.js';

/** The trust policy the request sets, '' when it has none. */
const TRUST_POLICY = `coalesce(${param('$.assumeRolePolicyDocument')}, ${param('$.policyDocument')}, '')`;

export const iamRoleTrustGrantsExternalOrPublic = defineDetection({
  name: 'iam-role-trust-grants-external-or-public',
  title: 'Role trust policy lets another account, or anyone, assume the role',
  severity: 'high',
  techniques: ['T1098.003', 'T1078.004'],
  description:
    'CreateRole or UpdateAssumeRolePolicy whose trust policy names an AWS principal in an account other than the recipient account, or "*". The outsider can then assume the role at will, without any credential in this account. Own-account principals are ignored by removing the recipient account id before matching, so no literal account id is needed.',
  benignCauses: [
    'Cross-account roles for a known partner, auditor, or security vendor',
    'Multi-account landing zones',
  ],
  references: [
    stratus('aws.persistence.iam-backdoor-role'),
    stratus('aws.persistence.iam-create-backdoor-role'),
    sigma('aws_iam_assume_role_policy_updated.yml (AWS IAM Role Trust Policy Modified, partial)'),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname IN ('CreateRole', 'UpdateAssumeRolePolicy')
    AND (${grantsEveryone(TRUST_POLICY)}
      OR ${grantsAnotherAccount(TRUST_POLICY)})`,
  summary: `concat(
    ${ACTOR},
    ${did('let an outside principal assume', 'let an outside principal assume')},
    'role ',
    coalesce(${param('$.roleName')}, '?'),
    ' (trusts ',
    coalesce(${outsidePrincipal(TRUST_POLICY)}, '?'),
    ')',
    ${FAILURE},
    '.')`,
});
