/**
 * Builds one Lambda bundle per function of the template (src/lambda/functions.ts), each from its
 * entry in src/lambda, into .build/lambda/<function>/index.mjs, and prints each bundle's size.
 * Fails if any bundle would contain DuckDB or the embedded engine.
 * Usage: npm run build:lambdas
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import esbuildConfig from '../deploy/esbuild.config.cjs';
import { entryOf, LAMBDA_FUNCTIONS } from '../src/lambda/functions.js';
import { parseCommand } from '../src/lib/commandLine.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(root, '.build/lambda');

export interface BuiltBundle {
  readonly handler: string;
  readonly file: string;
  readonly bytes: number;
  readonly inputs: readonly string[];
}

export const buildLambdas = async (): Promise<BuiltBundle[]> => {
  const built: BuiltBundle[] = [];
  for (const handler of LAMBDA_FUNCTIONS) {
    const file = path.join(OUT_DIR, handler, 'index.mjs');
    await mkdir(path.dirname(file), { recursive: true });
    const result = await build({
      ...esbuildConfig.LAMBDA_ESBUILD_OPTIONS,
      metafile: true,
      logLevel: 'warning',
      entryPoints: [path.join(root, entryOf(handler))],
      outfile: file,
    });
    const inputs = Object.keys(result.metafile.inputs);
    const forbidden = inputs.filter((i) => /duckdb/i.test(i));
    if (forbidden.length > 0) throw new Error(`${handler} bundle would contain ${forbidden.join(', ')}`);
    built.push({ handler, file, bytes: (await stat(file)).size, inputs });
  }
  return built;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  parseCommand({
    usage: 'npm run build:lambdas',
    about: `
Builds one esbuild bundle per Lambda function into .build/lambda/<function>/index.mjs and prints
each bundle's size. Fails if a bundle would contain DuckDB or the embedded engine.`,
    options: {},
  });
  const bundles = await buildLambdas();
  for (const b of bundles)
    console.log(
      `${b.handler.padEnd(16)} ${(b.bytes / 1024).toFixed(0).padStart(6)} KiB  ${path.relative(root, b.file)}`,
    );
}
