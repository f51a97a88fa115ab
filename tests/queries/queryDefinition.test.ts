import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineQuery } from '../../src/queries/queryDefinition.js';

const definition = (type: 'double' | 'bigint') => ({
  name: 'test-partials',
  title: 'A query answered from partials',
  description: 'Counts events by day.',
  parameters: z.strictObject({}),
  bind: () => ({}),
  sql: 'SELECT count(*) AS n FROM events',
  partials: {
    partial: { with: [], sql: 'SELECT count(*) AS n FROM events' },
    inclusive: {},
    asked: 'true',
    combine: { with: [], sql: 'SELECT line FROM partials' },
  },
  columns: [{ name: 'n', type }],
  example: { parameters: {}, from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z', answers: 'a count' },
});

describe('defineQuery', () => {
  it('refuses a query answered from partials with a double column: its lines would hold DuckDB’s text of it', () => {
    expect(() => defineQuery(definition('double'))).toThrow(/column n is a double/);
    expect(defineQuery(definition('bigint')).name).toBe('test-partials');
  });
});
