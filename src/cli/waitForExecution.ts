/**
 * Following an execution to its end: polling GET /v1/executions/{id} as often as the API's
 * Retry-After asks (every second without one), showing progress, and ending in the execution if
 * it SUCCEEDED or an ExecutionEndedError if it was FAILED or CANCELLED.
 */
import type { Execution } from '../lib/engines/queryEngine.js';
import { isTerminal } from '../lib/engines/queryEngine.js';
import { ExecutionAnswer } from './answers.js';
import type { ApiClient } from './apiClient.js';
import { ExecutionEndedError } from './errors.js';
import type { Progress } from './progress.js';

const DEFAULT_POLL_MS = 1000;
/** Never faster than this, whatever an endpoint asks: `Retry-After: 0` must not make a busy loop. */
const MIN_POLL_MS = 250;
const MAX_POLL_MS = 30_000;

/** Retry-After as milliseconds: seconds or an HTTP date; the default when absent or unreadable. */
export const retryAfterMs = (header: string | null, now = Date.now()): number => {
  if (header === null || header.trim() === '') return DEFAULT_POLL_MS;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, MIN_POLL_MS), MAX_POLL_MS) : DEFAULT_POLL_MS;
};

export const executionPath = (executionId: string): string =>
  `/v1/executions/${encodeURIComponent(executionId)}`;

/** The execution if it SUCCEEDED; ExecutionEndedError if it was FAILED or CANCELLED. */
export const succeeded = (execution: Execution): Execution => {
  if (execution.state === 'FAILED' || execution.state === 'CANCELLED') {
    throw new ExecutionEndedError(execution.executionId, execution.state, execution.error);
  }
  return execution;
};

/**
 * Polls until the execution ends. After a start that answered 202, pass its Retry-After as
 * `firstWait`: the first look is then taken after it, not at once.
 */
export const waitForExecution = async (
  api: ApiClient,
  executionId: string,
  progress: Progress,
  firstWait?: string | null,
): Promise<Execution> => {
  let execution: Execution | undefined;
  let retryAfter = firstWait ?? null;
  try {
    if (firstWait === undefined) ({ execution, retryAfter } = await fetchExecution(api, executionId));
    while (!execution || !isTerminal(execution.state)) {
      if (execution) progress.show(execution);
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs(retryAfter)));
      ({ execution, retryAfter } = await fetchExecution(api, executionId));
    }
  } finally {
    progress.stop();
  }
  return succeeded(execution);
};

const fetchExecution = async (api: ApiClient, executionId: string) => {
  const answer = await api.get(executionPath(executionId), ExecutionAnswer);
  return { execution: answer.body, retryAfter: answer.headers.get('retry-after') };
};
