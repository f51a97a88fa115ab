/**
 * rolesanywhere-trust-anchor-created: IAM Roles Anywhere trust anchors and profiles created or
 * updated: role credentials for outside certificates.
 *
 * Verified on invictus 2950830a-24ae-4565-bfab-74d3be4ad0d0 (CreateTrustAnchor), invictus
 * 782bc4f5-53eb-4072-ac09-070425df6eef (CreateProfile), stratus
 * 66e5f252-e092-4ad0-9a33-a03595e05aca (CreateTrustAnchor).
 */
import { defineDetection } from './detection.js';
import { stratus } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const rolesanywhereTrustAnchorCreated = defineDetection({
  name: 'rolesanywhere-trust-anchor-created',
  title: 'IAM Roles Anywhere trust anchor or profile created',
  severity: 'high',
  techniques: ['T1098', 'T1556'],
  description:
    'A trust anchor registers a certificate authority; anyone holding a certificate it signed can then obtain credentials for the roles in a Roles Anywhere profile, from outside AWS, indefinitely.',
  benignCauses: ['On-premises workloads onboarded to Roles Anywhere with a corporate CA'],
  references: [stratus('aws.persistence.rolesanywhere-create-trust-anchor')],
  condition: `eventsource = 'rolesanywhere.amazonaws.com'
    AND eventname IN ('CreateTrustAnchor', 'UpdateTrustAnchor', 'CreateProfile', 'UpdateProfile')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' for ',
    coalesce(${param('$.name')}, ${param('$.trustAnchorId')}, ${param('$.profileId')}, '?'),
    CASE WHEN ${param('$.roleArns[0]')} IS NULL THEN '' ELSE concat(' granting role ', ${param('$.roleArns[0]')}) END,
    ${FAILURE},
    '.')`,
});
