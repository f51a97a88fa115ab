/**
 * A rebuild waits for the executions that may read the copy it is about to write again: those of
 * the API's workgroup submitted before every engine saw the release (a minute, and a few seconds of
 * clock slack) and still queued or running, and for no others. Athena's history, through the real
 * client with its answers faked: pages of ids newest first, each described by
 * BatchGetQueryExecution, the states moving on as time passes.
 */
import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  ListQueryExecutionsCommand,
  type QueryExecution,
  type QueryExecutionState,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitForReleasedReaders } from '../../../../src/lib/store/athena/releasedReaders.js';

const athena = new AthenaClient({ region: 'us-east-1' });
const athenaMock = mockClient(athena);
const RELEASED = Date.parse('2026-12-05T12:00:00Z');
const MINUTE = 60_000;

interface Fake {
  readonly id: string;
  /** Minutes from the release. */
  readonly submitted: number;
  /** Minutes from the release when it ends; never, if absent. */
  readonly ends?: number;
}

/** A workgroup's history, newest first, and a clock that sleeping moves on. */
const history = (fakes: readonly Fake[], startMs = RELEASED + 1000) => {
  let nowMs = startMs;
  const sleeps: number[] = [];
  const listedPages: number[] = [];
  const byId = new Map(fakes.map((f) => [f.id, f]));
  const ordered = [...fakes].sort((a, b) => b.submitted - a.submitted).map((f) => f.id);
  const stateOf = (f: Fake): QueryExecutionState =>
    f.submitted * MINUTE > nowMs - RELEASED
      ? 'QUEUED'
      : f.ends !== undefined && f.ends * MINUTE <= nowMs - RELEASED
        ? 'SUCCEEDED'
        : 'RUNNING';
  athenaMock.reset();
  athenaMock.on(ListQueryExecutionsCommand).callsFake((input: { NextToken?: string; WorkGroup?: string }) => {
    expect(input.WorkGroup).toBe('trailhound-prod');
    const start = Number(input.NextToken ?? 0);
    listedPages.push(start);
    // Only what was submitted by now is in the history.
    const visible = ordered.filter((id) => (byId.get(id) as Fake).submitted * MINUTE <= nowMs - RELEASED);
    const ids = visible.slice(start, start + 50);
    return {
      QueryExecutionIds: ids,
      ...(start + 50 < visible.length ? { NextToken: String(start + 50) } : {}),
    };
  });
  athenaMock.on(BatchGetQueryExecutionCommand).callsFake((input: { QueryExecutionIds: string[] }) => {
    expect(input.QueryExecutionIds.length).toBeLessThanOrEqual(50);
    return {
      QueryExecutions: input.QueryExecutionIds.map((id): QueryExecution => {
        const f = byId.get(id) as Fake;
        return {
          QueryExecutionId: id,
          Status: { State: stateOf(f), SubmissionDateTime: new Date(RELEASED + f.submitted * MINUTE) },
        };
      }),
    };
  });
  return {
    sleeps,
    listedPages,
    now: () => nowMs,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      nowMs += ms;
    },
    elapsedMinutes: () => (nowMs - RELEASED) / MINUTE,
  };
};

beforeEach(() => athenaMock.reset());

describe('waiting for the executions that may read a released copy', () => {
  it('waits for every engine to see the release and start what it planned, then for the executions submitted before, and for no others', async () => {
    const clock = history([
      { id: 'long-before', submitted: -20, ends: 30 }, // reads the old copy, runs 50 minutes
      { id: 'just-before', submitted: -0.5, ends: 12 },
      { id: 'cached-old-range', submitted: 0.9, ends: 5 }, // its engine still held the old watermark
      { id: 'ended-before', submitted: -10, ends: -1 },
    ]);
    const told: string[][] = [];
    const waited = await waitForReleasedReaders(athena, 'trailhound-prod', new Date(RELEASED), {
      now: clock.now,
      sleep: clock.sleep,
      pollMs: MINUTE,
      onWaiting: (waiting) => told.push(waiting.map((q) => q.QueryExecutionId as string)),
    });
    expect(waited.sort()).toEqual(['cached-old-range', 'just-before', 'long-before']);
    // The first wait is until a minute and 40 s after the release (the watermark kept a minute, and
    // the API function's time to plan and start an execution), from 1 s after it.
    expect(clock.sleeps[0]).toBe(99_000);
    // It ends once the last of them ended (at 30 minutes), looking once a minute.
    expect(clock.elapsedMinutes()).toBeGreaterThanOrEqual(30);
    expect(clock.elapsedMinutes()).toBeLessThan(31.1);
    expect(told[0]?.sort()).toEqual(['cached-old-range', 'just-before', 'long-before']);
    expect(told.at(-1)).toEqual(['long-before']);
  });

  it('reads the history back page by page, no further than the longest an execution runs', async () => {
    const fakes: Fake[] = Array.from({ length: 180 }, (_, i) => ({
      id: `old-${i}`,
      submitted: -i * 2, // one every two minutes, back six hours
      ends: -i * 2 + 1,
    }));
    fakes.push({ id: 'still-running', submitted: -100 - 0.5, ends: 10 });
    const clock = history(fakes);
    const waited = await waitForReleasedReaders(athena, 'trailhound-prod', new Date(RELEASED), {
      now: clock.now,
      sleep: clock.sleep,
      longestMs: 2 * 60 * MINUTE,
    });
    expect(waited).toEqual(['still-running']);
    // 181 executions, 50 a page: the third page (from 100) reaches two hours back; the fourth is not read.
    expect(clock.listedPages).toEqual([0, 50, 100]);
  });

  it('returns after the first minute when nothing ran', async () => {
    const clock = history([]);
    expect(await waitForReleasedReaders(athena, 'trailhound-prod', new Date(RELEASED), clock)).toEqual([]);
    expect(clock.sleeps).toEqual([99_000]);
  });

  it('does not wait for an execution submitted after every engine saw the release, nor the minute once it has passed', async () => {
    const clock = history(
      [
        { id: 'planned-on-the-new-range', submitted: 2 }, // never ends
        { id: 'before', submitted: 1.5, ends: 4 }, // planned on the old range, submitted after 90 s
      ],
      RELEASED + 3 * MINUTE,
    );
    const waited = await waitForReleasedReaders(athena, 'trailhound-prod', new Date(RELEASED), {
      now: clock.now,
      sleep: clock.sleep,
      pollMs: MINUTE,
    });
    expect(waited).toEqual(['before']);
    expect(clock.sleeps).toEqual([MINUTE]);
  });

  it('asks again for executions Athena could not describe, and fails rather than waiting blind', async () => {
    const clock = history([{ id: 'running', submitted: -1, ends: 3 }]);
    athenaMock.on(BatchGetQueryExecutionCommand).resolves({
      QueryExecutions: [],
      UnprocessedQueryExecutionIds: [
        { QueryExecutionId: 'running', ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
      ],
    });
    await expect(
      waitForReleasedReaders(athena, 'trailhound-prod', new Date(RELEASED), {
        now: clock.now,
        sleep: clock.sleep,
      }),
    ).rejects.toThrow(/did not describe 1 execution\(s\), running: ThrottlingException Rate exceeded/);
    expect(athenaMock.commandCalls(BatchGetQueryExecutionCommand)).toHaveLength(3);
  });
});
