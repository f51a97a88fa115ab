/**
 * Result rows as whole CSV lines made by DuckDB: the statement wrapped in a SELECT that writes
 * each row as csvFormat's toCsvLine does (sql/csvLine.ts), so that a row reaches JavaScript as one
 * value rather than one a column. A value costs about a microsecond to cross into JavaScript: the
 * sweep of the bench's year (77,225 rows of 18 columns) spent 1.6 to 2.3 s on it, and 0.13 to
 * 0.17 s as lines, the CSV the same bytes. Each line crosses as its bytes (a BLOB), which the
 * writer neither decodes nor encodes: its JavaScript went from 143-180 ms to 89-113 ms.
 *
 * DuckDB writes a value's text as JavaScript's String() does only for text, integers and
 * booleans (a DOUBLE 1 is "1.0" to DuckDB, "1" to JavaScript): a statement with a column of any
 * other type is not wrapped, and its rows are written value by value. The wrapper is a SELECT
 * over the statement as a table subquery, which keeps its rows' order (DuckDB's order
 * preservation: https://duckdb.org/docs/stable/sql/dialect/order_preservation).
 */
import { DuckDBTypeId } from '@duckdb/node-api';
import { RecentMap } from '../../recentMap.js';
import { csvLineSql } from '../../sql/csvLine.js';

const SAME_TEXT: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.VARCHAR,
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
]);

/**
 * The statement whose one column, `line`, is each row of `sql` as a CSV line, as its UTF-8 bytes
 * (a BLOB: read with getItemBytes, a line reaches JavaScript as bytes, neither decoded into a
 * string nor encoded again to be written), for a statement whose columns have `types`; undefined
 * when a column's text would differ from JavaScript's. Columns are renamed by position (c0, c1,
 * …), so that duplicate or odd names cannot matter.
 */
export const csvLinesSql = (sql: string, types: readonly DuckDBTypeId[]): string | undefined => {
  if (types.length === 0 || !types.every((type) => SAME_TEXT.has(type))) return undefined;
  const names = types.map((_, i) => `c${i}`);
  return `SELECT ${csvLineSql(names)} AS line\nFROM (\n${sql}\n) AS result(${names.join(', ')})`;
};

/** The result columns' types of statements already prepared, by a key of their text. */
const known = new RecentMap<string, readonly DuckDBTypeId[]>(256);

/** Column types of the statement `key` stands for, if seen before. */
export const knownColumnTypes = (key: string): readonly DuckDBTypeId[] | undefined => known.get(key);

/** Remembers a statement's column types (the 256 statements last prepared). */
export const rememberColumnTypes = (key: string, types: readonly DuckDBTypeId[]): void => {
  known.set(key, types);
};
