import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from '../../../helpers/testServer.js';

// The logger takes its level when it is created, and goes back to it after each invocation:
// this file's modules are loaded after setting it (each test file has its own module graph).
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
const { call } = await import('../../../helpers/apiClient.js');
const { DATA_DIR } = await import('../../../helpers/cloudtrailData.js');
const { duckDbTestRuntime, startTestServer } = await import('../../../helpers/testServer.js');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(await duckDbTestRuntime(path.join(DATA_DIR, 'invictus-attack-simulation')));
});
afterAll(async () => {
  await server.close();
});

const captureLogs = async (action: () => Promise<unknown>) => {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await action();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
};

describe('request logs', () => {
  it('one JSON line per request with route, status, query, execution and bytes, never parameter values', async () => {
    const secret = 'secret.user-4711';
    let executionId = '';
    const logs = await captureLogs(async () => {
      const response = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', {
        query: 'principal-activity',
        parameters: { userName: secret },
        from: '2023-07-10T00:00:00Z',
        to: '2023-07-11T00:00:00Z',
      });
      executionId = response.body.executionId;
      await call(server.baseUrl, 'GET', `/v1/executions/${executionId}`);
    });
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({
      level: 'INFO',
      message: 'request',
      service: 'trailhound',
      route: 'POST /v1/executions',
      status: 200,
      query: 'principal-activity',
      executionId,
      bytesScanned: 337195,
      requestId: expect.any(String),
      durationMs: expect.any(Number),
    });
    expect(logs[1]).toMatchObject({ route: 'GET /v1/executions/{executionId}', executionId, status: 200 });
    expect(JSON.stringify(logs)).not.toContain(secret);
  });

  it('logs a failed request with its status and without its body', async () => {
    const logs = await captureLogs(() =>
      call(server.baseUrl, 'POST', '/v1/executions', {
        query: 'mentions',
        parameters: { text: 'x' },
        from: 'nope',
      }),
    );
    expect(logs).toEqual([expect.objectContaining({ route: 'POST /v1/executions', status: 400 })]);
    // Keys appended by an earlier request do not leak into this one.
    expect(logs[0]).not.toHaveProperty('executionId');
    expect(logs[0]).not.toHaveProperty('query');
    expect(JSON.stringify(logs)).not.toContain('nope');
  });
});
