/**
 * `npm run fuzz [-- --requests 10000] [--seed N] [--concurrency 8]`: the real server (npm start's,
 * in a child process, on the bundled sample) sent that many generated requests (see
 * requestArbitraries.ts). Prints how many got each status; exits 1 if any got a 5xx or a refusal
 * without a problem document, or if the server died or stopped answering.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { intOption, parseCommand } from '../../src/lib/commandLine.js';
import { anyRequest, type CatalogEntry } from './requestArbitraries.js';
import { answerProblems, sendRequest } from './sendRequest.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const command = parseCommand({
  usage: 'npm run fuzz [-- --requests 10000] [--seed N] [--concurrency 8]',
  about: `
Starts the real server (npm start's, in a child process, on the bundled sample) and sends it that
many generated requests. Prints how many got each status; exits 1 if any got a 5xx or a refusal
without a problem document, or if the server died or stopped answering.
  --requests N      how many (default 10000)
  --seed N          fast-check's seed, to replay a run (default 20261127)
  --concurrency N   requests in flight at once (default 8)`,
  options: { requests: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' } },
});
const total = intOption(command, 'requests', 10_000, 1);
const seed = intOption(command, 'seed', 20261127, 0, 2 ** 31 - 1);
const concurrency = intOption(command, 'concurrency', 8, 1, 256);

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => resolve(free));
  });
});
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    TRAILHOUND_RESULTS_DIR: mkdtempSync(path.join(tmpdir(), 'trailhound-fuzz-')),
    TRAILHOUND_STORE_DIR: mkdtempSync(path.join(tmpdir(), 'trailhound-fuzz-store-')),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
let exited: number | null = null;
server.on('exit', (code) => {
  exited = code ?? -1;
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 150; i += 1) {
  if ((await fetch(`${base}/health`).catch(() => undefined))?.ok) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const catalog = (await (await fetch(`${base}/v1/queries`)).json()).queries as CatalogEntry[];
const requests = fc.sample(anyRequest(catalog), { numRuns: total, seed });
/** Executions the server started: later requests about "an execution" often ask about one of these. */
const started: string[] = [];
const UUID = /^\/v1\/executions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const aimed = (request: (typeof requests)[number], i: number) =>
  started.length > 0 && i % 2 === 0 && UUID.test(request.path)
    ? { ...request, path: request.path.replace(UUID, `/v1/executions/${started[i % started.length]}`) }
    : request;
const statuses = new Map<number, number>();
const failures: string[] = [];
let next = 0;
let done = 0;
const startedMs = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const request = aimed(requests[i] as (typeof requests)[number], i);
      try {
        const answer = await sendRequest(base, request);
        const id = /"executionId":"([0-9a-f-]{36})"/.exec(answer.body)?.[1];
        if (id && request.method === 'POST') started.push(id);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        failures.push(...answerProblems(request, answer));
      } catch (error) {
        failures.push(`no answer for ${request.method} ${request.path}: ${(error as Error).message}`);
      }
      done += 1;
      if (done % 1000 === 0)
        process.stderr.write(
          `${done}/${total} requests, ${((Date.now() - startedMs) / 1000).toFixed(0)} s\n`,
        );
    }
  }),
);
const healthy = (await fetch(`${base}/health`).catch(() => undefined))?.status === 200;
server.kill('SIGTERM');

console.log(
  `${total} requests (seed ${seed}) in ${((Date.now() - startedMs) / 1000).toFixed(1)} s: ${[
    ...statuses.entries(),
  ]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status} x ${count}`)
    .join(', ')}`,
);
console.log(
  `5xx: ${[...statuses.entries()].filter(([s]) => s >= 500).reduce((sum, [, n]) => sum + n, 0)}; server ${exited === null && healthy ? 'still answering' : 'DOWN'}`,
);
for (const failure of failures.slice(0, 20)) console.error(failure);
process.exit(failures.length === 0 && exited === null && healthy ? 0 : 1);
