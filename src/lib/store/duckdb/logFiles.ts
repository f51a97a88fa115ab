/**
 * Finds the CloudTrail log files a window may need, where a trail writes them:
 *   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz
 *   AWSLogs/o-<org>/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz (organization trails)
 * Only the directories of the window's days (and of the requested accounts and regions) are
 * opened, as partition projection restricts an Athena scan. Directories are listed many at a
 * time: a year is some 1,500 day directories per account and region. Directories reached through a
 * symbolic link (a synced bucket spread over disks) are followed; a link back up the tree is not.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { mapLimited } from '../../mapLimited.js';
import { daysBetween, type TimeWindow } from '../../sql/timeWindow.js';

export interface LogFile {
  readonly path: string;
  readonly account: string;
  readonly region: string;
  /** YYYY/MM/DD */
  readonly day: string;
  /** Size on disk, compressed: what Athena counts as data scanned. */
  readonly bytes: number;
  readonly modifiedMs: number;
}

const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const LOG_FILE = /\.json(\.gz)?$/;
/** Directories listed at once. */
const PARALLEL = 32;

/**
 * Files looked at in sequence (a stat, or a gzip trailer read) between two turns of the event
 * loop, where other requests are served: about 2 ms of work.
 */
const STATS_PER_TURN = 256;

/** Maps `items` through the synchronous `fn` in order, giving the event loop a turn every STATS_PER_TURN. */
const mapPaced = async <T, R>(items: readonly T[], fn: (item: T) => R): Promise<R[]> => {
  const out: R[] = [];
  for (const item of items) {
    out.push(fn(item));
    if (out.length % STATS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
};

const missing = (error: unknown) =>
  ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** Entries of `dir` that are directories (following links) and files, by name; none if it is absent. */
const list = async (dir: string): Promise<{ dirs: string[]; files: string[] }> => {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (missing(error)) return { dirs: [], files: [] };
    throw error;
  }
  const dirs: string[] = [];
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) dirs.push(entry.name);
    else if (entry.isFile()) files.push(entry.name);
    else if (entry.isSymbolicLink()) {
      const target = await stat(path.join(dir, entry.name)).catch(() => undefined);
      if (target?.isDirectory()) dirs.push(entry.name);
      else if (target?.isFile()) files.push(entry.name);
    }
  }
  return { dirs, files };
};

/** Every account directory under AWSLogs/, in either layout, each real directory once. */
/** Each account's directory under AWSLogs/ (an organization's accounts too), once each. */
export const accountDirs = async (awsLogs: string): Promise<{ account: string; dir: string }[]> => {
  const found: { account: string; dir: string }[] = [];
  const seen = new Set<string>();
  const add = async (account: string, dir: string) => {
    const real = await realpath(dir);
    if (!seen.has(real)) found.push({ account, dir });
    seen.add(real);
  };
  for (const name of (await list(awsLogs)).dirs) {
    if (ACCOUNT.test(name)) await add(name, path.join(awsLogs, name));
    else if (ORGANIZATION.test(name)) {
      for (const inner of (await list(path.join(awsLogs, name))).dirs) {
        if (ACCOUNT.test(inner)) await add(inner, path.join(awsLogs, name, inner));
      }
    }
  }
  return found;
};

/**
 * A file's key under the logs directory: its path relative to it, with forward slashes, as its
 * key in the trail's bucket. The files of a listing are under it, joined to it: their prefix is
 * cut off rather than the path resolved, since a year's plan does this for some 17,500 files
 * (`path.relative` took 33 to 200 ms for them).
 */
export const logKeyOf = (logsDir: string): ((file: string) => string) => {
  const prefix = path.join(logsDir, path.sep);
  return (file) =>
    path.sep === '/' && file.startsWith(prefix)
      ? file.slice(prefix.length)
      : path.relative(logsDir, file).split(path.sep).join('/');
};

/** What a gzip file's last 4 bytes say: the size of its last member's content (ISIZE). */
const trailerSize = (file: LogFile): number => {
  if (!file.path.endsWith('.gz') || file.bytes < 18) return file.bytes;
  const handle = openSync(file.path, 'r');
  try {
    const trailer = Buffer.alloc(4);
    readSync(handle, trailer, 0, 4, file.bytes - 4);
    return trailer.readUInt32LE(0);
  } finally {
    closeSync(handle);
  }
};

