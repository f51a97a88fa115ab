/** The double is faithful where it matters: it takes ExecutionParameters as literal SQL text. */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { afterAll, describe, expect, it } from 'vitest';
import { toSqlLiteral } from '../../../../src/lib/sql/sqlLiteral.js';
import { planExecution } from '../../../../src/queries/executionPlan.js';
import { AthenaDouble, substituteParameters } from '../../../helpers/athenaDouble.js';
import { DATA_DIR } from '../../../helpers/cloudtrailData.js';

const double = new AthenaDouble({ logsDir: `${DATA_DIR}/invictus-attack-simulation`, workGroup: 'wg' });
afterAll(() => double.close());

const run = async (literals: string[], sql: string) => {
  const { QueryExecutionId } = await double.athena.send(
    new StartQueryExecutionCommand({ QueryString: sql, ExecutionParameters: literals, WorkGroup: 'wg' }),
  );
  let state: string | undefined;
  for (let i = 0; i < 5 && !['SUCCEEDED', 'FAILED'].includes(state ?? ''); i += 1) {
    state = (await double.athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution
      ?.Status?.State;
  }
  if (state !== 'SUCCEEDED') return { state, rows: 0 };
  const results = await double.athena.send(
    new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 1000 }),
  );
  return { state, rows: (results.ResultSet?.Rows?.length ?? 1) - 1 };
};

describe('substituteParameters', () => {
  it('fills ? in order, but not inside strings, quoted identifiers or comments', () => {
    expect(substituteParameters(`SELECT ?, '?', "?" -- ?\n, /* ? */ ?`, ["'a'", "'b'"])).toBe(
      `SELECT 'a', '?', "?" -- ?\n, /* ? */ 'b'`,
    );
  });
  it('refuses too few or too many parameters, as Athena does', () => {
    expect(() => substituteParameters('SELECT ?, ?', ["'a'"])).toThrow(/more parameters/);
    expect(() => substituteParameters('SELECT ?', ["'a'", "'b'"])).toThrow(/More ExecutionParameters/);
  });
});

describe('a quoting bug in the literal function would be caught', () => {
  const hostile = "zz' OR 'a'='a";
  const planned = planExecution(
    {
      query: 'mentions',
      parameters: { text: hostile },
      from: '2023-07-10T00:00:00Z',
      to: '2023-07-11T00:00:00Z',
    },
    { TRAILHOUND_MAX_WINDOW_DAYS: 366 },
  );
  if (!planned.ok) throw new Error('plan');
  const { statement } = planned.plan;

  it('with toSqlLiteral the hostile text matches nothing', async () => {
    expect(await run(statement.parameters.map(toSqlLiteral), statement.sql)).toEqual({
      state: 'SUCCEEDED',
      rows: 0,
    });
  });

  it('with quotes left undoubled the same request fails or answers something else', async () => {
    const naive = statement.parameters.map((v) => `'${v}'`);
    expect(await run(naive, statement.sql)).not.toEqual({ state: 'SUCCEEDED', rows: 0 });
  });
});
