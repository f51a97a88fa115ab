import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlLiteralError } from '../../../src/lib/errors.js';
import { sqlLiteralLength, toSqlLiteral } from '../../../src/lib/sql/sqlLiteral.js';
import { HOSTILE_STRINGS } from '../../helpers/hostileStrings.js';

describe('toSqlLiteral', () => {
  it('quotes a string and doubles embedded quotes', () => {
    expect(toSqlLiteral('bert-jan')).toBe("'bert-jan'");
    expect(toSqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(toSqlLiteral('')).toBe("''");
  });

  it('accepts nothing but strings', () => {
    for (const value of [1, 1n, true, null, undefined, {}, [], ['x']]) {
      expect(() => toSqlLiteral(value)).toThrow(SqlLiteralError);
    }
  });

  it('refuses NUL, which no SQL string can hold', () => {
    expect(() => toSqlLiteral('a\u0000b')).toThrow(SqlLiteralError);
  });

  describe('read back by a SQL engine, every hostile string is exactly itself', () => {
    let instance: DuckDBInstance;
    beforeAll(async () => {
      instance = await DuckDBInstance.create(':memory:');
    });
    afterAll(() => instance.closeSync());

    it.each(HOSTILE_STRINGS.map((s) => [s.length > 40 ? `${s.slice(0, 40)}… (${s.length})` : s, s]))(
      '%s',
      async (_label, value) => {
        const connection = await instance.connect();
        // One statement only: a literal that broke out would add a second one or change the column count.
        const result = await connection.runAndReadAll(`SELECT ${toSqlLiteral(value)} AS v`);
        expect(result.getRows()).toEqual([[value]]);
        connection.closeSync();
      },
    );
  });
});

describe('sqlLiteralLength', () => {
  it("is the length of toSqlLiteral's text, for every hostile string", () => {
    for (const value of [...HOSTILE_STRINGS.filter((s) => !s.includes('\u0000')), '', "''''", "O'Brien"])
      expect(sqlLiteralLength(value), value).toBe(toSqlLiteral(value).length);
  });
});
