/**
 * iam-mfa-device-removed: an MFA device deactivated or a virtual MFA device deleted.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000031
 * (DeactivateMFADevice), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { mitre } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const iamMfaDeviceRemoved = defineDetection({
  name: 'iam-mfa-device-removed',
  title: 'MFA device deactivated or deleted',
  severity: 'medium',
  techniques: ['T1556.006'],
  description:
    'DeactivateMFADevice or DeleteVirtualMFADevice removes the second factor from a user, so a stolen password alone is enough to sign in.',
  benignCauses: ['User replaced a lost phone', 'Cleanup of unassigned virtual MFA devices'],
  references: [mitre('T1556.006', 'Modify Authentication Process: Multi-Factor Authentication')],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname IN ('DeactivateMFADevice', 'DeleteVirtualMFADevice')`,
  summary: `concat(
    ${ACTOR},
    ${did('removed MFA device', 'remove MFA device')},
    coalesce(${param('$.serialNumber')}, '?'),
    ' from ',
    coalesce(${param('$.userName')}, 'a user'),
    ${FAILURE},
    '.')`,
});
