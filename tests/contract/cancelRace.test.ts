/**
 * Hundreds of submits with cancels landing at every moment of their lives, several rounds: no
 * 500, the server alive, every execution ended once the queue drains, no temporary file left.
 * (An audit saw this crash the server: a cancel and the run's start wrote one temporary file.)
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbConfig } from '../../src/lib/config.js';
import { call } from '../helpers/apiClient.js';
import { DATA_DIR } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY } from '../helpers/queryHarness.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(
    await duckDbTestRuntime(path.join(DATA_DIR, 'invictus-attack-simulation'), {
      TRAILHOUND_MAX_QUEUED: '1000',
      TRAILHOUND_MAX_CONCURRENT: '2',
    }),
  );
});
afterAll(async () => server.close());

const ROUNDS = 3;
const SUBMITS = 200;
const [from, to] = INVICTUS_DAY;

/** Runs `tasks` with at most `limit` in flight. */
const inParallel = async <T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> => {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let i = next++; i < tasks.length; i = next++) results[i] = await (tasks[i] as () => Promise<T>)();
    }),
  );
  return results;
};

describe('cancels racing submits', () => {
  it('never answers 500, and leaves every execution ended and no temporary file', async () => {
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const submitted = await inParallel(
        16,
        Array.from({ length: SUBMITS }, (_, i) => async () => {
          const response = await call(server.baseUrl, 'POST', '/v1/executions', {
            query: i % 2 ? 'principal-activity' : 'mentions',
            parameters: i % 2 ? { userName: 'bert-jan' } : { text: 'malicious' },
            from,
            to,
          });
          statuses.push(response.status);
          return response.body.executionId as string;
        }),
      );
      ids.push(...submitted);
      const cancels = await inParallel(
        8,
        submitted.map(
          (id) => async () => (await call(server.baseUrl, 'DELETE', `/v1/executions/${id}`)).status,
        ),
      );
      statuses.push(...cancels);
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([...statuses].filter((s) => [200, 202, 409].includes(s))));
    // The queue drains: every execution ends, and none more than once.
    for (let i = 0; i < 600; i += 1) {
      const states = await Promise.all(
        ids
          .slice(-SUBMITS)
          .map(async (id) => (await call(server.baseUrl, 'GET', `/v1/executions/${id}`)).body.state),
      );
      if (states.every((s) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(s))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const final = await inParallel(
      16,
      ids.map(
        (id) => async () => (await call(server.baseUrl, 'GET', `/v1/executions/${id}`)).body.state as string,
      ),
    );
    expect(final.filter((s) => !['SUCCEEDED', 'CANCELLED'].includes(s))).toEqual([]);
    expect(final.filter((s) => s === 'CANCELLED').length).toBeGreaterThan(ROUNDS * SUBMITS * 0.5);
    expect((await call(server.baseUrl, 'GET', '/health')).status).toBe(200);
    const resultsDir = (server.runtime.config as DuckDbConfig).TRAILHOUND_RESULTS_DIR;
    expect((await readdir(resultsDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 300_000);
});
