/**
 * The command line against an endpoint that does not answer as the API does: a body that is not
 * JSON, `null`, one trickled slower than the timeout, one larger than any answer, and a Retry-After
 * of 0 on an execution that never ends. Each is one line on stderr and exit 5 (never a stack, never
 * memory without bound), and the polling keeps to one look every 250 ms at most.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/runNode.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/trailhound.mjs');
const ID = '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const serve = async (answer: (request: IncomingMessage, response: ServerResponse) => void) => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const trailhound = (endpoint: string, ...args: string[]) =>
  runNode([BIN, ...args, '--endpoint', endpoint], { env: { ...process.env } });

const oneLine = (stderr: string) => {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('unexpected error');
  expect(stderr.trim().split('\n')).toHaveLength(1);
};

describe('trailhound against a hostile endpoint', () => {
  it.each([
    ['a body that is not JSON', 'this is not json'],
    ['null', 'null'],
    ['an execution without its fields', '{"executionId": 7}'],
  ])("says the answer is not the API's (%s), exit 5", async (_case, body) => {
    const endpoint = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
    for (const args of [['status', ID], ['results', ID], ['queries']]) {
      const run = await trailhound(endpoint, ...args);
      expect(run.code, args.join(' ')).toBe(5);
      expect(run.stderr).toContain("something that is not the API's answer");
      oneLine(run.stderr);
    }
  });

  it('gives up on a body trickled slower than --timeout, exit 5', async () => {
    const endpoint = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"executionId": "');
      const drip = setInterval(() => response.write('x'), 500);
      response.on('close', () => clearInterval(drip));
    });
    const started = Date.now();
    const run = await trailhound(endpoint, 'status', ID, '--timeout', '2');
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('no answer within 2 s');
    oneLine(run.stderr);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('refuses a body larger than any answer as it arrives, exit 5', async () => {
    const endpoint = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 200 && response.write(chunk)) sent += 1;
        if (sent < 200) response.once('drain', more);
        else response.end();
      };
      more();
    });
    const run = await trailhound(endpoint, 'status', ID);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('answered more than 32 MiB');
    oneLine(run.stderr);
  });

  it('polls no faster than every 250 ms when Retry-After says 0', async () => {
    let looks = 0;
    const endpoint = await serve((_request, response) => {
      looks += 1;
      response.writeHead(200, { 'content-type': 'application/json', 'retry-after': '0' });
      response.end(
        JSON.stringify({
          executionId: ID,
          query: 'mentions',
          state: 'RUNNING',
          submittedAt: '2026-12-01T00:00:00Z',
          statistics: { bytesScanned: 0, engineMs: 0 },
        }),
      );
    });
    const child = spawn(process.execPath, [BIN, 'results', ID, '--endpoint', endpoint], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    child.kill('SIGKILL');
    // Three seconds at one look every 250 ms at most (the start of the process takes some of them).
    expect(looks).toBeGreaterThan(1);
    expect(looks).toBeLessThanOrEqual(13);
  });
});
