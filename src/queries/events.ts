/**
 * events: a general filter in the spirit of CloudTrail's event history, over years instead of 90
 * days. Every given filter must hold; none given lists every event of the window.
 * eventNames is a list bound as one comma-joined value (names hold no commas), so the SQL text
 * does not change with the list's length.
 */
import { z } from 'zod';
import { RegionSchema } from '../lib/sql/timeWindow.js';
import {
  DETAIL_COLUMNS,
  DETAIL_COLUMNS_SQL,
  EVENT_COLUMNS,
  EVENT_COLUMNS_SQL,
  principalMatches,
} from './fragments.js';
import { AccessKeyIdSchema, PrincipalRefSchema, SourceAddressSchema } from './parameterSchemas.js';
import { defineQuery } from './queryDefinition.js';

const EventsParametersSchema = z.strictObject({
  eventNames: z
    .array(z.string().regex(/^[A-Za-z0-9]{2,128}$/, 'an event name such as ConsoleLogin'))
    .min(1)
    .max(50)
    // Bound as one comma-joined value, which Athena takes up to 1,024 characters long (quoted).
    .refine((names) => names.join(',').length <= 1022, 'the names, joined by commas, exceed 1,022 characters')
    .optional(),
  eventSource: z
    .string()
    .regex(/^[a-z0-9.-]{1,128}\.amazonaws\.com$/, 'an event source such as iam.amazonaws.com')
    .optional(),
  principal: PrincipalRefSchema.optional(),
  sourceIp: SourceAddressSchema.optional(),
  accessKeyId: AccessKeyIdSchema.optional(),
  errorCode: z
    .string()
    .regex(/^[A-Za-z0-9.:_-]{1,128}$/, 'an error code such as AccessDenied')
    .optional(),
  readOnly: z.boolean().optional(),
  awsRegion: RegionSchema.optional().describe(
    'the region the call was made in (the window also takes regions)',
  ),
  resourceName: z
    .string()
    .min(3)
    .max(256)
    .regex(/^[^\p{Cc}'"]+$/u, 'a resource name or ARN, without quotes or control characters')
    .optional()
    .describe('found, as written, in the request parameters'),
});

export const events = defineQuery({
  name: 'events',
  title: 'Events matching a filter, as CloudTrail event history, over years',
  description:
    'Every event matching all the given filters: eventNames (any of), eventSource, principal (user name, identity ARN or role ARN), sourceIp, accessKeyId, errorCode, readOnly, awsRegion, resourceName (in the request parameters). Oldest first.',
  parameters: EventsParametersSchema,
  bind: (p) => ({
    names: p.eventNames?.join(',') ?? '',
    source: p.eventSource ?? '',
    principal: p.principal ?? '',
    source_ip: p.sourceIp ?? '',
    access_key_id: p.accessKeyId ?? '',
    error_code: p.errorCode ?? '',
    read_only: p.readOnly === undefined ? '' : String(p.readOnly),
    aws_region: p.awsRegion ?? '',
    resource_name: p.resourceName ?? '',
  }),
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    ${DETAIL_COLUMNS_SQL}
FROM events
CROSS JOIN params
WHERE (params.names = '' OR strpos(concat(',', params.names, ','), concat(',', eventname, ',')) > 0)
  AND (params.source = '' OR eventsource = params.source)
  AND (params.principal = '' OR ${principalMatches('params.principal')})
  AND (params.source_ip = '' OR sourceipaddress = params.source_ip)
  AND (params.access_key_id = '' OR useridentity.accesskeyid = params.access_key_id)
  AND (params.error_code = '' OR errorcode = params.error_code)
  AND (params.read_only = '' OR readonly = params.read_only)
  AND (params.aws_region = '' OR awsregion = params.aws_region)
  AND (params.resource_name = '' OR strpos(requestparameters, params.resource_name) > 0)
ORDER BY eventtime, eventid`,
  columns: [...EVENT_COLUMNS, ...DETAIL_COLUMNS],
  example: {
    parameters: { eventNames: ['CreateUser', 'DeleteUser'], principal: 'bert-jan' },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'the users bert-jan created and deleted during the simulation',
  },
});
