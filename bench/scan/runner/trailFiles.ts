/**
 * The files a window reads, chosen as the engine chooses them (src/lib/store/duckdb/logFiles.ts):
 * every .json.gz under AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ whose day lies between
 * the window's first day and the day after its end (CloudTrail delivers a file minutes after its
 * events). The list is written NUL-separated so the shell sides read exactly the same files.
 */
import { closeSync, openSync, readdirSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TrailFiles {
  readonly paths: readonly string[];
  /** Sum of the compressed sizes: what the engine reports as bytesScanned. */
  readonly gzBytes: number;
  /** Sum of the uncompressed sizes, from each gzip trailer (ISIZE). */
  readonly jsonBytes: number;
}

const DAY_DIR = /\/CloudTrail\/[^/]+\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.json\.gz$/;

/** The gzip trailer's last 4 bytes: the uncompressed size modulo 2^32 (files here are far smaller). */
const uncompressedSize = (file: string, size: number): number => {
  const fd = openSync(file, 'r');
  try {
    const trailer = Buffer.alloc(4);
    readSync(fd, trailer, 0, 4, size - 4);
    return trailer.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
};

export const windowFiles = (trailDir: string, window: { from: string; to: string }): TrailFiles => {
  const firstDay = window.from.slice(0, 10);
  const lastMs = Date.parse(window.to) - 1000 + 86_400_000;
  const lastDay = new Date(lastMs).toISOString().slice(0, 10);
  const root = path.join(trailDir, 'AWSLogs');
  const paths = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((relative) => path.join(root, relative))
    .filter((file) => {
      const day = DAY_DIR.exec(file);
      const iso = day ? `${day[1]}-${day[2]}-${day[3]}` : '';
      return day !== null && iso >= firstDay && iso <= lastDay;
    })
    .sort();
  let gzBytes = 0;
  let jsonBytes = 0;
  for (const file of paths) {
    const { size } = statSync(file);
    gzBytes += size;
    jsonBytes += uncompressedSize(file, size);
  }
  return { paths, gzBytes, jsonBytes };
};

export const writeFileList = (files: TrailFiles, listPath: string): void =>
  writeFileSync(listPath, `${files.paths.join('\0')}\0`);
