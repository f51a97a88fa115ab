/**
 * POST /v1/executions?wait=N on an engine that learns of an end itself (the embedded engine's
 * untilEnded): the request waits for the end, then looks once, rather than looking again and
 * again with pauses between.
 */
import { describe, expect, it } from 'vitest';
import { startExecution } from '../../src/handlers/startExecution.js';
import type { Execution } from '../../src/lib/engines/queryEngine.js';
import { callRoute, recordingEngine } from '../helpers/routeHarness.js';

const ID = '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f12';
const running: Execution = {
  executionId: ID,
  query: 'mentions',
  state: 'RUNNING',
  submittedAt: '2026-01-01T00:00:00.000Z',
  window: { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' },
  statistics: { bytesScanned: 0, engineMs: 0 },
};
const succeeded: Execution = {
  ...running,
  state: 'SUCCEEDED',
  completedAt: '2026-01-01T00:00:01.000Z',
  statistics: { bytesScanned: 1000, engineMs: 800 },
};
const ask = {
  query: 'mentions',
  parameters: { text: 'bert-jan' },
  from: '2023-07-10T00:00:00Z',
  to: '2023-07-11T00:00:00Z',
};

describe('POST /v1/executions?wait=N, on an engine that says when an execution ends', () => {
  it('answers when the engine says the execution ended, after one look', async () => {
    let ended = false;
    const { engine, calls } = recordingEngine({
      start: async () => ({ executionId: ID }),
      get: async () => (ended ? succeeded : running),
      untilEnded: async () => {
        // Ends 300 ms after the wait begins: a poll would have looked at 25, 75 and 175 ms.
        await new Promise((resolve) => setTimeout(resolve, 300));
        ended = true;
        return true;
      },
      getResults: async () => ({ columns: [], rows: [] }),
    });
    const answer = await callRoute(startExecution, { query: { wait: '10' }, body: ask }, { engine });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ executionId: ID, state: 'SUCCEEDED', results: { rows: [] } });
    expect(calls.map((c) => c.method)).toEqual(['start', 'get', 'untilEnded', 'get', 'getResults']);
    const [, ms] = calls[2]?.args ?? [];
    expect(calls[2]?.args[0]).toBe(ID);
    expect(ms).toBeGreaterThan(9000);
    expect(ms).toBeLessThanOrEqual(10_000);
  });

  it('looks again after a pause when the engine does not run the execution itself', async () => {
    let looks = 0;
    const { engine, calls } = recordingEngine({
      start: async () => ({ executionId: ID }),
      get: async () => {
        looks += 1;
        return looks >= 3 ? succeeded : running;
      },
      untilEnded: async () => false,
      getResults: async () => ({ columns: [], rows: [] }),
    });
    const answer = await callRoute(startExecution, { query: { wait: '10' }, body: ask }, { engine });
    expect(answer.body).toMatchObject({ state: 'SUCCEEDED' });
    expect(calls.map((c) => c.method)).toEqual([
      'start',
      'get',
      'untilEnded',
      'get',
      'untilEnded',
      'get',
      'getResults',
    ]);
  });
});
