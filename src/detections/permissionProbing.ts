/**
 * permission-probing: one principal refused (AccessDenied, UnauthorizedOperation) on many distinct
 * actions of several services in a burst: what permission brute-forcers (enumerate-iam, Pacu's
 * iam__bruteforce_permissions) leave behind when credentials of unknown reach are tried.
 *
 * Verified on records written from AWS's documented error shapes
 * (tests/fixtures/detection-examples, records 86 to 93; 94 to 103 are a near miss): no real set
 * holds a probe. The grycap
 * account's worst burst of refusals (13 actions of one service) stays under it.
 */
import { defineDetection } from './detection.js';
import { mitre } from './references.js';
import { BURST_ACTOR, count, DENIED, IN_SPAN } from './sqlFragments.js';

export const permissionProbing = defineDetection({
  name: 'permission-probing',
  title: 'Many distinct actions of several services refused to one principal in a burst',
  severity: 'medium',
  techniques: ['T1087.004', 'T1069.003', 'T1580'],
  description:
    'At least 6 distinct actions of at least 3 services refused to one principal (AccessDenied, UnauthorizedOperation and their variants), each within 5 minutes of the one before: credentials whose permissions someone is working out by trying. A misconfigured application is refused the same few actions again and again; many distinct actions across services is a search.',
  benignCauses: [
    'A newly deployed application whose role misses several permissions',
    'A person exploring with a read-only role',
  ],
  outcome: 'refused',
  references: [
    mitre('T1087.004', 'Account Discovery: Cloud Account'),
    mitre('T1069.003', 'Permission Groups Discovery: Cloud Groups'),
  ],
  aggregate: {
    condition: `${DENIED} AND coalesce(useridentity.type, '') <> 'AWSService'`,
    resources: `ARRAY[concat(eventsource, ':', eventname)]`,
    threshold: { gapMinutes: 5, distinctResources: 6, services: 3 },
    summary: `concat(${BURST_ACTOR}, ' was refused ', ${count('distinct_resources')}, ' distinct actions of ',
      ${count('services')}, ' services', ${IN_SPAN}, ' (', ${count('events')}, ' calls, the first ', errorcode, ').')`,
  },
});
