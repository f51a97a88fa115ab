/**
 * What the sweep would cost with each month's findings kept: a measurement for the design of the
 * sweep's next step, on the code the server runs, in this process. The sweep's statement is cut in
 * two where its bursts are counted:
 *
 * - **runs**: every step up to `ranked`, then each principal's run of events of a detection in
 *   one month (a burst as far as that month's events go; an event detection's event alone), with
 *   what merging needs: first and last time, the event ids, resources and services (lists), the
 *   first event's columns and the first five events. Made for each calendar month of the window
 *   in turn, every detection asked, and kept as Parquet;
 * - **merge**: the months' runs read back, joined where a run starts within its detection's gap
 *   of the latest end before it (the same principal and detection), counted as the sweep counts a
 *   burst, and the sweep's own last SELECT over them.
 *
 * A run's events never hold a gap longer than the detection's, so runs that no such gap parts are
 * one burst, whichever month each came from (late deliveries interleave months' events); the
 * merge then gives the sweep's rows. The script checks it: the rows of the one statement and of
 * the merge are hashed and must be the same. It prints the time of the one statement, of making
 * each month's runs, and of the merge, medians of `--runs`.
 *
 *   npm run bench:sweep-months -- --store DIR [--runs 3]   (the trail of bench:trail)
 *   npx tsx bench/scan/sweepByMonth.ts --trail DIR --store DIR [--runs 3]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { intOption, parseCommand } from '../../src/lib/commandLine.js';
import { QUERY_INSTANCE_OPTIONS } from '../../src/lib/engines/duckdb/duckDbEngine.js';
import { applySettings, engineStatement } from '../../src/lib/engines/duckdb/matchedEvents.js';
import { settlePlan } from '../../src/lib/engines/duckdb/runStatement.js';
import { TRINO_MACROS } from '../../src/lib/engines/duckdb/trinoCompat.js';
import { toSqlLiteral } from '../../src/lib/sql/sqlLiteral.js';
import { planScan } from '../../src/lib/store/duckdb/scanPlan.js';
import { planExecution } from '../../src/queries/executionPlan.js';
import { median } from './runner/benchRecord.js';

const command = parseCommand({
  usage: 'npm run bench:sweep-months -- --store DIR [--runs 3]',
  about: `
Times the sweep of a generated trail's window as one statement, and as each month's runs made
apart and merged, checking that both give the same rows. See the module comment.
  --trail DIR   a trail of npm run bench:trail (its planted.json gives the window; npm run
                bench:sweep-months gives .trailhound/bench/trail-365d)
  --store DIR   a store compacted from it
  --runs N      runs of the statement and of the merge; medians are printed (default 3)`,
  options: { trail: { type: 'string' }, store: { type: 'string' }, runs: { type: 'string' } },
});
const trail = path.resolve(command.values.trail ?? command.refuse('--trail DIR is required'));
const storeDir = path.resolve(command.values.store ?? command.refuse('--store DIR is required'));
const runs = intOption(command, 'runs', 3, 1);
if (!existsSync(path.join(trail, 'planted.json')))
  command.refuse(`${trail} holds no generated trail (planted.json): make one with npm run bench:trail`);
const { window: asked } = JSON.parse(readFileSync(path.join(trail, 'planted.json'), 'utf8')) as {
  window: { from: string; to: string };
};

const plannedFor = (from: string, to: string) => {
  const planned = planExecution(
    { query: 'sweep', parameters: {}, from, to },
    { TRAILHOUND_MAX_WINDOW_DAYS: 400 },
  );
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return { ...engineStatement(planned.plan.statement), window: planned.plan.window };
};

/** Cuts the sweep's SQL where its bursts are counted: what comes before, and its last SELECT. */
const cut = (sql: string) => {
  const bursts = sql.indexOf('\nbursts AS (');
  const last = sql.indexOf('\nSELECT\n    detection,');
  if (bursts < 0 || last < bursts) throw new Error('the sweep no longer has the shape this script cuts');
  return { before: sql.slice(0, bursts), last: sql.slice(last).replace('FROM bursts\n', 'FROM merged\n') };
};

