/**
 * Rows as CSV lines made by DuckDB: the same bytes as the writer makes value by value in
 * JavaScript (toCsvLine), for every type the wrapper takes, in the statement's order; and no
 * wrapper for a type whose text DuckDB writes otherwise.
 */
import { type DuckDBBlobValue, DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLinesSql } from '../../../../src/lib/engines/duckdb/csvLines.js';
import { toCsvLine } from '../../../../src/lib/results/csvFormat.js';

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => instance.closeSync());

/** The statement's rows as CSV text, value by value in JavaScript and as DuckDB's lines. */
const bothWays = async (sql: string, parameters: readonly string[] = []) => {
  const connection = await instance.connect();
  try {
    const plain = await connection.prepare(sql);
    for (const [i, value] of parameters.entries()) plain.bindVarchar(i + 1, value);
    const types = Array.from({ length: plain.columnCount }, (_, i) => plain.columnTypeId(i));
    const values = (await plain.runAndReadAll())
      .getRows()
      .map((row) => toCsvLine(row.map((v) => (v === null ? null : typeof v === 'object' ? String(v) : v))))
      .join('');
    const wrapped = csvLinesSql(sql, types);
    if (wrapped === undefined) return { values, lines: undefined };
    const prepared = await connection.prepare(wrapped);
    for (const [i, value] of parameters.entries()) prepared.bindVarchar(i + 1, value);
    const lines = (await prepared.runAndReadAll())
      .getColumns()[0]
      ?.map((line) => Buffer.from((line as DuckDBBlobValue).bytes).toString('utf8'))
      .join('');
    return { values, lines };
  } finally {
    connection.closeSync();
  }
};

describe('csvLinesSql', () => {
  it('writes text, integers and booleans as JavaScript does: quotes doubled, NULL empty, commas and line breaks kept', async () => {
    const { values, lines } = await bothWays(
      `SELECT * FROM (VALUES
        ('plain', 1::TINYINT, -2::SMALLINT, 3::INTEGER, (-9223372036854775807 - 1)::BIGINT, 170141183460469231731687303715884105727::HUGEINT, 255::UTINYINT, 18446744073709551615::UBIGINT, true),
        ('say "hi", then
leave', NULL, NULL, NULL, NULL, NULL, NULL, NULL, false),
        ('', 0, 0, 0, 0, 0, 0, 0, NULL),
        (NULL, -1, 1, -1, 1, -1, 1, 1, true),
        ('été 🚀 ""', 127, 32767, 2147483647, 42, 7, 0, 0, false)
      ) AS t(text, tiny, small, int, big, huge, utiny, ubig, flag)`,
    );
    expect(lines).toBeDefined();
    expect(lines).toBe(values);
    expect(values).toContain('"say ""hi"", then\nleave",,,,,,,,"false"\n');
    expect(values).toContain('"",');
    expect(values).toContain('\n,"-1","1","-1","1","-1","1","1","true"\n');
  });

  it('keeps the order of an ordered statement, with its parameters bound', async () => {
    const sql = `WITH n AS (SELECT range AS i, hash(range) % 1000 AS k FROM range(20000))
SELECT CAST(i AS VARCHAR) AS id, k FROM n WHERE CAST(i AS VARCHAR) <> ? ORDER BY k DESC, i`;
    const { values, lines } = await bothWays(sql, ['17']);
    expect(lines).toBe(values);
    expect(values.split('\n')).toHaveLength(20000);
  });

  it('takes duplicate and odd column names by position', async () => {
    const { values, lines } = await bothWays(`SELECT 'a' AS "x y", 'b' AS "x y", 'c' AS "select"`);
    expect(lines).toBe('"a","b","c"\n');
    expect(values).toBe(lines);
  });

  it('is not made for a column whose text DuckDB writes otherwise than JavaScript', async () => {
    const { values, lines } = await bothWays('SELECT 1::DOUBLE AS d');
    expect(values).toBe('"1"\n');
    expect(lines).toBeUndefined();
    for (const type of [
      DuckDBTypeId.DOUBLE,
      DuckDBTypeId.TIMESTAMP,
      DuckDBTypeId.LIST,
      DuckDBTypeId.DECIMAL,
    ]) {
      expect(csvLinesSql('SELECT 1', [DuckDBTypeId.VARCHAR, type])).toBeUndefined();
    }
  });
});
