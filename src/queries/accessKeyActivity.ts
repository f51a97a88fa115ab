/**
 * access-key-activity: everything done with one access key, and who created, changed or deleted it.
 * `relation` says which: `used` (the call was signed with the key), `created` (CreateAccessKey
 * whose response holds it), `managed` (UpdateAccessKey, DeleteAccessKey naming it).
 *
 * Verified on real records: AKIATFQR7NSCQLA2F4OD was created by bert-jan for malicious-iam-user at
 * 2023-07-10T12:24:50Z and deleted at 12:28:24Z, and never used (invictus).
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { AccessKeyIdSchema } from './parameterSchemas.js';
import { defineQuery } from './queryDefinition.js';

export const accessKeyActivity = defineQuery({
  name: 'access-key-activity',
  title: 'Everything done with one access key, and who created it',
  description:
    'Every call signed with accessKeyId, plus the CreateAccessKey that made it and any UpdateAccessKey or DeleteAccessKey naming it, each with its actor. relation is used, created or managed.',
  parameters: z.strictObject({
    accessKeyId: AccessKeyIdSchema,
  }),
  bind: (p) => ({ key: p.accessKeyId }),
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    CASE
      WHEN useridentity.accesskeyid = params.key THEN 'used'
      WHEN eventname = 'CreateAccessKey' THEN 'created'
      ELSE 'managed'
    END AS relation,
    json_extract_scalar(requestparameters, '$.userName') AS key_user,
    requestparameters AS request_parameters
FROM events
CROSS JOIN params
WHERE useridentity.accesskeyid = params.key
   OR (eventsource = 'iam.amazonaws.com' AND eventname = 'CreateAccessKey'
       AND json_extract_scalar(responseelements, '$.accessKey.accessKeyId') = params.key)
   OR (eventsource = 'iam.amazonaws.com' AND eventname IN ('UpdateAccessKey', 'DeleteAccessKey')
       AND json_extract_scalar(requestparameters, '$.accessKeyId') = params.key)
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'relation', type: 'varchar' },
    { name: 'key_user', type: 'varchar' },
    { name: 'request_parameters', type: 'varchar' },
  ],
  example: {
    parameters: { accessKeyId: 'AKIATFQR7NSCQLA2F4OD' },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'created by bert-jan for malicious-iam-user at 12:24:50Z, deleted at 12:28:24Z',
  },
});
