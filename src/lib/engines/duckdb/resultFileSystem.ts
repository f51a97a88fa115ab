/**
 * The file operations the embedded engine keeps executions and results with. Passed in, so that
 * tests can make a disk fill up or a directory refuse writes at a chosen moment; the server uses
 * node:fs. Every file is created readable by its owner only: results hold what the logs hold.
 *
 * What a page reads (its offsets and rows, a file's size) is read with blocking calls: small
 * reads of local files, each of which otherwise waits its turn on libuv's thread pool. A page of
 * one row took the server 2.0 ms so, 1.0 ms with them; the sweep's 78 pages of the bench's year
 * spent 0.3 s waiting on the pool. Writes and whole files (records, a download) stay asynchronous.
 */
import { closeSync, createWriteStream, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';

export interface ResultFileSystem {
  writeFile(path: string, data: string | Uint8Array, options: { mode: number; flag?: string }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string, options: { recursive: boolean; mode: number }): Promise<unknown>;
  chmod(path: string, mode: number): Promise<void>;
  size(path: string): Promise<number>;
  createWriteStream(path: string, options: { mode: number }): Writable;
  /** Reads `[start, end)` of a file, as a stream. */
  createReadStream(path: string, range: { start: number; end?: number }): Promise<Readable>;
  /** Bytes `[start, end)` of a file: fewer where it ends first. */
  readRange(path: string, start: number, end: number): Promise<Buffer>;
}

export const OWNER_ONLY_FILE = 0o600;
export const OWNER_ONLY_DIR = 0o700;

export const nodeFileSystem: ResultFileSystem = {
  writeFile: (path, data, options) => writeFile(path, data, options),
  rename,
  rm,
  readFile: (path) => readFile(path),
  readdir: (path) => readdir(path),
  mkdir,
  chmod,
  size: async (path) => statSync(path).size,
  createWriteStream: (path, options) => createWriteStream(path, { mode: options.mode, flags: 'wx' }),
  createReadStream: async (path, range) => {
    const handle = await open(path, 'r');
    return handle.createReadStream({
      start: range.start,
      ...(range.end !== undefined ? { end: range.end - 1 } : {}),
      autoClose: true,
    });
  },
  readRange: async (path, start, end) => {
    const fd = openSync(path, 'r');
    try {
      // No further than the file goes: a damaged page index may name any offset.
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(end, fstatSync(fd).size) - start));
      let read = 0;
      while (read < buffer.length) {
        const got = readSync(fd, buffer, read, buffer.length - read, start + read);
        if (got === 0) break;
        read += got;
      }
      return buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  },
};
