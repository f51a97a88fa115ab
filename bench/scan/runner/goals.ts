/**
 * The goals the bench checks, each against its measured value. Per question: zcat | jq at least
 * 10 times slower than engine-store, engine-raw at most twice gzip -dc, engine-store reading at
 * most 0.4 of the raw bytes. principal-activity answered by engine-store (request to last row) in
 * at most 1.2 times what DuckDB takes for the hand-written SELECT * (referenceSide.ts), and the
 * sweep in at most 3 times principal-activity. For the compaction: at most 2.5 times gzip -dc, at
 * most 900 MB resident (of the whole process), a store at most half the raw bytes. Missing a
 * goal is reported, not a failure of the run.
 */
import { type BenchRecord, type Goal, median, type QuestionSamples } from './benchRecord.js';
import { REFERENCE } from './referenceSide.js';
import { ENGINE_RAW, ENGINE_STORE } from './sides.js';

/** The compaction's resident-memory limit, in bytes (900 MB, not MiB). */
const MAX_COMPACTION_RSS_BYTES = 900e6;
const MAX_COMPACTION_OVER_GZIP = 2.5;
/** The question whose answer is held to the hand-written reference, and the sweep to. */
export const HELD_QUESTION = 'principal-activity';

/** A per-question target: a name, the direction and the limit. */
interface Target {
  readonly name: string;
  readonly atLeast: boolean;
  readonly limit: number;
}

export const TARGETS = {
  jqOverStore: { name: 'zcat | jq / engine-store', atLeast: true, limit: 10 },
  rawOverGzip: { name: 'engine-raw / gzip -dc', atLeast: false, limit: 2 },
  scannedOverRaw: { name: 'engine-store bytesScanned / raw bytes', atLeast: false, limit: 0.4 },
  storeOverReference: { name: `engine-store / ${REFERENCE}`, atLeast: false, limit: 1.2 },
} as const satisfies Record<string, Target>;

export const meets = (target: Target, value: number): boolean =>
  Number.isFinite(value) && (target.atLeast ? value >= target.limit : value <= target.limit);

export const targetText = (target: Target): string => `${target.atLeast ? '>=' : '<='} ${target.limit}`;

export interface QuestionMeasures {
  readonly jq: number;
  readonly raw: number;
  readonly store: number;
  readonly gzip: number;
  readonly jqOverStore: number;
  readonly rawOverGzip: number;
  readonly scannedOverRaw: number;
  readonly reference: number;
  readonly storeOverReference: number;
}

export const questionMeasures = (q: QuestionSamples, record: BenchRecord): QuestionMeasures => {
  const m = (side: string) => median(q.sides[side]?.ms ?? []);
  const [jq, raw, store, gzip] = [m('jq'), m(ENGINE_RAW), m(ENGINE_STORE), median(record.gzipMs)];
  const reference = m(REFERENCE);
  const scanned = q.sides[ENGINE_STORE]?.bytesScanned ?? Number.NaN;
  return {
    jq,
    raw,
    store,
    gzip,
    jqOverStore: jq / store,
    rawOverGzip: raw / gzip,
    scannedOverRaw: scanned / record.gzBytes,
    reference,
    storeOverReference: store / reference,
  };
};

/** Two decimals, three below 1 so a ratio just past its limit (0.403 for 0.4) does not print as the limit. */
export const fixed = (x: number, digits = Math.abs(x) < 1 ? 3 : 2) =>
  Number.isFinite(x) ? x.toFixed(digits) : 'n/a';

/** The worst question decides: the smallest value of an at-least target, the largest of an at-most. */
const perQuestionGoal = (record: BenchRecord, key: keyof typeof TARGETS): Goal => {
  const target: Target = TARGETS[key];
  const values = record.questions.map((q) => ({ query: q.query, value: questionMeasures(q, record)[key] }));
  const unmeasured = values.find((v) => !Number.isFinite(v.value));
  const worst = values.reduce<(typeof values)[number] | undefined>(
    (w, v) => (w === undefined || (target.atLeast ? v.value < w.value : v.value > w.value) ? v : w),
    undefined,
  );
  const value = unmeasured || !worst ? null : worst.value;
  return {
    name: `${target.name}, every question`,
    target: targetText(target),
    value,
    measured:
      value === null
        ? `n/a (${unmeasured?.query ?? 'no questions'})`
        : `${target.atLeast ? 'min' : 'max'} ${fixed(value)} (${worst?.query}); ${values.map((v) => fixed(v.value)).join(', ')}`,
    met: value !== null && values.every((v) => meets(target, v.value)),
  };
};

