/**
 * The two shell sides, run over the window's file list: `gzip -dc` to /dev/null (reading and
 * inflating every byte, the floor any engine over these gzipped JSON files has to stand on), and
 * each question as `xargs zcat | jq -c -f bench/scan/jq/<query>.jq` (the usual way to ask
 * CloudTrail files a question without a query engine). Values reach bash as positional
 * arguments, never inside the script text.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const JQ_DIR = fileURLToPath(new URL('../jq/', import.meta.url));

export interface ShellRun {
  readonly ms: number;
  readonly stdout: string;
}

const runBash = (script: string, args: readonly string[]): Promise<ShellRun> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-o', 'pipefail', '-c', script, 'bench', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0)
        reject(new Error(`bash exited ${code}: ${Buffer.concat(err).toString().slice(0, 2000)}`));
      else resolve({ ms, stdout: Buffer.concat(out).toString('utf8') });
    });
  });

/** Decompresses every file of the list to /dev/null. */
export const gunzipAll = (listPath: string): Promise<ShellRun> =>
  runBash('xargs -0 -a "$1" gzip -dc > /dev/null', [listPath]);

/** One question through zcat | jq; `named` become its named arguments (--arg name value ...). */
export const jqQuestion = (listPath: string, query: string, named: Readonly<Record<string, string>>) =>
  runBash('list="$1" filter="$2"; shift 2; xargs -0 -a "$list" zcat | jq -c -f "$filter" "$@"', [
    listPath,
    path.join(JQ_DIR, `${query}.jq`),
    ...Object.entries(named).flatMap(([name, value]) => ['--arg', name, value]),
  ]);

/** jq prints one JSON value per line: a row, or a bare eventID that is a one-column row. */
export const parseJqRows = (stdout: string): unknown[][] =>
  stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const value = JSON.parse(line) as unknown;
      return Array.isArray(value) ? value : [value];
    });
