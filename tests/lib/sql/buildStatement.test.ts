import { describe, expect, it } from 'vitest';
import { buildStatement } from '../../../src/lib/sql/buildStatement.js';
import { resolveWindow, type TimeWindow } from '../../../src/lib/sql/timeWindow.js';
import { QUERIES } from '../../../src/queries/catalog.js';

const windowOf = (extra: Record<string, unknown> = {}): TimeWindow => {
  const resolved = resolveWindow({ from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z', ...extra }, 366);
  if (!('window' in resolved)) throw new Error('bad window');
  return resolved.window;
};

const placeholders = (sql: string) => sql.replaceAll(/'[^']*'/g, '').split('?').length - 1;

describe('buildStatement', () => {
  it.each(QUERIES.map((q) => [q.name, q]))(
    '%s: one parameter per ?, example values never in the SQL',
    (_name, query) => {
      const parameters = query.parameters.parse(query.example.parameters);
      const statement = buildStatement(
        query,
        parameters,
        windowOf({ accounts: ['123837392027'], regions: ['us-east-1'] }),
      );
      expect(placeholders(statement.sql)).toBe(statement.parameters.length);
      for (const value of Object.values(query.example.parameters)) {
        expect(statement.sql).not.toContain(String(value));
      }
      expect(statement.parameters.every((p) => typeof p === 'string')).toBe(true);
    },
  );

  it('restricts partitions to the window plus a day and filters eventtime exactly', () => {
    const [query] = QUERIES;
    if (!query) throw new Error('empty catalog');
    const statement = buildStatement(query, query.parameters.parse(query.example.parameters), windowOf());
    expect(statement.sql).toContain('day BETWEEN ? AND ?');
    expect(statement.sql).toContain('eventtime >= ?');
    expect(statement.sql).toContain('eventtime < ?');
    expect(statement.parameters.slice(0, 4)).toEqual([
      '2023/07/10',
      '2023/07/11',
      '2023-07-10T00:00:00Z',
      '2023-07-11T00:00:00Z',
    ]);
  });

  it('adds one placeholder per requested account and region, in order', () => {
    const [query] = QUERIES;
    if (!query) throw new Error('empty catalog');
    const statement = buildStatement(
      query,
      query.parameters.parse(query.example.parameters),
      windowOf({
        accounts: ['111122223333', '444455556666'],
        regions: ['us-east-1', 'eu-west-1', 'sa-east-1'],
      }),
    );
    expect(statement.sql).toContain('account IN (?, ?)');
    expect(statement.sql).toContain('region IN (?, ?, ?)');
    expect(statement.parameters.slice(4, 9)).toEqual([
      '111122223333',
      '444455556666',
      'us-east-1',
      'eu-west-1',
      'sa-east-1',
    ]);
  });
});

describe('templates without parameters', () => {
  it('follow the window CTE directly when they start with SELECT, and continue it when they start with a CTE', () => {
    const resolved = resolveWindow({ from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' }, 366);
    if (!('window' in resolved)) throw new Error('bad window');
    const plain = QUERIES.find((q) => q.name === 'logging-tampering');
    const withParams = QUERIES.find((q) => q.name === 'mentions');
    if (!plain || !withParams) throw new Error('catalog changed');
    expect(buildStatement(plain, {}, resolved.window).sql).toMatch(/\)\nSELECT/);
    expect(buildStatement(withParams, { text: 'abc', caseSensitive: false }, resolved.window).sql).toMatch(
      /\),\nparams AS \(/,
    );
  });
});
