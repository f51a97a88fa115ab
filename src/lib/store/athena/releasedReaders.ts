/**
 * A rebuild takes days out of the compacted range, then writes their copy again. An execution may
 * still be reading the old copy: one submitted before every engine saw the release (each keeps a
 * watermark read for a minute) and not yet ended. This waits for those, and for no others: the
 * API's workgroup's executions submitted before that moment and still queued or running, found in
 * Athena's history (ListQueryExecutions, newest first, 50 ids a call, and BatchGetQueryExecution),
 * then looked at until each has ended. Athena stops a query at its timeout (30 minutes unless the
 * account's quota was raised), so the history is read back no further than `longestMs`.
 */
import {
  type AthenaClient,
  BatchGetQueryExecutionCommand,
  ListQueryExecutionsCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';

export interface ReleasedReadersOptions {
  /** How long an engine keeps a watermark it read (the Athena engine's default, a minute). */
  readonly watermarkTtlMs?: number;
  /** The longest an execution can run: those submitted longer before are not looked for. */
  readonly longestMs?: number;
  /** How often the executions waited for are looked at again. */
  readonly pollMs?: number;
  /** The most executions of the history to read back (ListQueryExecutions lists 50 a call). */
  readonly maxListed?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told, before each wait, which executions are still waited for. */
  readonly onWaiting?: (waiting: readonly QueryExecution[]) => void;
}

const PAGE = 50;
/**
 * How long after reading the watermark an execution may be submitted: the API's function plans it
 * (listing the window's log files, starting its integrity check, retrying throttled calls) within
 * its 29 s; and the caller's and Athena's clocks may differ by a few seconds more.
 */
const PLANNING_MS = 40_000;
const LIVE = new Set(['QUEUED', 'RUNNING']);

const isLive = (q: QueryExecution) => LIVE.has(q.Status?.State ?? '');
const submittedAt = (q: QueryExecution) => q.Status?.SubmissionDateTime?.getTime() ?? Number.NaN;

/**
 * The executions of `ids`, as Athena has them now. One Athena could not describe (throttled) is
 * asked again, and again once more; still undescribed, it is an error: waiting blind is not waiting.
 */
const describe = async (
  athena: AthenaClient,
  ids: readonly string[],
  sleep: (ms: number) => Promise<void>,
): Promise<QueryExecution[]> => {
  const found: QueryExecution[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    let asked = ids.slice(i, i + PAGE);
    for (let attempt = 1; asked.length > 0; attempt++) {
      const answer = await athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: asked }));
      found.push(...(answer.QueryExecutions ?? []));
      // Unprocessed, or left out of the answer: asked again.
      const described = new Set(found.map((q) => q.QueryExecutionId));
      const unprocessed = (answer.UnprocessedQueryExecutionIds ?? []).flatMap((u) =>
        u.QueryExecutionId ? [u] : [],
      );
      const left = [
        ...unprocessed,
        ...asked
          .filter((id) => !described.has(id) && !unprocessed.some((u) => u.QueryExecutionId === id))
          .map((id) => ({
            QueryExecutionId: id,
            ErrorCode: 'absent from the answer',
            ErrorMessage: undefined,
          })),
      ];
      if (left.length > 0 && attempt === 3) {
        const [first] = left;
        throw new Error(
          `Athena did not describe ${left.length} execution(s), ${first?.QueryExecutionId}: ${first?.ErrorCode ?? ''} ${first?.ErrorMessage ?? ''}`.trim(),
        );
      }
      if (left.length > 0) await sleep(1000 * attempt);
      asked = left.map((u) => u.QueryExecutionId as string);
    }
  }
  return found;
};

/**
 * Waits until no execution of `workGroup` that may have read the range as it was before
 * `releasedAt` is still queued or running. @returns the executions it waited for (their ids).
 */
export const waitForReleasedReaders = async (
  athena: AthenaClient,
  workGroup: string,
  releasedAt: Date,
  options: ReleasedReadersOptions = {},
): Promise<string[]> => {
  const {
    watermarkTtlMs = 60_000,
    longestMs = 4 * 60 * 60_000,
    pollMs = 10_000,
    maxListed = 50_000,
    now = Date.now,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  } = options;
  // Until every engine has read the release, a new execution may still be planned on the old range
  // (and is submitted within the planning time after).
  const cutoff = releasedAt.getTime() + watermarkTtlMs + PLANNING_MS;
  if (now() < cutoff) await sleep(cutoff - now());

  let waiting: QueryExecution[] = [];
  let nextToken: string | undefined;
  let listed = 0;
  do {
    const page = await athena.send(
      new ListQueryExecutionsCommand({
        WorkGroup: workGroup,
        MaxResults: PAGE,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    const executions = await describe(athena, page.QueryExecutionIds ?? [], sleep);
    waiting.push(...executions.filter((q) => isLive(q) && submittedAt(q) < cutoff));
    listed += executions.length;
    nextToken = page.NextToken;
    // Newest first: a page wholly older than the longest run ends the search.
    const newest = Math.max(...executions.map(submittedAt).filter(Number.isFinite));
    if (executions.length === 0 || newest < cutoff - longestMs) break;
    if (nextToken && listed >= maxListed) {
      throw new Error(
        `Athena's history of ${workGroup} holds more than ${maxListed} executions in the longest time one runs: not every one that may read the old copy can be found`,
      );
    }
  } while (nextToken);

  const waitedFor = waiting.map((q) => q.QueryExecutionId as string);
  while (waiting.length > 0) {
    options.onWaiting?.(waiting);
    await sleep(pollMs);
    waiting = (
      await describe(
        athena,
        waiting.map((q) => q.QueryExecutionId as string),
        sleep,
      )
    ).filter(isLive);
  }
  return waitedFor;
};
