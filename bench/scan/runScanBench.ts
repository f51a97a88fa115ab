/**
 * The scan bench: a generated trail (generateTrail.ts) compacted once into a columnar store, then
 * the same window read by `gzip -dc` (the floor) and asked the four planted questions by
 * `zcat | jq`, by the engine over the raw files (engine-raw) and by the engine over the store
 * (engine-store), both through the real HTTP server, interleaved run by run so machine noise
 * spreads over every side. Every side must return the answers in planted.json, engine-store from
 * compacted days only; any difference, or a failed compaction, exits 1. Goals are reported.
 *
 *   npx tsx bench/scan/runScanBench.ts --trail DIR [--runs 3] [--json FILE] [--timeout-minutes 60]
 *                                      [--store DIR] [--keep-store]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExpectedAnswer } from './generator/plantedAnswers.js';
import { intFlag, parseFlags, stringFlag } from './lib/cliArgs.js';
import { checkAnswer } from './runner/answers.js';
import { prepareDirs, removeDirs } from './runner/benchDirs.js';
import { newRecord, type SideSamples } from './runner/benchRecord.js';
import { type CompactionRecord, compactTrail } from './runner/compaction.js';
import { evaluateGoals } from './runner/goals.js';
import { renderReport } from './runner/report.js';
import { gunzipAll } from './runner/shellSides.js';
import { engineSide, engineSideSpecs, jqSide, type QuestionSide } from './runner/sides.js';
import { windowFiles, writeFileList } from './runner/trailFiles.js';

const flags = parseFlags(process.argv.slice(2), [
  'trail',
  'runs',
  'json',
  'timeout-minutes',
  'store',
  'keep-store',
]);
const trail = path.resolve(stringFlag(flags, 'trail'));
const runs = intFlag(flags, 'runs', 3, 1);
const timeoutMs = intFlag(flags, 'timeout-minutes', 60, 1) * 60_000;
const planted = JSON.parse(readFileSync(path.join(trail, 'planted.json'), 'utf8')) as {
  window: { from: string; to: string };
  questions: ExpectedAnswer[];
};
const { window, questions } = planted;
const note = (text: string) => process.stderr.write(`${text}\n`);

const files = windowFiles(trail, window);
const dirs = prepareDirs(flags.get('store'), flags.has('keep-store'));
writeFileList(files, dirs.listPath);
const specs = engineSideSpecs(dirs);
const sides: QuestionSide[] = [
  jqSide(dirs.listPath, window),
  ...specs.map((spec) => engineSide(spec, trail, window, timeoutMs)),
];

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
  questions,
  sideNames: sides.map((s) => s.name),
  engineSides: specs.map((s) => s.name),
  compaction,
});

try {
  if (compaction.exitCode !== 0) {
    record.errors.push(`compaction exited ${compaction.exitCode}: ${compaction.errorTail ?? ''}`);
  } else {
    note(`starting ${specs.length} server(s)`);
    for (const side of sides) await side.start();
    for (let run = 1; run <= runs; run += 1) {
      const gz = await gunzipAll(dirs.listPath);
      record.gzipMs.push(gz.ms);
      note(`run ${run}/${runs}: gzip -dc ${(gz.ms / 1000).toFixed(1)} s`);
      for (const [i, question] of questions.entries()) {
        for (const side of sides) {
          const samples = record.questions[i]?.sides[side.name] as SideSamples;
          const where = `run ${run}/${runs}: ${question.query} ${side.name}`;
          try {
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
const jsonPath = flags.get('json');
if (jsonPath) writeFileSync(path.resolve(jsonPath), `${JSON.stringify(record, null, 2)}\n`);
const wrong = record.questions.some((q) => Object.values(q.sides).some((s) => s.verdicts.some((v) => !v.ok)));
if (record.compaction.exitCode !== 0) {
  console.error('FAIL: the compaction failed');
  process.exitCode = 1;
} else if (wrong) {
  console.error('FAIL: a side did not give the planted answers (or engine-store read a day raw)');
  process.exitCode = 1;
}
