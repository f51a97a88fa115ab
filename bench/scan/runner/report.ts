/**
 * Turns the record into the bench's printout (markdown, to stdout): the compaction step, a table
 * of medians per question with the per-question ratios and their goals, the sweep, then every goal
 * with its measured value and whether it is met.
 */
import { type BenchRecord, median } from './benchRecord.js';
import { fixed, HELD_QUESTION, meets, questionMeasures, TARGETS, targetText } from './goals.js';
import { REFERENCE } from './referenceSide.js';
import { ENGINE_RAW, ENGINE_STORE } from './sides.js';

const secs = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s` : 'n/a');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const verdict = (met: boolean) => (met ? 'met' : 'not met');

/** A markdown table row; a `|` inside a cell is escaped. */
const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]) => [
  row(header),
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map(row),
];

const ratioCell = (key: keyof typeof TARGETS, value: number) =>
  Number.isFinite(value) ? `${fixed(value)} ${verdict(meets(TARGETS[key], value))}` : 'n/a';

const compactionLines = (record: BenchRecord): string[] => {
  const c = record.compaction;
  const peak = c.peakRssKb === null ? 'unreadable' : `${(c.peakRssKb / 1024).toFixed(0)} MiB`;
  return [
    `compaction (once, before the questions, into ${c.storeDir}): exit ${c.exitCode}, ${secs(c.ms)} wall, ` +
      `peak RSS ${peak}, store ${mb(c.storeBytes)} of Parquet for ${mb(record.gzBytes)} of .json.gz`,
    `  scripts/compact.ts: ${c.summary || '(no summary)'}`,
    ...(record.recompactions.length > 0
      ? [
          `  again after each later run's gzip -dc: ${record.recompactions
            .map(
              (again) =>
                `${secs(again.ms)} (peak ${again.peakRssKb === null ? 'unreadable' : `${(again.peakRssKb / 1024).toFixed(0)} MiB`})`,
            )
            .join(', ')}`,
        ]
      : []),
  ];
};

const questionTable = (record: BenchRecord): string[] => {
  const header = [
    'question',
    'rows',
    'zcat | jq',
    ENGINE_RAW,
    ENGINE_STORE,
    REFERENCE,
    'gzip -dc',
    `${ENGINE_STORE}/${REFERENCE}`,
    `jq/${ENGINE_STORE} (${targetText(TARGETS.jqOverStore)})`,
    `${ENGINE_RAW}/gzip (${targetText(TARGETS.rawOverGzip)})`,
    `${ENGINE_STORE} bytesScanned/raw (${targetText(TARGETS.scannedOverRaw)})`,
    `${ENGINE_STORE} days compacted/raw`,
    'answers',
  ];
  const rows = record.questions.map((q) => {
    const m = questionMeasures(q, record);
    const days = q.sides[ENGINE_STORE]?.days;
    const failures = Object.entries(q.sides).flatMap(([side, s]) =>
      s.verdicts.filter((v) => !v.ok).map((v) => `${side}: ${v.detail}`),
    );
    return [
      q.query,
      String(q.expectedRows),
      secs(m.jq),
      secs(m.raw),
      secs(m.store),
      secs(m.reference),
      secs(m.gzip),
      fixed(m.storeOverReference),
      ratioCell('jqOverStore', m.jqOverStore),
      ratioCell('rawOverGzip', m.rawOverGzip),
      ratioCell('scannedOverRaw', m.scannedOverRaw),
      days ? `${days.compacted}/${days.raw}` : 'n/a',
      Object.values(q.sides).every((side) => side.verdicts.length === 0)
        ? 'not asked'
        : failures.length === 0
          ? 'all as planted'
          : failures.join('; '),
    ];
  });
  return table(header, rows);
};

export const renderReport = (record: BenchRecord): string => {
  const gzipMs = median(record.gzipMs);
  const rss = Object.entries(record.serverPeakRssKb)
    .map(([side, kb]) => `${side} ${kb === null ? 'unreadable' : `${(kb / 1024).toFixed(0)} MiB`}`)
    .join(', ');
  return [
    `trail ${record.trail}: ${record.files} files, ${mb(record.gzBytes)} gzipped, ${mb(record.jsonBytes)} JSON; window ${record.window.from} to ${record.window.to}`,
    `median of ${record.runs} run(s), interleaved, after one untimed answer of each question from each side but zcat | jq, each timed answer ${record.settleSeconds} s after the one before; ${record.machine.cpus} CPUs, node ${record.machine.node}`,
    '',
    ...compactionLines(record),
    '',
    ...questionTable(record),
    '',
    `sweep (every detection, ${ENGINE_STORE}): ${secs(median(record.sweep.ms))}, ${record.sweep.rows ?? 'n/a'} findings; the first, which made the kept runs, ${record.sweep.firstMs === null ? 'n/a' : secs(record.sweep.firstMs)}`,
    `as the CSV download: sweep ${secs(median(record.sweep.csvMs))}, ${HELD_QUESTION} ${secs(median(record.sweep.heldCsvMs))}, ${(median(record.sweep.csvMs) / median(record.sweep.heldCsvMs)).toFixed(2)} times (not a goal: the goal reads both as pages)`,
    '',
    ...table(
      ['goal', 'target', 'measured', ''],
      record.goals.map((g) => [g.name, g.target, g.measured, verdict(g.met)]),
    ),
    '',
    `gzip -dc: ${Number.isFinite(gzipMs) ? (record.jsonBytes / 1e6 / (gzipMs / 1000)).toFixed(0) : 'n/a'} MB/s of JSON. Server peak RSS (VmHWM): ${rss || 'n/a'}`,
    ...record.errors.map((e) => `ERROR ${e}`),
  ].join('\n');
};
