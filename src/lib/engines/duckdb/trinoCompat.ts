/**
 * What DuckDB needs to run the Trino SQL of the query catalog unchanged: a macro for each Trino
 * function the templates use that DuckDB lacks or means differently, and the one piece of syntax
 * that differs, the array type in a CAST (Trino ARRAY(JSON), DuckDB JSON[]; the same for VARCHAR).
 * tests/lib/engines/duckdb/trinoCompat.test.ts checks each against Trino's documented meaning.
 */

export const TRINO_MACROS: readonly string[] = [
  // Trino: the scalar at the path as varchar; NULL when it is an object, an array or JSON null.
  // (trino.io/docs/current/functions/json.html#json_extract_scalar). DuckDB's json_value is the
  // scalar's JSON text, NULL for the others (duckdb.org/docs/stable/data/json/json_functions),
  // which json_extract_string then reads as text: the document is parsed once, where testing its
  // json_type first parsed it twice (the detections call this 70 times).
  `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS json_extract_string(json_value(j, p), '$')`,
  // Trino: true when the pattern matches anywhere in the string (trino.io/docs/current/functions/regexp.html).
  'CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
  // Trino: an ISO 8601 text (CloudTrail's eventTime) as a timestamp with time zone
  // (trino.io/docs/current/functions/datetime.html#from_iso8601_timestamp).
  'CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
  // Trino: seconds since the epoch, a double (trino.io/docs/current/functions/datetime.html#to_unixtime).
  'CREATE OR REPLACE MACRO to_unixtime(t) AS CAST(epoch(t) AS DOUBLE)',
];

/** Trino's array cast types (ARRAY(JSON), ARRAY(VARCHAR)), written as DuckDB spells them. */
export const toDuckDbDialect = (trinoSql: string): string =>
  trinoSql.replace(/\bARRAY\s*\(\s*(JSON|VARCHAR)\s*\)/gi, (_, type: string) => `${type.toUpperCase()}[]`);
