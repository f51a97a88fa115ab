/**
 * Puts a query template behind the time window: the one place where the SQL that runs is
 * assembled. Only fixed text and `?` placeholders are joined; every value goes to `parameters`.
 */
import type { QueryDefinition } from '../../queries/queryDefinition.js';
import { TABLE_NAME } from '../schema/cloudtrailTable.js';
import type { TimeWindow } from './timeWindow.js';

export interface Statement {
  readonly sql: string;
  readonly parameters: readonly string[];
}

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

export const windowPredicate = (window: TimeWindow): Statement => {
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

const STARTS_WITH_CTE = /^[a-z_][a-z0-9_]*\s+AS\s*\(/i;

export const buildStatement = (
  query: QueryDefinition,
  parameters: unknown,
  window: TimeWindow,
): Statement => {
  const tail = query.sql.trim();
  const scope = windowPredicate(window);
  const bound = query.bind(parameters);
  const sql = [
    `-- trailhound query=${query.name}`,
    'WITH events AS (',
    `  SELECT * FROM ${TABLE_NAME}`,
    `  WHERE ${scope.sql}`,
    // A template that starts with CTEs of its own (params, ...) continues the WITH clause.
    STARTS_WITH_CTE.test(tail) ? '),' : ')',
    tail,
  ].join('\n');
  return { sql, parameters: [...scope.parameters, ...bound] };
};
