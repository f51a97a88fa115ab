/**
 * Compacts every closed day of a logs directory that the store lacks or holds out of date, with a
 * DuckDB of its own whose memory is bounded (it spills to disk past the limit), reporting
 * progress as days are published. Idempotent: a day whose manifest matches its raw files is left
 * alone, so running it again costs a directory listing.
 *
 * Days are loaded a batch at a time: reading many days in one statement costs far less than a
 * statement a day (planning the reader of a CloudTrail record is most of a small day's cost).
 * A day larger than a batch is written straight from its files, sorted within the memory limit.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { type DayDir, findDayDirs, type LogFile, listLogFiles } from '../logFiles.js';
import { BATCH_TABLE, loadBatch } from './batchTable.js';
import {
  buildingPath,
  collectDayGarbage,
  publishDay,
  writeDayFromFiles,
  writeDayFromTable,
} from './compactDay.js';
import { type DayManifest, dayDir, isCurrent, readManifest } from './dayManifest.js';

const DAY_MS = 86_400_000;
/** Raw bytes per batch: some 30 small days, well inside the memory limit once loaded. */
const BATCH_BYTES = 8_000_000;

export interface CompactionProgress {
  readonly done: number;
  readonly total: number;
  /** Raw bytes compacted so far, and the time taken: a rate, and an estimate of the time left. */
  readonly rawBytes: number;
  readonly elapsedMs: number;
  readonly remainingMs: number;
  readonly day: string;
}

export interface CompactionSummary {
  /** Closed days with raw files in the range. */
  readonly days: number;
  readonly built: number;
  /** Already compacted from the raw files as they are. */
  readonly current: number;
  readonly failed: readonly { readonly day: string; readonly error: string }[];
  readonly rawBytes: number;
  readonly parquetBytes: number;
  readonly rows: number;
  readonly elapsedMs: number;
}

export interface CompactionOptions {
  readonly logsDir: string;
  readonly storeDir: string;
  /** First and last day to consider, YYYY/MM/DD; every day when absent. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Only days that ended at least this long before now are closed (CloudTrail delivers late). */
  readonly closedAfterMs?: number;
  /** DuckDB threads, and as many writers. */
  readonly threads?: number;
  /** DuckDB's memory limit for the compaction, e.g. '512MB'. */
  readonly memoryLimit?: string;
  readonly onProgress?: (progress: CompactionProgress) => void;
  /** Awaited before each batch: background compaction waits here while queries run. */
  readonly beforeEachBatch?: () => Promise<void>;
  /** Checked before each batch: a stopping server ends the compaction between batches. */
  readonly stopped?: () => boolean;
  readonly now?: () => number;
}

type DayResult = { readonly manifest: DayManifest } | { readonly error: string };

const keyOf = (d: { account: string; region: string; day: string }) => `${d.account}/${d.region}/${d.day}`;
const bytesOf = (files: readonly LogFile[]) => files.reduce((sum, f) => sum + f.bytes, 0);
const dayEndMs = (day: string) => Date.parse(`${day.replaceAll('/', '-')}T00:00:00Z`) + DAY_MS;

