/**
 * discovery-burst: one principal calling many distinct read-only List/Describe/Get APIs across
 * several services in a burst, from a program (not the console, whose pages call many at once):
 * what enumeration tools do.
 *
 * Verified on the invictus simulation: bert-jan's Stratus run (100 distinct read APIs of 20
 * services from 2023-07-10T11:54:33Z); the grycap account's heaviest automation (16 APIs of 7
 * services in a burst) stays under it.
 */
import { defineDetection } from './detection.js';
import { mitre } from './references.js';
import { BURST_ACTOR, count, FROM_CONSOLE, IN_SPAN } from './sqlFragments.js';

export const discoveryBurst = defineDetection({
  name: 'discovery-burst',
  title: 'Burst of many distinct read-only APIs across services by one principal',
  severity: 'medium',
  techniques: ['T1580', 'T1526', 'T1087.004', 'T1069.003'],
  description:
    'At least 20 distinct List, Describe and Get APIs of at least 5 services by one principal through the API (not the console), each call within 5 minutes of the one before: an enumeration tool (ScoutSuite, Pacu, CloudFox, enumerate scripts) or an attacker mapping what stolen credentials reach. Programs call the few APIs their job needs; over four years the busiest automation of the benign research account called 16 distinct APIs of 7 services in one burst. Refused calls count.',
  benignCauses: [
    'Security posture tools (AWS Config aggregators, CSPM scanners) run with a role of their own',
    'Infrastructure as code planning a large stack (terraform plan reads every resource it manages)',
    'An administrator exploring an account with the CLI',
  ],
  references: [mitre('T1580', 'Cloud Infrastructure Discovery'), mitre('T1526', 'Cloud Service Discovery')],
  aggregate: {
    condition: `regexp_like(eventname, '^(List|Describe|Get)')
    AND coalesce(useridentity.type, '') <> 'AWSService'
    AND coalesce(useridentity.invokedby, '') = ''
    AND NOT ${FROM_CONSOLE}`,
    resources: `ARRAY[concat(eventsource, ':', eventname)]`,
    threshold: { gapMinutes: 5, distinctResources: 20, services: 5 },
    summary: `concat(${BURST_ACTOR}, ' called ', ${count('distinct_resources')}, ' distinct read-only APIs of ',
      ${count('services')}, ' services', ${IN_SPAN}, ' (', ${count('events')}, ' calls).')`,
  },
});
