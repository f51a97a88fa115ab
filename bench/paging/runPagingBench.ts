/**
 * The paging bench: a result of a million rows or more, then, from a freshly started server (a
 * server that has just run a big query holds DuckDB's caches; pages must not need them):
 * - single requests for a page from the middle of the result: latency, and the server's memory;
 * - a load of 100 connections on the status of the execution and on that page (autocannon): p50,
 *   p99, requests per second, errors.
 * Usage: npx tsx bench/paging/runPagingBench.ts [--trail .trailhound/bench/trail-365d] [--json FILE]
 * (the trail from bench/scan/generateTrail.ts; 152 of its days hold just over 1,000,000 events).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { intOption, parseCommand } from '../../src/lib/commandLine.js';
import { encodePageToken } from '../../src/lib/results/pageToken.js';
import { startServer } from '../scan/runner/engineServer.js';

const command = parseCommand({
  usage: 'npm run bench:paging [-- --trail DIR] [--seconds 10] [--json FILE]',
  about: `
The paging bench: a result of a million rows or more from the generated trail, then, from a freshly
started server, single requests for a page from the middle of it (latency, the server's memory) and
a load of 100 connections on the execution's status and that page (p50, p99, requests per second).
  --trail DIR      the trail of npm run bench:trail (default .trailhound/bench/trail-365d)
  --seconds N      how long each load runs (default 10)
  --json FILE      also write the figures as JSON`,
  options: { trail: { type: 'string' }, json: { type: 'string' }, seconds: { type: 'string' } },
});
const { values } = command;
const trail = path.resolve(values.trail ?? '.trailhound/bench/trail-365d');
const seconds = intOption(command, 'seconds', 10, 1, 600);
if (!existsSync(path.join(trail, 'AWSLogs')))
  command.refuse(`${trail} holds no trail (AWSLogs): make one with npm run bench:trail`);
const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'trailhound-paging-'));
const env = { TRAILHOUND_COMPACT: 'off', TRAILHOUND_RESULTS_DIR: resultsDir, POWERTOOLS_LOG_LEVEL: 'ERROR' };
const note = (text: string) => process.stderr.write(`${text}\n`);

/** The server's resident memory now, MiB, from /proc. */
const rssMib = (pid: number) => {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : Number.NaN;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

// 1. The result: every event of 152 days.
let server = await startServer(trail, env);
const started = Date.now();
const post = await fetch(`${server.baseUrl}/v1/executions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: 'events',
    parameters: {},
    from: '2025-01-01T00:00:00Z',
    to: '2025-06-02T00:00:00Z',
  }),
});
const { executionId } = (await post.json()) as { executionId: string };
let execution: { state: string; statistics: Record<string, unknown> } = { state: 'QUEUED', statistics: {} };
while (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(execution.state)) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  execution = await (await fetch(`${server.baseUrl}/v1/executions/${executionId}`)).json();
}
if (execution.state !== 'SUCCEEDED') throw new Error(`the execution ended ${execution.state}`);
const record = JSON.parse(readFileSync(path.join(resultsDir, `${executionId}.json`), 'utf8')) as {
  rowCount: number;
};
note(`${record.rowCount} rows in ${((Date.now() - started) / 1000).toFixed(0)} s`);
await server.stop();

// 2. A fresh server pages through the same results directory.
server = await startServer(trail, env);
const middle = Math.floor(record.rowCount / 2);
const page = `${server.baseUrl}/v1/executions/${executionId}/results?limit=100&nextToken=${encodePageToken(executionId, middle)}`;
const status = `${server.baseUrl}/v1/executions/${executionId}`;
const latencies: number[] = [];
for (let i = 0; i < 20; i += 1) {
  const t = performance.now();
  const response = await fetch(page);
  const body = (await response.json()) as { rows: unknown[] };
  latencies.push(performance.now() - t);
  if (body.rows.length !== 100) throw new Error(`a middle page held ${body.rows.length} rows`);
}
const afterPages = rssMib(server.pid);

const load = async (url: string) => {
  const result = await autocannon({ url, connections: 100, duration: seconds });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    requestsPerSecond: Math.round(result.requests.average),
    errors: result.errors + result.non2xx + result.timeouts,
  };
};
const statusLoad = await load(status);
const pageLoad = await load(page);
const afterLoad = rssMib(server.pid);
const peak = (server.peakRssKb() ?? Number.NaN) / 1024;
await server.stop();
rmSync(resultsDir, { recursive: true, force: true });

const report = {
  rows: record.rowCount,
  middlePage: { medianMs: median(latencies), maxMs: Math.max(...latencies), serverRssMib: afterPages },
  load: { connections: 100, seconds, status: statusLoad, middlePage: pageLoad },
  serverRssMib: { afterLoad, peak },
  machine: { cpus: os.availableParallelism(), node: process.version },
};
console.log(`result: ${report.rows} rows; a page of 100 from row ${middle}:`);
console.log(
  `  single requests: median ${report.middlePage.medianMs.toFixed(1)} ms, max ${report.middlePage.maxMs.toFixed(1)} ms; server ${afterPages.toFixed(0)} MiB`,
);
console.log('| 100 connections, %d s | p50 ms | p99 ms | requests/s | errors |', seconds);
console.log('|---|---|---|---|---|');
for (const [name, r] of [
  ['status', statusLoad],
  ['page from the middle', pageLoad],
] as const) {
  console.log(`| ${name} | ${r.p50} | ${r.p99} | ${r.requestsPerSecond} | ${r.errors} |`);
}
console.log(`server memory after the load ${afterLoad.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`);
if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
