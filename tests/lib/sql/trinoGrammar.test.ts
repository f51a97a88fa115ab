/**
 * Every statement the Athena engine can send parses with a real Trino grammar (dt-sql-parser's
 * TrinoSQL, built from Trino's own ANTLR grammar), as one statement, and calls only functions in
 * Trino's documented list, which Athena engine 3 runs. DuckDB accepting a statement proves nothing
 * about Athena; this does, short of Athena itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrinoSQL, TrinoSqlListener } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { readingCompactedDays } from '../../../src/lib/sql/buildStatement.js';
import { QUERIES } from '../../../src/queries/catalog.js';
import { planExecution } from '../../../src/queries/executionPlan.js';
import { exampleRequest } from '../../../src/queries/queryDefinition.js';

const TRINO_FUNCTIONS = new Set(
  readFileSync(
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/trino/functions.txt'),
    'utf8',
  )
    .split('\n')
    .filter((line) => line && !line.startsWith('#')),
);

type FunctionCall = Parameters<NonNullable<TrinoSqlListener['enterFunctionCall']>>[0];

class FunctionNames extends TrinoSqlListener {
  readonly names: string[] = [];
  override enterFunctionCall = (context: FunctionCall) => {
    this.names.push(context.functionName().getText().replaceAll('"', '').toLowerCase());
  };
}

const trino = new TrinoSQL();

/** The syntax errors of `sql`, the number of statements in it, and every function it calls. */
const analyse = (sql: string) => {
  const listener = new FunctionNames();
  const errors = trino.validate(sql);
  if (errors.length === 0) trino.listen(listener, trino.parse(sql));
  return { errors, statements: trino.splitSQLByStatement(sql)?.length ?? 0, functions: listener.names };
};

const limits = { TRAILHOUND_MAX_WINDOW_DAYS: 366, TRAILHOUND_LINK_TTL_SECONDS: 900 };

/** Each query's example, and the same with accounts and regions, as Athena would receive them. */
const statements = QUERIES.flatMap((query) =>
  [
    exampleRequest(query),
    { ...exampleRequest(query), accounts: ['123837392027'], regions: ['us-east-1', 'eu-west-1'] },
  ].map((body, i) => {
    const planned = planExecution(body, limits, { owner: 'arn:aws:sts::111122223333:assumed-role/r/s' });
    if (!planned.ok) throw new Error(`${query.name}: ${JSON.stringify(planned.problems)}`);
    return [`${query.name}${i ? ' (accounts, regions)' : ''}`, planned.plan.statement.sql] as const;
  }),
);
// Read across the compaction watermark: the Parquet table's days, UNION ALL the raw table's rest.
const split = QUERIES.map((query) => {
  const planned = planExecution(exampleRequest(query), limits);
  if (!planned.ok) throw new Error(query.name);
  const { window } = planned.plan;
  const across = readingCompactedDays(planned.plan.statement, {
    from: '2020/01/01',
    through: window.firstDay,
  });
  return [`${query.name} (across the watermark)`, across.sql] as const;
});

describe("the Athena engine's statements, read by Trino's grammar", () => {
  it('the grammar is strict enough to catch a broken statement', () => {
    expect(analyse('SELECT a, FROM t').errors).not.toEqual([]);
    expect(analyse('SELECT 1; SELECT 2').statements).toBe(2);
    expect(analyse('SELECT totally_made_up(x) FROM t').functions).toEqual(['totally_made_up']);
  });

  it.each([...statements, ...split])(
    '%s parses as one Trino statement and calls only documented functions',
    (_name, sql) => {
      const { errors, statements: count, functions } = analyse(sql);
      expect(errors).toEqual([]);
      expect(count).toBe(1);
      expect(functions.filter((name) => !TRINO_FUNCTIONS.has(name))).toEqual([]);
    },
  );
});