const heldMeasures = (record: BenchRecord) => {
  const held = record.questions.find((q) => q.query === HELD_QUESTION);
  return held ? questionMeasures(held, record) : undefined;
};

/** principal-activity, request to last row, against the statement a user would write by hand. */
const heldToReference = (record: BenchRecord): Goal => {
  const target: Target = TARGETS.storeOverReference;
  const m = heldMeasures(record);
  const value = m && Number.isFinite(m.storeOverReference) ? m.storeOverReference : null;
  return {
    name: `${target.name}, ${HELD_QUESTION}`,
    target: targetText(target),
    value,
    measured: m
      ? `${fixed(m.storeOverReference)} (${fixed(m.store / 1000)} s / ${fixed(m.reference / 1000)} s)`
      : 'n/a',
    met: value !== null && meets(target, value),
  };
};

const MAX_SWEEP_OVER_HELD = 3;

/** The sweep of every detection against principal-activity, both on engine-store. */
const sweepGoal = (record: BenchRecord): Goal => {
  const sweep = median(record.sweep.ms);
  const held = heldMeasures(record)?.store ?? Number.NaN;
  const ratio = sweep / held;
  return {
    name: `sweep / ${HELD_QUESTION}, ${ENGINE_STORE}`,
    target: `<= ${MAX_SWEEP_OVER_HELD}`,
    value: Number.isFinite(ratio) ? ratio : null,
    measured: `${fixed(ratio)} (${fixed(sweep / 1000)} s / ${fixed(held / 1000)} s)`,
    met: ratio <= MAX_SWEEP_OVER_HELD,
  };
};

/** Every compaction of the bench (the first, then one a run after it): the median time, the largest peak. */
const compactionMeasures = (record: BenchRecord) => {
  const all = [record.compaction, ...record.recompactions];
  const peaks = all.map((c) => c.peakRssKb);
  return {
    count: all.length,
    done: all.every((c) => c.exitCode === 0),
    ms: median(all.map((c) => c.ms)),
    peakRssKb: peaks.some((kb) => kb === null) ? null : Math.max(...(peaks as number[])),
  };
};

export const evaluateGoals = (record: BenchRecord): Goal[] => {
  const { compaction } = record;
  const gzip = median(record.gzipMs);
  const measured = compactionMeasures(record);
  const done = measured.done;
  const overGzip = done ? measured.ms / gzip : Number.NaN;
  const peakKb = done ? measured.peakRssKb : null;
  const storeRatio = done ? compaction.storeBytes / record.gzBytes : Number.NaN;
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return [
    perQuestionGoal(record, 'jqOverStore'),
    perQuestionGoal(record, 'rawOverGzip'),
    perQuestionGoal(record, 'scannedOverRaw'),
    heldToReference(record),
    sweepGoal(record),
    {
      name: 'compaction / gzip -dc',
      target: `<= ${MAX_COMPACTION_OVER_GZIP}`,
      value: finite(overGzip),
      measured: `${fixed(overGzip)} (${fixed(measured.ms / 1000, 1)} s / ${fixed(gzip / 1000, 1)} s, medians of ${measured.count} and ${record.gzipMs.length})`,
      met: overGzip <= MAX_COMPACTION_OVER_GZIP,
    },
    {
      name: 'compaction peak RSS',
      target: `<= ${MAX_COMPACTION_RSS_BYTES / 1e6} MB`,
      value: peakKb,
      measured:
        peakKb === null
          ? 'n/a'
          : `${((peakKb * 1024) / 1e6).toFixed(0)} MB (the largest of ${measured.count})`,
      met: peakKb !== null && peakKb * 1024 <= MAX_COMPACTION_RSS_BYTES,
    },
    {
      name: 'store / raw bytes',
      target: '<= 0.5',
      value: finite(storeRatio),
      measured: `${fixed(storeRatio)} (${fixed(compaction.storeBytes / 1e6, 1)} MB / ${fixed(record.gzBytes / 1e6, 1)} MB)`,
      met: storeRatio <= 0.5,
    },
  ];
};
