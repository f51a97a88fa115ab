/**
 * sweep: every detection of the catalog (src/detections), or those chosen, in one statement over
 * one scan of the window: the answer to "what happened in this account between Monday and now?".
 * One row per finding (an event a detection matched), most severe first, then oldest first.
 *
 * One scan: each event of the window is read once; the detections it matches are gathered into an
 * array (one CASE per detection) and the array unnested, so a finding is one row per detection and
 * event. On Athena the sweep is one execution, billed once for the window.
 */
import { z } from 'zod';
import { DETECTIONS } from '../detections/catalog.js';
import { SEVERITIES } from '../detections/detection.js';
import { integerValue } from '../lib/sql/buildStatement.js';
import { PRINCIPAL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

const NAMES = DETECTIONS.map((d) => d.name) as [string, ...string[]];
const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;
const rankOf = (severity: (typeof SEVERITIES)[number]) => SEVERITIES.indexOf(severity) + 1;

const CONDITIONS = DETECTIONS.map((d) => `(${d.condition.trim()})`);

const CATALOG_ROWS = DETECTIONS.map(
  (d) =>
    `(${quoted(d.name)}, ${quoted(d.severity)}, ${rankOf(d.severity)}, ${quoted(d.techniques.join(','))})`,
).join(',\n    ');

const SUMMARIES = DETECTIONS.map((d) => `WHEN ${quoted(d.name)} THEN (${d.summary.trim()})`).join('\n      ');

export const sweep = defineQuery({
  name: 'sweep',
  title: 'Every known attack technique looked for in one scan',
  description:
    'Runs every detection of GET /v1/detections (or those named in detections, at or above minSeverity) over the window in one scan, and returns one row per finding: the detection, its severity and MITRE ATT&CK techniques, the event, who acted and from where, and a sentence saying who did what to which resource. Most severe first, then oldest first.',
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
      name: 'matched',
      sql: `SELECT tagged.*, ARRAY[
      ${DETECTIONS.map((d, i) => `CASE WHEN ${CONDITIONS[i]} THEN ${quoted(d.name)} END`).join(',\n      ')}
    ] AS hits
  FROM tagged
  WHERE ${CONDITIONS.join('\n     OR ')}`,
    },
    {
      name: 'findings',
      sql: 'SELECT matched.*, hit.detection FROM matched CROSS JOIN UNNEST(matched.hits) AS hit (detection) WHERE hit.detection IS NOT NULL',
    },
    {
      name: 'catalog',
      sql: `SELECT * FROM (VALUES
    ${CATALOG_ROWS}
  ) AS known (d_name, d_severity, d_rank, d_techniques)`,
    },
  ],
  sql: `
SELECT
    d_name AS detection,
    d_severity AS severity,
    d_techniques AS techniques,
    eventtime,
    eventid,
    eventname,
    principal,
    useridentity.arn AS principal_arn,
    sourceipaddress AS source_ip,
    account,
    region,
    errorcode AS error_code,
    CASE d_name
      ${SUMMARIES}
    END AS summary
FROM findings
JOIN catalog ON d_name = findings.detection
CROSS JOIN params
WHERE (params.detections = '' OR strpos(concat(',', params.detections, ','), concat(',', d_name, ',')) > 0)
  AND d_rank >= params.min_rank
ORDER BY d_rank DESC, eventtime, eventid, d_name`,
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
  ],
  example: {
    parameters: { minSeverity: 'high' },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers:
      'the simulation: the security group opened to the world, AdministratorAccess attached, the trail deleted',
  },
});
