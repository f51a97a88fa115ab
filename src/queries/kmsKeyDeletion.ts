/**
 * kms-key-deletion: KMS keys scheduled for deletion or disabled, and their key material deleted,
 * the way to make encrypted data unreadable. No real set here holds such an event: the tests use
 * records written from AWS's published examples (tests/fixtures/aws-doc-examples), marked as such.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

export const kmsKeyDeletion = defineQuery({
  name: 'kms-key-deletion',
  title: 'KMS keys scheduled for deletion or disabled',
  description:
    'ScheduleKeyDeletion, DisableKey and DeleteImportedKeyMaterial, with the key, the waiting period and the date the key will be deleted. Failed attempts included.',
  parameters: z.strictObject({}),
  bind: () => ({}),
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    coalesce(json_extract_scalar(responseelements, '$.keyId'), json_extract_scalar(requestparameters, '$.keyId')) AS key_id,
    try_cast(coalesce(json_extract_scalar(requestparameters, '$.pendingWindowInDays'),
                      json_extract_scalar(responseelements, '$.pendingWindowInDays')) AS integer) AS pending_window_days,
    json_extract_scalar(responseelements, '$.deletionDate') AS deletion_date
FROM events
WHERE eventsource = 'kms.amazonaws.com'
  AND eventname IN ('ScheduleKeyDeletion', 'DisableKey', 'DeleteImportedKeyMaterial')
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'key_id', type: 'varchar' },
    { name: 'pending_window_days', type: 'integer' },
    { name: 'deletion_date', type: 'varchar' },
  ],
  example: {
    parameters: {},
    from: '2024-03-05T00:00:00Z',
    to: '2024-03-06T00:00:00Z',
    answers:
      'on the documentation examples in the tests: admin.jones disabled a key, then scheduled it for deletion',
  },
});
