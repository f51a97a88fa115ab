/**
 * What a named query is: its documentation, the zod schema of its parameters, how the parsed
 * parameters bind to named values, its SQL in Athena's dialect (Trino) and the columns it returns.
 *
 * The statement builder (src/lib/sql/buildStatement.ts) puts `events` (the window's rows of
 * cloudtrail_logs) and `params` (one column per bound value, named as `bind` names it) in front of
 * the query's own CTEs and SELECT, which refer to `params.<name>`. Every value is a string, or a
 * string cast to a number by `integerValue`; an absent optional value is bound as '' (NULL once
 * cast), which the SQL treats as "no filter". No value ever enters the SQL text.
 */
import type { z } from 'zod';
import type { ResultColumn } from '../lib/engines/queryEngine.js';
import { assertSqlName, type BoundValues, type StatementTemplate } from '../lib/sql/buildStatement.js';

interface QueryExample {
  readonly parameters: Record<string, unknown>;
  readonly from: string;
  readonly to: string;
  /** What the example answers on the bundled sample logs. */
  readonly answers: string;
}

/** What a query module declares. */
export interface QueryDefinition<Schema extends z.ZodType> extends StatementTemplate {
  readonly title: string;
  readonly description: string;
  readonly parameters: Schema;
  /** The parsed parameters as named values; each name becomes a column of `params`. */
  readonly bind: (parameters: z.output<Schema>) => BoundValues;
  readonly columns: readonly ResultColumn[];
  readonly example: QueryExample;
}

type ParametersResult =
  | { readonly success: true; readonly values: BoundValues }
  | { readonly success: false; readonly issues: readonly z.core.$ZodIssue[] };

/** A query as the catalog holds it: parsing and binding its parameters is one step. */
export interface Query extends StatementTemplate {
  readonly title: string;
  readonly description: string;
  readonly parameters: z.ZodType;
  readonly columns: readonly ResultColumn[];
  readonly example: QueryExample;
  /** Validates raw request parameters with the query's schema and binds them. */
  parseParameters(raw: unknown): ParametersResult;
}

export const defineQuery = <Schema extends z.ZodType>(definition: QueryDefinition<Schema>): Query => {
  for (const cte of definition.with ?? []) assertSqlName(cte.name, `A CTE of ${definition.name}`);
  // An answer from partials is its CSV lines, made by DuckDB (sql/csvLine.ts), whose text of a
  // double is not JavaScript's.
  const double = definition.partials && definition.columns.find((c) => c.type === 'double');
  if (double) {
    throw new Error(
      `${definition.name} is answered from partials, as CSV lines DuckDB writes, and its column ${double.name} is a double, whose text DuckDB writes unlike JavaScript`,
    );
  }
  const { bind, ...query } = definition;
  return {
    ...query,
    parseParameters: (raw) => {
      const parsed = definition.parameters.safeParse(raw);
      return parsed.success
        ? { success: true, values: bind(parsed.data) }
        : { success: false, issues: parsed.error.issues };
    },
  };
};

/** The body of POST /v1/executions that runs a query's example. */
export const exampleRequest = (query: Query) => ({
  query: query.name,
  parameters: query.example.parameters,
  from: query.example.from,
  to: query.example.to,
});
