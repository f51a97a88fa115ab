/**
 * Runs the generation on `jobs` child processes (one per core by default): each asks for the next
 * day when it is free, so both cores stay busy to the end whatever the days cost. Children are
 * started with this process's execArgv, which carries tsx's loader.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrailOptions } from './trailLayout.js';
import type { FromWorker, ToWorker } from './worker.js';

export interface PoolTotals {
  files: number;
  records: number;
  gzBytes: number;
  jsonBytes: number;
  /** Peak resident set of each child, KiB. */
  childMaxRssKb: number[];
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

export const generateDays = (
  options: TrailOptions,
  ordinals: readonly number[],
  jobs: number,
  onFile: (totals: PoolTotals) => void,
): Promise<PoolTotals> => {
  const queue = [...ordinals];
  const totals: PoolTotals = { files: 0, records: 0, gzBytes: 0, jsonBytes: 0, childMaxRssKb: [] };
  const runChild = () =>
    new Promise<void>((resolve, reject) => {
      const child = fork(WORKER, [JSON.stringify(options)], { execArgv: process.execArgv });
      const next = () => {
        const ordinal = queue.shift();
        child.send((ordinal === undefined ? { type: 'stop' } : { type: 'day', ordinal }) satisfies ToWorker);
      };
      child.on('message', (message: FromWorker) => {
        if (message.type === 'ready' || message.type === 'dayDone') next();
        else if (message.type === 'file') {
          totals.files += 1;
          totals.records += message.records;
          totals.gzBytes += message.gzBytes;
          totals.jsonBytes += message.jsonBytes;
          onFile(totals);
        } else totals.childMaxRssKb.push(message.maxRssKb);
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`generator child exited ${code}`)),
      );
    });
  return Promise.all(Array.from({ length: Math.max(1, jobs) }, runChild)).then(() => totals);
};
