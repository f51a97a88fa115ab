/**
 * A row as a CSV line, made by DuckDB: the expression csvFormat's toCsvLine would write (every
 * value quoted, its quotes doubled, NULL an empty unquoted field, a line break after the row), as
 * its UTF-8 bytes (a BLOB). DuckDB's dialect: the embedded engine writes its results' lines with
 * it (engines/duckdb/csvLines.ts), and a query's partial results, which only that engine reads,
 * keep the lines of the rows they already hold whole (buildStatement.ts, PartialsTemplate).
 *
 * DuckDB writes a value's text as JavaScript's String() does only for text, integers and
 * booleans (a DOUBLE 1 is "1.0" to DuckDB, "1" to JavaScript): only values of those types may be
 * given.
 */

/**
 * A value as a quoted field. `replace` is asked only of a value that holds a quote: it copies
 * every value it is given, and the sweep's year (77,225 rows of 18 columns) made its lines in 220
 * ms with it on every value, 77 ms so (DuckDB alone, the same lines).
 */
const field = (value: string) => {
  const text = `CAST(${value} AS VARCHAR)`;
  return `CASE WHEN ${value} IS NULL THEN '' WHEN contains(${text}, '"') THEN concat('"', replace(${text}, '"', '""'), '"') ELSE concat('"', ${text}, '"') END`;
};

/** The CSV line of `values` (SQL expressions, one a column, in order), as a BLOB. */
export const csvLineSql = (values: readonly string[]): string =>
  `encode(concat(${values.map(field).join(`, ',', `)}, chr(10)))`;
