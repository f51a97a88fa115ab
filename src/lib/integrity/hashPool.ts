/**
 * Hashes files' gunzipped bytes on worker threads, one per core: a year is some 17,500 log files
 * and 2 GB of JSON, and inflating it is the check's cost. Each worker reads, inflates and hashes a
 * file whole (CloudTrail files are small) and answers its hex SHA-256; the main thread only hands
 * out paths. The worker is plain JavaScript evaluated in place, so it runs wherever the server
 * does, with or without a TypeScript loader.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { gunzipSync } = require('node:zlib');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ id, file }) => {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    parentPort.postMessage({ id, error: error.code || String(error) });
    return;
  }
  let json;
  try {
    json = gunzipSync(bytes);
  } catch {
    json = bytes; // not gzip: a hash no digest lists, so the file shows as modified
  }
  parentPort.postMessage({ id, hash: createHash('sha256').update(json).digest('hex') });
});
`;

interface Answer {
  readonly id: number;
  readonly hash?: string;
  readonly error?: string;
}

/** A pool of hashing workers; `close` ends them. */
export interface HashPool {
  /** The hex SHA-256 of the file's gunzipped bytes, or undefined when it cannot be read (absent). */
  hash(file: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export const createHashPool = (size = availableParallelism()): HashPool => {
  const waiting = new Map<
    number,
    { resolve: (hash: string | undefined) => void; reject: (e: Error) => void }
  >();
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(WORKER, { eval: true });
    worker.on('message', ({ id, hash, error }: Answer) => {
      const pending = waiting.get(id);
      waiting.delete(id);
      if (!pending) return;
      if (hash !== undefined) pending.resolve(hash);
      else if (error === 'ENOENT' || error === 'EISDIR' || error === 'ENOTDIR') pending.resolve(undefined);
      else pending.reject(new Error(`cannot read a log file to hash it (${error})`));
    });
    worker.on('error', (error) => {
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
    });
    return worker;
  });
  let next = 0;
  return {
    hash: (file) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        (workers[id % workers.length] as Worker).postMessage({ id, file });
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
};