const batchesOf = (days: readonly DayDir[], bytes: (d: DayDir) => number): DayDir[][] => {
  const batches: DayDir[][] = [];
  let current: DayDir[] = [];
  let size = 0;
  for (const day of days) {
    if (current.length > 0 && size + bytes(day) > BATCH_BYTES) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(day);
    size += bytes(day);
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

class Compaction {
  constructor(
    readonly options: CompactionOptions,
    readonly filesByDay: ReadonlyMap<string, LogFile[]>,
    readonly loader: DuckDBConnection,
    readonly writers: readonly DuckDBConnection[],
  ) {}

  filesOf(d: DayDir): LogFile[] {
    return this.filesByDay.get(keyOf(d)) ?? [];
  }

  async #publish(
    connection: DuckDBConnection,
    d: DayDir,
    write: (target: string) => Promise<void>,
  ): Promise<DayResult> {
    const key = { account: d.account, region: d.region, day: d.day };
    try {
      const written = await buildingPath(this.options.storeDir, key);
      await write(written);
      const { logsDir, storeDir } = this.options;
      return {
        manifest: await publishDay(connection, { logsDir, storeDir, key, files: this.filesOf(d), written }),
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  /** Compacts a batch of days; a failure is that day's (or, loading, that batch's) alone. */
  async batch(days: readonly DayDir[]): Promise<[DayDir, DayResult][]> {
    const [only] = days;
    if (days.length === 1 && only && bytesOf(this.filesOf(only)) > BATCH_BYTES) {
      const loader = this.loader;
      return [
        [only, await this.#publish(loader, only, (t) => writeDayFromFiles(loader, this.filesOf(only), t))],
      ];
    }
    try {
      await loadBatch(
        this.loader,
        days.flatMap((d) => this.filesOf(d)),
      );
    } catch (error) {
      return days.map((d) => [d, { error: (error as Error).message }]);
    }
    const results = new Map<DayDir, DayResult>();
    let next = 0;
    await Promise.all(
      this.writers.map(async (writer) => {
        for (let i = next++; i < days.length; i = next++) {
          const d = days[i] as DayDir;
          results.set(d, await this.#publish(writer, d, (t) => writeDayFromTable(writer, BATCH_TABLE, d, t)));
        }
      }),
    );
    return days.map((d) => [d, results.get(d) ?? { error: 'not compacted' }]);
  }
}

export const compactStore = async (options: CompactionOptions): Promise<CompactionSummary> => {
  const now = options.now ?? Date.now;
  const started = now();
  const closedBefore = started - (options.closedAfterMs ?? 3_600_000);
  const inRange = (d: DayDir) =>
    (!options.from || d.day >= options.from) &&
    (!options.to || d.day <= options.to) &&
    dayEndMs(d.day) <= closedBefore;
  const dayDirs = (await findDayDirs(options.logsDir, {})).filter(inRange);
  const filesByDay = new Map<string, LogFile[]>();
  for (const file of await listLogFiles(dayDirs)) {
    filesByDay.set(keyOf(file), [...(filesByDay.get(keyOf(file)) ?? []), file]);
  }
  const days = dayDirs.filter((d) => filesByDay.has(keyOf(d)));
  const stale: DayDir[] = [];
  for (const d of days) {
    const dir = dayDir(options.storeDir, d);
    const manifest = await readManifest(dir);
    if (manifest && isCurrent(manifest, options.logsDir, filesByDay.get(keyOf(d)) ?? [])) {
      await collectDayGarbage(dir);
    } else stale.push(d);
  }

  const totals = { built: 0, rawBytes: 0, parquetBytes: 0, rows: 0 };
  const failed: { day: string; error: string }[] = [];
  if (stale.length > 0) {
    const spill = path.join(options.storeDir, '.spill');
    await mkdir(spill, { recursive: true });
    const threads = options.threads ?? 1;
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(threads),
      memory_limit: options.memoryLimit ?? '512MB',
      temp_directory: spill,
    });
    const loader = await instance.connect();
    // One writer per thread: writing a small day's file is mostly per-file work.
    const writers = await Promise.all(Array.from({ length: threads }, () => instance.connect()));
    const compaction = new Compaction(options, filesByDay, loader, writers);
    let done = 0;
    try {
      for (const batch of batchesOf(stale, (d) => bytesOf(compaction.filesOf(d)))) {
        await options.beforeEachBatch?.();
        if (options.stopped?.()) break;
        for (const [d, result] of await compaction.batch(batch)) {
          done += 1;
          totals.rawBytes += bytesOf(compaction.filesOf(d));
          if ('error' in result) failed.push({ day: keyOf(d), error: result.error });
          else {
            totals.built += 1;
            totals.parquetBytes += result.manifest.bytes;
            totals.rows += result.manifest.rows;
          }
          const elapsedMs = now() - started;
          const remainingMs = (elapsedMs / done) * (stale.length - done);
          options.onProgress?.({
            done,
            total: stale.length,
            rawBytes: totals.rawBytes,
            elapsedMs,
            remainingMs,
            day: keyOf(d),
          });
        }
      }
    } finally {
      for (const connection of [loader, ...writers]) connection.closeSync();
      instance.closeSync();
    }
  }
  return {
    days: days.length,
    current: days.length - stale.length,
    ...totals,
    failed,
    elapsedMs: now() - started,
  };
};
