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
import { type Cte, integerValue } from '../lib/sql/buildStatement.js';
import { csvLineSql } from '../lib/sql/csvLine.js';
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
/**
 * The first event's columns a finding shows, each `AS` its name, `also` (columns of the group in
 * the one statement, keys of the runs) put after `source_ip`.
 */
const firstColumns = (also: readonly string[]) =>
  [
    ['eventid', 'eventid'],
    ['eventname', 'eventname'],
    ['useridentity.arn', 'principal_arn'],
    ['sourceipaddress', 'source_ip'],
    ...also.map((c) => [c, c]),
    ['errorcode', 'errorcode'],
    ['event_summary', 'event_summary'],
  ]
    .map(([column, name]) => `${first(String(column))} AS ${name}`)
    .join(',\n    ');

/** The k-th event id of a finding's group, in time order. */
const sample = (k: number) => `max(CASE WHEN event_rank = ${k} THEN eventid END)`;

/**
 * The steps up to each event's burst, its place in it and the key of its finding; a principal's
 * events of a detection are cut into bursts within each partition of `burstKey`.
 */
const rankedSteps = (burstKey: string): Cte[] => [
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
      AND t - lag(t) OVER (PARTITION BY ${burstKey} ORDER BY t, eventid) <= d_gap_seconds
      THEN 0 ELSE 1 END AS starts_burst,
    dense_rank() OVER (PARTITION BY ${burstKey} ORDER BY t, eventid) AS event_order
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
      ELSE CAST(sum(starts_burst) OVER (PARTITION BY ${burstKey} ORDER BY t, eventid
        RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS VARCHAR)
    END AS finding_key,
    event_order + 1 - max(CASE WHEN starts_burst = 1 THEN event_order END) OVER (
      PARTITION BY ${burstKey} ORDER BY t, eventid
      RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS event_rank
  FROM touched`,
  },
];

const BURSTS: Cte = {
  name: 'bursts',
  sql: `SELECT detection, d_severity, d_rank, d_techniques, d_kind, d_min_resources, d_min_services,
    account, principal, finding_key,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen,
    max(t) - min(t) AS span_seconds,
    count(DISTINCT eventid) AS events,
    count(DISTINCT resource_touched) AS distinct_resources,
    count(DISTINCT eventsource) AS services,
    ${firstColumns(['region'])},
    concat_ws(',', ${[1, 2, 3, 4, 5].map(sample).join(', ')}) AS sample_event_ids
  FROM ranked
  GROUP BY detection, d_severity, d_rank, d_techniques, d_kind, d_min_resources, d_min_services,
    account, principal, finding_key`,
};

/**
 * The answer's columns over a finding in `merged`'s (or `bursts`') columns, each an expression
 * and its name, the columns named as `of` names them: an event detection's run names two of them
 * its own way (RUN_AS_FINDING). `kind`: which findings the expressions serve, an event
 * detection's alone or any.
 */
const answerColumns = (of: (column: string) => string, kind: 'event' | 'any'): [string, string][] => [
  [of('detection'), 'detection'],
  [of('d_severity'), 'severity'],
  [of('d_techniques'), 'techniques'],
  [of('first_seen'), 'eventtime'],
  [of('eventid'), 'eventid'],
  [of('eventname'), 'eventname'],
  [of('principal'), 'principal'],
  [of('principal_arn'), 'principal_arn'],
  [of('source_ip'), 'source_ip'],
  [of('account'), 'account'],
  [of('region'), 'region'],
  [of('errorcode'), 'error_code'],
  [
    kind === 'event'
      ? of('event_summary')
      : `CASE WHEN d_kind = 'event' THEN event_summary
      ELSE CASE detection
      ${AGGREGATE_SUMMARIES}
      END
    END`,
    'summary',
  ],
  [of('first_seen'), 'first_seen'],
  [of('last_seen'), 'last_seen'],
  [of('events'), 'events'],
  [
    kind === 'event' ? 'NULL' : `CASE WHEN d_kind = 'aggregate' THEN distinct_resources END`,
    'distinct_resources',
  ],
  [of('sample_event_ids'), 'sample_event_ids'],
];
const ANSWER_COLUMNS = answerColumns((column) => column, 'any');

/** Which of `merged`'s (or `bursts`') rows are findings: an aggregate detection's over its threshold. */
const IS_FINDING = `d_kind = 'event' OR (distinct_resources >= d_min_resources AND services >= d_min_services)`;
const ANSWER_ORDER = 'd_rank DESC, eventtime, eventid, detection';

/** The answer's SELECT over `from`, one row per finding candidate. */
const answer = (from: string) => `
SELECT
    ${ANSWER_COLUMNS.map(([value, name]) => (value === name ? name : `${value} AS ${name}`)).join(',\n    ')}
FROM ${from}
WHERE ${IS_FINDING}
ORDER BY ${ANSWER_ORDER}`;

/**
 * An event detection's run as its finding (`merged`'s columns): its one event, counted once
 * unless it has no id, and sampled alone. The other columns are the run's own.
 */
const RUN_AS_FINDING = {
  events: 'CASE WHEN eventid IS NULL THEN 0 ELSE 1 END',
  distinct_resources: '0',
  services: '1',
  sample_event_ids: "concat_ws(',', eventid)",
} as const;
const ofEventRun = (column: string): string =>
  Object.hasOwn(RUN_AS_FINDING, column) ? RUN_AS_FINDING[column as keyof typeof RUN_AS_FINDING] : column;

/**
 * The sweep's partial results: each principal's run of events of a detection within one account,
 * region, delivery day and date (a burst as far as those events go; an event detection's event
 * alone), with what joining runs into bursts needs: first and last time, the event ids,
 * resources and services as lists, the first event's columns and the first five events. The
 * server keeps those of each compacted month, made once with every detection asked, and answers
 * a sweep from them and the raw days' (bench/scan/README.md, "kept runs").
 */
const RUNS = `SELECT detection, d_severity, d_rank, d_techniques, d_kind, d_gap_seconds, d_min_resources, d_min_services,
    account, region, day, principal,
    min(eventtime) AS first_seen, max(eventtime) AS last_seen, min(t) AS first_t, max(t) AS last_t,
    list(DISTINCT eventid) AS eventids,
    list(DISTINCT resource_touched) FILTER (WHERE resource_touched IS NOT NULL) AS resources,
    list(DISTINCT eventsource) FILTER (WHERE eventsource IS NOT NULL) AS services,
    count(DISTINCT eventid) AS n_events,
    count(DISTINCT resource_touched) AS n_resources,
    count(DISTINCT eventsource) AS n_services,
    ${firstColumns([])},
    list(DISTINCT struct_pack(t := t, id := eventid)) FILTER (WHERE event_rank <= 5) AS samples,
    concat_ws(',', ${[1, 2, 3, 4, 5].map(sample).join(', ')}) AS sample_event_ids
  FROM ranked
  GROUP BY detection, d_severity, d_rank, d_techniques, d_kind, d_gap_seconds, d_min_resources, d_min_services,
    account, region, day, substr(eventtime, 1, 10), principal, finding_key`;

/** The runs with their lines: an event detection's run is its finding, whose line it keeps. */
const RUNS_WITH_LINES = `SELECT *,
    CASE WHEN d_kind = 'event' THEN ${csvLineSql(answerColumns(ofEventRun, 'event').map(([value]) => value))} END AS line
  FROM (
  ${RUNS}
  )`;

const BURST_KEY =
  'detection, d_severity, d_rank, d_techniques, d_kind, d_min_resources, d_min_services, account, principal';
/**
 * A burst's first event's `column`: the largest over the runs that start with it, as the one
 * statement takes the largest over the first event's rows. Not `arg_min` over the runs, which
 * passes over a NULL (a first event with no error code took the next run's) and takes one copy
 * of an event delivered twice.
 */
const firstOf = (column: string) => `max(CASE WHEN starts_island THEN ${column} END)`;

/** Whether a run starts with its burst's first event (a copy of it included): read by firstOf. */
const STARTS_ISLAND = `struct_pack(a := first_t, b := eventid) = min(struct_pack(a := first_t, b := eventid))
      OVER (PARTITION BY detection, account, principal, island)`;

/** The distinct values of the runs' lists of `column`, taken together. */
const unionOf = (column: string) => `list_distinct(flatten(list(${column})))`;

/** A burst's columns that are its first event's, in `merged`'s order. */
const FIRST_EVENT = [
  'eventid',
  'eventname',
  'principal_arn',
  'source_ip',
  'region',
  'errorcode',
  'event_summary',
];

/** The first five events of runs taken together, by time, then id. */
const FIRST_SAMPLES = `list_slice(list_sort(${unionOf('samples')}), 1, 5)`;

/**
 * Which runs join into the sweep's bursts (`flags`: each run's burst, `island`, whether it is
 * `alone` in it, and whether it is `over` its threshold by itself). A run starts a new burst
 * unless it starts within its detection's gap of the latest end before it (the same principal and
 * detection): a run's events hold no longer gap, so runs that no such gap parts are one burst,
 * whichever month, region or day each came from. Found on a narrow projection (a window carries
 * every column it is given: over the whole runs, lists included, it took 2.1 s of CPU on the
 * bench's year, over these 0.6 s). Both windows sort the runs by start, then by name (a file's
 * number and a row's, which no two runs share, so that the two break ties alike); the order of
 * runs that start together does not change the bursts, since each reaches the other.
 */
const ISLANDS: Cte[] = [
  {
    name: 'reached',
    sql: `SELECT partial_file, partial_row, detection, account, principal, first_t, d_gap_seconds,
    n_resources >= d_min_resources AND n_services >= d_min_services AS over,
    max(last_t) OVER (PARTITION BY detection, account, principal ORDER BY first_t, partial_file, partial_row
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
  FROM partials WHERE d_kind = 'aggregate'`,
  },
  {
    name: 'started',
    sql: `SELECT *, CASE WHEN first_t - reach <= d_gap_seconds THEN 0 ELSE 1 END AS starts FROM reached`,
  },
  {
    name: 'flags',
    sql: `SELECT partial_file, partial_row, over,
    sum(starts) OVER (PARTITION BY detection, account, principal ORDER BY first_t, partial_file, partial_row ROWS UNBOUNDED PRECEDING) AS island,
    starts = 1 AND coalesce(lead(starts) OVER (PARTITION BY detection, account, principal ORDER BY first_t, partial_file, partial_row) = 1, true) AS alone
  FROM started`,
  },
];

/** A run `p` of an event detection is one of the copies `c`: the same event found by the same detection. */
const COPY_OF = `c.detection = p.detection AND c.account = p.account AND c.principal IS NOT DISTINCT FROM p.principal
      AND c.eventid IS NOT DISTINCT FROM p.eventid`;

/**
 * The runs joined into the sweep's bursts. The aggregate detections' runs the answer needs are
 * read whole, once, by name: a run alone in its burst only if it is over its threshold by itself,
 * and every run of a burst of several, merged. On the bench's year, of 214,268 runs, 203,238 are
 * alone and 940 of those over their threshold, and 11,030 make 5,515 bursts; read from reduced
 * months (REDUCED), 4,448 rows are left, 1,312 of them over their threshold. An event detection's
 * finding is its run's, whose line the run keeps (RUNS_WITH_LINES): only its sort keys are read
 * with it, unless the same event was delivered twice, whose runs are taken together as the one
 * statement takes them.
 */
const JOINED: Cte[] = [
  ...ISLANDS,
  {
    // An aggregate detection's runs the answer reads whole: a run alone in its burst that is over
    // its threshold by itself, and every run of a burst of several.
    name: 'picked',
    materialized: true,
    sql: `SELECT partials.* EXCLUDE (line), f.island, f.alone
  FROM partials JOIN (SELECT partial_file, partial_row, island, alone FROM flags WHERE NOT alone OR over) AS f
    USING (partial_file, partial_row)
  WHERE d_kind = 'aggregate'`,
  },
  {
    // A run alone in its burst is a finding when it is over its threshold itself: its own counts.
    name: 'alone_over',
    sql: `SELECT * EXCLUDE (eventids, resources, services, samples, island, alone) FROM picked WHERE alone`,
  },
  {
    // A burst's first event is the first run's first: every run that starts with a copy of it
    // (the same event delivered twice) gives its columns, as the one statement takes them.
    name: 'joined',
    sql: `SELECT * EXCLUDE (alone),
    ${STARTS_ISLAND} AS starts_island
  FROM picked WHERE NOT alone`,
  },
  {
    // An event detection's runs: their findings' lines, and what orders them and finds copies.
    name: 'event_runs',
    materialized: true,
    sql: `SELECT detection, account, principal, eventid, d_rank, first_seen, line FROM partials WHERE d_kind = 'event'`,
  },
  {
    // The events an event detection found more than once (delivered twice, in two runs): each
    // one finding, its runs taken together. The others, nearly all, are a finding each as they are.
    name: 'copies',
    sql: `SELECT detection, account, principal, eventid FROM event_runs
  GROUP BY detection, account, principal, eventid HAVING count(*) > 1`,
  },
  {
    name: 'merged',
    sql: `SELECT ${BURST_KEY}, first_seen, last_seen, last_t - first_t AS span_seconds, n_events AS events, n_resources AS distinct_resources,
    n_services AS services, eventid, eventname, principal_arn, source_ip, region, errorcode, event_summary,
    sample_event_ids
  FROM alone_over
  UNION ALL
  SELECT ${BURST_KEY}, min(first_seen), max(last_seen), max(last_t) - min(first_t),
    length(${unionOf('eventids')}),
    length(${unionOf('resources')}),
    length(${unionOf('services')}),
    ${FIRST_EVENT.map(firstOf).join(', ')},
    array_to_string(list_transform(${FIRST_SAMPLES}, s -> s.id), ',')
  FROM joined
  GROUP BY ${BURST_KEY}, island
  UNION ALL
  SELECT detection, any_value(d_severity), any_value(d_rank), any_value(d_techniques), any_value(d_kind),
    any_value(d_min_resources), any_value(d_min_services), account, principal,
    min(first_seen), max(last_seen), max(last_t) - min(first_t), ${RUN_AS_FINDING.events}, ${RUN_AS_FINDING.distinct_resources},
    ${RUN_AS_FINDING.services}, eventid, max(eventname), max(principal_arn), max(source_ip), max(region), max(errorcode),
    max(event_summary), ${RUN_AS_FINDING.sample_event_ids}
  FROM partials AS p SEMI JOIN copies AS c ON ${COPY_OF}
  WHERE d_kind = 'event'
  GROUP BY detection, account, principal, eventid`,
  },
];

/**
 * The answer from the joined runs, as lines: each finding of `merged` written as its line, and
 * each event detection's run that is no copy as the line it keeps, in the answer's order. On the
 * bench's year, 75,912 of the 77,225 findings are kept lines.
 */
const COMBINED = `SELECT line FROM (
  SELECT ${csvLineSql(ANSWER_COLUMNS.map(([value]) => value))} AS line,
    d_rank, first_seen AS eventtime, eventid, detection
  FROM merged
  WHERE ${IS_FINDING}
  UNION ALL
  SELECT line, d_rank, first_seen, eventid, detection
  FROM event_runs AS p ANTI JOIN copies AS c ON ${COPY_OF}
)
ORDER BY ${ANSWER_ORDER}`;

/**
 * A month's runs reduced (keptPartials.ts, "reduced months"): each burst of several runs among
 * them whose reach (its runs' events, widened by its detection's gap on both sides) lies within
 * the band is taken together into one run, as the answer would join it (the same expressions as
 * `merged`), and left out when it is under its threshold, as is a run alone in its burst there;
 * every other run is kept as it is. Such a burst joins no other run of the month (its runs are all
 * those its gap reaches), nor any other, as long as no run of another source meets the band
 * (MEETS_BAND), since a run it would join comes within its reach; so the answer finds it alone in
 * its burst, and reads its counts and first event as the burst's. A burst taken together is a run
 * that joins as its runs would: its lists are theirs taken together, its samples the first five of
 * theirs. What is left serves any window the month's files serve. On the bench's year, the
 * 214,268 aggregate runs of the reduced months are left as 4,448 rows (14,931 when only runs
 * alone in their burst were left out), and the sweep's answer from them took 0.26 s in DuckDB
 * instead of 0.42 s, with the event detections' lines kept (RUNS_WITH_LINES).
 */
const REDUCED: { readonly with: readonly Cte[]; readonly sql: string } = {
  with: [
    ...ISLANDS,
    {
      name: 'islands',
      sql: `SELECT partials.*, flags.island, flags.over,
    count(*) OVER island_runs AS runs,
    coalesce(min(partials.first_t - partials.d_gap_seconds) OVER island_runs > params.band_start
      AND max(partials.last_t + partials.d_gap_seconds) OVER island_runs < params.band_end, false) AS inside
  FROM partials JOIN flags USING (partial_file, partial_row)
  WINDOW island_runs AS (PARTITION BY partials.detection, partials.account, partials.principal, flags.island)`,
    },
    {
      name: 'inside',
      sql: `SELECT *, ${STARTS_ISLAND} AS starts_island FROM islands WHERE inside AND runs > 1`,
    },
  ],
  // A run alone in its burst within the band is kept as it is when over its threshold.
  sql: `SELECT * EXCLUDE (partial_file, partial_row) FROM partials WHERE d_kind = 'event'
UNION ALL BY NAME
SELECT * EXCLUDE (partial_file, partial_row, island, over, runs, inside) FROM islands
  WHERE NOT inside OR (runs = 1 AND over)
UNION ALL BY NAME
SELECT *, length(eventids) AS n_events, length(resources) AS n_resources, length(services) AS n_services,
    array_to_string(list_transform(samples, s -> s.id), ',') AS sample_event_ids
  FROM (
    SELECT detection, d_severity, d_rank, d_techniques, d_kind, d_gap_seconds, d_min_resources, d_min_services,
      account, principal, min(day) AS day,
      min(first_seen) AS first_seen, max(last_seen) AS last_seen, min(first_t) AS first_t, max(last_t) AS last_t,
      ${unionOf('eventids')} AS eventids, ${unionOf('resources')} AS resources, ${unionOf('services')} AS services,
      ${FIRST_EVENT.map((c) => `${firstOf(c)} AS ${c}`).join(', ')},
      ${FIRST_SAMPLES} AS samples
    FROM inside
    GROUP BY detection, d_severity, d_rank, d_techniques, d_kind, d_gap_seconds, d_min_resources, d_min_services,
      account, principal, island
  )
  WHERE length(resources) >= d_min_resources AND length(services) >= d_min_services`,
};

/** Whether a run `p` of another source could join a run a reduction left out: it meets the band. */
const MEETS_BAND = `p.d_kind = 'aggregate' AND p.first_t <= band.band_end AND p.last_t >= band.band_start`;

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
  with: [...rankedSteps('detection, account, principal'), BURSTS],
  sql: answer('bursts'),
  partials: {
    partial: {
      with: rankedSteps('detection, account, principal, region, day, substr(eventtime, 1, 10)'),
      sql: RUNS_WITH_LINES,
    },
    inclusive: { detections: '', min_rank: integerValue(rankOf('low')) },
    asked: `d_rank >= params.min_rank AND (params.detections = '' OR strpos(concat(',', params.detections, ','), concat(',', detection, ',')) > 0)`,
    combine: { with: JOINED, sql: COMBINED },
    reduce: { ...REDUCED, meets: MEETS_BAND },
  },
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
