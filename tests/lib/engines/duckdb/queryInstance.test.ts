/**
 * The query engine's DuckDB tests an IN list where the conditions before it leave rows, instead of
 * joining every row of the window with it (the detections hold some fifty such lists).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { QUERY_INSTANCE_OPTIONS } from '../../../../src/lib/engines/duckdb/duckDbEngine.js';

const planOf = async (options: Record<string, string>) => {
  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  try {
    const names = Array.from({ length: 12 }, (_, i) => `'Name${i}'`).join(', ');
    const rows = await connection.runAndReadAll(
      `EXPLAIN SELECT count(*) FROM (SELECT 'Name' || (i % 20) AS eventname, i FROM range(100000) t(i))
       WHERE (i % 7 = 0 AND eventname IN (${names})) OR (i % 11 = 0 AND eventname IN (${names}))`,
    );
    return rows
      .getRows()
      .map((r) => String(r[1]))
      .join('\n');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
};

describe('the query instance', () => {
  it('keeps IN lists as tests, where DuckDB by default makes a join of each', async () => {
    expect(await planOf({ threads: '1' })).toMatch(/MARK/);
    expect(await planOf({ ...QUERY_INSTANCE_OPTIONS, threads: '1' })).not.toMatch(/MARK/);
  });
});
