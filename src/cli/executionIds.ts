/**
 * An execution id as a person types it: whole, or its first 8 characters or more (as file names
 * and the README show ids). A prefix is looked up in the listing (GET /v1/executions, newest
 * first): one execution whose id starts with it is that one; none, or several, is said so.
 */
import { z } from 'zod';
import type { ApiClient } from './apiClient.js';
import { ApiRefusedError, UsageError } from './errors.js';

const WHOLE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX = /^[0-9a-f][0-9a-f-]{7,35}$/i;
/** Pages of the listing looked through for a prefix: the 2,000 newest executions. */
const MAX_PAGES = 20;

const ListingAnswer = z.looseObject({
  executions: z.array(z.looseObject({ executionId: z.string() })),
  nextToken: z.string().min(1).optional(),
});

export const resolveExecutionId = async (api: ApiClient, typed: string, command: string): Promise<string> => {
  if (WHOLE_ID.test(typed)) return typed;
  if (!PREFIX.test(typed)) {
    throw new UsageError(
      `An execution id is whole, or its first 8 characters or more: not '${typed}'`,
      command,
    );
  }
  const prefix = typed.toLowerCase();
  const matches = new Set<string>();
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ limit: '100', ...(nextToken ? { nextToken } : {}) });
    const listed = (await api.get(`/v1/executions?${query}`, ListingAnswer)).body;
    for (const { executionId } of listed.executions)
      if (executionId.startsWith(prefix)) matches.add(executionId);
    nextToken = listed.nextToken;
    if (!nextToken) break;
  }
  const [only, ...others] = [...matches];
  if (!only) throw new ApiRefusedError(404, 'Not found', `No execution's id starts with ${typed}`);
  if (others.length > 0) {
    throw new UsageError(
      `${typed} is the start of ${matches.size} executions' ids (${[only, ...others].slice(0, 5).join(', ')}${matches.size > 5 ? ', …' : ''}): give more of it`,
      command,
    );
  }
  return only;
};
