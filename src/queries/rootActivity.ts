/**
 * root-activity: everything the root user did. userIdentity.type Root, excluding events AWS
 * services produced on the account's behalf: eventType AwsServiceEvent, or invokedBy naming a
 * service that acted by itself (autoscaling, cloudformation...). The CIS rule drops every event
 * with invokedBy, but older records mark root's own console sign-in and Support calls with
 * invokedBy signin.amazonaws.com and support.amazonaws.com: those are the person, and are kept.
 * eventVersion 1.01 records, which have no eventType, are kept.
 *
 * Verified on real records: the grycap set's root sign-in of 2014-09-26T13:43:42Z, its Support
 * calls, and no autoscaling call made in root's name, counted from the raw JSON in the tests.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

export const rootActivity = defineQuery({
  name: 'root-activity',
  title: 'Everything the root user did',
  description:
    'Every event of the root user (userIdentity.type Root), not counting events AWS services produced on its behalf (invokedBy a service such as autoscaling, or eventType AwsServiceEvent); console sign-in and Support calls are kept. Optional readOnly false keeps only changes.',
  parameters: z.strictObject({
    readOnly: z.boolean().optional().describe('false: only calls that change something; true: only reads'),
  }),
  bind: (p) => ({ read_only: p.readOnly === undefined ? '' : String(p.readOnly) }),
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    readonly = 'true' AS read_only,
    useridentity.invokedby AS invoked_by,
    useragent AS user_agent,
    requestparameters AS request_parameters
FROM events
CROSS JOIN params
WHERE useridentity.type = 'Root'
  AND coalesce(useridentity.invokedby, 'signin.amazonaws.com')
      IN ('signin.amazonaws.com', 'support.amazonaws.com', 'console.amazonaws.com')
  AND coalesce(eventtype, '') <> 'AwsServiceEvent'
  AND (params.read_only = '' OR readonly = params.read_only)
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'read_only', type: 'boolean' },
    { name: 'invoked_by', type: 'varchar' },
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
