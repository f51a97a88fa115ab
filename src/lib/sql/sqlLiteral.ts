/**
 * The one function that turns a parameter value into SQL literal text. Athena's
 * ExecutionParameters are substituted into the `?` positions as literal text, so this is what
 * stands between a request and the SQL that runs: a string becomes '...' with every embedded
 * quote doubled, and nothing else is accepted. Values have passed a zod allowlist before this.
 * (docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html)
 */

import { SqlLiteralError } from '../errors.js';
export const toSqlLiteral = (value: unknown): string => {
  if (typeof value !== 'string') {
    throw new SqlLiteralError(
      `Only strings become SQL literals, got ${value === null ? 'null' : typeof value}`,
    );
  }
  if (value.includes('\u0000')) {
    // Neither Athena nor DuckDB can hold NUL in a string; refuse rather than truncate.
    throw new SqlLiteralError('A NUL character cannot appear in a SQL string literal');
  }
  return `'${value.replaceAll("'", "''")}'`;
};

/** The length of toSqlLiteral's text for `value`, without making it: two quotes, each quote doubled. */
export const sqlLiteralLength = (value: string): number =>
  value.length + 2 + (value.match(/'/g)?.length ?? 0);
