/**
 * ssm-parameters-read-in-bulk: one principal reading many distinct SSM parameters with decryption
 * (SecureString values in clear) in a burst, whatever its credentials.
 *
 * Verified on stratus aws.credential-access.ssm-retrieve-securestring-parameters (933175858973: 5
 * GetParameters of 42 parameters with decryption in 2 seconds, first 2024-08-01T15:26:56Z).
 */
import { defineDetection } from './detection.js';
import { mitre, stratus } from './references.js';
import { BURST_ACTOR, count, FIRST_REFUSED, IN_SPAN, jsonPair, namedResources } from './sqlFragments.js';

export const ssmParametersReadInBulk = defineDetection({
  name: 'ssm-parameters-read-in-bulk',
  title: 'Many distinct SSM parameters read with decryption by one principal in a burst',
  severity: 'high',
  techniques: ['T1552', 'T1555.006'],
  description:
    'GetParameter, GetParameters and GetParametersByPath with withDecryption=true naming at least 10 distinct parameters, by one principal, each call within 5 minutes of the one before: SecureString harvesting. An application decrypts the handful of parameters it is configured with; 10 distinct in a burst is someone going through the store. A path read counts as one parameter, its path.',
  benignCauses: [
    'An application that loads a large configuration tree at start-up, parameter by parameter',
    'A configuration export or migration job',
  ],
  references: [
    stratus('aws.credential-access.ssm-retrieve-securestring-parameters'),
    mitre('T1552', 'Unsecured Credentials'),
  ],
  aggregate: {
    condition: `eventsource = 'ssm.amazonaws.com'
    AND eventname IN ('GetParameter', 'GetParameters', 'GetParametersByPath')
    AND regexp_like(requestparameters, ${jsonPair('withDecryption', 'true')})`,
    resources: namedResources('$.names', '$.name', '$.path'),
    threshold: { gapMinutes: 5, distinctResources: 10, services: 1 },
    summary: `concat(${BURST_ACTOR}, ' read ', ${count('distinct_resources')}, ' distinct parameters with decryption', ${IN_SPAN},
      ' (', ${count('events')}, ' calls)', ${FIRST_REFUSED}, '.')`,
  },
});