/**
 * The size of the JSON inside each file: a gzip file ends with the size of what its last member
 * holds (ISIZE), and a CloudTrail file is one member. Read only for files the JSON reader opens;
 * in sequence, a few hundred between two turns of the event loop, as listLogFiles stats them (a
 * year's 17,520 trailers: 648 ms through the thread pool).
 */
export const readJsonSizes = (files: readonly LogFile[]): Promise<number[]> => mapPaced(files, trailerSize);

/** A directory of one account, region and day, where the trail writes that day's files. */
export interface DayDir {
  readonly account: string;
  readonly region: string;
  /** YYYY/MM/DD */
  readonly day: string;
  readonly dir: string;
}

const DIGITS = (n: number) => new RegExp(`^\\d{${n}}$`);

/** Every day directory under a region's directory, found by walking YYYY/MM/DD. */
const daysIn = async (regionDir: string): Promise<string[]> => {
  const days: string[] = [];
  for (const year of (await list(regionDir)).dirs.filter((n) => DIGITS(4).test(n))) {
    for (const month of (await list(path.join(regionDir, year))).dirs.filter((n) => DIGITS(2).test(n))) {
      const dayNames = (await list(path.join(regionDir, year, month))).dirs.filter((n) => DIGITS(2).test(n));
      days.push(...dayNames.map((d) => `${year}/${month}/${d}`));
    }
  }
  return days.sort();
};

/**
 * The day directories of the given days (all that exist when `days` is undefined), accounts and
 * regions (all when undefined). A listed day need not exist: it then lists no files.
 */
export const findDayDirs = async (
  logsDir: string,
  scope: { days?: readonly string[]; accounts?: readonly string[]; regions?: readonly string[] },
): Promise<DayDir[]> => {
  const accounts = (await accountDirs(path.join(logsDir, 'AWSLogs'))).filter(
    (a) => !scope.accounts || scope.accounts.includes(a.account),
  );
  const dayDirs: DayDir[] = [];
  for (const { account, dir } of accounts) {
    const regions = (await list(path.join(dir, 'CloudTrail'))).dirs.filter(
      (region) => !scope.regions || scope.regions.includes(region),
    );
    for (const region of regions) {
      const regionDir = path.join(dir, 'CloudTrail', region);
      for (const day of scope.days ?? (await daysIn(regionDir))) {
        dayDirs.push({ account, region, day, dir: path.join(regionDir, ...day.split('/')) });
      }
    }
  }
  return dayDirs;
};

/**
 * The log files in these day directories, with their size and modification time. Files are
 * looked at synchronously, a few hundred between two turns of the event loop: a year is some
 * 17,500 files, and a stat through the thread pool costs a few times what the system call does
 * (measured on a generated year: 377 ms through promises, 106 ms in sequence).
 */
export const listLogFiles = async (dayDirs: readonly DayDir[]): Promise<LogFile[]> => {
  const named = await mapLimited(dayDirs, PARALLEL, async (d) =>
    (await list(d.dir)).files.filter((name) => LOG_FILE.test(name)).map((name) => ({ ...d, name })),
  );
  const found = await mapPaced(named.flat(), ({ account, region, day, dir, name }) => {
    const filePath = `${dir}${path.sep}${name}`;
    // Gone since the listing (a sync moving it): not a file of this window.
    const status = statSync(filePath, { throwIfNoEntry: false });
    return status && { path: filePath, account, region, day, bytes: status.size, modifiedMs: status.mtimeMs };
  });
  return found.filter((file) => file !== undefined);
};

export const findLogFiles = async (logsDir: string, window: TimeWindow): Promise<LogFile[]> =>
  listLogFiles(
    await findDayDirs(logsDir, {
      days: daysBetween(window.firstDay, window.lastDay),
      ...(window.accounts ? { accounts: window.accounts } : {}),
      ...(window.regions ? { regions: window.regions } : {}),
    }),
  );

/**
 * DuckDB's errors for a log file whose content it cannot read, each with the file's path as its
 * first group, and the fault in words: JSON it cannot parse, a file that is not gzip.
 */
export const LOG_FILE_FAULTS: readonly [RegExp, string][] = [
  [
    /Malformed JSON in file "([^"]+)", at byte (\d+)/,
    'is not valid JSON from byte $2 on (cut short, or not a CloudTrail file)',
  ],
  [/Input is not a GZIP stream: (\S+)/, 'is not gzip (empty, or not compressed)'],
];

/** Whether a DuckDB error is one of a log file's content (LOG_FILE_FAULTS). */
export const isLogFileFault = (message: string): boolean =>
  LOG_FILE_FAULTS.some(([pattern]) => pattern.test(message));
