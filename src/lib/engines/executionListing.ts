/**
 * What both engines share to list executions: whether one matches a filter, and the listing's
 * nextToken (results/pageToken.ts's encoding), a cursor to the engine that wrote it. A token that
 * does not decode to that engine's cursor is refused.
 */
import type { z } from 'zod';
import { decodeToken, encodeToken } from '../results/pageToken.js';
import type { Execution, ExecutionFilter } from './queryEngine.js';

export const matchesFilter = (
  execution: Pick<Execution, 'label' | 'query' | 'state'>,
  filter: ExecutionFilter,
): boolean =>
  (filter.label === undefined || execution.label === filter.label) &&
  (filter.query === undefined || execution.query === filter.query) &&
  (filter.state === undefined || execution.state === filter.state);

export const encodeListToken = (cursor: unknown): string => encodeToken(cursor);

export const decodeListToken = <T>(token: string, schema: z.ZodType<T>): T =>
  decodeToken(token, schema, 'this listing');