const first = (column: string) => `max(CASE WHEN event_rank = 1 THEN ${column} END)`;
const RUNS = `
runs AS (
  SELECT detection, d_severity, d_rank, d_techniques, d_kind, d_gap_seconds, d_min_resources, d_min_services,
    account, principal,
    min(eventtime) AS first_seen, max(eventtime) AS last_seen, min(t) AS first_t, max(t) AS last_t,
    list(DISTINCT eventid) AS eventids,
    list(DISTINCT resource_touched) FILTER (WHERE resource_touched IS NOT NULL) AS resources,
    list(DISTINCT eventsource) FILTER (WHERE eventsource IS NOT NULL) AS services,
    count(DISTINCT eventid) AS n_events,
    count(DISTINCT resource_touched) AS n_resources,
    count(DISTINCT eventsource) AS n_services,
    ${first('eventid')} AS eventid, ${first('eventname')} AS eventname,
    ${first('useridentity.arn')} AS principal_arn, ${first('sourceipaddress')} AS source_ip,
    ${first('region')} AS region, ${first('errorcode')} AS errorcode, ${first('event_summary')} AS event_summary,
    list(DISTINCT struct_pack(t := t, id := eventid)) FILTER (WHERE event_rank <= 5) AS samples,
    concat_ws(',', ${[1, 2, 3, 4, 5].map((k) => `max(CASE WHEN event_rank = ${k} THEN eventid END)`).join(', ')}) AS sample_ids
  FROM ranked
  GROUP BY detection, d_severity, d_rank, d_techniques, d_kind, d_gap_seconds, d_min_resources, d_min_services,
    account, principal, finding_key
)
SELECT * FROM runs`;

/** A burst's first event's `column`: that of the run whose first event is first. */
const firstOf = (column: string) => `arg_min(${column}, struct_pack(a := first_t, b := eventid))`;
const BURST_COLUMNS =
  'detection, d_severity, d_rank, d_techniques, d_kind, d_min_resources, d_min_services, account, principal';
/**
 * The runs of `glob` merged into the sweep's bursts. Which runs make one burst is found on a
 * narrow projection (a window operator carries every column it is given: over the whole runs,
 * lists included, it took 2.1 s of CPU, over these 0.6 s), and joined back by file and row; a run
 * alone in its burst keeps its own counts, and only the others' lists are merged. `runs` is read
 * where it is used rather than materialized whole (0.85 s of CPU).
 */
const mergeSql = (glob: string, last: string) => `
WITH runs AS NOT MATERIALIZED (
  SELECT * FROM read_parquet(${toSqlLiteral(glob)}, filename = true, file_row_number = true)
),
reached AS (
  SELECT filename, file_row_number, detection, account, principal, first_t, eventid, d_gap_seconds,
    max(last_t) OVER (PARTITION BY detection, account, principal ORDER BY first_t, eventid
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
  FROM runs WHERE d_kind = 'aggregate'
),
started AS (SELECT *, CASE WHEN first_t - reach <= d_gap_seconds THEN 0 ELSE 1 END AS starts FROM reached),
flags AS (
  SELECT filename, file_row_number,
    sum(starts) OVER (PARTITION BY detection, account, principal ORDER BY first_t, eventid ROWS UNBOUNDED PRECEDING) AS island,
    starts = 1 AND coalesce(lead(starts) OVER (PARTITION BY detection, account, principal ORDER BY first_t, eventid) = 1, true) AS alone
  FROM started
),
islands AS (SELECT runs.*, flags.island, flags.alone FROM runs JOIN flags USING (filename, file_row_number)),
merged AS (
  SELECT ${BURST_COLUMNS}, first_seen, last_seen, last_t - first_t AS span_seconds, n_events AS events,
    n_resources AS distinct_resources, n_services AS services, eventid, eventname, principal_arn, source_ip,
    region, errorcode, event_summary, sample_ids AS sample_event_ids
  FROM islands WHERE alone
  UNION ALL
  SELECT ${BURST_COLUMNS}, min(first_seen), max(last_seen), max(last_t) - min(first_t),
    length(list_distinct(flatten(list(eventids)))),
    length(list_distinct(flatten(list(resources)))),
    length(list_distinct(flatten(list(services)))),
    ${['eventid', 'eventname', 'principal_arn', 'source_ip', 'region', 'errorcode', 'event_summary'].map(firstOf).join(', ')},
    array_to_string(list_transform(list_slice(list_sort(list_distinct(flatten(list(samples)))), 1, 5), s -> s.id), ',')
  FROM islands WHERE NOT alone
  GROUP BY ${BURST_COLUMNS}, island
  UNION ALL
  SELECT DISTINCT ON (detection, account, principal, eventid)
    ${BURST_COLUMNS}, first_seen, last_seen, 0.0, 1::BIGINT, 0::BIGINT, 0::BIGINT,
    eventid, eventname, principal_arn, source_ip, region, errorcode, event_summary, eventid
  FROM runs WHERE d_kind = 'event'
)${last}`;

