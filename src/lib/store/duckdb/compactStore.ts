/**
 * Compacts every closed day of a logs directory that the store lacks or holds out of date, with a
 * DuckDB of its own whose memory is bounded (it spills to disk past the limit), reporting
 * progress as days are published. Idempotent: a day whose unit matches its raw files is left
 * alone, so running it again costs a directory listing.
 *
 * What is written, for each account, region and month:
 * - a month that is over (its last day closed) and wholly in the range asked becomes one file,
 *   merging whatever units held its days before (or, when its days cannot be written together for
 *   memory while each can alone, a file a day, until they or the memory change: runBuild);
 * - otherwise its days that no current unit holds become one more unit, beside the current ones.
 * A unit with a day whose raw files changed, or whose file is missing or not the one recorded (cut
 * short, overwritten: unitFile.ts), is dropped, and its days in the range written again (the
 * others are read raw until a pass covers them). So a live
 * store holds a file per compaction pass for the month under way, and one file per month before.
 */
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DAY_MS } from '../../clock.js';
import { logger } from '../../logging/logger.js';
import { lockStore } from './compactionLock.js';
import {
  buildingPath,
  collectMonthGarbage,
  publishManifest,
  publishUnits,
  writeUnit,
} from './compactUnit.js';
import { type DayDir, findDayDirs, isLogFileFault, type LogFile, listLogFiles } from './logFiles.js';
import {
  isCurrent,
  isUnitCurrent,
  type MonthKey,
  type MonthManifest,
  monthDir,
  monthKeyOf,
  monthManifest,
  readManifestFile,
  type StoreUnit,
  sourcesOf,
} from './monthManifest.js';
import { connectWithProgress } from './progressConnection.js';
import { intactUnits } from './unitFile.js';

export interface CompactionProgress {
  /** Days written, of the days to write. */
  readonly done: number;
  readonly total: number;
  /**
   * Raw bytes compacted so far (of files being written, the share DuckDB says it has done), and
   * the time taken: a rate, and an estimate of the time left.
   */
  readonly rawBytes: number;
  readonly elapsedMs: number;
  readonly remainingMs?: number;
  /** The last day of a file being written or just written. */
  readonly day: string;
}

const DEFAULT_MEMORY_LIMIT = '512MB';

/** How often progress is reported while files are being written, besides as each one ends. */
const PROGRESS_EVERY_MS = 2000;

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
  /** Writes a unit's file (writeUnit; a test stands in one that runs out of memory past a size). */
  readonly writeUnit?: typeof writeUnit;
  readonly onProgress?: (progress: CompactionProgress) => void;
  /** Awaited before each unit is written: background compaction waits here while queries run. */
  readonly beforeEachUnit?: () => Promise<void>;
  /** Checked before each unit: a stopping server ends the compaction between units. */
  readonly stopped?: () => boolean;
  readonly now?: () => number;
  /**
   * The longest an execution may run (30 minutes by default): a superseded file is removed only
   * once superseded for this and ten minutes more, since an execution may still be reading it.
   */
  readonly longestExecutionMs?: number;
}

interface Month {
  readonly key: MonthKey;
  /** Raw files of every day of the month that has any, by day. */
  readonly filesByDay: ReadonlyMap<string, LogFile[]>;
  /** The days of the month this compaction may write: closed and in the range. */
  readonly eligible: readonly string[];
  readonly manifest: MonthManifest | undefined;
  /** The units whose files are there and the ones recorded (unitFile.ts), by file name. */
  readonly intact: ReadonlySet<string>;
}

/**
 * What a month needs: a unit to write, `days` from their raw files, replacing every unit but
 * `kept`; or, with no days, only the manifest rewritten without units that are out of date.
 */
interface Build {
  readonly month: Month;
  readonly days: readonly string[];
  readonly kept: readonly StoreUnit[];
  /** Days that failed before, from the raw files there now: recorded again, not retried. */
  readonly failedBefore: Failures;
}

type Failures = NonNullable<MonthManifest['failed']>;

/**
 * Progress by raw bytes: a month of a busy account can take minutes to write, so a running file
 * counts for the share of it that DuckDB reports done.
 */
class ProgressReport {
  #doneDays = 0;
  #doneBytes = 0;
  readonly #running = new Map<DuckDBConnection, { readonly bytes: number; readonly day: string }>();

