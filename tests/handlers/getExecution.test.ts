/** GET /v1/executions/{executionId}: the engine's execution as it is, asked for the signing caller. */
import { describe, expect, it } from 'vitest';
import { getExecution } from '../../src/handlers/getExecution.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import type { Execution } from '../../src/lib/engines/queryEngine.js';
import { ExecutionNotFoundError } from '../../src/lib/errors.js';
import { callRoute, FIXTURE_PRINCIPAL, recordingEngine } from '../helpers/routeHarness.js';

const ID = '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11';
const EXECUTION: Execution = {
  executionId: ID,
  query: 'principal-activity',
  label: 'case-4711',
  state: 'SUCCEEDED',
  submittedAt: '2026-01-01T00:00:00.000Z',
  completedAt: '2026-01-01T00:00:03.000Z',
  window: { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' },
  statistics: { bytesScanned: 176351, engineMs: 2900 },
};

describe('GET /v1/executions/{executionId}', () => {
  it("answers the engine's execution unchanged, asked for the principal that signed the request", async () => {
    const { engine, calls } = recordingEngine({ get: async () => EXECUTION });
    const answer = await callRoute(getExecution, { path: { executionId: ID } }, { engine });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(EXECUTION);
    expect(calls).toEqual([{ method: 'get', args: [ID, { principal: FIXTURE_PRINCIPAL, auditor: false }] }]);
  });

  it('asks as an auditor for a principal the configuration lists as one', async () => {
    const { engine, calls } = recordingEngine({ get: async () => EXECUTION });
    const config = loadAthenaConfig({ TRAILHOUND_AUDITORS: FIXTURE_PRINCIPAL });
    await callRoute(getExecution, { path: { executionId: ID } }, { config, engine });
    expect(calls[0]?.args[1]).toEqual({ principal: FIXTURE_PRINCIPAL, auditor: true });
  });

  it('answers 404 problem+json for an execution the engine does not know (or not for this caller)', async () => {
    const { engine } = recordingEngine({
      get: async (id) => {
        throw new ExecutionNotFoundError(id);
      },
    });
    const answer = await callRoute(getExecution, { path: { executionId: ID } }, { engine });
    expect(answer.status).toBe(404);
    expect(answer.headers['Content-Type']).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 404, title: 'Not found' });
    expect(answer.body.detail).toContain(ID);
  });
});
