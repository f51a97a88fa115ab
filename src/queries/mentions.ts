/**
 * mentions: every event whose request parameters mention a text, the classic
 * `requestparameters LIKE '%admin.jones%'` search, done with strpos so that % and _ in the text
 * are plain characters. Case-insensitive unless caseSensitive is true.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

const MentionsParametersSchema = z.strictObject({
  text: z
    .string()
    .min(3, 'at least 3 characters, or nearly every event matches')
    .max(1000)
    // Control characters cannot appear in CloudTrail's JSON text unescaped, so they never match.
    .regex(/^[^\p{Cc}]+$/u, 'no control characters')
    // Athena takes an ExecutionParameter of at most 1,024 characters, quotes and doubled quotes included.
    .refine(
      (text) => text.length + (text.match(/'/g)?.length ?? 0) + 2 <= 1024,
      'too long once quoted for Athena',
    ),
  caseSensitive: z.boolean().default(false),
});

export const mentions = defineQuery({
  name: 'mentions',
  title: 'Events whose request parameters mention a text',
  description:
    'Every event whose requestParameters JSON contains text (a user name, bucket, key id, IP...). The text is matched literally: % and _ are ordinary characters. Case-insensitive unless caseSensitive is true.',
  parameters: MentionsParametersSchema,
  bind: (p) => ({ text: p.text, case_sensitive: p.caseSensitive ? 'true' : 'false' }),
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    requestparameters AS request_parameters
FROM events
CROSS JOIN params
WHERE CASE WHEN params.case_sensitive = 'true'
           THEN strpos(requestparameters, params.text)
           ELSE strpos(lower(requestparameters), lower(params.text)) END > 0
ORDER BY eventtime, eventid`,
  columns: [...EVENT_COLUMNS, { name: 'request_parameters', type: 'varchar' }],
  example: {
    parameters: { text: 'malicious-iam-user' },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'every call whose parameters name malicious-iam-user: its creation, policy, key, deletion',
  },
});
