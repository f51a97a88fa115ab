/**
 * The statement DuckDB runs: values set as session variables and read as constants, never in the
 * text; a query with a match reads compacted rows in two passes; one without runs as Athena's.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { applySettings, engineStatement } from '../../../../src/lib/engines/duckdb/matchedEvents.js';
import { planExecution } from '../../../../src/queries/executionPlan.js';

const statementOf = (query: string, parameters: Record<string, unknown>) => {
  const planned = planExecution(
    { query, parameters, from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' },
    { TRAILHOUND_MAX_WINDOW_DAYS: 90 },
  );
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return planned.plan.statement;
};

const placeholders = (sql: string) => sql.replaceAll(/'(?:[^']|'')*'/g, "''").split('?').length - 1;

describe('engineStatement', () => {
  it('sets each value as a variable, bound, and reads it where the template reads params', () => {
    const value = "o'brien-needle";
    const run = engineStatement(statementOf('mentions', { text: value }));
    expect(run.sql).not.toContain(value);
    expect(run.sql).not.toMatch(/\bparams\.(text|case_sensitive)\b/);
    expect(run.sql).toContain("getvariable('trailhound_text')");
    expect(run.settings).toEqual([
      { sql: 'SET VARIABLE trailhound_text = ?::VARCHAR', value },
      { sql: 'SET VARIABLE trailhound_case_sensitive = ?::VARCHAR', value: 'false' },
    ]);
    expect(placeholders(run.sql)).toBe(run.parameters.length);
  });

  it('casts a typed value as the params CTE does, so an empty one is NULL', () => {
    const run = engineStatement(
      statementOf('security-group-ingress', { groupId: 'sg-0123456789abcdef0', port: 22 }),
    );
    expect(run.settings).toContainEqual({
      sql: 'SET VARIABLE trailhound_port = try_cast(? AS INTEGER)',
      value: '22',
    });
    expect(placeholders(run.sql)).toBe(run.parameters.length);
  });

  it('reads the compacted rows of a query with a match in two passes, and raw rows in one', () => {
    const run = engineStatement(statementOf('principal-activity', { userName: 'bert-jan' }));
    expect(run.sql).toContain('events_matched AS (\n  SELECT _file, _row FROM cloudtrail_store_rows');
    expect(run.sql).toContain('SEMI JOIN events_matched USING (_file, _row)');
    expect(run.sql).toContain('SELECT * FROM cloudtrail_raw');
    // The scope twice (each pass), four values each (days, then times); the principal is a variable.
    const scope = ['2023/07/10', '2023/07/11', '2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z'];
    expect(run.parameters).toEqual([...scope, ...scope]);
    expect(run.settings.map((s) => s.value)).toEqual(['bert-jan', '', '', '']);
    expect(placeholders(run.sql)).toBe(run.parameters.length);
  });

  it('keeps a statement without values or match as it is, in DuckDB spelling', () => {
    const statement = statementOf('sweep', {});
    expect(statement.parts.rest.params.length).toBeGreaterThan(0);
    const bare = {
      ...statement,
      parts: { ...statement.parts, rest: { ...statement.parts.rest, params: [] } },
    };
    expect(engineStatement(bare).sql).toBe(statement.sql.replaceAll(/ARRAY\((JSON|VARCHAR)\)/g, '$1[]'));
  });

  it('gives each connection its own values', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const [a, b] = [await instance.connect(), await instance.connect()];
    await applySettings(a, [{ sql: 'SET VARIABLE trailhound_x = ?::VARCHAR', value: 'first' }]);
    await applySettings(b, [{ sql: 'SET VARIABLE trailhound_x = ?::VARCHAR', value: 'second' }]);
    const read = async (c: typeof a) =>
      (await c.runAndReadAll("SELECT getvariable('trailhound_x')")).getRows()[0]?.[0];
    expect([await read(a), await read(b)]).toEqual(['first', 'second']);
    a.closeSync();
    b.closeSync();
  });
});
