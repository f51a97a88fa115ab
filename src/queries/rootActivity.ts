/**
 * root-activity: everything the root user did. userIdentity.type Root, excluding events AWS
 * services produced on the account's behalf (invokedBy set, or eventType AwsServiceEvent);
 * eventVersion 1.01 records, which have no eventType, are kept.
 *
 * Verified on real records: the grycap set's root calls of 2014-09-26 (sign-in, then load
 * balancer, alarm and log group calls), counted from the raw JSON in the tests.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

export const rootActivity = defineQuery({
  name: 'root-activity',
  title: 'Everything the root user did',
  description:
    'Every event of the root user (userIdentity.type Root), not counting events AWS services produced on its behalf. Optional readOnly false keeps only changes.',
  parameters: z.strictObject({
    readOnly: z.boolean().optional().describe('false: only calls that change something; true: only reads'),
  }),
  bind: (p) => [p.readOnly === undefined ? '' : String(p.readOnly)],
  sql: `
params AS (
  SELECT ? AS read_only
)
SELECT
    ${EVENT_COLUMNS_SQL},
    readonly = 'true' AS read_only,
    useragent AS user_agent,
    requestparameters AS request_parameters
FROM events
CROSS JOIN params
WHERE useridentity.type = 'Root'
  AND useridentity.invokedby IS NULL
  AND coalesce(eventtype, '') <> 'AwsServiceEvent'
  AND (params.read_only = '' OR readonly = params.read_only)
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'read_only', type: 'boolean' },
    { name: 'user_agent', type: 'varchar' },
    { name: 'request_parameters', type: 'varchar' },
  ],
  example: {
    parameters: {},
    from: '2014-09-26T00:00:00Z',
    to: '2014-09-28T00:00:00Z',
    answers: 'on the grycap sample: the root sign-in of 2014-09-26T13:43:42Z and what followed',
  },
});