const instance = await DuckDBInstance.create(':memory:', QUERY_INSTANCE_OPTIONS);
const connection = await instance.connect();
for (const macro of TRINO_MACROS) await connection.run(macro);

const rowsHash = (rows: unknown[][]) =>
  createHash('sha256')
    .update(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)))
    .digest('hex')
    .slice(0, 16);

/** Runs `sql` of a plan over the window, timed; `into` keeps its rows in a table of that name. */
const run = async (
  c: DuckDBConnection,
  engine: ReturnType<typeof plannedFor>,
  sql: string,
  into?: string,
) => {
  const plan = await planScan(trail, storeDir, engine.window);
  await applySettings(c, engine.settings);
  await settlePlan(c, plan, sql, engine.parameters);
  const prepared = await c.prepare(into ? `CREATE OR REPLACE TABLE ${into} AS ${sql}` : sql);
  engine.parameters.forEach((value, i) => {
    prepared.bindVarchar(i + 1, value);
  });
  const started = performance.now();
  const result = await prepared.runAndReadAll();
  return { ms: performance.now() - started, rows: into ? [] : result.getRows() };
};

/** The window's calendar months (the first and last cut to the window). */
const months: { from: string; to: string }[] = [];
const end = Date.parse(asked.to);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
for (let start = Date.parse(asked.from); start < end; ) {
  const day = new Date(start);
  const next = Math.min(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1), end);
  months.push({ from: iso(start), to: iso(next) });
  start = next;
}

const dir = mkdtempSync(path.join(tmpdir(), 'trailhound-sweep-runs-'));
try {
  const whole = plannedFor(asked.from, asked.to);
  const { last } = cut(whole.sql);
  const statement: number[] = [];
  let wholeRows = { count: 0, hash: '' };
  for (let i = 0; i < runs; i += 1) {
    const answer = await run(connection, whole, whole.sql);
    statement.push(answer.ms);
    wholeRows = { count: answer.rows.length, hash: rowsHash(answer.rows) };
  }
  const made: number[] = [];
  let runCount = 0;
  for (const [i, month] of months.entries()) {
    const engine = plannedFor(month.from, month.to);
    const answer = await run(connection, engine, `${cut(engine.sql).before}${RUNS}`, 'runs_made');
    const file = path.join(dir, `${String(i).padStart(3, '0')}.parquet`);
    await connection.run(`COPY runs_made TO ${toSqlLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
    runCount += Number((await connection.runAndReadAll('SELECT count(*) FROM runs_made')).getRows()[0]?.[0]);
    made.push(answer.ms);
  }
  const merge = mergeSql(path.join(dir, '*.parquet'), last);
  const merged: number[] = [];
  let mergedRows = { count: 0, hash: '' };
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const rows = (await connection.runAndReadAll(merge)).getRows();
    merged.push(performance.now() - started);
    mergedRows = { count: rows.length, hash: rowsHash(rows) };
  }
  // The rows counted in DuckDB: the server writes them as CSV lines made there, where reading
  // them into JavaScript value by value (above) costs more than the statement.
  const countMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await connection.runAndReadAll(`SELECT count(*) FROM (${merge})`);
    countMs.push(performance.now() - started);
  }
  const same = wholeRows.hash === mergedRows.hash;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    JSON.stringify(
      {
        window: asked,
        rows: { statement: wholeRows.count, merged: mergedRows.count, same },
        months: months.length,
        runs: runCount,
        statement: s(median(statement)),
        monthsMade: { total: s(made.reduce((a, b) => a + b, 0)), each: made.map((ms) => Math.round(ms)) },
        merge: { rowsRead: s(median(merged)), counted: s(median(countMs)) },
      },
      null,
      2,
    ),
  );
  if (!same) process.exitCode = 1;
} finally {
  connection.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
}
