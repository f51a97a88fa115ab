/**
 * Assembles the SQL that runs: the one place where a statement is put together. In order:
 * the header line (statementHeader), `events` (the window's rows of cloudtrail_logs), `params`
 * (one `?` per bound value, named), the template's own CTEs, then its SELECT. Only fixed text and
 * `?` placeholders are joined; every value goes to `parameters`, in placeholder order.
 */
import { TABLE_NAME } from '../schema/cloudtrailTable.js';
import { type StatementHeader, writeStatementHeader } from './statementHeader.js';
import type { TimeWindow } from './timeWindow.js';

/** A named subquery of the WITH clause. */
export interface Cte {
  readonly name: string;
  readonly sql: string;
}

/** What a query contributes to its statement. */
export interface StatementTemplate {
  readonly name: string;
  /** CTEs the SELECT reads besides `events` and `params`, in order. */
  readonly with?: readonly Cte[];
  /** The final SELECT, over `events`, `params` (when values are bound) and `with`. */
  readonly sql: string;
}

/** A value bound to a typed column of `params`: text, cast with try_cast, so '' becomes NULL. */
export interface TypedValue {
  readonly text: string;
  readonly type: 'integer' | 'bigint';
}

/** Every value is a string or a typed string; an absent optional value is '' (no filter). */
type BoundValue = string | TypedValue;
export type BoundValues = Readonly<Record<string, BoundValue>>;

export const integerValue = (value: number | undefined): TypedValue => ({
  text: value === undefined ? '' : String(value),
  type: 'integer',
});

export const bigintValue = (value: number | undefined): TypedValue => ({
  text: value === undefined ? '' : String(value),
  type: 'bigint',
});

export interface Statement {
  readonly sql: string;
  /** One string per `?`, in order. */
  readonly parameters: readonly string[];
  readonly header: StatementHeader;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const RESERVED_NAMES = new Set(['events', 'params']);

/** Throws unless `name` may name a `params` column or a CTE; checked when a query is defined. */
export const assertSqlName = (name: string, what: string): void => {
  if (!IDENTIFIER.test(name) || RESERVED_NAMES.has(name)) {
    throw new Error(`${what} '${name}' must be lower_snake_case and neither events nor params`);
  }
};

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

const windowPredicate = (window: TimeWindow): { sql: string; parameters: string[] } => {
  const clauses = ['day BETWEEN ? AND ?', 'eventtime >= ?', 'eventtime < ?'];
  const parameters = [window.firstDay, window.lastDay, window.from, window.to];
  if (window.accounts) {
    clauses.push(`account IN (${placeholders(window.accounts.length)})`);
    parameters.push(...window.accounts);
  }
  if (window.regions) {
    clauses.push(`region IN (${placeholders(window.regions.length)})`);
    parameters.push(...window.regions);
  }
  return { sql: clauses.join('\n    AND '), parameters };
};

const paramsColumn = (name: string, value: BoundValue): string =>
  typeof value === 'string' ? `? AS ${name}` : `try_cast(? AS ${value.type}) AS ${name}`;

export const buildStatement = (
  template: StatementTemplate,
  values: BoundValues,
  window: TimeWindow,
  started: { owner?: string | undefined; label?: string | undefined; notify?: string | undefined } = {},
): Statement => {
  const scope = windowPredicate(window);
  const bound = Object.entries(values);
  for (const [name] of bound) assertSqlName(name, 'A parameter');
  const ctes: Cte[] = [
    { name: 'events', sql: `SELECT * FROM ${TABLE_NAME}\n  WHERE ${scope.sql}` },
    ...(bound.length > 0
      ? [
          {
            name: 'params',
            sql: `SELECT ${bound.map(([name, value]) => paramsColumn(name, value)).join(', ')}`,
          },
        ]
      : []),
    ...(template.with ?? []),
  ];
  const header = {
    query: template.name,
    from: window.from,
    to: window.to,
    ...(started.owner ? { owner: started.owner } : {}),
    ...(started.label ? { label: started.label } : {}),
    ...(started.notify ? { notify: started.notify } : {}),
  };
  const sql = [
    writeStatementHeader(header),
    `WITH ${ctes.map((cte) => `${cte.name} AS (\n  ${cte.sql.trim()}\n)`).join(',\n')}`,
    template.sql.trim(),
  ].join('\n');
  return {
    sql,
    parameters: [
      ...scope.parameters,
      ...bound.map(([, value]) => (typeof value === 'string' ? value : value.text)),
    ],
    header,
  };
};
