/**
 * Finds the CloudTrail log files a window may need, where a trail writes them:
 *   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz
 *   AWSLogs/o-<org>/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz (organization trails)
 * Only the directories of the window's days (and of the requested accounts and regions) are
 * opened, as partition projection restricts an Athena scan.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TimeWindow } from '../../sql/timeWindow.js';

export interface LogFile {
  readonly path: string;
  readonly account: string;
  readonly region: string;
  /** YYYY/MM/DD */
  readonly day: string;
  /** Compressed size: what Athena counts as data scanned. */
  readonly bytes: number;
}

const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const LOG_FILE = /\.json(\.gz)?$/;

const list = async (dir: string): Promise<Dirent[]> => {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
};

/** Every account directory under AWSLogs/, in either layout. */
const accountDirs = async (awsLogs: string): Promise<{ account: string; dir: string }[]> => {
  const found: { account: string; dir: string }[] = [];
  for (const entry of await list(awsLogs)) {
    if (!entry.isDirectory()) continue;
    if (ACCOUNT.test(entry.name)) found.push({ account: entry.name, dir: path.join(awsLogs, entry.name) });
    else if (ORGANIZATION.test(entry.name)) {
      for (const inner of await list(path.join(awsLogs, entry.name))) {
        if (inner.isDirectory() && ACCOUNT.test(inner.name)) {
          found.push({ account: inner.name, dir: path.join(awsLogs, entry.name, inner.name) });
        }
      }
    }
  }
  return found;
};

export const daysBetween = (firstDay: string, lastDay: string): string[] => {
  const days: string[] = [];
  const end = Date.parse(`${lastDay.replaceAll('/', '-')}T00:00:00Z`);
  for (let t = Date.parse(`${firstDay.replaceAll('/', '-')}T00:00:00Z`); t <= end; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10).replaceAll('-', '/'));
  }
  return days;
};

export const findLogFiles = async (logsDir: string, window: TimeWindow): Promise<LogFile[]> => {
  const accounts = (await accountDirs(path.join(logsDir, 'AWSLogs'))).filter(
    (a) => !window.accounts || window.accounts.includes(a.account),
  );
  const days = daysBetween(window.firstDay, window.lastDay);
  const files: LogFile[] = [];
  for (const { account, dir } of accounts) {
    const regions = (await list(path.join(dir, 'CloudTrail'))).filter(
      (r) => r.isDirectory() && (!window.regions || window.regions.includes(r.name)),
    );
    for (const region of regions) {
      for (const day of days) {
        const dayDir = path.join(dir, 'CloudTrail', region.name, ...day.split('/'));
        for (const file of await list(dayDir)) {
          if (!file.isFile() || !LOG_FILE.test(file.name)) continue;
          const filePath = path.join(dayDir, file.name);
          files.push({
            path: filePath,
            account,
            region: region.name,
            day,
            bytes: (await stat(filePath)).size,
          });
        }
      }
    }
  }
  return files;
};
