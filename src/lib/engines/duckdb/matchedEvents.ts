/**
 * The statement as the embedded engine runs it, which differs from Athena's in three ways, each
 * leaving the rows as they are:
 *
 * 1. DuckDB's spelling of Trino's array types (trinoCompat.ts).
 * 2. Parameter values as session variables: each value of `params` is set on the connection
 *    (`SET VARIABLE`, the value bound, never written into the text) and each `params.<name>` of the
 *    template read as `getvariable(…)`, which DuckDB takes as a constant when it plans. A column of
 *    a one-row CTE joined in is not one: no condition on it reaches the file reader, and
 *    `params.user_name <> ''` is tested on every row instead of once. On the bench's generated
 *    year, `useridentity.username = …` over the store took 114 ms with the value a constant and
 *    1,170 ms with it joined in.
 * 3. For a query that declares its `match` (queryDefinition.ts), compacted rows read in two passes.
 *    A compacted month is one Parquet row group, and DuckDB decodes every column a scan projects
 *    for every row of a row group, whatever a filter keeps, unless the filter is one it can test
 *    in the reader (a comparison of one column): a question that keeps 40 rows of a year still
 *    decoded a year of `requestparameters`. So `events` reads the store twice: the rows that meet
 *    the match, found from the few columns it reads (their file and place in it), then every
 *    column of those rows only, by a semi-join on the place, which DuckDB turns into a filter of
 *    the second scan. Raw files are read once, as before: JSON is parsed whole either way. The
 *    statement applies the match again itself.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Cte, type Statement, windowEvents, withCtes } from '../../sql/buildStatement.js';
import { RAW_ROWS, STORE_ROWS } from '../../store/duckdb/cloudtrailRelation.js';
import { toDuckDbDialect } from './trinoCompat.js';

/** A statement to run first on the same connection, with its one value. */
export interface Setting {
  readonly sql: string;
  readonly value: string;
}

export interface EngineStatement {
  /** Run, in order, before the statement is planned: they set the values it reads. */
  readonly settings: readonly Setting[];
  readonly sql: string;
  readonly parameters: readonly string[];
}

/** The session variable of a `params` column: prefixed, so that no template name meets another's. */
const variable = (name: string) => `trailhound_${name}`;

/** `events` in two passes: the places of the compacted rows that match, then those rows; raw rows in one. */
const matchedEvents = (statement: Statement, match: string, withParams: boolean): Cte[] => {
  const { scope } = statement.parts;
  return [
    {
      name: 'events_matched',
      sql: `SELECT _file, _row FROM ${STORE_ROWS}${withParams ? ' CROSS JOIN params' : ''}
  WHERE ${scope.sql}
    AND (${match})`,
    },
    {
      name: 'events',
      sql: `SELECT * EXCLUDE (_file, _row) FROM ${STORE_ROWS} SEMI JOIN events_matched USING (_file, _row)
  UNION ALL
  SELECT * FROM ${RAW_ROWS}
  WHERE ${scope.sql}`,
    },
  ];
};

/** What DuckDB runs for a statement. */
export const engineStatement = (statement: Statement): EngineStatement => {
  const { match, scope, rest } = statement.parts;
  if (match === undefined && rest.params.length === 0) {
    return { settings: [], sql: toDuckDbDialect(statement.sql), parameters: statement.parameters };
  }
  const names = new Set(rest.params.map((p) => p.name));
  const params: Cte[] =
    rest.params.length > 0
      ? [
          {
            name: 'params',
            sql: `SELECT ${rest.params.map((p) => `getvariable('${variable(p.name)}') AS ${p.name}`).join(', ')}`,
          },
        ]
      : [];
  const others = rest.ctes.filter((cte) => cte.name !== 'params');
  const assembled =
    match === undefined
      ? withCtes(statement, [windowEvents(scope), ...params, ...others], scope.parameters)
      : withCtes(
          statement,
          [...params, ...matchedEvents(statement, match, params.length > 0), ...others],
          [...scope.parameters, ...scope.parameters],
        );
  const sql = assembled.sql.replaceAll(/\bparams\.([a-z_][a-z0-9_]*)\b/g, (whole, name: string) =>
    names.has(name) ? `getvariable('${variable(name)}')` : whole,
  );
  return {
    settings: rest.params.map((p, i) => ({
      sql: `SET VARIABLE ${variable(p.name)} = ${p.type === 'varchar' ? '?::VARCHAR' : `try_cast(? AS ${p.type.toUpperCase()})`}`,
      value: rest.parameters[i] ?? '',
    })),
    sql: toDuckDbDialect(sql),
    parameters: assembled.parameters,
  };
};

/** Sets the statement's values on the connection it runs on. */
export const applySettings = async (
  connection: DuckDBConnection,
  settings: readonly Setting[],
): Promise<void> => {
  for (const setting of settings) {
    const prepared = await connection.prepare(setting.sql);
    prepared.bindVarchar(1, setting.value);
    await prepared.run();
  }
};
