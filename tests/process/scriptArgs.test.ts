/**
 * Every script a user runs, as a user meets its command line: `--help` prints the usage and what it
 * does to stdout and exits 0 before doing anything; an unknown option or an impossible day is one
 * line and the usage on stderr, exit 2, and no stack trace.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type NodeRun, runNode } from '../helpers/runNode.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Each npm script a user runs, and the program it runs (package.json's "scripts"). */
const SCRIPTS = [
  ['start', 'src/server.ts'],
  ['compact', 'scripts/compact.ts'],
  ['backfill', 'scripts/backfill.ts'],
  ['generate', 'scripts/generate.ts'],
  ['build:lambdas', 'scripts/buildLambdas.ts'],
  ['package', 'scripts/packageStack.ts'],
  ['bench:cold-init', 'bench/lambdaColdInit.ts'],
  ['bench:trail', 'bench/scan/generateTrail.ts'],
  ['bench:scan', 'bench/scan/runScanBench.ts'],
  ['bench:profile', 'bench/scan/profileQuestion.ts'],
  ['bench:sweep-kept', 'bench/scan/sweepKept.ts'],
  ['bench:paging', 'bench/paging/runPagingBench.ts'],
  ['bench:estimate', 'bench/estimate/runEstimateBench.ts'],
  ['fuzz', 'tests/fuzz/runFuzz.ts'],
] as const;

const run = (file: string, args: readonly string[]): Promise<NodeRun> =>
  runNode(['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });

/** A stack frame as Node prints one: what a user must never have to read. */
const STACK_FRAME = /^\s+at .+[:(]/m;

describe('the scripts a user runs', () => {
  it('name every program package.json runs', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    for (const [name, file] of SCRIPTS) expect(pkg.scripts[name as keyof typeof pkg.scripts]).toContain(file);
  });

  it.each(SCRIPTS)('npm run %s -- --help prints its usage and exits 0', async (name, file) => {
    const { code, stdout, stderr } = await run(file, ['--help']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage: npm (run )?${name.replace(':', '\\:')}`));
    // The usage, then a paragraph on what it does.
    expect(stdout.split('\n').length).toBeGreaterThan(3);
    expect(stderr).not.toMatch(STACK_FRAME);
  });

  it.each(SCRIPTS)('npm run %s -- --bogus is refused with exit 2, naming the option', async (_name, file) => {
    const { code, stdout, stderr } = await run(file, ['--bogus']);
    expect(code, stdout).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain('usage: npm');
    expect(stderr).not.toMatch(STACK_FRAME);
  });

  it.each([
    [
      'scripts/compact.ts',
      ['--from', '2023-13-01'],
      '--from takes a day of the calendar, YYYY-MM-DD (got 2023-13-01)',
    ],
    [
      'scripts/compact.ts',
      ['--to', '2023-02-30'],
      '--to takes a day of the calendar, YYYY-MM-DD (got 2023-02-30)',
    ],
    [
      'scripts/compact.ts',
      ['--from', '2024-02-01', '--to', '2024-01-31'],
      '--from 2024-02-01 is after --to 2024-01-31',
    ],
    ['scripts/compact.ts', ['stray'], "Unexpected argument 'stray'"],
    [
      'scripts/backfill.ts',
      ['--from', '2023-13-01', '--to', '2024-01-01'],
      '--from takes a day of the calendar',
    ],
    [
      'bench/scan/generateTrail.ts',
      ['--out', '/nonexistent/x', '--days', 'many'],
      '--days takes a whole number',
    ],
    [
      'bench/scan/profileQuestion.ts',
      ['--trail', '/nonexistent/trail', '--store', '/nonexistent/store'],
      'holds no generated trail (planted.json)',
    ],
    ['tests/fuzz/runFuzz.ts', ['--requests'], "Option '--requests <value>' argument missing"],
  ] as const)('%s %j is refused with exit 2', async (file, args, message) => {
    const { code, stdout, stderr } = await run(file, args);
    expect(code, stdout).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(STACK_FRAME);
  });
});
