/**
 * identity-provider-or-sso-changed: SAML or OIDC identity providers and IAM Identity Center
 * directories and permission sets changed.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000032
 * (CreateSAMLProvider), detection-examples de000000-0000-4000-8000-000000000033
 * (CreatePermissionSet), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { calledOn, FAILURE, param } from './sqlFragments.js';

export const identityProviderOrSsoChanged = defineDetection({
  name: 'identity-provider-or-sso-changed',
  title: 'SAML/OIDC identity provider or IAM Identity Center configuration changed',
  severity: 'high',
  techniques: ['T1484.002', 'T1556.007', 'T1098'],
  description:
    'Creating, updating or deleting IAM SAML/OIDC providers, changing the Identity Center directory or external IdP, or creating and assigning permission sets. A rogue identity provider or permission set gives an attacker federated access that no IAM user inventory reveals.',
  benignCauses: [
    'IdP certificate rotation',
    'SSO onboarding and permission-set management by identity administrators',
  ],
  references: [
    sigma(
      'aws_delete_saml_provider.yml (AWS SAML Provider Deletion Activity; older file aws_delete_saml.yml)',
    ),
    sigma('aws_susp_saml_activity.yml (AWS Suspicious SAML Activity, UpdateSAMLProvider part)'),
    sigma('aws_sso_idp_change.yml (AWS Identity Center Identity Provider Change)'),
    sigma(
      'aws_iam_identity_center_permission_set_privilege_escalation.yml (AWS IAM Identity Center Permission Set Privilege Escalation)',
    ),
  ],
  condition: `(eventsource = 'iam.amazonaws.com'
      AND eventname IN ('CreateSAMLProvider', 'UpdateSAMLProvider', 'DeleteSAMLProvider', 'CreateOpenIDConnectProvider',
        'UpdateOpenIDConnectProviderThumbprint', 'AddClientIDToOpenIDConnectProvider', 'DeleteOpenIDConnectProvider'))
    OR (eventsource IN ('sso.amazonaws.com', 'sso-directory.amazonaws.com', 'identitystore.amazonaws.com')
      AND eventname IN ('AssociateDirectory', 'DisassociateDirectory', 'EnableExternalIdPConfigurationForDirectory',
        'DisableExternalIdPConfigurationForDirectory', 'CreatePermissionSet', 'UpdatePermissionSet',
        'AttachManagedPolicyToPermissionSet', 'PutInlinePolicyToPermissionSet',
        'AttachCustomerManagedPolicyReferenceToPermissionSet', 'CreateAccountAssignment', 'ProvisionPermissionSet'))`,
  summary: `concat(
    ${calledOn(param('$.name'), param('$.sAMLProviderArn'), param('$.openIDConnectProviderArn'), param('$.url'), param('$.permissionSetArn'), param('$.instanceArn'), 'eventsource')},
    ${FAILURE},
    '.')`,
});
