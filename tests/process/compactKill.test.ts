/**
 * `npm run compact` killed with SIGKILL part of the way through, then run again: every answer is
 * the same as from the raw files at each point, and the second run finishes the job.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/apiClient.js';
import { DATA_DIR } from '../helpers/cloudtrailData.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** Runs the compaction command; kills it once `killAfter` days are reported, if given. */
const compact = (env: Record<string, string>, killAfter?: number) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[] }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/compact.ts'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const hear = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        const done = /^(\d+)\/\d+ days/.exec(line);
        if (killAfter !== undefined && done && Number(done[1]) >= killAfter) child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', hear);
    child.stderr.on('data', hear);
    child.on('exit', (code, signal) => resolve({ code, signal, lines }));
  });

const questions = [
  { query: 'console-logins', parameters: {}, from: '2014-09-01T00:00:00Z', to: '2014-10-01T00:00:00Z' },
  {
    query: 'activity-timeline',
    parameters: { granularity: 'day' },
    from: '2017-06-01T00:00:00Z',
    to: '2018-06-01T00:00:00Z',
  },
  {
    query: 'security-group-exposure',
    parameters: {},
    from: '2017-05-01T00:00:00Z',
    to: '2017-07-01T00:00:00Z',
  },
];

const answers = async (server: TestServer) =>
  Promise.all(questions.map(async (q) => (await runToEnd(server.baseUrl, q)).rows));

describe('a killed compaction', () => {
  it('leaves every answer correct, and a second run completes it', async () => {
    const logsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-logs-'));
    await cp(path.join(DATA_DIR, 'grycap-research-account/AWSLogs'), path.join(logsDir, 'AWSLogs'), {
      recursive: true,
    });
    const storeDir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
    const env = { TRAILHOUND_LOGS_DIR: logsDir, TRAILHOUND_STORE_DIR: storeDir };

    const raw = await startTestServer(await duckDbTestRuntime(logsDir));
    servers.push(raw);
    const expected = await answers(raw);
    expect(expected.map((rows) => rows.length > 0)).toEqual(questions.map(() => true));

    const killed = await compact(env, 20);
    expect(killed.signal).toBe('SIGKILL');
    const partly = await startTestServer(
      await duckDbTestRuntime(logsDir, { TRAILHOUND_STORE_DIR: storeDir }),
    );
    servers.push(partly);
    expect(await answers(partly)).toEqual(expected);

    const finished = await compact(env);
    expect(finished.code).toBe(0);
    const summary = finished.lines.find((line) => / closed days: /.test(line)) ?? '';
    expect(summary).toMatch(/ 0 failed/);
    expect(
      Number(/already current/.test(summary) && /(\d+) already current/.exec(summary)?.[1]),
    ).toBeGreaterThanOrEqual(20);
    const full = await runToEnd(partly.baseUrl, questions[1] as Record<string, unknown>);
    expect(full.execution.body.statistics.days.raw).toBe(0);
    expect(await answers(partly)).toEqual(expected);
  }, 180_000);
});
