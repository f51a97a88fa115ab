/** GET /v1/executions: the filter and page asked, passed to the engine as they were validated. */
import { describe, expect, it } from 'vitest';
import { listExecutions } from '../../src/handlers/listExecutions.js';
import { PageTokenError } from '../../src/lib/errors.js';
import { callRoute, FIXTURE_PRINCIPAL, recordingEngine } from '../helpers/routeHarness.js';

const CALLER = { principal: FIXTURE_PRINCIPAL, auditor: false };

describe('GET /v1/executions', () => {
  it('lists 20 of every execution by default, and answers what the engine listed', async () => {
    const { engine, calls } = recordingEngine({ list: async () => ({ executions: [], nextToken: 'next' }) });
    const answer = await callRoute(listExecutions, {}, { engine });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ executions: [], nextToken: 'next' });
    expect(calls).toEqual([{ method: 'list', args: [{}, { limit: 20 }, CALLER] }]);
  });

  it('passes the label, query and state as the filter, and limit and nextToken as the page', async () => {
    const { engine, calls } = recordingEngine({ list: async () => ({ executions: [] }) });
    await callRoute(
      listExecutions,
      { query: { label: 'case-4711', query: 'events', state: 'FAILED', limit: '100', nextToken: 'abc' } },
      { engine },
    );
    expect(calls[0]?.args).toEqual([
      { label: 'case-4711', query: 'events', state: 'FAILED' },
      { limit: 100, nextToken: 'abc' },
      CALLER,
    ]);
  });

  it('refuses a limit over 100, an unknown state and an unknown parameter, each named, before the engine', async () => {
    const { engine, calls } = recordingEngine({});
    const answer = await callRoute(
      listExecutions,
      { query: { limit: '101', state: 'DONE', colour: 'red' } },
      { engine },
    );
    expect(answer.status).toBe(400);
    const pointers = (answer.body.errors as { pointer: string }[]).map((e) => e.pointer).sort();
    expect(pointers).toEqual(['#/query', '#/query/limit', '#/query/state']);
    expect(calls).toEqual([]);
  });

  it('answers 400 on nextToken for a token the engine did not hand out', async () => {
    const { engine } = recordingEngine({
      list: async () => {
        throw new PageTokenError('this listing');
      },
    });
    const answer = await callRoute(listExecutions, { query: { nextToken: 'forged' } }, { engine });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        pointer: '#/query/nextToken',
        detail: 'not a nextToken of this listing; pass it back exactly as received',
      },
    ]);
  });
});
