/**
 * A generating child process: builds the write context from the options it is given, then writes
 * whole days as the parent hands them out, reporting each file written. Which process writes a
 * day does not change its bytes: a file's content depends only on (seed, day, slot).
 */

import { buildWriteContext } from './context.js';
import { writeDay } from './dayWriter.js';
import type { TrailOptions } from './trailLayout.js';

export type ToWorker = { type: 'day'; ordinal: number } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'file'; records: number; gzBytes: number; jsonBytes: number }
  | { type: 'dayDone'; ordinal: number }
  | { type: 'stopped'; maxRssKb: number };

const send = (message: FromWorker) => process.send?.(message);

const options = JSON.parse(process.argv[2] ?? '{}') as TrailOptions;
const ctx = buildWriteContext(options);

process.on('message', (message: ToWorker) => {
  if (message.type === 'day') {
    writeDay(ctx, message.ordinal, (s) =>
      send({ type: 'file', records: s.records, gzBytes: s.gzBytes, jsonBytes: s.jsonBytes }),
    );
    send({ type: 'dayDone', ordinal: message.ordinal });
  } else {
    send({ type: 'stopped', maxRssKb: process.resourceUsage().maxRSS });
    process.disconnect();
  }
});
send({ type: 'ready' });
