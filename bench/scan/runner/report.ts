/**
 * Turns the timings into the bench's table (markdown, to stdout) and its JSON record: medians per
 * question and side, the ratios engine/jq, engine/(gzip -dc) and jq/(gzip -dc), and how much of
 * the window's compressed bytes each engine side reports it scanned.
 */
import type { Verdict } from './answers.js';

export interface SideSamples {
  readonly ms: number[];
  readonly engineMs: number[];
  readonly verdicts: Verdict[];
  bytesScanned?: number;
}

export interface BenchRecord {
  readonly trail: string;
  readonly window: { from: string; to: string };
  readonly files: number;
  readonly gzBytes: number;
  readonly jsonBytes: number;
  readonly runs: number;
  readonly machine: { cpus: number; node: string; platform: string };
  readonly gzipMs: number[];
  readonly questions: {
    query: string;
    parameters: unknown;
    expectedRows: number;
    sides: Record<string, SideSamples>;
  }[];
  readonly engineSides: string[];
  serverPeakRssKb: Record<string, number | null>;
  errors: string[];
}

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const secs = (ms: number) => (Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : 'n/a');

export const renderTable = (record: BenchRecord): string => {
  const gzip = median(record.gzipMs);
  const engines = record.engineSides;
  const header = [
    'question',
    'rows',
    'gzip -dc',
    'zcat \\| jq',
    ...engines,
    ...engines.flatMap((e) => [`${e}/jq`, `${e}/gzip`]),
    'jq/gzip',
    ...engines.map((e) => `${e} bytesScanned/raw`),
    'answers',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const q of record.questions) {
    const m = (side: string) => median(q.sides[side]?.ms ?? []);
    const jq = m('jq');
    const verdicts = Object.entries(q.sides).flatMap(([side, s]) =>
      s.verdicts.filter((v) => !v.ok).map((v) => `${side}: ${v.detail}`),
    );
    lines.push(
      `| ${[
        q.query,
        String(q.expectedRows),
        secs(gzip),
        secs(jq),
        ...engines.map((e) => secs(m(e))),
        ...engines.flatMap((e) => [ratio(m(e), jq), ratio(m(e), gzip)]),
        ratio(jq, gzip),
        ...engines.map((e) => ratio(q.sides[e]?.bytesScanned ?? Number.NaN, record.gzBytes)),
        verdicts.length === 0 ? 'all as planted' : verdicts.join('; '),
      ].join(' | ')} |`,
    );
  }
  const rss = Object.entries(record.serverPeakRssKb)
    .map(([side, kb]) => `${side} ${kb === null ? 'unreadable' : `${(kb / 1024).toFixed(0)} MiB`}`)
    .join(', ');
  return [
    `trail ${record.trail}: ${record.files} files, ${(record.gzBytes / 1e6).toFixed(1)} MB gzipped, ${(record.jsonBytes / 1e6).toFixed(1)} MB JSON; window ${record.window.from} to ${record.window.to}`,
    `median of ${record.runs} run(s), interleaved; ${record.machine.cpus} CPUs, node ${record.machine.node}`,
    '',
    ...lines,
    '',
    `gzip -dc: ${(record.jsonBytes / 1e6 / (gzip / 1000)).toFixed(0)} MB/s of JSON. Server peak RSS (VmHWM): ${rss}`,
    ...record.errors.map((e) => `ERROR ${e}`),
  ].join('\n');
};
