/**
 * The bench's JSON record (--json FILE): the trail and window, every sample of every side, the
 * compaction step, and the goals as measured. Also the median every figure is taken from.
 */
import os from 'node:os';
import type { Verdict } from './answers.js';
import type { CompactionRecord } from './compaction.js';
import type { ScanDays } from './engineClient.js';

export interface SideSamples {
  readonly ms: number[];
  readonly engineMs: number[];
  readonly verdicts: Verdict[];
  bytesScanned?: number;
  /** Engine sides: statistics.days of the last answer (days read compacted and raw). */
  days?: ScanDays;
}

export interface QuestionSamples {
  readonly query: string;
  readonly parameters: unknown;
  readonly expectedRows: number;
  readonly sides: Record<string, SideSamples>;
}

export interface Goal {
  readonly name: string;
  /** e.g. '>= 10', '< 1 GiB'. */
  readonly target: string;
  /** The value compared with the target (the worst question's, for per-question goals); null if unmeasured. */
  readonly value: number | null;
  /** The value as printed, with what it was worked out from. */
  readonly measured: string;
  readonly met: boolean;
}

export interface BenchRecord {
  readonly trail: string;
  readonly window: { from: string; to: string };
  readonly files: number;
  /** The window's .json.gz bytes: "raw bytes" in every ratio. */
  readonly gzBytes: number;
  readonly jsonBytes: number;
  readonly runs: number;
  /** The pause before each timed answer (--settle-seconds). */
  readonly settleSeconds: number;
  readonly machine: { cpus: number; node: string; platform: string };
  readonly gzipMs: number[];
  readonly questions: QuestionSamples[];
  readonly engineSides: string[];
  serverPeakRssKb: Record<string, number | null>;
  errors: string[];
  readonly compaction: CompactionRecord;
  /**
   * The compaction again in each run after the first, right after that run's gzip -dc, into a
   * scratch store removed at once: the compaction goals take the median time and the largest peak
   * over these and the first, so one slow minute of a noisy machine does not decide them.
   */
  readonly recompactions: Pick<CompactionRecord, 'ms' | 'exitCode' | 'peakRssKb'>[];
  /**
   * The sweep of every detection over the window, on engine-store: `ms` in each run, read as
   * pages, and `csvMs` read as the CSV download; `firstMs` the first sweep, after the warm-up,
   * which makes the store's kept runs; and its row count. `heldCsvMs`: principal-activity on
   * engine-store in each run, read as the CSV download.
   */
  readonly sweep: {
    readonly ms: number[];
    readonly csvMs: number[];
    firstMs: number | null;
    rows: number | null;
    readonly heldCsvMs: number[];
  };
  goals: Goal[];
}

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
};

/** The record before the runs: every side of every question with no samples yet. */
export const newRecord = (fields: {
  trail: string;
  window: { from: string; to: string };
  files: { paths: readonly string[]; gzBytes: number; jsonBytes: number };
  runs: number;
  settleSeconds: number;
  questions: readonly { query: string; parameters: unknown; rows: readonly unknown[] }[];
  sideNames: readonly string[];
  engineSides: string[];
  compaction: CompactionRecord;
}): BenchRecord => ({
  trail: fields.trail,
  window: fields.window,
  files: fields.files.paths.length,
  gzBytes: fields.files.gzBytes,
  jsonBytes: fields.files.jsonBytes,
  runs: fields.runs,
  settleSeconds: fields.settleSeconds,
  machine: {
    cpus: os.availableParallelism(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  gzipMs: [],
  questions: fields.questions.map((q) => ({
    query: q.query,
    parameters: q.parameters,
    expectedRows: q.rows.length,
    sides: Object.fromEntries(
      fields.sideNames.map((name) => [name, { ms: [], engineMs: [], verdicts: [] } satisfies SideSamples]),
    ),
  })),
  engineSides: fields.engineSides,
  serverPeakRssKb: {},
  errors: [],
  compaction: fields.compaction,
  recompactions: [],
  sweep: { ms: [], csvMs: [], firstMs: null, rows: null, heldCsvMs: [] },
  goals: [],
});
