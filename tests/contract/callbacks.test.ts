/**
 * Callbacks end to end on the local server: a start with `notify` makes exactly one signed POST
 * to the receiver when the execution ends (SUCCEEDED, FAILED or CANCELLED), with what a ticketing
 * system needs; a receiver that fails twice gets its third try; a URL of an origin not listed is
 * refused with 400 and nothing is started.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { verifyCallback } from '../../src/lib/notify/callbackSignature.js';
import { call, runToEnd } from '../helpers/apiClient.js';
import { type CallbackReceiver, startCallbackReceiver } from '../helpers/callbackReceiver.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const SECRET = 'the-callback-secret-of-this-test-0123456789';
const day = { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' };

let receiver: CallbackReceiver;
let hook: string;
let api: TestServer;

beforeAll(async () => {
  receiver = await startCallbackReceiver(204);
  hook = `${receiver.origin}/trailhound/INC-1234`;
  api = await startTestServer(
    await duckDbTestRuntime(SAMPLE_LOGS_DIR, {
      TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: `${receiver.origin}, https://*.tickets.example.com`,
      TRAILHOUND_NOTIFY_SECRET: SECRET,
      TRAILHOUND_PUBLIC_URL: 'https://trailhound.internal.example.com',
      TRAILHOUND_MAX_CONCURRENT: '1',
    }),
  );
});
afterAll(async () => {
  await api.close();
  await receiver.close();
});
beforeEach(() => receiver.reset());

const delivered = async () => {
  await api.runtime.callbacks?.();
  return receiver.received.map((r) => ({ ...r, payload: JSON.parse(r.body) }));
};

describe('callbacks', () => {
  it('POSTs one signed summary when the execution succeeds', async () => {
    const run = await runToEnd(api.baseUrl, {
      query: 'principal-activity',
      parameters: { userName: 'bert-jan' },
      ...day,
      label: 'INC-1234',
      notify: { url: hook },
    });
    const { executionId } = run.execution.body;
    const [only, ...more] = await delivered();
    expect(more).toEqual([]);
    expect(only?.headers['trailhound-delivery']).toBe(`${executionId}:SUCCEEDED`);
    expect(verifyCallback(SECRET, only?.body ?? '', String(only?.headers['trailhound-signature']))).toBe(
      true,
    );
    const base = `https://trailhound.internal.example.com/v1/executions/${executionId}`;
    expect(only?.payload).toEqual({
      type: 'execution.ended',
      executionId,
      label: 'INC-1234',
      query: 'principal-activity',
      state: 'SUCCEEDED',
      submittedAt: run.execution.body.submittedAt,
      completedAt: run.execution.body.completedAt,
      window: day,
      rowCount: run.rows.length,
      bytesScanned: run.execution.body.statistics.bytesScanned,
      links: { execution: base, results: `${base}/results`, csv: `${base}/csv` },
    });
    expect(run.rows).toHaveLength(2642);
    // The execution does not show where its callback goes.
    expect(
      JSON.stringify((await call(api.baseUrl, 'GET', `/v1/executions/${executionId}`)).body),
    ).not.toContain(hook);
  });

  it('calls back for a cancelled execution too, once', async () => {
    const long = { query: 'mentions', parameters: { text: 'amazonaws' }, ...day };
    const first = await call(api.baseUrl, 'POST', '/v1/executions', long);
    const queued = await call(api.baseUrl, 'POST', '/v1/executions', { ...long, notify: { url: hook } });
    await call(api.baseUrl, 'DELETE', `/v1/executions/${queued.body.executionId}`);
    for (let i = 0; i < 100; i += 1) {
      const state = (await call(api.baseUrl, 'GET', `/v1/executions/${first.body.executionId}`)).body.state;
      if (state === 'SUCCEEDED') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const deliveries = await delivered();
    expect(deliveries.map((d) => [d.payload.executionId, d.payload.state])).toEqual([
      [queued.body.executionId, 'CANCELLED'],
    ]);
    expect(deliveries[0]?.payload.links).toEqual({
      execution: `https://trailhound.internal.example.com/v1/executions/${queued.body.executionId}`,
    });
  });

  it('gives a receiver that fails twice its third try', async () => {
    receiver.answers = [500, 502];
    await runToEnd(api.baseUrl, {
      query: 'mentions',
      parameters: { text: 'bert-jan' },
      ...day,
      notify: { url: hook },
    });
    const deliveries = await delivered();
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.headers['trailhound-delivery'])).size).toBe(1);
  }, 30_000);

  it('refuses, 400, a URL of an origin not listed or with credentials, and starts nothing', async () => {
    for (const url of [
      'https://attacker.example.com/hook',
      `${hook.replace('http://', 'http://user:pw@')}`,
      'http://169.254.169.254/latest/meta-data/',
      'ftp://127.0.0.1/x',
    ]) {
      const response = await call(api.baseUrl, 'POST', '/v1/executions', {
        query: 'mentions',
        parameters: { text: 'bert-jan' },
        ...day,
        notify: { url },
      });
      expect(response.status, url).toBe(400);
      expect(response.body.errors[0].pointer).toMatch(/^#\/body\/notify\/url/);
    }
    expect(await delivered()).toEqual([]);
  });
});
