/**
 * `npm start` as a user runs it: the server answers, and a signal to the npm process (what a
 * terminal, a process manager or `kill` sends) stops the server and frees its port. What it cannot
 * start with (a bad setting, a logs directory that is not there, a port or a results directory
 * another server has) is said in a line or two, without a stack trace, and changes nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/apiClient.js';
import { runNode } from '../helpers/runNode.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const answers = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).status;
  } catch {
    return undefined;
  }
};

const waitFor = async (condition: () => Promise<boolean>, ms: number) => {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
};

describe('npm start', () => {
  it('serves the API, and SIGTERM to npm stops the server and frees the port', async () => {
    const port = await freePort();
    const resultsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-start-'));
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), TRAILHOUND_RESULTS_DIR: resultsDir },
      stdio: 'ignore',
    });
    const health = `http://127.0.0.1:${port}/health`;
    try {
      expect(await waitFor(async () => (await answers(health)) === 200, 30_000)).toBe(true);
      const exited = new Promise((resolve) => npm.once('exit', resolve));
      npm.kill('SIGTERM');
      await exited;
      expect(await waitFor(async () => (await answers(health)) === undefined, 10_000)).toBe(true);
      // The port can be taken again: nothing is left listening on it.
      const again = createServer();
      await new Promise<void>((resolve, reject) =>
        again.once('error', reject).listen(port, '127.0.0.1', resolve),
      );
      again.close();
    } finally {
      npm.kill('SIGKILL');
    }
  }, 60_000);
});

/** The server's entry as `npm start` runs it, to its end. */
const server = (env: Record<string, string>) =>
  runNode(['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, TRAILHOUND_COMPACT: 'off', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
  });

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('npm start refuses what it cannot start with', () => {
  it('a setting that is wrong: the message alone, exit 2', async () => {
    const results = await mkdtemp(path.join(tmpdir(), 'trailhound-start-'));
    for (const [env, said] of [
      [{ PORT: 'abc' }, /PORT: /],
      [{ TRAILHOUND_MAX_QUEUED: '-1' }, /TRAILHOUND_MAX_QUEUED: /],
      [{ TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: 'https://hooks.example.com' }, /TRAILHOUND_NOTIFY_SECRET/],
    ] as const) {
      const run = await server({ ...env, TRAILHOUND_RESULTS_DIR: results });
      expect(run.code, JSON.stringify(env)).toBe(2);
      expect(run.stderr, JSON.stringify(env)).toMatch(said);
      expect(run.stderr.startsWith('trailhound: ')).toBe(true);
      noStack(run.stderr);
    }
  }, 60_000);

  it('a logs directory that is not there, naming it', async () => {
    const run = await server({ TRAILHOUND_LOGS_DIR: '/nonexistent/cloudtrail' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TRAILHOUND_LOGS_DIR is /nonexistent/cloudtrail, which is not a directory');
    noStack(run.stderr);
  }, 30_000);

  it('a port that is taken: one line saying so and how to choose another, exit 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const results = await mkdtemp(path.join(tmpdir(), 'trailhound-start-'));
      const run = await server({ PORT: String(port), TRAILHOUND_RESULTS_DIR: results });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(
        `trailhound: port ${port} on 127.0.0.1 is taken (another trailhound, or another program): stop it, or choose another port, e.g. PORT=${port + 1} npm start`,
      );
    } finally {
      taken.close();
    }
  }, 30_000);

  it("a results directory a running server owns: refused, and that server's executions untouched", async () => {
    const port = await freePort();
    const results = await mkdtemp(path.join(tmpdir(), 'trailhound-start-'));
    const first = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), TRAILHOUND_RESULTS_DIR: results, TRAILHOUND_COMPACT: 'off' },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      expect(await waitFor(async () => (await answers(`${base}/health`)) === 200, 30_000)).toBe(true);
      const started = await call(base, 'POST', '/v1/executions', {
        query: 'sweep',
        parameters: {},
        from: '2023-07-10T00:00:00Z',
        to: '2023-07-11T00:00:00Z',
      });
      const second = await server({ PORT: String(await freePort()), TRAILHOUND_RESULTS_DIR: results });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`belongs to another trailhound server (process ${first.pid})`);
      noStack(second.stderr);
      // The first server's execution goes on to its end, as if nothing had happened.
      let state = 'QUEUED';
      await waitFor(async () => {
        state = (await call(base, 'GET', `/v1/executions/${started.body.executionId}`)).body.state;
        return state === 'SUCCEEDED' || state === 'FAILED';
      }, 30_000);
      expect(state).toBe('SUCCEEDED');
    } finally {
      first.kill('SIGTERM');
    }
  }, 90_000);
});
