/**
 * The scan bench: a generated trail (generateTrail.ts) compacted once into a columnar store, then
 * the same window read by `gzip -dc` (the floor) and asked the four planted questions by
 * `zcat | jq`, by the engine over the raw files (engine-raw) and by the engine over the store
 * (engine-store), both through the real HTTP server, and by DuckDB in this process with a
 * hand-written SELECT * over the store (duckdb-by-hand, the reference), interleaved run by run so
 * machine noise spreads over every side, after one untimed answer of each question from each side
 * but zcat | jq, each timed answer after a pause (--settle-seconds); then the sweep on
 * engine-store. Every side must return the answers in planted.json, engine-store from compacted
 * days only; any difference, or a failed compaction, exits 1. Goals are reported.
 *
 *   npx tsx bench/scan/runScanBench.ts --trail DIR [--runs 3] [--json FILE] [--timeout-minutes 60]
 *                                      [--settle-seconds 4]
 *                                      [--store DIR] [--keep-store] [--sides LIST]
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intOption, parseCommand } from '../../src/lib/commandLine.js';
import type { ExpectedAnswer } from './generator/plantedAnswers.js';
import { checkAnswer } from './runner/answers.js';
import { prepareDirs, removeDirs } from './runner/benchDirs.js';
import { newRecord, type SideSamples } from './runner/benchRecord.js';
import { type CompactionRecord, compactTrail } from './runner/compaction.js';
import { evaluateGoals, HELD_QUESTION } from './runner/goals.js';
import { referenceSide } from './runner/referenceSide.js';
import { renderReport } from './runner/report.js';
import { gunzipAll } from './runner/shellSides.js';
import { ENGINE_STORE, engineSide, engineSideSpecs, jqSide, type QuestionSide } from './runner/sides.js';
import { windowFiles, writeFileList } from './runner/trailFiles.js';

const command = parseCommand({
  usage:
    'npm run bench:scan [-- --runs 3] [--json FILE] [--timeout-minutes 60] [--settle-seconds 4] [--store DIR] [--keep-store] [--sides LIST]',
  about: `
The scan bench: the trail of npm run bench:trail (.trailhound/bench/trail-365d; --trail DIR
elsewhere) compacted into a columnar store, then the same window read by gzip -dc (the floor) and
asked the planted questions by zcat | jq, by the engine over the raw files and over the store,
interleaved run by run. Any answer that differs from planted.json exits 1. See bench/scan/README.md.
  --trail DIR            the generated trail (required when run directly)
  --runs N               runs of each side (default 3)
  --json FILE            also write the whole record as JSON
  --timeout-minutes N    per question and side (default 60)
  --settle-seconds N     pause before each timed answer, so that the side before has finished
                         its work (default 4; 0 for none)
  --store DIR            compact into DIR (default: a temporary directory)
  --keep-store           keep the store afterwards
  --sides LIST           only these sides, comma-separated (default all: jq, engine-raw,
                         engine-store, duckdb-by-hand); goals that need another show n/a`,
  options: {
    trail: { type: 'string' },
    runs: { type: 'string' },
    json: { type: 'string' },
    'timeout-minutes': { type: 'string' },
    'settle-seconds': { type: 'string' },
    store: { type: 'string' },
    'keep-store': { type: 'boolean', default: false },
    sides: { type: 'string' },
  },
});
const trail = path.resolve(command.values.trail ?? command.refuse('--trail DIR is required'));
const runs = intOption(command, 'runs', 3, 1);
const timeoutMs = intOption(command, 'timeout-minutes', 60, 1) * 60_000;
const settleMs = intOption(command, 'settle-seconds', 4, 0, 600) * 1000;
/**
 * A pause before each timed answer. A side's work goes on after its answer (DuckDB returning a
 * query's memory, the kernel its pages), on the same two cores: the store's server asked right
 * after the raw one's 11 s answer took 576 to 734 ms, 4 s after it 508 to 651 ms, and asked
 * again at once 555 to 663 ms.
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, settleMs));
if (!existsSync(path.join(trail, 'planted.json')))
  command.refuse(`${trail} holds no generated trail (planted.json): make one with npm run bench:trail`);
const planted = JSON.parse(readFileSync(path.join(trail, 'planted.json'), 'utf8')) as {
  window: { from: string; to: string };
  questions: ExpectedAnswer[];
};
const { window, questions } = planted;
const note = (text: string) => process.stderr.write(`${text}\n`);

const files = windowFiles(trail, window);
const dirs = prepareDirs(command.values.store, command.values['keep-store']);
writeFileList(files, dirs.listPath);
const specs = engineSideSpecs(dirs);
const engines = specs.map((spec) => engineSide(spec, trail, window, timeoutMs));
const allSides: QuestionSide[] = [
  jqSide(dirs.listPath, window),
  ...engines,
  referenceSide(dirs.store, window),
];
const chosen = command.values.sides?.split(',').map((name) => name.trim());
const unknown = chosen?.filter((name) => !allSides.some((side) => side.name === name)) ?? [];
if (unknown.length > 0)
  command.refuse(`no side ${unknown.join(', ')}: the sides are ${allSides.map((s) => s.name).join(', ')}`);
const sides = chosen ? allSides.filter((side) => chosen.includes(side.name)) : allSides;
const storeSide = sides.find((side) => side.name === ENGINE_STORE);

note(
  `${files.paths.length} files, ${(files.gzBytes / 1e6).toFixed(1)} MB gzipped; compacting into ${dirs.store}`,
);
let compaction: CompactionRecord;
try {
  compaction = await compactTrail(trail, dirs.store, note);
} catch (error) {
  removeDirs(dirs);
  throw error;
}
note(
  `compaction: exit ${compaction.exitCode}, ${(compaction.ms / 1000).toFixed(1)} s: ${compaction.summary}`,
);
const record = newRecord({
  trail,
  window,
  files,
  runs,
  settleSeconds: settleMs / 1000,
  questions,
  sideNames: sides.map((s) => s.name),
  engineSides: specs.map((s) => s.name).filter((name) => sides.some((side) => side.name === name)),
  compaction,
});

try {
  if (compaction.exitCode !== 0) {
    record.errors.push(`compaction exited ${compaction.exitCode}: ${compaction.errorTail ?? ''}`);
  } else {
    note(`starting ${specs.length} server(s)`);
    for (const side of sides) await side.start();
    // One untimed answer of every question from each side that keeps a process between questions
    // (the servers, and DuckDB in this process), as a server in use has given many: a server that
    // has just started compiles its code on its first answers. Its first year-long
    // principal-activity took 880 ms, its fourth 600 ms. zcat | jq starts afresh each time.
    for (const question of questions) {
      for (const side of sides.filter((s) => s.name !== 'jq')) {
        try {
          const verdict = checkAnswer(question, await side.ask(question), side.daysFrom);
          if (!verdict.ok) record.errors.push(`warm-up ${side.name} ${question.query}: ${verdict.detail}`);
        } catch (error) {
          record.errors.push(`warm-up ${side.name} ${question.query}: ${(error as Error).message}`);
        }
      }
    }
    note('warmed up: every question asked once of each side but zcat | jq, untimed');
    // The first sweep over the store makes its kept runs (README, "The sweep's kept runs"):
    // timed apart, as what a sweep costs the first time it reads a month.
    if (storeSide?.time) {
      try {
        await settle();
        const first = await storeSide.time('sweep', {});
        record.sweep.firstMs = first.ms;
        note(
          `first sweep ${ENGINE_STORE} (makes the kept runs): ${(first.ms / 1000).toFixed(1)} s, ${first.rows} findings`,
        );
      } catch (error) {
        record.errors.push(`first sweep: ${(error as Error).message}`);
      }
    }
    for (let run = 1; run <= runs; run += 1) {
      const gz = await gunzipAll(dirs.listPath);
      record.gzipMs.push(gz.ms);
      note(`run ${run}/${runs}: gzip -dc ${(gz.ms / 1000).toFixed(1)} s`);
      if (run > 1) {
        const again = await compactTrail(trail, path.join(dirs.scratch, `store-run-${run}`), note);
        rmSync(again.storeDir, { recursive: true, force: true });
        record.recompactions.push({ ms: again.ms, exitCode: again.exitCode, peakRssKb: again.peakRssKb });
        if (again.exitCode !== 0) record.errors.push(`compaction of run ${run} exited ${again.exitCode}`);
        note(`run ${run}/${runs}: compaction ${(again.ms / 1000).toFixed(1)} s`);
      }
      for (const [i, question] of questions.entries()) {
        for (const side of sides) {
          const samples = record.questions[i]?.sides[side.name] as SideSamples;
          const where = `run ${run}/${runs}: ${question.query} ${side.name}`;
          try {
            await settle();
            const answer = await side.ask(question);
            const verdict = checkAnswer(question, answer, side.daysFrom);
            samples.ms.push(answer.ms);
            if (answer.engineMs !== undefined) samples.engineMs.push(answer.engineMs);
            if (answer.bytesScanned !== undefined) samples.bytesScanned = answer.bytesScanned;
            if (answer.days !== undefined) samples.days = answer.days;
            samples.verdicts.push(verdict);
            note(`${where} ${(answer.ms / 1000).toFixed(1)} s, ${verdict.detail}`);
          } catch (error) {
            samples.verdicts.push({ ok: false, detail: (error as Error).message });
            record.errors.push(`${side.name} ${question.query}: ${(error as Error).message}`);
            note(`${where} FAILED: ${(error as Error).message}`);
          }
        }
      }
      if (storeSide?.time) {
        try {
          await settle();
          const sweep = await storeSide.time('sweep', {});
          record.sweep.ms.push(sweep.ms);
          record.sweep.rows = sweep.rows;
          note(
            `run ${run}/${runs}: sweep ${ENGINE_STORE} ${(sweep.ms / 1000).toFixed(1)} s, ${sweep.rows} findings`,
          );
          // Both answers again, each read as the CSV download a ticket would attach.
          const held = questions.find((q) => q.query === HELD_QUESTION);
          if (held) {
            await settle();
            const heldCsv = await storeSide.time(held.query, held.parameters, 'csv');
            record.sweep.heldCsvMs.push(heldCsv.ms);
            if (heldCsv.rows !== held.rows.length) {
              record.errors.push(`${held.query} CSV: ${heldCsv.rows} rows, ${held.rows.length} planted`);
            }
          }
          await settle();
          const sweepCsv = await storeSide.time('sweep', {}, 'csv');
          record.sweep.csvMs.push(sweepCsv.ms);
          if (sweepCsv.rows !== sweep.rows) {
            record.errors.push(`sweep CSV: ${sweepCsv.rows} rows, ${sweep.rows} in its pages`);
          }
          note(
            `run ${run}/${runs}: as CSV, sweep ${(sweepCsv.ms / 1000).toFixed(1)} s, ${held?.query} ${((record.sweep.heldCsvMs.at(-1) ?? Number.NaN) / 1000).toFixed(2)} s`,
          );
        } catch (error) {
          record.errors.push(`sweep: ${(error as Error).message}`);
        }
      }
    }
  }
} finally {
  for (const side of sides) {
    const kb = side.peakRssKb();
    if (side.name !== 'jq' && compaction.exitCode === 0) record.serverPeakRssKb[side.name] = kb ?? null;
    await side.stop();
  }
  removeDirs(dirs);
  if (dirs.keepStore) note(`store kept: ${dirs.store}`);
}

record.goals = evaluateGoals(record);
console.log(renderReport(record));
const jsonPath = command.values.json;
if (jsonPath) writeFileSync(path.resolve(jsonPath), `${JSON.stringify(record, null, 2)}\n`);
const wrong = record.questions.some((q) => Object.values(q.sides).some((s) => s.verdicts.some((v) => !v.ok)));
if (record.compaction.exitCode !== 0) {
  console.error('FAIL: the compaction failed');
  process.exitCode = 1;
} else if (wrong) {
  console.error('FAIL: a side did not give the planted answers (or engine-store read a day raw)');
  process.exitCode = 1;
}
