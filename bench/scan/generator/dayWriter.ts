/**
 * Writes the 48 files of one day: each file's records sampled from the bundled sets with its own
 * PRNG stream, re-stamped into its half hour, given new eventIDs and the file's account and
 * region, merged with the planted records of that file, sorted by time, gzipped at a fixed level
 * and written. One file is in memory at a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Prng } from '../lib/prng.js';
import { fileKey, type PlantedEntry } from './plantedPlan.js';
import { fillTemplate, type RecordTemplate } from './sourceRecords.js';
import {
  describeFile,
  eventSerial,
  type Pair,
  SLOT_SECONDS,
  SLOTS_PER_DAY,
  slotCounts,
  type TrailOptions,
  toEventTime,
} from './trailLayout.js';

/** Fixed, so that the same arguments give the same bytes; 6 is gzip's and CloudTrail's usual. */
export const GZIP_LEVEL = 6;

export interface WriteContext {
  readonly options: TrailOptions;
  readonly pairs: readonly Pair[];
  readonly templates: readonly RecordTemplate[];
  readonly planted: ReadonlyMap<string, readonly PlantedEntry[]>;
}

export interface FileStats {
  readonly files: number;
  readonly records: number;
  readonly gzBytes: number;
  readonly jsonBytes: number;
}

const writeFile = (ctx: WriteContext, ordinal: number, slot: number, count: number): FileStats => {
  const file = describeFile(ctx.options, ctx.pairs, ordinal, slot);
  const rng = new Prng(`${ctx.options.seed}|records|${ordinal}|${slot}`);
  const entries: { offsetSec: number; json: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const offsetSec = rng.int(SLOT_SECONDS);
    const template = rng.pick(ctx.templates);
    const json = fillTemplate(template, {
      time: toEventTime(file.startMs + offsetSec * 1000),
      id: rng.uuid(eventSerial(ordinal, slot, i)),
      region: file.region,
      account: file.account,
    });
    entries.push({ offsetSec, json });
  }
  entries.push(...(ctx.planted.get(fileKey(ordinal, slot)) ?? []));
  // A real file is roughly in time order; the sort is stable, so ties keep their drawn order.
  entries.sort((a, b) => a.offsetSec - b.offsetSec);
  const text = Buffer.from(`{"Records":[${entries.map((e) => e.json).join(',')}]}`, 'utf8');
  const gz = gzipSync(text, { level: GZIP_LEVEL });
  const target = path.join(ctx.options.out, file.relativePath);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, gz);
  return { files: 1, records: entries.length, gzBytes: gz.length, jsonBytes: text.length };
};

/** The day's files in slot order; `onFile` after each, for progress. */
export const writeDay = (ctx: WriteContext, ordinal: number, onFile: (stats: FileStats) => void): void => {
  const counts = slotCounts(ctx.options, ordinal);
  for (let slot = 0; slot < SLOTS_PER_DAY; slot += 1)
    onFile(writeFile(ctx, ordinal, slot, counts[slot] ?? 0));
};
