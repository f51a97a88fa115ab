/**
 * What DuckDB needs to run the Trino SQL of the query catalog unchanged: a macro for each Trino
 * function the templates use that DuckDB lacks or means differently, and the one piece of syntax
 * that differs, the array type in a CAST (Trino ARRAY(JSON), DuckDB JSON[]).
 * tests/lib/engines/duckdb/trinoCompat.test.ts checks each against Trino's documented meaning.
 */

export const TRINO_MACROS: readonly string[] = [
  // Trino: the scalar at the path as varchar; NULL when it is an object, an array or JSON null.
  // (trino.io/docs/current/functions/json.html#json_extract_scalar)
  `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS
     CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY', 'NULL') THEN NULL ELSE json_extract_string(j, p) END`,
  // Trino: true when the pattern matches anywhere in the string (trino.io/docs/current/functions/regexp.html).
  'CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
];

/** Trino's array-of-JSON cast type, written as DuckDB spells it. */
export const toDuckDbDialect = (trinoSql: string): string =>
  trinoSql.replace(/\bARRAY\s*\(\s*JSON\s*\)/gi, 'JSON[]');
