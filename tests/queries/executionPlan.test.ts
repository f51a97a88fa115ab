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

  it('says that a missing `from` is required, and what it must be', () => {
    const planned = planExecution({ query: 'events', parameters: {} }, { TRAILHOUND_MAX_WINDOW_DAYS: 366 });
    expect(planned).toEqual({
      ok: false,
      problems: [
        {
          pointer: '#/body/from',
          detail: 'required: the start of the window, an ISO 8601 date-time such as 2023-07-10T00:00:00Z',
        },
      ],
    });
  });

  it("says the parameters' problems beside a missing `from`, in one answer", () => {
    const planned = planExecution(
      { query: 'sweep', parameters: { minSeverity: 'extreme' } },
      { TRAILHOUND_MAX_WINDOW_DAYS: 366 },
    );
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.problems.map((p) => p.pointer)).toEqual(['#/body/parameters/minSeverity', '#/body/from']);
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

  describe('budgets', () => {
    const budgetOf = (extra: Record<string, unknown>, deployment: Record<string, number> = {}) => {
      const planned = planExecution({ ...body, ...extra }, { ...limits, ...deployment });
      return planned.ok ? planned.plan.budget : planned.problems;
    };
    const GiB = 2 ** 30;

    it("is the request's, else the deployment's default, else none", () => {
      expect(budgetOf({})).toBeUndefined();
      expect(budgetOf({}, { TRAILHOUND_MAX_BYTES_SCANNED: GiB })).toBe(GiB);
      expect(budgetOf({ maxBytesScanned: 5_000_000 }, { TRAILHOUND_MAX_BYTES_SCANNED: GiB })).toBe(5_000_000);
      // The scan cutoff alone is no budget: Athena enforces it, and a start estimates against it.
      expect(budgetOf({}, { TRAILHOUND_SCAN_CUTOFF_BYTES: 10 * GiB })).toBeUndefined();
    });

    it("never exceeds the workgroup's cutoff: a default above it is lowered, a request above it refused", () => {
      const cutoff = { TRAILHOUND_SCAN_CUTOFF_BYTES: 10 * GiB };
      expect(budgetOf({}, { ...cutoff, TRAILHOUND_MAX_BYTES_SCANNED: 20 * GiB })).toBe(10 * GiB);
      expect(budgetOf({ maxBytesScanned: 10 * GiB }, cutoff)).toBe(10 * GiB);
      expect(budgetOf({ maxBytesScanned: 10 * GiB + 1 }, cutoff)).toEqual([
        {
          pointer: '#/body/maxBytesScanned',
          detail: `at most the workgroup's scan cutoff, ${10 * GiB} bytes`,
        },
      ]);
    });

    it('takes a positive whole number of bytes, and dryRun as a boolean', () => {
      for (const bad of [0, -1, 1.5, '100'])
        expect(budgetOf({ maxBytesScanned: bad })).toEqual([
          expect.objectContaining({ pointer: '#/body/maxBytesScanned' }),
        ]);
      expect(budgetOf({ dryRun: 'yes' })).toEqual([expect.objectContaining({ pointer: '#/body/dryRun' })]);
    });
  });

  describe('notify', () => {
    const notify = (url: string, listed: string[] = []) => {
      const planned = planExecution(
        { ...body, notify: { url } },
        { ...limits, TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: listed },
      );
      return planned.ok ? planned.plan.statement.header.notify : planned.problems.map((p) => p.detail);
    };

    it('is refused while callbacks are off, and for an origin not listed', () => {
      expect(notify('https://hooks.example.com/x')).toEqual([
        'callbacks are off on this deployment (TRAILHOUND_NOTIFY_ALLOWED_ORIGINS is empty)',
      ]);
      expect(notify('https://other.example.com/x', ['https://hooks.example.com'])).toEqual([
        'https://other.example.com is not an allowed callback origin (TRAILHOUND_NOTIFY_ALLOWED_ORIGINS)',
      ]);
    });

    it('is kept in the statement header when listed, which Athena keeps for the callback', () => {
      expect(notify('https://hooks.example.com/x?case=1', ['https://hooks.example.com'])).toBe(
        'https://hooks.example.com/x?case=1',
      );
      expect(notify('https://a.tickets.example.net/x', ['https://*.tickets.example.net'])).toBe(
        'https://a.tickets.example.net/x',
      );
    });
  });
});
