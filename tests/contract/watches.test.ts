/**
 * Watches end to end on the local server, over the bundled sample and a real HTTP receiver: a
 * sweep watch delivers the sample's findings once (the rows of the same sweep asked directly),
 * never again on later runs or after a restart; a receiver that is down leaves them pending, and
 * the next run delivers them once it is up; each format's body as its receiver reads it; the
 * bounds (budget, overlap, the number of watches) fail visibly; a run missed while the server was
 * down runs once at start, and one it was in is recorded FAILED.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { type DuckDbConfig, SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import type { DuckDbEngine } from '../../src/lib/engines/duckdb/duckDbEngine.js';
import { createDuckDbRuntime } from '../../src/lib/engines/duckdb/duckDbRuntime.js';
import { ResultRetention } from '../../src/lib/engines/duckdb/resultRetention.js';
import { verifyCallback } from '../../src/lib/notify/callbackSignature.js';
import { call, runToEnd } from '../helpers/apiClient.js';
import { type CallbackReceiver, startCallbackReceiver } from '../helpers/callbackReceiver.js';
import {
  duckDbTestRuntime,
  restartTestServer,
  startTestServer,
  type TestServer,
} from '../helpers/testServer.js';

const SECRET = 'the-watch-secret-of-this-test-0123456789abc';
const ROUTING_KEY = 'R0UT1NGKEY0FTH1STEST000000000000';
/** The sample is of 2023: a window limit of ten years lets a run's lookback reach it. */
const LOOKBACK = 'P3650D';
const options = {
  retryDelaysMs: [20, 40],
  secret: (name: string) => (name === 'pagerduty-soc' ? ROUTING_KEY : undefined),
};

let receiver: CallbackReceiver;
let api: TestServer;
/** The keys of the sweep's findings over the same window, asked directly. */
let sweepKeys: string[];
/** That sweep's execution. */
let sweepExecutionId: string;

const watchOf = async (watchId: string) => (await call(api.baseUrl, 'GET', `/v1/watches/${watchId}`)).body;

/** Waits until the watch has ended `runs` runs. */
const runsEnded = async (watchId: string, runs: number) => {
  for (let i = 0; i < 600; i += 1) {
    const watch = await watchOf(watchId);
    if (watch.totals?.runs >= runs && !watch.running) return watch;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`watch ${watchId} did not end run ${runs}`);
};

