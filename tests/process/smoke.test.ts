/**
 * `trailhound smoke`, run as a user runs it after a deploy (a child process through
 * bin/trailhound.mjs): against a real local server over the bundled sample every check passes;
 * against a server that answers garbage, nothing, or is not there, each check fails with a line
 * saying why, nothing else, and the exit code is 1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { call } from '../helpers/apiClient.js';
import { type NodeRun, runNode } from '../helpers/runNode.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/trailhound.mjs');
const CHECKS = ['health', 'catalog', 'openapi', 'dry run', 'execution', 'first page', 'csv link', 'cancel'];

const smoke = (endpoint: string, ...args: string[]): Promise<NodeRun> =>
  runNode([BIN, 'smoke', '--endpoint', endpoint, ...args], { env: { ...process.env } });

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** The line of each check, by its name. */
const linesOf = (run: NodeRun) =>
  new Map(
    run.stdout
      .split('\n')
      .map((line) => /^(ok|FAIL|SKIP) {2,4}(.{11}) {2}(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [(m[2] as string).trim(), { outcome: m[1] as string, rest: m[3] as string }]),
  );

let server: TestServer;
let garbage: Server;
let silent: Server;
const servers: Server[] = [];

beforeAll(async () => {
  server = await startTestServer(await duckDbTestRuntime(SAMPLE_LOGS_DIR));
  garbage = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"hello": "world"}');
  });
  // Takes the connection, reads the request, never answers.
  silent = createServer(() => {});
  servers.push(garbage, silent);
});

afterAll(async () => {
  await server?.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('trailhound smoke', () => {
  it('passes every check against a working API, a line each with its time, and exits 0', async () => {
    const run = await smoke(server.baseUrl);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = linesOf(run);
    expect([...lines.keys()]).toEqual(CHECKS);
    for (const [name, line] of lines) {
      expect(line.outcome, name).toBe('ok');
      expect(line.rest, name).toMatch(/^ *\d+ ms {2}\S/);
    }
    expect(lines.get('health')?.rest).toContain('engine duckdb');
    expect(lines.get('catalog')?.rest).toContain('17 queries');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('all 8 checks passed');
    // The two executions it made are the API's own, labelled as the smoke test's.
    const listed = await call(server.baseUrl, 'GET', '/v1/executions?label=trailhound-smoke');
    const states = (listed.body as { executions: { state: string }[] }).executions.map((e) => e.state).sort();
    expect(states).toHaveLength(2);
    expect(states).toContain('SUCCEEDED');
  });

  it('fails every check, each saying what was wrong, against a server that answers garbage', async () => {
    const run = await smoke(await listen(garbage));
    expect(run.code).toBe(1);
    const lines = linesOf(run);
    expect([...lines.keys()]).toEqual(CHECKS);
    for (const [name, line] of lines) expect(line.outcome, name).toBe('FAIL');
    expect(lines.get('health')?.rest).toMatch(/GET \/health is not trailhound's answer \(status: /);
    expect(lines.get('first page')?.rest).toMatch(/no execution to read/);
    expect(run.stdout).toContain('8 of 8 checks failed');
    // One line a check, no stack trace.
    expect(run.stdout).not.toMatch(/^\s+at /m);
    expect(run.stderr).toBe('');
  });

  it('gives up on a server that does not answer after the timeout, skipping the rest', async () => {
    const started = Date.now();
    const run = await smoke(await listen(silent), '--timeout', '1');
    expect(run.code).toBe(1);
    const lines = linesOf(run);
    expect(lines.get('health')).toMatchObject({
      outcome: 'FAIL',
      rest: expect.stringContaining('no answer within 1 s'),
    });
    for (const name of CHECKS.slice(1)) expect(lines.get(name)?.outcome, name).toBe('SKIP');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('says the endpoint cannot be reached when nothing listens there', async () => {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const run = await smoke(url);
    expect(run.code).toBe(1);
    expect(linesOf(run).get('health')).toMatchObject({
      outcome: 'FAIL',
      rest: expect.stringContaining('ECONNREFUSED'),
    });
    expect(run.stdout).toContain('8 of 8 checks failed');
  });

  it('refuses a timeout that is not whole seconds, with its usage and exit 2', async () => {
    const run = await smoke(server.baseUrl, '--timeout', 'soon');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--timeout takes whole seconds, 1 to 999, not 'soon'");
    expect(run.stderr).toContain('Usage: trailhound smoke');
  });
});
