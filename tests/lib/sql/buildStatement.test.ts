import { describe, expect, it } from 'vitest';
import {
  assertSqlName,
  buildStatement,
  integerValue,
  readingCompactedDays,
} from '../../../src/lib/sql/buildStatement.js';
import { readStatementHeader } from '../../../src/lib/sql/statementHeader.js';
import { resolveWindow, type TimeWindow } from '../../../src/lib/sql/timeWindow.js';
import { QUERIES } from '../../../src/queries/catalog.js';
import { planExecution } from '../../../src/queries/executionPlan.js';
import { exampleRequest } from '../../../src/queries/queryDefinition.js';

const windowOf = (extra: Record<string, unknown> = {}): TimeWindow => {
  const resolved = resolveWindow({ from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z', ...extra }, 366);
  if (!('window' in resolved)) throw new Error('bad window');
  return resolved.window;
};

const placeholders = (sql: string) => sql.replaceAll(/'[^']*'/g, '').split('?').length - 1;

const template = { name: 'test-query', sql: 'SELECT eventid FROM events CROSS JOIN params' };

describe('buildStatement', () => {
  it.each(QUERIES.map((q) => [q.name, q]))(
    '%s: one parameter per ?, the SQL the same whatever the values, example values never in it',
    (_name, query) => {
      const planned = planExecution(
        { ...exampleRequest(query), accounts: ['123837392027'], regions: ['us-east-1'] },
        { TRAILHOUND_MAX_WINDOW_DAYS: 366 },
      );
      if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
      const { statement } = planned.plan;
      expect(placeholders(statement.sql)).toBe(statement.parameters.length);
      // The SQL is the same whatever the values: built again with other values, it does not change.
      const parsed = query.parseParameters(query.example.parameters);
      if (!parsed.success) throw new Error('the example does not parse');
      const others = Object.fromEntries(
        Object.entries(parsed.values).map(([name, value]) => [
          name,
          typeof value === 'string' ? 'zz-other-value' : { ...value, text: '7' },
        ]),
      );
      const fixedSql = buildStatement(query, others, planned.plan.window).sql;
      expect(fixedSql).toBe(statement.sql);
      // And no example value is in it, unless the query's own text holds it (the sweep's catalog
      // names every severity and detection).
      for (const value of Object.values(query.example.parameters).flat()) {
        if (!fixedSql.includes(`'${String(value)}'`)) expect(statement.sql).not.toContain(String(value));
      }
      expect(statement.parameters.every((p) => typeof p === 'string')).toBe(true);
    },
  );

  it('opens with the header naming the query and window, which reads back', () => {
    const statement = buildStatement(template, {}, windowOf());
    expect(statement.header).toEqual({
      query: 'test-query',
      from: '2023-07-10T00:00:00Z',
      to: '2023-07-11T00:00:00Z',
    });
    expect(readStatementHeader(statement.sql)).toEqual(statement.header);
  });

  it('restricts partitions to the window plus a day and filters eventtime exactly', () => {
    const statement = buildStatement(template, {}, windowOf());
    expect(statement.sql).toContain('day BETWEEN ? AND ?');
    expect(statement.sql).toContain('eventtime >= ?');
    expect(statement.sql).toContain('eventtime < ?');
    expect(statement.parameters).toEqual([
      '2023/07/10',
      '2023/07/11',
      '2023-07-10T00:00:00Z',
      '2023-07-11T00:00:00Z',
    ]);
  });

  it('adds one placeholder per requested account and region, in order', () => {
    const statement = buildStatement(
      template,
      {},
      windowOf({
        accounts: ['111122223333', '444455556666'],
        regions: ['us-east-1', 'eu-west-1', 'sa-east-1'],
      }),
    );
    expect(statement.sql).toContain('account IN (?, ?)');
    expect(statement.sql).toContain('region IN (?, ?, ?)');
    expect(statement.parameters.slice(4)).toEqual([
      '111122223333',
      '444455556666',
      'us-east-1',
      'eu-west-1',
      'sa-east-1',
    ]);
  });

  it('makes params from the bound values by name, in their order, casting typed ones', () => {
    const statement = buildStatement(template, { user_name: "O'Brien", port: integerValue(22) }, windowOf());
    expect(statement.sql).toContain(
      'params AS (\n  SELECT ? AS user_name, try_cast(? AS integer) AS port\n)',
    );
    expect(statement.parameters.slice(4)).toEqual(["O'Brien", '22']);
    expect(statement.sql).not.toContain("O'Brien");
  });

  it('binds an absent number as the empty string, which try_cast makes NULL', () => {
    const statement = buildStatement(template, { port: integerValue(undefined) }, windowOf());
    expect(statement.parameters.at(-1)).toBe('');
  });

  it('has no params CTE when nothing is bound, and puts the CTEs of the template after it', () => {
    const withCtes = {
      ...template,
      with: [{ name: 'picked', sql: 'SELECT * FROM events' }],
      sql: 'SELECT eventid FROM picked',
    };
    const bare = buildStatement(withCtes, {}, windowOf()).sql;
    expect(bare).not.toContain('params AS');
    expect(bare).toMatch(/\n\),\npicked AS \(\n {2}SELECT \* FROM events\n\)\nSELECT eventid FROM picked$/);
    const bound = buildStatement(withCtes, { a: 'x' }, windowOf()).sql;
    expect(bound.indexOf('params AS')).toBeLessThan(bound.indexOf('picked AS'));
  });

  it('combines kept partials with the raw days’ only when the window has raw days, guarded in both', () => {
    const partials = {
      partial: {
        with: [{ name: 'making_step', sql: 'SELECT * FROM events' }],
        sql: 'SELECT account, region, day, eventtime AS first_seen FROM making_step',
      },
      inclusive: {},
      asked: 'true',
      combine: { with: [], sql: 'SELECT line FROM partials ORDER BY first_seen' },
      reduce: { with: [], sql: 'SELECT * FROM partials', meets: 'true' },
    };
    const built = buildStatement({ ...template, partials }, {}, windowOf()).partials;
    if (!built?.reduced) throw new Error('no partials');
    for (const combining of [built.combining, built.reduced.combining]) {
      const raw = combining({ rawDays: true }).sql;
      expect(raw).toContain('making_step AS');
      expect(raw).toMatch(/\nlive AS MATERIALIZED \(/);
      expect(raw).toContain('UNION ALL\n  SELECT * FROM live');
      const keptOnly = combining({ rawDays: false }).sql;
      expect(keptOnly).not.toContain('making_step');
      expect(keptOnly).not.toMatch(/\blive\b/);
      expect(keptOnly).toMatch(/\npartials AS NOT MATERIALIZED \(\n {2}SELECT \* FROM kept_partials\n/);
    }
    // The guard reads what the answer reads: the raw days' partials only when there are some.
    const guarded = built.reduced.combining({ rawDays: false }).sql;
    expect(guarded).toMatch(/bands_clear AS MATERIALIZED \(/);
    expect(guarded).toContain('AND (SELECT clear FROM bands_clear)');
    expect(built.reduced.combining({ rawDays: true }).sql).toContain(
      'SELECT * FROM live WHERE (SELECT clear FROM bands_clear)',
    );
  });

  it('refuses a bound name or CTE name that is not a plain lower-case identifier', () => {
    for (const bad of ['User', 'a-b', '1a', 'events', 'params', 'a b', "a'b"]) {
      expect(() => buildStatement(template, { [bad]: 'x' }, windowOf()), bad).toThrow(/lower_snake_case/);
      expect(() => assertSqlName(bad, 'A CTE'), bad).toThrow();
    }
    expect(() => assertSqlName('user_name2', 'A parameter')).not.toThrow();
  });
});

describe('readingCompactedDays', () => {
  // The window 2023-07-10 reads partition days 2023/07/10 and 2023/07/11 (a day of slack).
  const statement = buildStatement(
    template,
    { user_name: 'bert-jan' },
    windowOf({ accounts: ['123837392027'] }),
  );

  it('leaves a statement whose days are all outside the compacted range unchanged', () => {
    expect(readingCompactedDays(statement, { from: '2023/07/12', through: '2023/12/31' })).toBe(statement);
    expect(readingCompactedDays(statement, { from: '2023/01/01', through: '2023/07/09' })).toBe(statement);
  });

  it('reads a window wholly compacted from the Parquet table alone', () => {
    const split = readingCompactedDays(statement, { from: '2023/07/01', through: '2023/07/11' });
    expect(split.sql).toContain('FROM cloudtrail_parquet');
    expect(split.sql).not.toContain('cloudtrail_logs');
    expect(placeholders(split.sql)).toBe(split.parameters.length);
    expect(split.parameters.slice(0, 2)).toEqual(['2023/07/01', '2023/07/11']);
    // Everything after `events` is the statement's own, values included.
    expect(split.sql.slice(split.sql.indexOf('params AS'))).toBe(
      statement.sql.slice(statement.sql.indexOf('params AS')),
    );
    expect(split.parameters.slice(2)).toEqual(statement.parameters);
    expect(split.header).toEqual(statement.header);
  });

  it('reads a window across the watermark from both tables, each day from exactly one', () => {
    const split = readingCompactedDays(statement, { from: '2023/01/01', through: '2023/07/10' });
    const events = split.sql.slice(split.sql.indexOf('events AS'), split.sql.indexOf('params AS'));
    expect(events).toMatch(/FROM cloudtrail_parquet\s+WHERE day BETWEEN \? AND \?/);
    expect(events).toMatch(/UNION ALL\s+SELECT \* FROM cloudtrail_logs\s+WHERE \(day < \? OR day > \?\)/);
    expect(placeholders(split.sql)).toBe(split.parameters.length);
    const scope = statement.parameters.slice(0, statement.parameters.length - 1);
    expect(split.parameters).toEqual([
      '2023/01/01',
      '2023/07/10',
      ...scope,
      '2023/01/01',
      '2023/07/10',
      ...scope,
      'bert-jan',
    ]);
  });
});