  constructor(
    readonly totalDays: number,
    readonly totalBytes: number,
    readonly elapsed: () => number,
    readonly report: ((progress: CompactionProgress) => void) | undefined,
  ) {}

  started(writer: DuckDBConnection, bytes: number, day: string): void {
    this.#running.set(writer, { bytes, day });
  }

  ended(writer: DuckDBConnection, days: number, bytes: number, day: string): void {
    this.#running.delete(writer);
    this.#doneDays += days;
    this.#doneBytes += bytes;
    this.emit(day);
  }

  emit(day?: string): void {
    const running = [...this.#running];
    const label = day ?? running[0]?.[1].day;
    if (!this.report || label === undefined) return;
    const partly = running.reduce(
      (sum, [writer, { bytes }]) =>
        sum + (bytes * Math.min(Math.max(writer.progress.percentage, 0), 100)) / 100,
      0,
    );
    const rawBytes = this.#doneBytes + partly;
    const elapsedMs = this.elapsed();
    this.report({
      done: this.#doneDays,
      total: this.totalDays,
      rawBytes,
      elapsedMs,
      ...(rawBytes > 0 ? { remainingMs: (elapsedMs / rawBytes) * (this.totalBytes - rawBytes) } : {}),
      day: label,
    });
  }
}

const keyOf = (d: MonthKey) => `${d.account}/${d.region}/${d.month}`;
const bytesOf = (files: readonly LogFile[]) => files.reduce((sum, f) => sum + f.bytes, 0);
const dayEndMs = (day: string) => Date.parse(`${day.replaceAll('/', '-')}T00:00:00Z`) + DAY_MS;
/** The end of a month (YYYY/MM): the start of the next. */
const monthEndMs = (month: string) => {
  const [year, monthNumber] = month.split('/').map(Number) as [number, number];
  return Date.UTC(year, monthNumber, 1);
};

/** The days of a month that failed before and whose raw files have not changed since. */
const stillFailed = (month: Month, logsDir: string): Failures =>
  Object.fromEntries(
    Object.entries(month.manifest?.failed ?? {}).filter(([day, f]) =>
      isCurrent(f.sources, logsDir, month.filesByDay.get(day) ?? []),
    ),
  );

/**
 * Whether a month's days could not be written as one file before, and nothing has changed since:
 * the units a day that were written instead are all there and current, they are the month's
 * units, and the memory and the writers sharing it are the same.
 */
const unmergedStill = (
  month: Month,
  kept: readonly StoreUnit[],
  memory: { readonly memoryLimit: string; readonly writers: number },
): boolean => {
  const unmerged = month.manifest?.unmerged;
  if (unmerged?.memoryLimit !== memory.memoryLimit || unmerged.writers !== memory.writers) return false;
  const held = new Set(kept.flatMap((u) => Object.keys(u.days)));
  return held.size === unmerged.days.length && unmerged.days.every((day) => held.has(day));
};

/** What a month needs written, if anything; see the module's comment. */
const planMonth = (
  month: Month,
  logsDir: string,
  closedBefore: number,
  memory: { readonly memoryLimit: string; readonly writers: number },
): Build | undefined => {
  const units = month.manifest?.units ?? [];
  const kept = units.filter(
    (u) => month.intact.has(u.parquet) && isUnitCurrent(u, logsDir, month.filesByDay),
  );
  const failedBefore = stillFailed(month, logsDir);
  const held = new Set([...kept.flatMap((u) => Object.keys(u.days)), ...Object.keys(failedBefore)]);
  const pending = month.eligible.filter((day) => !held.has(day));
  const over = monthEndMs(month.key.month) <= closedBefore && month.eligible.length === month.filesByDay.size;
  const merge = pending.length > 0 || (kept.length > 1 && !unmergedStill(month, kept, memory));
  if (over && merge) {
    return { month, days: month.eligible.filter((day) => !(day in failedBefore)), kept: [], failedBefore };
  }
  const outdated =
    kept.length < units.length ||
    Object.keys(failedBefore).length < Object.keys(month.manifest?.failed ?? {}).length;
  return pending.length > 0 || outdated ? { month, days: pending, kept, failedBefore } : undefined;
};

type BuildResult =
  | { readonly units?: readonly StoreUnit[]; readonly failed: readonly { day: string; error: string }[] }
  | { readonly error: string };

const messageOf = (error: unknown) => (error as Error).message;

/**
 * Runs a build. A unit that fails to write is tried day by day, so that a day whose raw files
 * cannot be read (a truncated download) is recorded as failed and the others are written as one
 * unit. A failure no day owns, where no day wrote alone either (memory, a full disk), records
 * nothing, and the next compaction tries the unit again. Where every day wrote alone but not all
 * together (memory: a busy month), each day's own file is published, and the manifest says so
 * (`unmerged`): the days are read from the store, and not tried as one again until they change or
 * the memory does.
 */
const runBuild = async (
  connection: DuckDBConnection,
  options: CompactionOptions & { readonly graceMs: number },
  build: Build,
  onWriting: () => void,
): Promise<BuildResult> => {
  const { month, kept, failedBefore } = build;
  const { logsDir, storeDir, graceMs } = options;
  const write = options.writeUnit ?? writeUnit;
  const filesOf = (days: readonly string[]) => days.flatMap((day) => month.filesByDay.get(day) ?? []);
  const failures = (newly: { day: string; error: string }[]): MonthManifest['failed'] => {
    const all: Failures = { ...failedBefore };
    for (const { day, error } of newly) all[day] = { sources: sourcesOf(logsDir, filesOf([day])), error };
    return Object.keys(all).length > 0 ? all : undefined;
  };
  /** Writes `days` as one unit: its file, or undefined if it failed (and why, to `failed`). */
  const attempt = async (days: readonly string[], failed?: (error: unknown) => void) => {
    const file = await buildingPath(storeDir, month.key);
    try {
      await write(connection, filesOf(days), file, onWriting);
      return file;
    } catch (error) {
      await rm(file, { force: true });
      if (!failed) throw error;
      failed(error);
      return undefined;
    }
  };
  const dir = monthDir(storeDir, month.key);
  /** Each day's own file, written when the whole failed. */
  const alone = new Map<string, string>();
  try {
    let days = build.days;
    const newly: { day: string; error: string }[] = [];
    let written: { file: string; days: readonly string[] }[] = [];
    let unmerged: MonthManifest['unmerged'];
    let wholeError: unknown;
    const whole = days.length > 0 ? await attempt(days, (error) => (wholeError = error)) : undefined;
    if (whole) written = [{ file: whole, days }];
    else if (days.length > 0) {
      const tried: { day: string; error: string }[] = [];
      for (const day of days.length > 1 ? days : []) {
        const file = await attempt([day], (e) => tried.push({ day, error: messageOf(e) }));
        if (file) alone.set(day, file);
      }
      if (days.length === 1) tried.push({ day: days[0] as string, error: messageOf(wholeError) });
      // Recorded, and not tried again until its files change, only a day whose failure is its
      // own: it failed where another day of the unit was written, or its log files cannot be
      // read. A failure of the whole (memory, a full disk) is tried again next time.
      newly.push(...tried.filter((f) => alone.size > 0 || isLogFileFault(f.error)));
      if (newly.length === 0 && alone.size === 0) throw wholeError;
      days = days.filter((day) => !newly.some((f) => f.day === day));
      // The days left, as one unit when a day of their own was the failure (they may write together
      // now). Each day's own file when they fail together again, or when the failure was the
      // whole's, provided each day wrote alone; else the failure is the compaction's, and the
      // unit is tried again next time.
      const eachAlone = days.every((day) => alone.has(day));
      const rest =
        days.length > 0 && newly.length > 0 && (days.length > 1 || !eachAlone)
          ? await attempt(days, eachAlone ? () => undefined : undefined)
          : undefined;
      if (rest) written = [{ file: rest, days }];
      else {
        written = days.map((day) => ({ file: alone.get(day) as string, days: [day] }));
        // Out of memory together: not tried together again until the days, the memory or the
        // writers sharing it change.
        if (days.length > 1 && /out of memory/i.test(messageOf(wholeError))) {
          unmerged = {
            days: [...days],
            memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
            writers: options.threads ?? 1,
            error: messageOf(wholeError),
          };
        }
      }
    }
    const failed = failures(newly);
    if (written.length === 0) {
      const before = month.manifest?.unmerged;
      await publishManifest(dir, monthManifest(month.key, kept, failed, before), graceMs);
      return { failed: newly };
    }
    const units = await publishUnits(connection, {
      logsDir,
      storeDir,
      key: month.key,
      written: written.map(({ file, days: held }) => ({
        file,
        days: new Map(held.map((day) => [day, filesOf([day])])),
      })),
      kept,
      failed,
      unmerged,
      graceMs,
    });
    return { units, failed: newly };
  } catch (error) {
    return { error: messageOf(error) };
  } finally {
    // Those published were renamed into place already: only the others are removed.
    for (const file of alone.values()) await rm(file, { force: true });
  }
};

/** The months with raw files, each with its days' files and which of them may be written. */
const findMonths = async (options: CompactionOptions, closedBefore: number): Promise<Month[]> => {
  const eligible = (d: { day: string }) =>
    (!options.from || d.day >= options.from) &&
    (!options.to || d.day <= options.to) &&
    dayEndMs(d.day) <= closedBefore;
  const all = await findDayDirs(options.logsDir, {});
  // Every day of a month with an eligible day is listed: whether a unit is current depends on all its days.
  const touched = new Set(all.filter(eligible).map((d) => keyOf(monthKeyOf(d))));
  const dayDirs = all.filter((d: DayDir) => touched.has(keyOf(monthKeyOf(d))));
  const byMonth = new Map<string, { key: MonthKey; filesByDay: Map<string, LogFile[]> }>();
  for (const file of await listLogFiles(dayDirs)) {
    const key = monthKeyOf(file);
    const month = byMonth.get(keyOf(key)) ?? { key, filesByDay: new Map<string, LogFile[]>() };
    byMonth.set(keyOf(key), month);
    month.filesByDay.set(file.day, [...(month.filesByDay.get(file.day) ?? []), file]);
  }
  const months = await Promise.all(
    [...byMonth.values()]
      .sort((a, b) => keyOf(a.key).localeCompare(keyOf(b.key)))
      .map(async ({ key, filesByDay }) => {
        const dir = monthDir(options.storeDir, key);
        const { manifest, later } = await readManifestFile(dir);
        if (later) {
          logger.warn('month left as it is: its manifest was written by a later version of trailhound', {
            month: keyOf(key),
          });
          return undefined;
        }
        const files = await intactUnits(
          (manifest?.units ?? []).map((unit) => ({ file: path.join(dir, unit.parquet), unit })),
        );
        return {
          key,
          filesByDay,
          eligible: [...filesByDay.keys()].filter((day) => eligible({ day })).sort(),
          manifest,
          intact: new Set([...files].map((file) => path.basename(file))),
        };
      }),
  );
  return months.filter((month) => month !== undefined);
};

/**
 * The store holds the whole log content, so it is the owner's alone, as the results are: each
 * month directory 0700 and each file in it 0600, those a store made before this rule included.
 * The store may share the logs directory: only month directories holding a manifest, and the
 * store's own files, are touched; the store directory itself only when it is its own.
 */
const makePrivate = async (storeDir: string, logsDir: string): Promise<void> => {
  if (path.resolve(storeDir) !== path.resolve(logsDir)) await chmod(storeDir, 0o700);
  const entries = await readdir(storeDir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || entry.name !== 'manifest.json') continue;
    const month = entry.parentPath;
    await chmod(month, 0o700).catch(() => undefined);
    for (const name of await readdir(month).catch(() => [])) {
      if (name === 'manifest.json' || /^part-.*\.parquet$|^\./.test(name)) {
        await chmod(path.join(month, name), 0o600).catch(() => undefined);
      }
    }
  }
};

