/**
 * activity-timeline: how many events per hour (or day) by event name, for one principal, one
 * source IP, or the whole account: the shape of an incident at a glance. Periods are written as
 * the ISO instant they start at.
 */
import { z } from 'zod';
import { principalMatches } from './fragments.js';
import { PrincipalRefSchema, SourceAddressSchema } from './parameterSchemas.js';
import { defineQuery } from './queryDefinition.js';

export const activityTimeline = defineQuery({
  name: 'activity-timeline',
  title: 'Events per hour or day, by event name',
  description:
    'Counts of events, and of those that failed, per hour or day (granularity) and event name, for one principal (user name, identity ARN or role ARN), one sourceIp, or everyone. Periods in order, busiest event name first.',
  parameters: z.strictObject({
    granularity: z.enum(['hour', 'day']).default('hour'),
    principal: PrincipalRefSchema.optional(),
    sourceIp: SourceAddressSchema.optional(),
  }),
  bind: (p) => ({ granularity: p.granularity, principal: p.principal ?? '', source_ip: p.sourceIp ?? '' }),
  with: [
    {
      name: 'selected',
      sql: `
  SELECT
    CASE WHEN params.granularity = 'day' THEN concat(substr(eventtime, 1, 10), 'T00:00:00Z')
         ELSE concat(substr(eventtime, 1, 13), ':00:00Z') END AS period,
    eventname,
    errorcode
  FROM events
  CROSS JOIN params
  WHERE (params.principal = '' OR ${principalMatches('params.principal')})
    AND (params.source_ip = '' OR sourceipaddress = params.source_ip)`,
    },
  ],
  sql: `
SELECT
    period,
    eventname,
    count(*) AS events,
    count(errorcode) AS errors
FROM selected
GROUP BY period, eventname
ORDER BY period, events DESC, eventname`,
  columns: [
    { name: 'period', type: 'varchar' },
    { name: 'eventname', type: 'varchar' },
    { name: 'events', type: 'bigint' },
    { name: 'errors', type: 'bigint' },
  ],
  example: {
    parameters: { principal: 'bert-jan', granularity: 'hour' },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: "bert-jan's calls per hour and event name, 11:00 to 12:00 UTC",
  },
});
