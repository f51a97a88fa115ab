/**
 * `npm start` as a user runs it: the server answers, and a signal to the npm process (what a
 * terminal, a process manager or `kill` sends) stops the server and frees its port.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