/**
 * Compacts under the store's lock (throws StoreLockedError when another compaction holds it).
 */
export const compactStore = async (options: CompactionOptions): Promise<CompactionSummary> => {
  await mkdir(options.storeDir, { recursive: true, mode: 0o700 });
  const release = await lockStore(options.storeDir);
  try {
    const graceMs = (options.longestExecutionMs ?? 30 * 60_000) + 10 * 60_000;
    await makePrivate(options.storeDir, options.logsDir);
    return await compactLocked({ ...options, graceMs });
  } finally {
    await release();
  }
};

const compactLocked = async (
  options: CompactionOptions & { readonly graceMs: number },
): Promise<CompactionSummary> => {
  const now = options.now ?? Date.now;
  const started = now();
  const closedBefore = started - (options.closedAfterMs ?? 3_600_000);
  const months = (await findMonths(options, closedBefore)).filter((m) => m.eligible.length > 0);
  const builds: Build[] = [];
  const failed: { day: string; error: string }[] = [];
  for (const month of months) {
    for (const [day, { error }] of Object.entries(stillFailed(month, options.logsDir))) {
      if (!month.eligible.includes(day)) continue;
      const { account, region } = month.key;
      failed.push({
        day: `${account}/${region}/${day}`,
        error: `${error} (tried again once its files change)`,
      });
    }
    const build = planMonth(month, options.logsDir, closedBefore, {
      memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      writers: options.threads ?? 1,
    });
    if (build) builds.push(build);
    else await collectMonthGarbage(monthDir(options.storeDir, month.key), options.graceMs);
  }
  const days = months.reduce((sum, m) => sum + m.eligible.length, 0);
  const total = builds.reduce((sum, b) => sum + b.days.length, 0);
  const failedBefore = failed.length;

  const totals = { built: 0, rawBytes: 0, parquetBytes: 0, rows: 0 };
  if (builds.length > 0) {
    const spill = path.join(options.storeDir, '.spill');
    await mkdir(spill, { recursive: true, mode: 0o700 });
    const threads = options.threads ?? 1;
    // Rows are written in the order they are read, not held back in the order the files are
    // listed: keeping that order made each writer buffer what its threads read ahead of it, and a
    // month of the bench's year take 3 to 6 times as long (compactUnit.ts says why no order is
    // needed). With a unit for every writer, each unit is written by its writer's thread alone,
    // which reads its files in the order listed: the same logs give the same file, byte for byte,
    // as fast on the bench's year as two threads a unit. With fewer, DuckDB's threads share the
    // units, in whatever order they read.
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(builds.length >= threads ? 1 : threads),
      memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      temp_directory: spill,
      preserve_insertion_order: 'false',
      // DuckDB's block allocator (blocks from memory it keeps until the instance closes) and the
      // allocator's background thread (a setting of the whole process: the query engine's
      // instance shares it). On the bench's year, in rotation: page faults 1.05 to 0.6 million,
      // system time 9.4 to 5.6 s, the compaction 23.5 to 25.6 s to 19.1 to 19.6 s. 256 MB was as
      // fast as 512 MB for a lower peak; 128 MB, or no background thread, gave less.
      block_allocator_memory: '256MB',
      allocator_background_threads: 'true',
    });
    // A writer per thread: writing a file is partly serial, so two units at once keep both busy.
    const writers = await Promise.all(Array.from({ length: threads }, () => connectWithProgress(instance)));
    const filesOf = (build: Build) => build.days.flatMap((d) => build.month.filesByDay.get(d) ?? []);
    const progress = new ProgressReport(
      total,
      builds.reduce((sum, b) => sum + bytesOf(filesOf(b)), 0),
      () => now() - started,
      options.onProgress,
    );
    const ticker = setInterval(() => progress.emit(), PROGRESS_EVERY_MS);
    let next = 0;
    try {
      await Promise.all(
        writers.map(async (writer) => {
          for (let i = next++; i < builds.length; i = next++) {
            const build = builds[i] as Build;
            await options.beforeEachUnit?.();
            if (options.stopped?.()) return;
            const { account, region } = build.month.key;
            const bytes = bytesOf(filesOf(build));
            const day = `${account}/${region}/${build.days.at(-1)}`;
            const result = await runBuild(writer, options, build, () => progress.started(writer, bytes, day));
            totals.rawBytes += bytes;
            const where = (d: string) => `${account}/${region}/${d}`;
            if ('error' in result) {
              failed.push(...build.days.map((d) => ({ day: where(d), error: result.error })));
            } else {
              totals.built += build.days.length - result.failed.length;
              for (const unit of result.units ?? []) {
                totals.parquetBytes += unit.bytes;
                totals.rows += unit.rows;
              }
              failed.push(...result.failed.map((f) => ({ day: where(f.day), error: f.error })));
            }
            progress.ended(writer, build.days.length, bytes, day);
          }
        }),
      );
    } finally {
      clearInterval(ticker);
      for (const connection of writers) connection.closeSync();
      instance.closeSync();
    }
  }
  return {
    days,
    current: days - total - failedBefore,
    ...totals,
    failed,
    elapsedMs: now() - started,
  };
};
