/**
 * A callback whose receiver is down when the execution ends is retried; a server stopped
 * (SIGTERM, as a deploy or a reboot stops it) while it waits for the next try delivers it once
 * started again, with the same delivery id, and forgets it once delivered. Its links are absolute,
 * on the address the server listens on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/apiClient.js';
import { type CallbackReceiver, startCallbackReceiver } from '../helpers/callbackReceiver.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'the-callback-secret-of-this-test-0123456789';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const waitFor = async (condition: () => boolean | Promise<boolean>, ms: number) => {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
};

let receiver: CallbackReceiver;
let resultsDir: string;
const running: ChildProcess[] = [];

const startServer = async (port: number) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      TRAILHOUND_RESULTS_DIR: resultsDir,
      TRAILHOUND_COMPACT: 'off',
      TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: receiver.origin,
      TRAILHOUND_NOTIFY_SECRET: SECRET,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    stdio: 'ignore',
  });
  running.push(child);
  const base = `http://127.0.0.1:${port}`;
  const up = await waitFor(
    async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200,
    30_000,
  );
  expect(up).toBe(true);
  return { child, base };
};

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

beforeAll(async () => {
  receiver = await startCallbackReceiver(503);
  resultsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-callbacks-'));
});
afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await receiver.close();
});

describe('a callback cut short by a restart', () => {
  it('is delivered by the next server, with the same delivery id, then forgotten', async () => {
    const port = await freePort();
    const first = await startServer(port);
    const started = await call(first.base, 'POST', '/v1/executions?wait=20', {
      query: 'kms-key-deletion',
      parameters: {},
      from: '2023-07-10T00:00:00Z',
      to: '2023-07-11T00:00:00Z',
      notify: { url: `${receiver.origin}/hooks/INC-9` },
    });
    expect(started.body.state).toBe('SUCCEEDED');
    // Down: the first two tries fail (503), then the server is stopped while it waits 4 s more.
    expect(await waitFor(() => receiver.received.length >= 2, 10_000)).toBe(true);
    await stop(first.child);
    const tries = receiver.received.length;
    const pending = path.join(resultsDir, 'callbacks', `${started.body.executionId}.json`);
    expect(existsSync(pending)).toBe(true);

    receiver.answers = [204];
    const second = await startServer(port);
    expect(await waitFor(() => receiver.received.length > tries, 15_000)).toBe(true);
    const ids = new Set(receiver.received.map((r) => r.headers['trailhound-delivery']));
    expect(ids).toEqual(new Set([`${started.body.executionId}:SUCCEEDED`]));
    // No TRAILHOUND_PUBLIC_URL: the links are absolute on the address the server listens on.
    const links = JSON.parse(receiver.received.at(-1)?.body ?? '{}').links;
    expect(links.execution).toBe(`http://127.0.0.1:${port}/v1/executions/${started.body.executionId}`);
    expect(await waitFor(() => !existsSync(pending), 5000)).toBe(true);
    expect(await readdir(path.join(resultsDir, 'callbacks'))).toEqual([]);
    await stop(second.child);
  }, 90_000);
});
