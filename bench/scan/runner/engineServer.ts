/**
 * Starts the real local server (src/server.ts) as a child process over the generated trail, on a
 * free port and a throw-away results directory, with an engine side's extra environment; waits
 * for GET /health; reads its peak resident memory (VmHWM) from /proc; stops it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../generator/sourceRecords.js';
import { peakRssTracker } from './procStatus.js';

export interface RunningServer {
  readonly baseUrl: string;
  readonly pid: number;
  /** Peak resident set so far, KiB, or undefined where /proc is not readable. */
  peakRssKb(): number | undefined;
  stop(): Promise<void>;
}

/** The server has no PORT=0, so ask the OS for a free port and hand it over. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

const waitForHealth = async (baseUrl: string, child: ChildProcess, log: () => string) => {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode} at start:\n${log()}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer /health within 120 s:\n${log()}`);
};

export const startServer = async (
  trailDir: string,
  env: Readonly<Record<string, string>>,
): Promise<RunningServer> => {
  const port = await freePort();
  const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'trailhound-scan-results-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      TRAILHOUND_LOGS_DIR: trailDir,
      TRAILHOUND_RESULTS_DIR: resultsDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep the tail of its output for error messages, without letting the pipes fill up.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? -1;
  const peakRssKb = peakRssTracker(pid);
  await waitForHealth(baseUrl, child, () => output);
  return {
    baseUrl,
    pid,
    peakRssKb,
    stop: async () => {
      peakRssKb();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(resultsDir, { recursive: true, force: true });
    },
  };
};
