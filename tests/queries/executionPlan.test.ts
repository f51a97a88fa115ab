import { describe, expect, it } from 'vitest';
import { UnknownQueryError } from '../../src/lib/errors.js';
import { readStatementHeader } from '../../src/lib/sql/statementHeader.js';
import { planExecution } from '../../src/queries/executionPlan.js';

const limits = { TRAILHOUND_MAX_WINDOW_DAYS: 366, TRAILHOUND_LINK_TTL_SECONDS: 900 };
const body = {
  query: 'security-group-ingress',
  parameters: { groupId: 'sg-04cfb7a4712d75b00', port: 22 },
  from: '2023-07-10T00:00:00Z',
  to: '2023-07-11T00:00:00Z',
};

describe('planExecution', () => {
  it('turns a valid body into the query, its window and a statement whose header names them', () => {
    const planned = planExecution(body, limits);
    if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
    expect(planned.plan.query.name).toBe('security-group-ingress');
    expect(planned.plan.window).toMatchObject({ firstDay: '2023/07/10', lastDay: '2023/07/11' });
    expect(readStatementHeader(planned.plan.statement.sql)).toEqual({
      query: 'security-group-ingress',
      from: '2023-07-10T00:00:00Z',
      to: '2023-07-11T00:00:00Z',
    });
    expect(planned.plan.statement.parameters.slice(4)).toEqual(['sg-04cfb7a4712d75b00', '', '22', 'world']);
  });

  it('reports problems of the parameters and of the window together, each under #/body', () => {
    const planned = planExecution(
      { ...body, parameters: { groupId: 'sg-1', port: 0 }, from: '2023-07-11T00:00:00Z' },
      limits,
    );
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.problems.map((p) => p.pointer)).toEqual([
      '#/body/parameters/groupId',
      '#/body/parameters/port',
      '#/body/to',
    ]);
  });

  it('reports an unknown field or a malformed date before looking the query up', () => {
    const planned = planExecution({ ...body, query: 'no-such-query', from: 'yesterday', extra: 1 }, limits);
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.problems.map((p) => p.pointer).sort()).toEqual(['#/body', '#/body/from']);
  });

  it('throws UnknownQueryError, naming the known queries, for a well-formed body', () => {
    expect(() => planExecution({ ...body, query: 'no-such-query' }, limits)).toThrow(UnknownQueryError);
    expect(() => planExecution({ ...body, query: 'no-such-query' }, limits)).toThrow(/principal-activity/);
  });

  it('says that a missing `to` defaulted to now when the window is too long', () => {
    const { to: _to, ...open } = body;
    const planned = planExecution(open, limits, { now: Date.parse('2026-11-27T12:00:00Z') });
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.problems).toEqual([
      {
        pointer: '#/body/to',
        detail:
          'the window is at most 366 days (TRAILHOUND_MAX_WINDOW_DAYS); `to` was not given, so it is now (2026-11-27T12:00:00Z); narrow from/to',
      },
    ]);
  });
});
