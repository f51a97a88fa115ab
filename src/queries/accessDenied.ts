/**
 * access-denied: calls refused for lack of permission (AccessDenied, AccessDeniedException,
 * UnauthorizedOperation, Client.UnauthorizedOperation and kin), grouped by principal, action and
 * error code, with how many and when first and last: the shape of someone probing what a stolen
 * credential can do.
 *
 * Verified on real records: counts per principal and action in the invictus set, worked out from
 * the raw JSON in the tests.
 */
import { z } from 'zod';
import { PRINCIPAL } from './fragments.js';
import { UserNameSchema } from './parameterSchemas.js';
import { defineQuery } from './queryDefinition.js';

export const accessDenied = defineQuery({
  name: 'access-denied',
  title: 'Access denied, by principal and action',
  description:
    'AccessDenied and UnauthorizedOperation errors grouped by principal, event source, event name and error code, with the number of events and the first and last time. Optional userName narrows to one IAM user. Most frequent first.',
  parameters: z.strictObject({
    userName: UserNameSchema.optional(),
  }),
  bind: (p) => ({ user_name: p.userName ?? '' }),
  with: [
    {
      name: 'denied',
      sql: `
  SELECT
    ${PRINCIPAL} AS principal,
    useridentity.arn AS principal_arn,
    eventsource,
    eventname,
    errorcode AS error_code,
    eventtime
  FROM events
  CROSS JOIN params
  WHERE (errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%UnauthorizedOperation%' OR errorcode = 'Unauthorized')
    AND (params.user_name = '' OR useridentity.username = params.user_name)`,
    },
  ],
  sql: `
SELECT
    principal,
    principal_arn,
    eventsource,
    eventname,
    error_code,
    count(*) AS events,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen
FROM denied
GROUP BY principal, principal_arn, eventsource, eventname, error_code
ORDER BY events DESC, first_seen, principal, eventname, error_code`,
  columns: [
    { name: 'principal', type: 'varchar' },
    { name: 'principal_arn', type: 'varchar' },
    { name: 'eventsource', type: 'varchar' },
    { name: 'eventname', type: 'varchar' },
    { name: 'error_code', type: 'varchar' },
    { name: 'events', type: 'bigint' },
    { name: 'first_seen', type: 'varchar' },
    { name: 'last_seen', type: 'varchar' },
  ],
  example: {
    parameters: {},
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'the calls the simulation was refused, by principal and action',
  },
});
