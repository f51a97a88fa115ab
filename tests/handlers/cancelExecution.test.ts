/** DELETE /v1/executions/{executionId}: the engine cancels, the execution as it now is is the answer. */
import { describe, expect, it } from 'vitest';
import { cancelExecution } from '../../src/handlers/cancelExecution.js';
import type { Execution } from '../../src/lib/engines/queryEngine.js';
import { ExecutionStateError } from '../../src/lib/errors.js';
import { callRoute, FIXTURE_PRINCIPAL, recordingEngine } from '../helpers/routeHarness.js';

const ID = '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11';
const CANCELLED: Execution = {
  executionId: ID,
  query: 'events',
  state: 'CANCELLED',
  submittedAt: '2026-01-01T00:00:00.000Z',
  completedAt: '2026-01-01T00:00:01.000Z',
  statistics: { bytesScanned: 0, engineMs: 12 },
};

describe('DELETE /v1/executions/{executionId}', () => {
  it('cancels for the signing principal and answers the cancelled execution', async () => {
    const { engine, calls } = recordingEngine({ cancel: async () => CANCELLED });
    const answer = await callRoute(cancelExecution, { path: { executionId: ID } }, { engine });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(CANCELLED);
    expect(calls).toEqual([
      { method: 'cancel', args: [ID, { principal: FIXTURE_PRINCIPAL, auditor: false }] },
    ]);
  });

  it('answers 409 with the state when the execution already ended', async () => {
    const { engine } = recordingEngine({
      cancel: async () => {
        throw new ExecutionStateError('the execution already ended (SUCCEEDED)', 'SUCCEEDED');
      },
    });
    const answer = await callRoute(cancelExecution, { path: { executionId: ID } }, { engine });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ status: 409, title: 'Conflict', state: 'SUCCEEDED' });
  });
});
