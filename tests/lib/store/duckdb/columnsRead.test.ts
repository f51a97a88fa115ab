/**
 * The columns a statement reads of compacted files, from DuckDB's plan, remembered between asks:
 * a change of anything that decides them (the statement's values, a variable set on the
 * connection, the relation's definition) is planned afresh, never answered from memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSqlLiteral } from '../../../../src/lib/sql/sqlLiteral.js';
import { parquetColumnsRead } from '../../../../src/lib/store/duckdb/columnsRead.js';

let dir: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trailhound-columns-'));
  file = path.join(dir, 'unit.parquet');
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(
    `COPY (SELECT 'x' AS a, 'y' AS b, 'y' AS c) TO ${toSqlLiteral(file)} (FORMAT parquet)`,
  );
});
afterAll(async () => {
  connection.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

const define = async (select: string): Promise<string> => {
  const view = `CREATE OR REPLACE TEMP VIEW v AS SELECT ${select} FROM read_parquet(${toSqlLiteral(file)})`;
  await connection.run(view);
  return view;
};

const COLUMNS = ['a', 'b', 'c'];
const read = async (sql: string, parameters: string[], relation: string) =>
  [...(await parquetColumnsRead(connection, sql, parameters, COLUMNS, relation))].sort();

describe('parquetColumnsRead', () => {
  it('plans afresh when a value, a variable or the relation changes, and repeats what it found', async () => {
    const sql = `SELECT a FROM v WHERE getvariable('scope') = 'all' OR ? = 'any' OR b = 'y'`;
    let relation = await define('a, b');
    await connection.run(`SET VARIABLE scope = 'some'`);
    expect(await read(sql, ['one'], relation)).toEqual(['a', 'b']);
    // The same again, from memory: the same answer.
    expect(await read(sql, ['one'], relation)).toEqual(['a', 'b']);
    // A value that folds the filter away.
    expect(await read(sql, ['any'], relation)).toEqual(['a']);
    // A variable that folds it away, the value as at first.
    await connection.run(`SET VARIABLE scope = 'all'`);
    expect(await read(sql, ['one'], relation)).toEqual(['a']);
    await connection.run(`SET VARIABLE scope = 'some'`);
    expect(await read(sql, ['one'], relation)).toEqual(['a', 'b']);
    // Another relation: b is now the file's c.
    relation = await define('a, c AS b');
    expect(await read(sql, ['one'], relation)).toEqual(['a', 'c']);
  });
});
