/**
 * The goals the bench checks, each against its measured value. Per question: zcat | jq at least
 * 10 times slower than engine-store, engine-raw at most twice gzip -dc, engine-store reading at
 * most 0.4 of the raw bytes. For the compaction: at most 3 times gzip -dc, under 1 GiB resident,
 * a store at most half the raw bytes. Missing a goal is reported, not a failure of the run.
 */
import { type BenchRecord, type Goal, median, type QuestionSamples } from './benchRecord.js';
import { ENGINE_RAW, ENGINE_STORE } from './sides.js';

const GIB_KB = 1024 * 1024;

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
}

export const questionMeasures = (q: QuestionSamples, record: BenchRecord): QuestionMeasures => {
  const m = (side: string) => median(q.sides[side]?.ms ?? []);
  const [jq, raw, store, gzip] = [m('jq'), m(ENGINE_RAW), m(ENGINE_STORE), median(record.gzipMs)];
  const scanned = q.sides[ENGINE_STORE]?.bytesScanned ?? Number.NaN;
  return {
    jq,
    raw,
    store,
    gzip,
    jqOverStore: jq / store,
    rawOverGzip: raw / gzip,
    scannedOverRaw: scanned / record.gzBytes,
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

export const evaluateGoals = (record: BenchRecord): Goal[] => {
  const { compaction } = record;
  const gzip = median(record.gzipMs);
  const done = compaction.exitCode === 0;
  const overGzip = done ? compaction.ms / gzip : Number.NaN;
  const peakKb = done ? compaction.peakRssKb : null;
  const storeRatio = done ? compaction.storeBytes / record.gzBytes : Number.NaN;
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return [
    perQuestionGoal(record, 'jqOverStore'),
    perQuestionGoal(record, 'rawOverGzip'),
    perQuestionGoal(record, 'scannedOverRaw'),
    {
      name: 'compaction / gzip -dc',
      target: '<= 3',
      value: finite(overGzip),
      measured: `${fixed(overGzip)} (${fixed(compaction.ms / 1000, 1)} s / ${fixed(gzip / 1000, 1)} s)`,
      met: overGzip <= 3,
    },
    {
      name: 'compaction peak RSS',
      target: '< 1 GiB',
      value: peakKb,
      measured: peakKb === null ? 'n/a' : `${(peakKb / 1024).toFixed(0)} MiB`,
      met: peakKb !== null && peakKb < GIB_KB,
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
