/**
 * Each Trino function the templates use that DuckDB provides by macro means what Trino says it
 * means (trino.io/docs/current/functions/json.html), and the cast rewrite keeps the SQL's meaning.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRINO_MACROS, toDuckDbDialect } from '../../../../src/lib/engines/duckdb/trinoCompat.js';

let instance: DuckDBInstance;
const value = async (sql: string) => {
  const connection = await instance.connect();
  const rows = (await connection.runAndReadAll(toDuckDbDialect(sql))).getRows();
  connection.closeSync();
  return rows[0]?.[0];
};

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const macro of TRINO_MACROS) await connection.run(macro);
  connection.closeSync();
});
afterAll(() => instance.closeSync());

describe('json_extract_scalar (Trino semantics)', () => {
  it('returns a string scalar as varchar', async () => {
    expect(await value(`SELECT json_extract_scalar('{"a":{"b":"x"}}', '$.a.b')`)).toBe('x');
  });
  it('returns numbers and booleans as their text', async () => {
    expect(await value(`SELECT json_extract_scalar('{"p":22}', '$.p')`)).toBe('22');
    expect(await value(`SELECT json_extract_scalar('{"p":"22"}', '$.p')`)).toBe('22');
    expect(await value(`SELECT json_extract_scalar('{"b":false}', '$.b')`)).toBe('false');
  });
  it('returns NULL for an object, an array, JSON null and a missing key', async () => {
    expect(await value(`SELECT json_extract_scalar('{"a":{"b":1}}', '$.a')`)).toBeNull();
    expect(await value(`SELECT json_extract_scalar('{"a":[1]}', '$.a')`)).toBeNull();
    expect(await value(`SELECT json_extract_scalar('{"a":null}', '$.a')`)).toBeNull();
    expect(await value(`SELECT json_extract_scalar('{"a":1}', '$.z')`)).toBeNull();
    expect(await value(`SELECT json_extract_scalar(NULL, '$.a')`)).toBeNull();
  });
  it('unescapes a string, and returns a string holding JSON as the string', async () => {
    expect(await value(`SELECT json_extract_scalar('{"a":"q\\"z \\u00e9"}', '$.a')`)).toBe('q"z é');
    expect(await value(`SELECT json_extract_scalar('{"a":"{\\"b\\":1}"}', '$.a')`)).toBe('{"b":1}');
  });
  it('indexes arrays from 0 as Trino JSONPath does', async () => {
    expect(await value(`SELECT json_extract_scalar('{"i":[{"g":"sg-1"},{"g":"sg-2"}]}', '$.i[1].g')`)).toBe(
      'sg-2',
    );
  });
});

describe('regexp_like (Trino semantics)', () => {
  it('is true when the pattern matches anywhere, unless anchored', async () => {
    expect(await value(`SELECT regexp_like('arn:aws:iam::193672423079:root', 'iam::[0-9]{12}:')`)).toBe(true);
    expect(
      await value(
        `SELECT regexp_like('x192.168.10.20', '^[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}$')`,
      ),
    ).toBe(false);
    expect(
      await value(
        `SELECT regexp_like('192.168.10.20', '^[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}$')`,
      ),
    ).toBe(true);
  });
});

describe('CAST(... AS ARRAY(JSON))', () => {
  it('is rewritten to DuckDB spelling, case-insensitively, and nothing else changes', () => {
    expect(toDuckDbDialect('CAST(x AS ARRAY(JSON)) , cast(y as array( json ))')).toBe(
      'CAST(x AS JSON[]) , cast(y as JSON[])',
    );
    expect(toDuckDbDialect("SELECT 'ARRAY' FROM t")).toBe("SELECT 'ARRAY' FROM t");
  });
  it('unnests each element as JSON, and a missing array as no rows', async () => {
    expect(
      await value(
        `SELECT count(*) FROM (SELECT '{"items":[{"a":1},{"a":2}]}' AS j) CROSS JOIN UNNEST(CAST(json_extract(j, '$.items') AS ARRAY(JSON))) AS t (e)`,
      ),
    ).toBe(2n);
    expect(
      await value(
        `SELECT count(*) FROM (SELECT '{"other":{}}' AS j) CROSS JOIN UNNEST(CAST(json_extract(j, '$.items') AS ARRAY(JSON))) AS t (e)`,
      ),
    ).toBe(0n);
  });
});

describe('functions both engines share', () => {
  it('try_cast of an empty string to integer is NULL', async () => {
    expect(await value(`SELECT try_cast('' AS integer)`)).toBeNull();
  });
  it('split_part and substr count from 1; replace replaces every occurrence', async () => {
    expect(await value(`SELECT split_part('192.168.10.20', '.', 4)`)).toBe('20');
    expect(await value(`SELECT substr('2023-07-10T12:10:08Z', 1, 13)`)).toBe('2023-07-10T12');
    expect(await value(`SELECT replace('a::b::c', '::', '')`)).toBe('abc');
  });
  it('regexp_extract with and without a group, strpos and starts_with', async () => {
    expect(await value(`SELECT regexp_extract('arn:aws:sts::1:assumed-role/R/s@x', '[^/]+$')`)).toBe('s@x');
    expect(
      await value(`SELECT regexp_extract('arn:aws:sts::1:assumed-role/R/s', 'assumed-role/([^/]+)/', 1)`),
    ).toBe('R');
    expect(await value(`SELECT strpos('abc%_d', '%_')`)).toBe(4n);
    expect(await value(`SELECT starts_with('AROA1:sess', 'AROA1:')`)).toBe(true);
  });
});

describe('from_iso8601_timestamp and to_unixtime (Trino semantics)', () => {
  it("read CloudTrail's eventTime as an instant, and give its seconds since the epoch as a double", async () => {
    // 2023-07-10T12:10:08Z is 1,688,991,008 s after the epoch.
    expect(await value(`SELECT to_unixtime(from_iso8601_timestamp('2023-07-10T12:10:08Z'))`)).toBe(
      1688991008,
    );
    expect(
      await value(
        `SELECT to_unixtime(from_iso8601_timestamp('2023-07-10T12:14:08Z')) - to_unixtime(from_iso8601_timestamp('2023-07-10T12:10:08Z'))`,
      ),
    ).toBe(240);
  });
});

describe('CAST(… AS ARRAY(VARCHAR))', () => {
  it("turns a JSON array of strings into the strings, as Trino's cast does", async () => {
    const unnested = async (sql: string) => {
      const connection = await instance.connect();
      const rows = (await connection.runAndReadAll(toDuckDbDialect(sql))).getRows();
      connection.closeSync();
      return rows.map((r) => r[0]);
    };
    expect(
      await unnested(
        `SELECT n FROM UNNEST(CAST(json_extract('{"names":["/a","/b"]}', '$.names') AS ARRAY(VARCHAR))) AS u (n)`,
      ),
    ).toEqual(['/a', '/b']);
  });
});
