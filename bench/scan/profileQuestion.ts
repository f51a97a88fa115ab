/**
 * Where a question's time goes on the embedded engine, phase by phase, in this process and on
 * the code the server runs: the scan plan (listing the window's raw files, then the store's
 * manifests and the footer checks of its files), settling the plan (the views, and the EXPLAIN
 * that says which columns the statement reads), the statement alone (prepared, run, every row
 * read into memory), and the whole of runStatement (settling, statement and the CSV and page
 * index written to a temporary directory). Medians over the runs; the first run warms the caches.
 *
 *   npm run bench:profile -- --store DIR [--query principal-activity] [--runs 5]   (the trail of bench:trail)
 *   npx tsx bench/scan/profileQuestion.ts --trail DIR --store DIR [--query …] [--runs 5]
 *
 * The trail is one of bench:trail's (its planted.json gives the window and the question's
 * parameters; `--query sweep` asks the sweep); the store one compacted from it (bench:scan
 * --store DIR --keep-store, or npm run compact with TRAILHOUND_STORE_DIR). What the HTTP edge
 * adds is the bench's engine-store time less the execution's engineMs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { intOption, parseCommand } from '../../src/lib/commandLine.js';
import { applySettings, engineStatement } from '../../src/lib/engines/duckdb/matchedEvents.js';
import { nodeFileSystem } from '../../src/lib/engines/duckdb/resultFileSystem.js';
import { runStatement, settlePlan } from '../../src/lib/engines/duckdb/runStatement.js';
import { TRINO_MACROS } from '../../src/lib/engines/duckdb/trinoCompat.js';
import { findLogFiles } from '../../src/lib/store/duckdb/logFiles.js';
import { planScan } from '../../src/lib/store/duckdb/scanPlan.js';
import { planExecution } from '../../src/queries/executionPlan.js';
import { median } from './runner/benchRecord.js';

const command = parseCommand({
  usage: 'npm run bench:profile -- --store DIR [--query NAME] [--runs 5]',
  about: `
Times each phase of one question of a generated trail on the embedded engine, in this process:
the scan plan, settling it, the statement alone, and runStatement with its CSV. See the module
comment and bench/scan/README.md.
  --trail DIR     a trail of npm run bench:trail (its planted.json gives window and parameters;
                  npm run bench:profile gives .trailhound/bench/trail-365d)
  --store DIR     a store compacted from it
  --query NAME    a planted question, or sweep (default principal-activity)
  --runs N        runs; medians are printed (default 5)`,
  options: {
    trail: { type: 'string' },
    store: { type: 'string' },
    query: { type: 'string' },
    runs: { type: 'string' },
  },
});
const trail = path.resolve(command.values.trail ?? command.refuse('--trail DIR is required'));
const storeDir = path.resolve(command.values.store ?? command.refuse('--store DIR is required'));
const query = command.values.query ?? 'principal-activity';
const runs = intOption(command, 'runs', 5, 1);
if (!existsSync(path.join(trail, 'planted.json')))
  command.refuse(`${trail} holds no generated trail (planted.json): make one with npm run bench:trail`);
const planted = JSON.parse(readFileSync(path.join(trail, 'planted.json'), 'utf8')) as {
  window: { from: string; to: string };
  questions: { query: string; parameters: Record<string, unknown> }[];
};
const question =
  query === 'sweep'
    ? { query, parameters: {} }
    : (planted.questions.find((q) => q.query === query) ??
      command.refuse(
        `${query} is not a planted question: ${planted.questions.map((q) => q.query).join(', ')}, or sweep`,
      ));
const planned = planExecution(
  { query: question.query, parameters: question.parameters, ...planted.window },
  { TRAILHOUND_MAX_WINDOW_DAYS: 400 },
);
const {
  statement,
  window,
  query: definition,
} = planned.ok ? planned.plan : command.refuse(JSON.stringify(planned.problems));

const instance = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
const setup = await instance.connect();
for (const macro of TRINO_MACROS) await setup.run(macro);
setup.closeSync();
const resultsDir = mkdtempSync(path.join(tmpdir(), 'trailhound-profile-'));

const phases = ['list raw files', 'scan plan', 'settle plan', 'statement', 'runStatement'] as const;
const samples = Object.fromEntries(phases.map((p) => [p, [] as number[]])) as Record<
  (typeof phases)[number],
  number[]
>;
const timed = async <T>(phase: (typeof phases)[number], work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const value = await work();
  samples[phase].push(performance.now() - started);
  return value;
};

let rows = 0;
/** Days of one account and region read from the store and from raw files: an empty store reads every day raw. */
let days = { compacted: 0, raw: 0 };
try {
  for (let run = 0; run < runs; run += 1) {
    await timed('list raw files', () => findLogFiles(trail, window));
    const plan = await timed('scan plan', () => planScan(trail, storeDir, window));
    days = plan.days;
    const engine = engineStatement(statement);
    const connection = await instance.connect();
    try {
      await applySettings(connection, engine.settings);
      await timed('settle plan', () => settlePlan(connection, plan, engine.sql, engine.parameters));
      await timed('statement', async () => {
        const prepared = await connection.prepare(engine.sql);
        engine.parameters.forEach((value, i) => {
          prepared.bindVarchar(i + 1, value);
        });
        rows = (await prepared.runAndReadAll()).currentRowCount;
      });
    } finally {
      connection.closeSync();
    }
    const writer = await instance.connect();
    try {
      await timed('runStatement', () =>
        runStatement(
          writer,
          plan,
          { statement, columns: definition.columns, window },
          {
            files: nodeFileSystem,
            target: {
              csv: path.join(resultsDir, `${run}.csv`),
              index: path.join(resultsDir, `${run}.index`),
              temporary: (target) => `${target}.tmp`,
            },
          },
          { checkpoint: () => {}, onScanned: () => {} },
        ),
      );
    } finally {
      writer.closeSync();
    }
  }
} finally {
  rmSync(resultsDir, { recursive: true, force: true });
}

console.log(
  `${query} over ${window.from} to ${window.to}: ${rows} rows; days ${days.compacted} compacted, ${days.raw} raw; median of ${runs} runs, ${availableParallelism()} CPUs`,
);
console.log('| phase | ms |\n|---|---|');
for (const phase of phases) console.log(`| ${phase} | ${median(samples[phase]).toFixed(0)} |`);