const create = async (body: Record<string, unknown>) => {
  const made = await call(api.baseUrl, 'POST', '/v1/watches', {
    query: 'sweep',
    every: 'PT1H',
    lookback: LOOKBACK,
    ...body,
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.watchId as string;
};

const bodies = () => receiver.received.map((r) => JSON.parse(r.body));

/** `trailhound …` against the test server, in this process: its exit code and what it printed. */
const trailhound = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (into: string[]) => ({
    write: (chunk: string | Uint8Array) => into.push(String(chunk)) > 0,
    once: () => undefined,
  });
  const code = await runCli([...args, '--endpoint', api.baseUrl], {
    stdout: stream(out),
    stderr: stream(err),
    env: {},
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
};

beforeAll(async () => {
  receiver = await startCallbackReceiver(202);
  api = await startTestServer(
    await duckDbTestRuntime(
      SAMPLE_LOGS_DIR,
      {
        TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: `${receiver.origin}, https://*.tickets.example.com`,
        // The receiver stands in for PagerDuty's Events API.
        TRAILHOUND_PAGERDUTY_ORIGINS: receiver.origin,
        TRAILHOUND_NOTIFY_SECRET: SECRET,
        TRAILHOUND_MAX_WINDOW_DAYS: '3660',
        TRAILHOUND_MAX_WATCHES: '4',
      },
      options,
    ),
  );
  const sweep = await runToEnd(api.baseUrl, {
    query: 'sweep',
    from: '2023-01-01T00:00:00Z',
    to: '2024-01-01T00:00:00Z',
  });
  sweepExecutionId = sweep.execution.body.executionId;
  const rows = (await call(api.baseUrl, 'GET', `/v1/executions/${sweepExecutionId}/results?limit=1000`)).body
    .rows as Record<string, string>[];
  sweepKeys = rows.map((row) => `${row.detection}:${row.eventid}`).sort();
}, 60_000);
afterAll(async () => {
  await api.close();
  await api.runtime.close?.();
  await receiver.close();
});
beforeEach(() => receiver.reset());

const deleteAll = async () => {
  for (const watch of (await call(api.baseUrl, 'GET', '/v1/watches')).body.watches) {
    await runsEnded(watch.watchId, watch.totals.runs + (watch.running ? 1 : 0));
    expect((await call(api.baseUrl, 'DELETE', `/v1/watches/${watch.watchId}`)).status).toBe(204);
  }
};

describe('watches', () => {
  it("delivers the sample's sweep findings once, signed, and nothing on the runs after, nor after a restart", async () => {
    expect(sweepKeys.length).toBeGreaterThan(100);
    // The README's example says how many.
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(Number(/receiver prints, within seconds: (\d+) findings/.exec(readme)?.[1])).toBe(
      sweepKeys.length,
    );
    expect(Number(/"findings":(\d+),"newFindings":\1,"delivered":\1/.exec(readme)?.[1])).toBe(
      sweepKeys.length,
    );
    const watchId = await create({ notify: { url: `${receiver.origin}/hooks/soc` }, label: 'soc-sweep' });
    // The receiver's path may carry a token (Slack's, Jira's): answers show its origin only.
    expect((await watchOf(watchId)).notify).toEqual({ url: `${receiver.origin}/…`, format: 'trailhound' });
    const first = await runsEnded(watchId, 1);
    expect(first.lastRun).toMatchObject({
      trigger: 'schedule',
      state: 'SUCCEEDED',
      findings: sweepKeys.length,
      newFindings: sweepKeys.length,
      delivered: sweepKeys.length,
      pending: 0,
    });
    expect(first.totals).toEqual({
      runs: 1,
      failedRuns: 0,
      findingsDelivered: sweepKeys.length,
      pendingFindings: 0,
    });
    // The schedule keeps its cadence: an hour after the slot it ran in (the watch's creation).
    expect(Date.parse(first.nextRunAt) - Date.parse(first.createdAt)).toBe(3_600_000);
    const [only, ...more] = receiver.received;
    expect(more).toEqual([]);
    expect(verifyCallback(SECRET, only?.body ?? '', String(only?.headers['trailhound-signature']))).toBe(
      true,
    );
    const payload = JSON.parse(only?.body ?? '{}');
    expect(payload).toMatchObject({
      type: 'watch.findings',
      watchId,
      label: 'soc-sweep',
      query: 'sweep',
      executionId: first.lastRun.executionId,
      window: first.lastRun.window,
    });
    expect(payload.findings.map((f: { finding_key: string }) => f.finding_key).sort()).toEqual(sweepKeys);
    // The run is an ordinary execution, labelled with its watch.
    const listed = await call(api.baseUrl, 'GET', `/v1/executions?label=watch:${watchId}`);
    expect(listed.body.executions.map((e: { executionId: string }) => e.executionId)).toEqual([
      first.lastRun.executionId,
    ]);

    const again = await call(api.baseUrl, 'POST', `/v1/watches/${watchId}/runs`);
    expect(again.status).toBe(202);
    expect(again.headers.get('location')).toBe(`/v1/executions/${again.body.executionId}`);
    const second = await runsEnded(watchId, 2);
    expect(second.lastRun).toMatchObject({
      trigger: 'request',
      findings: sweepKeys.length,
      newFindings: 0,
      delivered: 0,
    });
    // A run by request leaves the schedule where it was.
    expect(second.nextRunAt).toBe(first.nextRunAt);

    api = await restartTestServer(api, options);
    const rerun = await call(api.baseUrl, 'POST', `/v1/watches/${watchId}/runs`);
    expect(rerun.status).toBe(202);
    const third = await runsEnded(watchId, 3);
    expect(third.lastRun).toMatchObject({ newFindings: 0, delivered: 0 });
    expect(receiver.received).toHaveLength(1);
    // A week on, the runs that delivered nothing have expired; the one that delivered keeps its results.
    const engine = api.runtime.engine as DuckDbEngine;
    expect(await new ResultRetention(engine, 'P30D').sweep(Date.now() + 8 * 86_400_000)).toBe(2);
    const status = async (id: string) =>
      (await call(api.baseUrl, 'GET', `/v1/executions/${id}/results?limit=1`)).status;
    expect(await status(first.lastRun.executionId)).toBe(200);
    expect(await status(second.lastRun.executionId)).toBe(410);
    expect(await status(third.lastRun.executionId)).toBe(410);
    await deleteAll();
  }, 120_000);

  it('keeps findings pending while the receiver is down and delivers them once when it is up', async () => {
    receiver.answers = [503, 503, 503];
    const watchId = await create({
      query: 'iam-privilege-changes',
      notify: { url: `${receiver.origin}/hooks/down` },
    });
    const failed = await runsEnded(watchId, 1);
    expect(receiver.received).toHaveLength(3); // one delivery, tried three times
    expect(failed.lastRun.state).toBe('SUCCEEDED');
    expect(failed.lastRun.delivered).toBe(0);
    expect(failed.lastRun.pending).toBe(failed.lastRun.newFindings);
    expect(failed.lastRun.deliveryError).toMatch(/answered 503/);
    expect(failed.totals.pendingFindings).toBe(failed.lastRun.newFindings);
    expect(failed.lastRun.newFindings).toBeGreaterThan(0);
    receiver.reset();
    expect((await call(api.baseUrl, 'POST', `/v1/watches/${watchId}/runs`)).status).toBe(202);
    const delivered = await runsEnded(watchId, 2);
    expect(delivered.lastRun).toMatchObject({
      newFindings: 0,
      delivered: failed.lastRun.newFindings,
      pending: 0,
    });
    expect(delivered.lastRun.deliveryError).toBeUndefined();
    expect(delivered.totals).toMatchObject({
      findingsDelivered: failed.lastRun.newFindings,
      pendingFindings: 0,
    });
    const [sent] = bodies();
    expect(sent.findings).toHaveLength(failed.lastRun.newFindings);
    // Every finding of this query has an event id: that is its key.
    expect(
      sent.findings.every((f: { finding_key: string; eventid: string }) => f.finding_key === f.eventid),
    ).toBe(true);
    await deleteAll();
  }, 60_000);

  it('sends PagerDuty Events v2, one trigger per finding with its key as dedup_key', async () => {
    const watchId = await create({
      query: 'sweep',
      notify: {
        url: `${receiver.origin}/v2/enqueue`,
        format: 'pagerduty',
        routingKeySecret: 'pagerduty-soc',
      },
    });
    const run = await runsEnded(watchId, 1);
    expect(run.lastRun.delivered).toBe(sweepKeys.length);
    const events = bodies();
    expect(events.map((e) => e.dedup_key).sort()).toEqual(sweepKeys);
    for (const event of events) {
      expect(event).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'trigger' });
      expect(['critical', 'error', 'warning', 'info']).toContain(event.payload.severity);
      expect(event.payload.summary.startsWith(`${event.payload.class}: `)).toBe(true);
      expect(event.payload.custom_details.eventid).toBe(event.dedup_key.split(':').at(-1));
    }
    // The key is shown by name only.
    expect(JSON.stringify(await watchOf(watchId))).not.toContain(ROUTING_KEY);
    await deleteAll();
  }, 60_000);

  it('is managed from the command line: create (parameters typed), list, show, run and delete', async () => {
    const made = await trailhound(
      'watches',
      'create',
      'principal-activity',
      '--every',
      'PT1H',
      '--lookback',
      LOOKBACK,
      '-p',
      'userName=bert-jan',
      '--notify',
      `${receiver.origin}/cli`,
      '--label',
      'cli-watch',
      '-f',
      'json',
    );
    expect(made.code, made.stderr).toBe(0);
    const { watchId } = JSON.parse(made.stdout);
    expect(JSON.parse(made.stdout)).toMatchObject({
      query: 'principal-activity',
      parameters: { userName: 'bert-jan' },
    });
    await runsEnded(watchId, 1);
    const listed = await trailhound('watches', 'list');
    expect(listed.stdout).toMatch(
      new RegExp(
        `^${watchId}  cli-watch .* every PT1H .* last SUCCEEDED at .*: \\d+ new, \\d+ delivered`,
        'm',
      ),
    );
    const shown = await trailhound('watches', 'show', watchId);
    expect(shown.stdout).toContain('every      PT1H, looking back P3650D');
    expect(shown.stdout).toMatch(/^totals {5}1 runs \(0 failed\), \d+ findings delivered, 0 pending$/m);
    const ran = await trailhound('watches', 'run', watchId);
    expect(ran.stdout).toMatch(/^started [0-9a-f-]{36}: trailhound status/);
    await runsEnded(watchId, 2);
    expect((await trailhound('watches', 'delete', watchId)).stdout).toBe(`deleted ${watchId}\n`);
    const gone = await trailhound('watches', 'show', watchId);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain(`No watch ${watchId}`);
  }, 60_000);

  it('refuses what it cannot do: a bad body, a secret it lacks, an origin not listed, a fifth watch, an overlapping run', async () => {
    const bad = await call(api.baseUrl, 'POST', '/v1/watches', {
      query: 'sweep',
      every: 'PT1M',
      lookback: 'P400D',
      notify: { url: 'https://elsewhere.example.com/x', format: 'pagerduty', routingKeySecret: 'nope' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { pointer: '#/body/every', detail: 'from PT5M to P1D' },
        expect.objectContaining({ pointer: '#/body/notify/routingKeySecret' }),
        expect.objectContaining({ pointer: '#/body/notify/url' }),
      ]),
    );
    const tooLong = await call(api.baseUrl, 'POST', '/v1/watches', {
      query: 'sweep',
      every: 'PT5M',
      lookback: 'P3700D',
      notify: { url: `${receiver.origin}/x` },
    });
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ pointer: '#/body/lookback' })]);
    // A routing key goes to PagerDuty's origins only, even where another origin is allowed.
    const leak = await call(api.baseUrl, 'POST', '/v1/watches', {
      query: 'sweep',
      every: 'PT5M',
      notify: {
        url: 'https://mine.tickets.example.com/x',
        format: 'pagerduty',
        routingKeySecret: 'pagerduty-soc',
      },
    });
    expect(leak.status).toBe(400);
    expect(leak.body.errors).toEqual([
      {
        pointer: '#/body/notify/url',
        detail: expect.stringMatching(/routing key is sent to PagerDuty's origins only/),
      },
    ]);
    // watch:… labels are the watches' runs' alone.
    const taken = await call(api.baseUrl, 'POST', '/v1/executions', {
      query: 'sweep',
      from: '2023-07-10T00:00:00Z',
      to: '2023-07-11T00:00:00Z',
      label: 'watch:incident-42',
    });
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual([expect.objectContaining({ pointer: '#/body/label' })]);
    expect(
      (
        await call(api.baseUrl, 'POST', '/v1/watches', {
          query: 'nope',
          every: 'PT5M',
          notify: { url: `${receiver.origin}/x` },
        })
      ).status,
    ).toBe(404);
    expect((await call(api.baseUrl, 'GET', '/v1/watches')).body.watches).toEqual([]);

    // Over its budget: the run fails visibly (422 for a run by request, FAILED on the watch).
    const budgeted = await create({ notify: { url: `${receiver.origin}/x` }, maxBytesScanned: 1 });
    const refused = await runsEnded(budgeted, 1);
    expect(refused.lastRun).toMatchObject({ state: 'FAILED', trigger: 'schedule' });
    expect(refused.lastRun.error).toMatch(/could not start: .*budget/i);
    const asked = await call(api.baseUrl, 'POST', `/v1/watches/${budgeted}/runs`);
    expect(asked.status).toBe(422);
    expect((await watchOf(budgeted)).totals).toMatchObject({ runs: 2, failedRuns: 2 });

    const slow = await create({ notify: { url: `${receiver.origin}/x` } });
    const started = await call(api.baseUrl, 'POST', `/v1/watches/${slow}/runs`);
    const overlapping = await call(api.baseUrl, 'POST', `/v1/watches/${slow}/runs`);
    // The first run (at creation, or this one) is under way: the second is refused.
    expect([started.status, overlapping.status]).toContain(409);
    await create({ notify: { url: `${receiver.origin}/x` } });
    await create({ notify: { url: `${receiver.origin}/x` } });
    const fifth = await call(api.baseUrl, 'POST', '/v1/watches', {
      query: 'sweep',
      every: 'PT5M',
      notify: { url: `${receiver.origin}/x` },
    });
    expect(fifth.status).toBe(422);
    expect(fifth.body.detail).toMatch(/TRAILHOUND_MAX_WATCHES/);
    expect((await call(api.baseUrl, 'GET', '/v1/watches/00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    expect((await call(api.baseUrl, 'DELETE', '/v1/watches/not-a-watch')).status).toBe(400);
    await deleteAll();
  }, 90_000);

  it('runs a slot missed while the server was down once at start, finishes a run it stopped in, and gives up one that had not started', async () => {
    const missed = await create({ notify: { url: `${receiver.origin}/x` } });
    const interrupted = await create({ notify: { url: `${receiver.origin}/x` } });
    const resumed = await create({ notify: { url: `${receiver.origin}/x` } });
    const broken = await create({ notify: { url: `${receiver.origin}/x` } });
    for (const id of [missed, interrupted, resumed, broken]) await runsEnded(id, 1);
    // An execution whose results are gone by the time its run is finished.
    const gone = (
      await runToEnd(api.baseUrl, {
        query: 'sweep',
        from: '2023-07-10T00:00:00Z',
        to: '2023-07-11T00:00:00Z',
      })
    ).execution.body.executionId as string;
    const results = (api.runtime.config as DuckDbConfig).TRAILHOUND_RESULTS_DIR;
    for (const file of [`${gone}.csv`, `${gone}.index`]) await rm(path.join(results, file));
    await api.close();
    await api.runtime.close?.();
    const dir = path.join((api.runtime.config as DuckDbConfig).TRAILHOUND_STATE_DIR, 'watches');
    const edit = async (
      watchId: string,
      change: (record: Record<string, unknown>) => Record<string, unknown>,
    ) => {
      const file = path.join(dir, `${watchId}.json`);
      await writeFile(file, JSON.stringify(change(JSON.parse(await readFile(file, 'utf8')))));
    };
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
    await edit(missed, (r) => ({ ...r, nextRunAt: threeHoursAgo }));
    await edit(interrupted, (r) => ({ ...r, running: { since: threeHoursAgo, trigger: 'schedule' } }));
    // Stopped after the sweep's execution ended, before its findings were delivered.
    await rm(path.join(dir, `${resumed}.delivered.json`));
    await edit(resumed, (r) => ({
      ...r,
      running: { since: threeHoursAgo, trigger: 'schedule', executionId: sweepExecutionId },
    }));
    await edit(broken, (r) => ({
      ...r,
      running: { since: threeHoursAgo, trigger: 'schedule', executionId: gone },
    }));
    receiver.reset();
    api = await startTestServer(await createDuckDbRuntime(api.runtime.config as DuckDbConfig, options));
    const ran = await runsEnded(missed, 2);
    // Once, however many slots were missed; the schedule goes on at the next slot of its grid.
    expect(ran.lastRun).toMatchObject({ trigger: 'schedule', state: 'SUCCEEDED' });
    expect(ran.totals.runs).toBe(2);
    expect(Date.parse(ran.nextRunAt)).toBeGreaterThan(Date.now());
    expect((Date.parse(ran.nextRunAt) - Date.parse(threeHoursAgo)) % 3_600_000).toBe(0);
    const stopped = await runsEnded(interrupted, 2);
    expect(stopped.running).toBeUndefined();
    expect(stopped.lastRun).toMatchObject({ state: 'FAILED', startedAt: threeHoursAgo });
    expect(stopped.lastRun.error).toMatch(/stopped before its execution started/);
    const finished = await runsEnded(resumed, 2);
    expect(finished.lastRun).toMatchObject({
      executionId: sweepExecutionId,
      startedAt: threeHoursAgo,
      state: 'SUCCEEDED',
      delivered: sweepKeys.length,
    });
    // One that cannot be finished ends FAILED, saying why, and is not left claimed.
    const failed = await runsEnded(broken, 2);
    expect(failed.running).toBeUndefined();
    expect(failed.lastRun).toMatchObject({ state: 'FAILED', executionId: gone });
    expect(failed.lastRun.error).toMatch(/could not finish: .*unavailable/);
    const mine = bodies().filter((b) => b.watchId === resumed);
    expect(mine).toHaveLength(1);
    expect(mine[0].executionId).toBe(sweepExecutionId);
    await deleteAll();
  }, 90_000);
});
