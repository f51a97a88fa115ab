/**
 * Where and when the generated trail writes its files. The trail delivers one file every half hour
 * (48 a day, 17,520 a year), each holding that half hour's events of one account and region; the
 * account/region pairs take turns, so each pair gets a file every two hours, as a moderately busy
 * trail does. A file is named by its delivery time, 1 to 10 minutes after its half hour ends, so
 * the last half hour of a day lands in the next day's directory, as real trails do.
 */
import path from 'node:path';
import { Prng } from '../lib/prng.js';

export const SLOTS_PER_DAY = 48;
export const SLOT_SECONDS = 1800;
const DAY_MS = 86_400_000;

export interface TrailOptions {
  readonly out: string;
  readonly days: number;
  readonly recordsPerDay: number;
  readonly seed: string;
  /** YYYY-MM-DD, the last day whose events are generated. */
  readonly endDay: string;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

export interface Pair {
  readonly account: string;
  readonly region: string;
}

export interface TrailFile {
  readonly ordinal: number;
  readonly slot: number;
  readonly account: string;
  readonly region: string;
  /** Start of the half hour whose events the file holds, epoch ms. */
  readonly startMs: number;
  /** Relative to the output directory. */
  readonly relativePath: string;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export const ordinalOf = (day: string): number => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms)) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return ms / DAY_MS;
};

export const dayOf = (ordinal: number): string => new Date(ordinal * DAY_MS).toISOString().slice(0, 10);

export const firstOrdinal = (options: TrailOptions): number => ordinalOf(options.endDay) - options.days + 1;

/** Account-major, so that consecutive pairs alternate regions. */
export const pairsOf = (options: TrailOptions): Pair[] =>
  options.accounts.flatMap((account) => options.regions.map((region) => ({ account, region })));

/** Whose turn a half hour is: rotates with the day too, so every pair gets every hour of the day. */
export const pairFor = (pairs: readonly Pair[], ordinal: number, slot: number): Pair => {
  const pair = pairs[(ordinal + slot) % pairs.length];
  if (!pair) throw new Error('no account/region pairs');
  return pair;
};

/** CloudTrail's eventTime format, to the second. */
export const toEventTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

const stamp = (ms: number): string => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
};

/** The file of one half hour: its own PRNG stream, so its name never depends on other files. */
export const describeFile = (
  options: TrailOptions,
  pairs: readonly Pair[],
  ordinal: number,
  slot: number,
) => {
  const { account, region } = pairFor(pairs, ordinal, slot);
  const rng = new Prng(`${options.seed}|name|${ordinal}|${slot}`);
  const startMs = ordinal * DAY_MS + slot * SLOT_SECONDS * 1000;
  const deliveryMs = startMs + SLOT_SECONDS * 1000 + (60 + rng.int(540)) * 1000;
  const day = new Date(deliveryMs).toISOString().slice(0, 10).split('-');
  const name = `${account}_CloudTrail_${region}_${stamp(deliveryMs)}_${rng.alphanumeric(16)}.json.gz`;
  const relativePath = path.join('AWSLogs', account, 'CloudTrail', region, ...day, name);
  return { ordinal, slot, account, region, startMs, relativePath } satisfies TrailFile;
};

/**
 * How many background records each half hour of a day holds: exactly recordsPerDay in all,
 * shaped by a daily curve (busiest mid-afternoon UTC) with some jitter, apportioned by largest
 * remainder so that the sum is exact.
 */
export const slotCounts = (options: TrailOptions, ordinal: number): number[] => {
  const rng = new Prng(`${options.seed}|counts|${ordinal}`);
  const weights = Array.from(
    { length: SLOTS_PER_DAY },
    (_, s) => (1 + 0.5 * Math.sin((2 * Math.PI * (s - 18)) / SLOTS_PER_DAY)) * (0.9 + 0.2 * rng.next()),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * options.recordsPerDay);
  const counts = exact.map(Math.floor);
  let missing = options.recordsPerDay - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, s) => ({ s, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.s - b.s);
  for (const { s } of byRemainder) {
    if (missing <= 0) break;
    counts[s] = (counts[s] ?? 0) + 1;
    missing -= 1;
  }
  return counts;
};

/** eventIDs end with this serial: file (day and slot) in the high bits, record in the low 20. */
export const eventSerial = (ordinal: number, slot: number, index: number): number =>
  (ordinal * SLOTS_PER_DAY + slot) * 1_048_576 + index;

/** Planted records count down from the top of their file's serial range, clear of sampled ones. */
export const plantedSerial = (ordinal: number, slot: number, k: number): number =>
  eventSerial(ordinal, slot, 1_048_575 - k);
