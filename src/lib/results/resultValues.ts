/**
 * Result values arrive as text from both engines (Athena's GetQueryResults VarCharValue, the CSV
 * the embedded engine keeps); the declared column type turns each into the same JSON value, so
 * that both engines answer the same query with identical JSON.
 */
import type { ColumnType, ResultValue } from '../engines/queryEngine.js';

export const fromResultText = (text: string | null | undefined, type: ColumnType): ResultValue => {
  if (text === null || text === undefined) return null;
  switch (type) {
    case 'varchar':
      return text;
    case 'boolean':
      return text === 'true';
    case 'integer':
    case 'bigint':
    case 'double': {
      const n = Number(text);
      // A bigint beyond 2^53 stays exact as text rather than silently rounding.
      return Number.isFinite(n) && (type === 'double' || Number.isSafeInteger(n)) ? n : text;
    }
  }
};

/** Maps a name from Athena's column metadata (varchar, integer, bigint, boolean, double...) to ours. */
export const toColumnType = (athenaType: string | undefined): ColumnType => {
  switch (athenaType?.toLowerCase()) {
    case 'integer':
    case 'int':
    case 'smallint':
    case 'tinyint':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'double':
    case 'float':
    case 'real':
    case 'decimal':
      return 'double';
    case 'boolean':
      return 'boolean';
    default:
      return 'varchar';
  }
};
