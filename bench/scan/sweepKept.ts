/**
 * The sweep over a store, in this process, on the code the server runs (runStatement): as its one
 * statement, then from the store's kept runs (src/lib/engines/duckdb/keptPartials.ts), first
 * making them (the store's `.partials/` is removed first, so that their making is timed from
 * scratch), then reading them. Each answer's CSV is written as the server writes it,
 * and the script fails unless every answer's CSV is the one statement's, byte for byte. It prints
 * the time of each, medians of `--runs`: what the server adds around them (planning the scan, the
 * pages) is the bench's to measure (runScanBench.ts).
 *
 *   npm run bench:sweep-kept -- --store DIR [--runs 3]   (the trail of bench:trail)
 *   npx tsx bench/scan/sweepKept.ts --trail DIR --store DIR [--runs 3]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { intOption, parseCommand } from '../../src/lib/commandLine.js';
import { QUERY_INSTANCE_OPTIONS } from '../../src/lib/engines/duckdb/duckDbEngine.js';
import { nodeFileSystem } from '../../src/lib/engines/duckdb/resultFileSystem.js';
import { runStatement } from '../../src/lib/engines/duckdb/runStatement.js';
import { TRINO_MACROS } from '../../src/lib/engines/duckdb/trinoCompat.js';
import type { ExecutionRequest } from '../../src/lib/engines/queryEngine.js';
import { planScan } from '../../src/lib/store/duckdb/scanPlan.js';
import { planExecution } from '../../src/queries/executionPlan.js';
import { median } from './runner/benchRecord.js';

const command = parseCommand({
  usage: 'npm run bench:sweep-kept -- --store DIR [--runs 3]',
  about: `
Times the sweep of a generated trail's window over a store: as its one statement, making the
store's kept runs (removed first), and from the kept runs; fails unless every answer is the one
statement's, byte for byte. See the module comment.
  --trail DIR   a trail of npm run bench:trail (its planted.json gives the window; npm run
                bench:sweep-kept gives .trailhound/bench/trail-365d)
  --store DIR   a store compacted from it (its kept runs, .partials/, are made again)
  --runs N      runs of the one statement and of the answer from kept runs; medians are printed (default 3)`,
  options: { trail: { type: 'string' }, store: { type: 'string' }, runs: { type: 'string' } },
});
const trail = path.resolve(command.values.trail ?? command.refuse('--trail DIR is required'));
const storeDir = path.resolve(command.values.store ?? command.refuse('--store DIR is required'));
const runs = intOption(command, 'runs', 3, 1);
if (!existsSync(path.join(trail, 'planted.json')))
  command.refuse(`${trail} holds no generated trail (planted.json): make one with npm run bench:trail`);
if (!existsSync(path.join(storeDir, 'AWSLogs')))
  command.refuse(`${storeDir} holds no store: compact the trail into it first (npm run compact)`);
const { window: asked } = JSON.parse(readFileSync(path.join(trail, 'planted.json'), 'utf8')) as {
  window: { from: string; to: string };
};

const planned = planExecution(
  { query: 'sweep', parameters: {}, from: asked.from, to: asked.to },
  { TRAILHOUND_MAX_WINDOW_DAYS: 400 },
);
if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
const { plan: execution } = planned;
const request: ExecutionRequest = {
  statement: execution.statement,
  columns: execution.query.columns,
  window: execution.window,
};

const instance = await DuckDBInstance.create(':memory:', QUERY_INSTANCE_OPTIONS);
const setup = await instance.connect();
for (const macro of TRINO_MACROS) await setup.run(macro);
setup.closeSync();
const results = mkdtempSync(path.join(tmpdir(), 'trailhound-sweep-kept-'));

/** One answer as the server runs it (a fresh connection, the scan planned, the CSV written): its time and CSV digest. */
let answers = 0;
const answer = async (kept: boolean) => {
  const connection: DuckDBConnection = await instance.connect();
  answers += 1;
  const csv = path.join(results, `${answers}.csv`);
  try {
    const started = performance.now();
    const scan = await planScan(trail, storeDir, request.window);
    const rows = await runStatement(
      connection,
      scan,
      request,
      {
        files: nodeFileSystem,
        target: { csv, index: `${csv}.index`, temporary: (target) => `${target}.${answers}.tmp` },
      },
      { checkpoint: () => {}, onScanned: () => {} },
      kept ? { storeDir } : undefined,
    );
    const ms = performance.now() - started;
    const digest = createHash('sha256').update(readFileSync(csv)).digest('hex').slice(0, 16);
    return { ms, rows, digest };
  } finally {
    connection.closeSync();
    rmSync(csv, { force: true });
    rmSync(`${csv}.index`, { force: true });
  }
};

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
try {
  const one: number[] = [];
  let expected = { rows: 0, digest: '' };
  for (let i = 0; i < runs; i += 1) {
    const a = await answer(false);
    one.push(a.ms);
    expected = { rows: a.rows, digest: a.digest };
  }
  rmSync(path.join(storeDir, '.partials'), { recursive: true, force: true });
  const making = await answer(true);
  const fromKept: number[] = [];
  const digests = new Set([making.digest]);
  for (let i = 0; i < runs; i += 1) {
    const a = await answer(true);
    fromKept.push(a.ms);
    digests.add(a.digest);
  }
  const same = digests.size === 1 && digests.has(expected.digest);
  console.log(
    JSON.stringify(
      {
        window: asked,
        rows: expected.rows,
        same,
        oneStatement: s(median(one)),
        makingKeptRuns: s(making.ms),
        fromKeptRuns: s(median(fromKept)),
        samples: { oneStatement: one.map(Math.round), fromKeptRuns: fromKept.map(Math.round) },
      },
      null,
      2,
    ),
  );
  if (!same) process.exitCode = 1;
} finally {
  instance.closeSync();
  rmSync(results, { recursive: true, force: true });
}
