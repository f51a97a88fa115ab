/**
 * The estimate bench: how long a dry run takes, and how close its estimate is to the execution's
 * bytesScanned, on the bundled sample and on a generated year of logs, read raw and from the
 * columnar store. Beside each dry run, the physical floor of the same question asked of the disk
 * (`du` of the window's day folders: every file's size, nothing read) in the same run.
 * Usage: npx tsx bench/estimate/runEstimateBench.ts [--trail .trailhound/bench/trail-365d]
 *        [--store .trailhound/bench/store-365d] [--runs 7] [--json FILE]
 * (the trail from `npm run bench:trail`; the store from `npm run compact` over it, or bench:scan).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { intOption, parseCommand } from '../../src/lib/commandLine.js';
import { SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { startServer } from '../scan/runner/engineServer.js';

const command = parseCommand({
  usage: 'npm run bench:estimate [-- --trail DIR] [--store DIR] [--runs 7] [--json FILE]',
  about: `
The estimate bench: how long a dry run takes and how close its estimate is to the execution's
bytesScanned, on the bundled sample and on the generated year, raw and from the columnar store,
beside du of the window's day folders (the physical floor) in the same run.
  --trail DIR    the trail of npm run bench:trail (default .trailhound/bench/trail-365d)
  --store DIR    its store, from npm run compact or bench:scan --keep-store (default .trailhound/bench/store-365d)
  --runs N       runs of each case (default 7)
  --json FILE    also write the figures as JSON`,
  options: {
    trail: { type: 'string' },
    store: { type: 'string' },
    runs: { type: 'string' },
    json: { type: 'string' },
  },
});
const { values } = command;
const trail = path.resolve(values.trail ?? '.trailhound/bench/trail-365d');
const store = path.resolve(values.store ?? '.trailhound/bench/store-365d');
const runs = intOption(command, 'runs', 7, 1, 1000);
const note = (text: string) => process.stderr.write(`${text}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

interface Case {
  readonly label: string;
  readonly logsDir: string;
  readonly storeDir: string;
  readonly request: Record<string, unknown>;
  /** The day folders of the window, slack included, for `du`. */
  readonly dayGlob: string;
}

const emptyStore = () => mkdtempSync(path.join(os.tmpdir(), 'trailhound-estimate-nostore-'));
const year = {
  query: 'principal-activity',
  parameters: { userName: 'alice' },
  from: '2025-01-01T00:00:00Z',
  to: '2026-01-01T00:00:00Z',
};
const cases: Case[] = [
  {
    label: 'sample, one day',
    logsDir: SAMPLE_LOGS_DIR,
    storeDir: emptyStore(),
    request: {
      query: 'principal-activity',
      parameters: { userName: 'bert-jan' },
      from: '2023-07-10T00:00:00Z',
      to: '2023-07-11T00:00:00Z',
    },
    dayGlob: 'AWSLogs/*/CloudTrail/*/2023/07/1[01]',
  },
  ...(existsSync(trail)
    ? [
        {
          label: 'year, raw files',
          logsDir: trail,
          storeDir: emptyStore(),
          request: year,
          dayGlob: 'AWSLogs/*/CloudTrail/*/202[56]/*/*',
        },
        ...(existsSync(store)
          ? [
              {
                label: 'year, columnar store',
                logsDir: trail,
                storeDir: store,
                request: year,
                dayGlob: 'AWSLogs/*/CloudTrail/*/202[56]/*/*',
              },
            ]
          : []),
      ]
    : []),
];
if (cases.length === 1) note(`no generated trail at ${trail} (npm run bench:trail): the sample only`);

const post = async (baseUrl: string, body: Record<string, unknown>, query = '') => {
  const response = await fetch(`${baseUrl}/v1/executions${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, never>;
};

const timeMs = async (run: () => Promise<unknown>) => {
  const t = performance.now();
  await run();
  return performance.now() - t;
};

const results = [];
for (const c of cases) {
  const server = await startServer(c.logsDir, {
    TRAILHOUND_COMPACT: 'off',
    TRAILHOUND_STORE_DIR: c.storeDir,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  try {
    const dryRunMs: number[] = [];
    const duMs: number[] = [];
    let estimate: { bytesScanned: number } | undefined;
    for (let i = 0; i < runs; i += 1) {
      dryRunMs.push(
        await timeMs(async () => {
          estimate = (await post(server.baseUrl, { ...c.request, dryRun: true })).estimate;
        }),
      );
      duMs.push(
        await timeMs(async () =>
          execFileSync('sh', ['-c', `du -scb ${c.dayGlob} | tail -1`], { cwd: c.logsDir }),
        ),
      );
    }
    // The execution itself, once: what it then reports scanning.
    let execution = await post(server.baseUrl, c.request, '?wait=25');
    while (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(execution.state ?? '')) {
      await new Promise((r) => setTimeout(r, 500));
      execution = (await (
        await fetch(`${server.baseUrl}/v1/executions/${execution.executionId}`)
      ).json()) as Record<string, never>;
    }
    const statistics = execution.statistics as unknown as { bytesScanned: number };
    const row = {
      case: c.label,
      dryRunMedianMs: Math.round(median(dryRunMs)),
      dryRunMaxMs: Math.round(Math.max(...dryRunMs)),
      duMedianMs: Math.round(median(duMs)),
      dryRunOverDu: Number((median(dryRunMs) / median(duMs)).toFixed(2)),
      estimatedBytes: estimate?.bytesScanned,
      executionBytes: statistics.bytesScanned,
      estimateOverActual: Number(((estimate?.bytesScanned ?? 0) / statistics.bytesScanned).toFixed(4)),
    };
    results.push(row);
    note(JSON.stringify(row));
  } finally {
    await server.stop();
  }
}
console.table(results);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ runs, results }, null, 2)}\n`);
