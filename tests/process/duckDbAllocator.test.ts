/**
 * DuckDB's allocator as the entry points set it (src/lib/store/duckdb/duckDbAllocator.ts): freed
 * pages kept three seconds, read by DuckDB's jemalloc when DuckDB loads, a user's own setting
 * kept, and the module imported first wherever DuckDB runs. jemalloc's `stats_print` option,
 * added to the setting before DuckDB loads, prints the options it took at the child's exit.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/runNode.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MODULE = 'src/lib/store/duckdb/duckDbAllocator.ts';

/** A child that imports the module, then loads DuckDB and runs a statement; jemalloc's options on stderr. */
const optionsTaken = async (userSetting?: string) => {
  const program = `await import('./${MODULE}');
process.env.DUCKDB_JE_MALLOC_CONF += ',stats_print:true';
const { DuckDBInstance } = await import('@duckdb/node-api');
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run('SELECT 1');
connection.closeSync();
instance.closeSync();`;
  const run = await runNode(['--import', 'tsx', '--input-type=module', '-e', program], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...(userSetting === undefined ? {} : { DUCKDB_JE_MALLOC_CONF: userSetting }),
    },
  });
  expect(run.code, run.stderr).toBe(0);
  return run.stderr.match(/opt\.(dirty|muzzy)_decay_ms: -?\d+/g);
};

describe("DuckDB's allocator", () => {
  it('keeps freed pages three seconds (DuckDB alone: one), read by DuckDB when it loads', async () => {
    expect(await optionsTaken()).toEqual(['opt.dirty_decay_ms: 3000', 'opt.muzzy_decay_ms: 3000']);
  });

  it("keeps the user's own setting", async () => {
    expect(await optionsTaken('dirty_decay_ms:500')).toEqual([
      'opt.dirty_decay_ms: 500',
      'opt.muzzy_decay_ms: 1000',
    ]);
  });

  it('is the first import of every entry point that runs DuckDB', () => {
    for (const [entry, relative] of [
      ['src/server.ts', './lib/store/duckdb/duckDbAllocator.js'],
      ['scripts/compact.ts', '../src/lib/store/duckdb/duckDbAllocator.js'],
      ['bench/scan/profileQuestion.ts', '../../src/lib/store/duckdb/duckDbAllocator.js'],
    ] as const) {
      const firstImport = readFileSync(path.join(ROOT, entry), 'utf8').match(/^import .*$/m)?.[0];
      expect(firstImport, entry).toBe(`import '${relative}';`);
    }
  });
});
