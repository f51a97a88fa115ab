/**
 * sweep: every detection of the catalog (src/detections), or those chosen, in one statement over
 * one scan of the window: the answer to "what happened in this account between Monday and now?".
 * One row per finding, most severe first, then oldest first: an event an event detection matched,
 * or a principal's burst an aggregate detection counted over its threshold.
 *
 * One scan: each event of the window is read once; the detections asked for that it matches are
 * gathered into an array (one CASE per detection; on DuckDB, where the values are constants, a
 * detection not asked for folds away unevaluated), the array keeps only those it matched, and it
 * is unnested, so each (event, detection) is a row, and each of the resources the event touches
 * for an aggregate detection another. Window functions then cut each principal's events of an
 * aggregate detection into bursts (a new one after a gap longer than the detection's) in two
 * sorts, and one GROUP BY makes a finding of each event of an event detection and of each burst
 * of an aggregate one; the WHERE keeps bursts over their threshold. Every step reads the one
 * before, once: on Athena the sweep is one execution, billed once. bench/scan/README.md says what
 * each step costs on the bench's year.
 */
import { z } from 'zod';
import { DETECTIONS } from '../detections/catalog.js';
import { isAggregate, SEVERITIES } from '../detections/detection.js';
import { integerValue } from '../lib/sql/buildStatement.js';
import { PRINCIPAL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

const NAMES = DETECTIONS.map((d) => d.name) as [string, ...string[]];
const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;
const rankOf = (severity: (typeof SEVERITIES)[number]) => SEVERITIES.indexOf(severity) + 1;

const conditionOf = (d: (typeof DETECTIONS)[number]) =>
  `(${(isAggregate(d) ? d.aggregate.condition : d.condition).trim()})`;
const CONDITIONS = DETECTIONS.map(conditionOf);
/** Whether the request asks for a detection: named in `detections` (or none named), at or above `minSeverity`. */
const ASKED = DETECTIONS.map(
  (d) =>
    `(${rankOf(d.severity)} >= params.min_rank AND (params.detections = '' OR strpos(concat(',', params.detections, ','), ${quoted(`,${d.name},`)}) > 0))`,
);
const EVENT_DETECTIONS = DETECTIONS.flatMap((d) => (isAggregate(d) ? [] : [d]));
const AGGREGATES = DETECTIONS.filter(isAggregate);

// kind, gap (seconds), distinct resources and services at least: 0 for event detections.
const CATALOG_ROWS = DETECTIONS.map((d) => {
  const t = isAggregate(d) ? d.aggregate.threshold : undefined;
  return `(${quoted(d.name)}, ${quoted(d.severity)}, ${rankOf(d.severity)}, ${quoted(d.techniques.join(','))}, ${quoted(t ? 'aggregate' : 'event')}, ${t ? t.gapMinutes * 60 : 0}, ${t?.distinctResources ?? 0}, ${t?.services ?? 0})`;
}).join(',\n    ');

const EVENT_SUMMARIES = EVENT_DETECTIONS.map((d) => `WHEN ${quoted(d.name)} THEN (${d.summary.trim()})`).join(
  '\n      ',
);
const RESOURCES = AGGREGATES.map((d) => `WHEN ${quoted(d.name)} THEN (${d.aggregate.resources.trim()})`).join(
  '\n      ',
);
const AGGREGATE_SUMMARIES = AGGREGATES.map(
  (d) => `WHEN ${quoted(d.name)} THEN (${d.aggregate.summary.trim()})`,
).join('\n      ');

/** The first event of a finding's group: its value of `column`. */
const first = (column: string) => `max(CASE WHEN event_rank = 1 THEN ${column} END)`;
/** The k-th event id of a finding's group, in time order. */
const sample = (k: number) => `max(CASE WHEN event_rank = ${k} THEN eventid END)`;

export const sweep = defineQuery({
  name: 'sweep',
  title: 'Every known attack technique looked for in one scan',
  description:
    "Runs every detection of GET /v1/detections (or those named in detections, at or above minSeverity) over the window in one scan, and returns one row per finding: the detection, its severity and MITRE ATT&CK techniques, the event, who acted and from where, and a sentence saying who did what to which resource. An aggregate detection's finding is a principal's burst over its threshold: the first event's columns, with first_seen, last_seen, events, distinct_resources and up to 5 sample event ids. Most severe first, then oldest first.",
  parameters: z.strictObject({
    detections: z.array(z.enum(NAMES)).min(1).max(NAMES.length).optional().describe('only these detections'),
    minSeverity: z.enum(SEVERITIES).default('low').describe('only findings at least this severe'),
  }),
  bind: (p) => ({
    detections: p.detections?.join(',') ?? '',
    min_rank: integerValue(rankOf(p.minSeverity)),
  }),
  with: [
    { name: 'tagged', sql: `SELECT *, ${PRINCIPAL} AS principal FROM events` },
    {
      // Each detection's condition only when the request asks for it: a sweep of a few detections
      // evaluates those alone (on DuckDB the values are constants, and the others fold away).
      name: 'matched',
      sql: `SELECT tagged.*, filter(ARRAY[
      ${DETECTIONS.map((d, i) => `CASE WHEN ${ASKED[i]} AND ${CONDITIONS[i]} THEN ${quoted(d.name)} END`).join(',\n      ')}
    ], hit -> hit IS NOT NULL) AS hits
  FROM tagged
  CROSS JOIN params
  WHERE ${DETECTIONS.map((_, i) => `(${ASKED[i]} AND ${CONDITIONS[i]})`).join('\n     OR ')}`,
    },
    {
      name: 'catalog',
      sql: `SELECT * FROM (VALUES
    ${CATALOG_ROWS}
  ) AS known (d_name, d_severity, d_rank, d_techniques, d_kind, d_gap_seconds, d_min_resources, d_min_services)`,
    },
    {
      // The array unnested alone, then joined: a join or filter on the unnested column in the same
      // step keeps DuckDB from planning the UNNEST as one, and it joins each event back to its
      // array instead (on the bench's year the sweep took 13.2 to 14.4 s that way, 9.7 to 10.2 s so).
      name: 'unnested',
      sql: `SELECT matched.*, hit.detection
  FROM matched
  CROSS JOIN UNNEST(matched.hits) AS hit (detection)`,
    },
    {
      name: 'findings',
      sql: `SELECT unnested.*, catalog.*,
    to_unixtime(from_iso8601_timestamp(eventtime)) AS t,
    CASE detection
      ${EVENT_SUMMARIES}
    END AS event_summary,
    CASE detection
      ${RESOURCES}
      ELSE ARRAY[CAST(NULL AS VARCHAR)]
    END AS touches
  FROM unnested
  JOIN catalog ON catalog.d_name = unnested.detection`,
    },
    {
      // event_order numbers a principal's events of a detection in time order, an event's rows
      // (one per resource) alike: one sort with the gap to the event before.
      name: 'touched',
      sql: `SELECT findings.*, touched_resource.resource AS resource_touched,
    CASE WHEN d_kind = 'aggregate'
      AND t - lag(t) OVER (PARTITION BY detection, account, principal ORDER BY t, eventid) <= d_gap_seconds
      THEN 0 ELSE 1 END AS starts_burst,
    dense_rank() OVER (PARTITION BY detection, account, principal ORDER BY t, eventid) AS event_order
  FROM findings
  CROSS JOIN UNNEST(findings.touches) AS touched_resource (resource)`,
    },
    {
      // RANGE, not ROWS: an event's rows (one per resource) are peers and share their burst, even
      // when the row that starts it is not the first of them. A burst is a run of event_order, so
      // an event's place in its burst is its order less that of the event that started it, found
      // in the same pass (an event detection's every event starts its own, and is first in it).
      name: 'ranked',
      sql: `SELECT touched.*,
    CASE WHEN d_kind = 'event' THEN eventid
      ELSE CAST(sum(starts_burst) OVER (PARTITION BY detection, account, principal ORDER BY t, eventid
        RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS VARCHAR)
    END AS finding_key,
    event_order + 1 - max(CASE WHEN starts_burst = 1 THEN event_order END) OVER (
      PARTITION BY detection, account, principal ORDER BY t, eventid
      RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS event_rank
  FROM touched`,
    },
    {
      name: 'bursts',
      sql: `SELECT detection, d_severity, d_rank, d_techniques, d_kind, d_min_resources, d_min_services,
    account, principal, finding_key,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen,
    max(t) - min(t) AS span_seconds,
    count(DISTINCT eventid) AS events,
    count(DISTINCT resource_touched) AS distinct_resources,
    count(DISTINCT eventsource) AS services,
    ${first('eventid')} AS eventid,
    ${first('eventname')} AS eventname,
    ${first('useridentity.arn')} AS principal_arn,
    ${first('sourceipaddress')} AS source_ip,
    ${first('region')} AS region,
    ${first('errorcode')} AS errorcode,
    ${first('event_summary')} AS event_summary,
    concat_ws(',', ${[1, 2, 3, 4, 5].map(sample).join(', ')}) AS sample_event_ids
  FROM ranked
  GROUP BY detection, d_severity, d_rank, d_techniques, d_kind, d_min_resources, d_min_services,
    account, principal, finding_key`,
    },
  ],
  sql: `
SELECT
    detection,
    d_severity AS severity,
    d_techniques AS techniques,
    first_seen AS eventtime,
    eventid,
    eventname,
    principal,
    principal_arn,
    source_ip,
    account,
    region,
    errorcode AS error_code,
    CASE WHEN d_kind = 'event' THEN event_summary
      ELSE CASE detection
      ${AGGREGATE_SUMMARIES}
      END
    END AS summary,
    first_seen,
    last_seen,
    events,
    CASE WHEN d_kind = 'aggregate' THEN distinct_resources END AS distinct_resources,
    sample_event_ids
FROM bursts
WHERE d_kind = 'event' OR (distinct_resources >= d_min_resources AND services >= d_min_services)
ORDER BY d_rank DESC, eventtime, eventid, detection`,
  columns: [
    { name: 'detection', type: 'varchar' },
    { name: 'severity', type: 'varchar' },
    { name: 'techniques', type: 'varchar' },
    { name: 'eventtime', type: 'varchar' },
    { name: 'eventid', type: 'varchar' },
    { name: 'eventname', type: 'varchar' },
    { name: 'principal', type: 'varchar' },
    { name: 'principal_arn', type: 'varchar' },
    { name: 'source_ip', type: 'varchar' },
    { name: 'account', type: 'varchar' },
    { name: 'region', type: 'varchar' },
    { name: 'error_code', type: 'varchar' },
    { name: 'summary', type: 'varchar' },
    { name: 'first_seen', type: 'varchar' },
    { name: 'last_seen', type: 'varchar' },
    { name: 'events', type: 'bigint' },
    { name: 'distinct_resources', type: 'bigint' },
    { name: 'sample_event_ids', type: 'varchar' },
  ],
  example: {
    parameters: { minSeverity: 'high' },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers:
      'the simulation: the security group opened to the world, AdministratorAccess attached, the trail deleted',
  },
});
