/**
 * console-logins: console sign-ins with their outcome, whether MFA was used, whether it was the
 * root user, and why a failure failed (errorMessage). MFAUsed is compared case-insensitively
 * ('No', 'NO', 'Yes' all occur); a failure for an unknown user name is recorded under the user
 * name HIDDEN_DUE_TO_SECURITY_REASONS, and is kept.
 *
 * Verified on real records: grycap 2014-09-26/27 holds 18 sign-ins, 2 failed (one
 * HIDDEN_DUE_TO_SECURITY_REASONS, "No username found in supplied account"; alucloud34, "Failed
 * authentication") and one root sign-in, all eventVersion 1.01; invictus holds bert-jan's sign-in
 * with MFA ('Yes') and one without.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { UserNameSchema } from './parameterSchemas.js';
import { defineQuery } from './queryDefinition.js';

const MFA_USED = "coalesce(lower(json_extract_scalar(additionaleventdata, '$.MFAUsed')) = 'yes', false)";

export const consoleLogins = defineQuery({
  name: 'console-logins',
  title: 'Console sign-ins: outcome, MFA, root, failures',
  description:
    'ConsoleLogin events with outcome (Success or Failure), mfa_used, root and, for failures, the reason in error_message. Filters: failuresOnly, withoutMfaOnly, userName (HIDDEN_DUE_TO_SECURITY_REASONS finds failures for unknown user names).',
  parameters: z.strictObject({
    failuresOnly: z.boolean().default(false),
    withoutMfaOnly: z.boolean().default(false),
    userName: UserNameSchema.optional(),
  }),
  bind: (p) => ({
    failures_only: String(p.failuresOnly),
    without_mfa_only: String(p.withoutMfaOnly),
    user_name: p.userName ?? '',
  }),
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    json_extract_scalar(responseelements, '$.ConsoleLogin') AS outcome,
    ${MFA_USED} AS mfa_used,
    coalesce(useridentity.type = 'Root', false) AS root,
    json_extract_scalar(additionaleventdata, '$.LoginTo') AS login_to
FROM events
CROSS JOIN params
WHERE eventname = 'ConsoleLogin'
  AND (params.failures_only = 'false' OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')
  AND (params.without_mfa_only = 'false' OR NOT ${MFA_USED})
  AND (params.user_name = '' OR useridentity.username = params.user_name)
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'outcome', type: 'varchar' },
    { name: 'mfa_used', type: 'boolean' },
    { name: 'root', type: 'boolean' },
    { name: 'login_to', type: 'varchar' },
  ],
  example: {
    parameters: {},
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'a created user signed in without MFA at 12:23:15Z; bert-jan with MFA at 12:27:45Z',
  },
});
