/**
 * The local server under what an audit found it did not withstand: submits and retries that are
 * truly in flight together (200 sockets of one process), a connection that sends nothing, and the
 * CORS headers of the answers the server makes itself (no route, a refused download link).
 */
import { Agent, request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { createLocalServer, IDLE_TIMEOUT_MS } from '../../src/local/localServer.js';
import { API_ROUTES } from '../../src/routes.js';
import { call } from '../helpers/apiClient.js';
import { INVICTUS_DAY } from '../helpers/queryHarness.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const [from, to] = INVICTUS_DAY;
/** A sweep of the sample's day: long enough (hundreds of ms) that a burst lands while it runs. */
const slow = { query: 'sweep', parameters: {}, from, to };
/** A socket of its own for every request of a burst: all of them in flight at once. */
const everySocket = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

const post = (base: string, body: unknown, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: { executionId?: string } }>((resolve, reject) => {
    const text = JSON.stringify(body);
    const outgoing = request(
      `${base}/v1/executions`,
      { method: 'POST', agent: everySocket, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(text);
  });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(
    await duckDbTestRuntime(SAMPLE_LOGS_DIR, {
      TRAILHOUND_MAX_CONCURRENT: '1',
      TRAILHOUND_MAX_QUEUED: '10',
      TRAILHOUND_CORS_ORIGINS: 'http://localhost:5173',
    }),
  );
});
afterAll(async () => {
  await server.close();
  await server.runtime.close?.();
  everySocket.destroy();
});

describe('submits in flight together', () => {
  it('hold the queue bound: of 200 simultaneous starts, one runs, ten wait, the rest are 429', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => post(server.baseUrl, slow)));
    const accepted = answers.filter((a) => a.status === 202 || a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429).length;
    expect(accepted + refused).toBe(200);
    // One running and ten queued at most at any moment; one more if the first ended mid-burst.
    expect(accepted).toBeGreaterThanOrEqual(11);
    expect(accepted).toBeLessThanOrEqual(12);
    // Let them end before the next test.
    for (const a of answers.filter((x) => x.body.executionId)) {
      let state = '';
      while (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state)) {
        state = (await call(server.baseUrl, 'GET', `/v1/executions/${a.body.executionId}`)).body.state;
        if (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state))
          await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 120_000);

  it('start one execution for twenty simultaneous retries of one Idempotency-Key', async () => {
    const key = `incident-4711-retry-${Date.now()}-abcdefghijklmnop`;
    const body = { ...slow, label: 'INC-4711' };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(server.baseUrl, body, { 'idempotency-key': key })),
    );
    expect(answers.map((a) => a.status).filter((s) => s >= 400)).toEqual([]);
    expect(new Set(answers.map((a) => a.body.executionId)).size).toBe(1);
    const listed = await call(server.baseUrl, 'GET', '/v1/executions?label=INC-4711');
    expect(listed.body.executions).toHaveLength(1);
  }, 60_000);
});

describe('connections', () => {
  it('closes a connection that sends nothing, after the idle time (60 s by default)', async () => {
    const local = createLocalServer({ runtime: server.runtime, routes: API_ROUTES, idleTimeoutMs: 1000 });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = local.address() as AddressInfo;
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('close', () => resolve(Date.now() - started));
        socket.on('error', () => undefined);
      });
      expect(closedAfter).toBeGreaterThanOrEqual(900);
      expect(closedAfter).toBeLessThan(5000);
    } finally {
      local.closeAllConnections();
      await new Promise((resolve) => local.close(resolve));
    }
    expect(IDLE_TIMEOUT_MS).toBe(60_000);
    const defaults = createLocalServer({ runtime: server.runtime, routes: API_ROUTES });
    expect(defaults.timeout).toBe(60_000);
    expect(defaults.headersTimeout).toBeLessThanOrEqual(60_000);
  });
});

describe('CORS on what the server answers itself', () => {
  const origin = { origin: 'http://localhost:5173' };

  it('names a listed origin on a 404 for no route, and on a refused download link', async () => {
    const missing = await call(server.baseUrl, 'GET', '/v1/nothing-here', undefined, origin);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const run = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', {
      query: 'kms-key-deletion',
      parameters: {},
      from,
      to,
    });
    const link = await call(
      server.baseUrl,
      'GET',
      `/v1/executions/${run.body.executionId}/csv`,
      undefined,
      origin,
    );
    const tampered = new URL(link.body.url);
    tampered.searchParams.set('signature', 'x'.repeat(43));
    const refused = await call(
      server.baseUrl,
      'GET',
      `${tampered.pathname}${tampered.search}`,
      undefined,
      origin,
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    // An origin not listed still gets none.
    const other = await call(server.baseUrl, 'GET', '/v1/nothing-here', undefined, {
      origin: 'https://evil.example',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(path.basename(tampered.pathname)).toBe(run.body.executionId);
  });
});
