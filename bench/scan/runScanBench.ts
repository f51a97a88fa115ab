/**
 * The scan bench: the same window of a generated trail (generateTrail.ts) read by `gzip -dc`
 * (the floor), asked the four planted questions by `zcat | jq` and by the trailhound engine(s)
 * through the real HTTP server, interleaved run by run so machine noise spreads over every side.
 * Every side must return the answers in planted.json; any difference exits 1.
 *
 *   npx tsx bench/scan/runScanBench.ts --trail DIR [--runs 3] [--json FILE] [--timeout-minutes 60]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExpectedAnswer } from './generator/plantedAnswers.js';
import { intFlag, parseFlags, stringFlag } from './lib/cliArgs.js';
import { checkAnswer } from './runner/answers.js';
import { type BenchRecord, renderTable, type SideSamples } from './runner/report.js';
import { gunzipAll } from './runner/shellSides.js';
import { ENGINE_SIDES, engineSide, jqSide, type QuestionSide } from './runner/sides.js';
import { windowFiles, writeFileList } from './runner/trailFiles.js';

const flags = parseFlags(process.argv.slice(2), ['trail', 'runs', 'json', 'timeout-minutes']);
const trail = path.resolve(stringFlag(flags, 'trail'));
const runs = intFlag(flags, 'runs', 3, 1);
const timeoutMs = intFlag(flags, 'timeout-minutes', 60, 1) * 60_000;
const planted = JSON.parse(readFileSync(path.join(trail, 'planted.json'), 'utf8')) as {
  window: { from: string; to: string };
  questions: ExpectedAnswer[];
};
const { window, questions } = planted;

const files = windowFiles(trail, window);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'trailhound-scan-'));
const listPath = path.join(scratch, 'files.list');
writeFileList(files, listPath);

const sides: QuestionSide[] = [
  jqSide(listPath, window),
  ...ENGINE_SIDES.map((spec) => engineSide(spec, trail, window, timeoutMs)),
];
const record: BenchRecord = {
  trail,
  window,
  files: files.paths.length,
  gzBytes: files.gzBytes,
  jsonBytes: files.jsonBytes,
  runs,
  machine: {
    cpus: os.availableParallelism(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  gzipMs: [],
  questions: questions.map((q) => ({
    query: q.query,
    parameters: q.parameters,
    expectedRows: q.rows.length,
    sides: Object.fromEntries(
      sides.map((s) => [s.name, { ms: [], engineMs: [], verdicts: [] } satisfies SideSamples]),
    ),
  })),
  engineSides: ENGINE_SIDES.map((s) => s.name),
  serverPeakRssKb: {},
  errors: [],
};
const note = (text: string) => process.stderr.write(`${text}\n`);

try {
  note(
    `${files.paths.length} files, ${(files.gzBytes / 1e6).toFixed(1)} MB gzipped; starting ${ENGINE_SIDES.length} server(s)`,
  );
  for (const side of sides) await side.start();
  for (let run = 1; run <= runs; run += 1) {
    const gz = await gunzipAll(listPath);
    record.gzipMs.push(gz.ms);
    note(`run ${run}/${runs}: gzip -dc ${(gz.ms / 1000).toFixed(1)} s`);
    for (const [i, question] of questions.entries()) {
      for (const side of sides) {
        const samples = record.questions[i]?.sides[side.name] as SideSamples;
        try {
          const answer = await side.ask(question);
          const verdict = checkAnswer(question, answer);
          samples.ms.push(answer.ms);
          if (answer.engineMs !== undefined) samples.engineMs.push(answer.engineMs);
          if (answer.bytesScanned !== undefined) samples.bytesScanned = answer.bytesScanned;
          samples.verdicts.push(verdict);
          note(
            `run ${run}/${runs}: ${question.query} ${side.name} ${(answer.ms / 1000).toFixed(1)} s, ${verdict.detail}`,
          );
        } catch (error) {
          samples.verdicts.push({ ok: false, detail: (error as Error).message });
          record.errors.push(`${side.name} ${question.query}: ${(error as Error).message}`);
          note(`run ${run}/${runs}: ${question.query} ${side.name} FAILED: ${(error as Error).message}`);
        }
      }
    }
  }
} finally {
  for (const side of sides) {
    const kb = side.peakRssKb();
    if (side.name !== 'jq') record.serverPeakRssKb[side.name] = kb ?? null;
    await side.stop();
  }
  rmSync(scratch, { recursive: true, force: true });
}

console.log(renderTable(record));
const jsonPath = flags.get('json');
if (jsonPath) writeFileSync(path.resolve(jsonPath), `${JSON.stringify(record, null, 2)}\n`);
const wrong = record.questions.some((q) => Object.values(q.sides).some((s) => s.verdicts.some((v) => !v.ok)));
if (wrong) {
  console.error('FAIL: a side did not give the planted answers');
  process.exitCode = 1;
}
