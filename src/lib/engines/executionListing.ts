/**
 * What both engines share to list executions: whether one matches a filter, and the listing's
 * nextToken, an opaque string to clients and a cursor to the engine that wrote it. A token that
 * does not decode to that engine's cursor is refused.
 */
import type { z } from 'zod';
import { PageTokenError } from '../errors.js';
import type { Execution, ExecutionFilter } from './queryEngine.js';

export const matchesFilter = (
  execution: Pick<Execution, 'label' | 'query' | 'state'>,
  filter: ExecutionFilter,
): boolean =>
  (filter.label === undefined || execution.label === filter.label) &&
  (filter.query === undefined || execution.query === filter.query) &&
  (filter.state === undefined || execution.state === filter.state);

export const encodeListToken = (cursor: unknown): string =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

export const decodeListToken = <T>(token: string, schema: z.ZodType<T>): T => {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through to the validation error
  }
  throw new PageTokenError('this listing');
};
