/**
 * Cold init of each Lambda bundle, measured as Lambda's init phase sees it: a fresh Node process
 * importing the bundle (module evaluation, SDK client construction is lazy until the first
 * request). Each bundle is imported RUNS times in new processes, interleaved so that machine
 * noise spreads over all of them; the median is reported, with its ratio to the smallest bundle.
 * This is measured on the Node that runs it (CI: 24), not on Lambda: read it as a comparison between
 * bundles, not as the milliseconds Lambda will bill.
 * Usage: npm run bench:cold-init [-- --runs 15]
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildLambdas } from '../scripts/buildLambdas.js';
import { intOption, parseCommand } from '../src/lib/commandLine.js';

const command = parseCommand({
  usage: 'npm run bench:cold-init [-- --runs 15]',
  about: `
Builds the Lambda bundles, then imports each in fresh Node processes, interleaved, and prints a
markdown table of each bundle's size and median import time, with its ratio to the fastest.
  --runs N   imports of each bundle (default 15, or RUNS from the environment)`,
  options: { runs: { type: 'string' } },
});
const RUNS = intOption(command, 'runs', Number(process.env.RUNS ?? 15), 1, 1000);
const bundles = await buildLambdas();
const samples = new Map<string, number[]>(bundles.map((b) => [b.handler, []]));

const probe = (file: string): number => {
  const code = `const t = performance.now(); const m = await import(${JSON.stringify(file)});
if (typeof m.handler !== 'function') throw new Error('no handler export');
process.stdout.write(String(performance.now() - t));`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, TRAILHOUND_ENGINE: 'athena', AWS_REGION: 'us-east-1' },
    }),
  );
};

for (let i = 0; i < RUNS; i += 1) {
  for (const b of bundles) samples.get(b.handler)?.push(probe(b.file));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rows = bundles.map((b) => ({
  handler: b.handler,
  kib: Math.round(b.bytes / 1024),
  ms: median(samples.get(b.handler) ?? []),
}));
const fastest = Math.min(...rows.map((r) => r.ms));
console.log(`| handler | bundle | import (median of ${RUNS}) | ratio to fastest |`);
console.log('|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.handler} | ${r.kib} KiB | ${r.ms.toFixed(0)} ms | ${(r.ms / fastest).toFixed(2)} |`);
console.log(`\nnode ${process.version}, ${path.basename(process.execPath)}, ${RUNS} runs per bundle`);
