/**
 * Results expire: an execution's result files are removed once it ended longer ago than the
 * retention, a watch's run's after a week unless a finding was delivered from it; the execution
 * stays listed, `expired`, its results answer 410, and /health counts what the directory holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDuckDbConfig, SAMPLE_LOGS_DIR } from '../../../../src/lib/config.js';
import type { DuckDbEngine } from '../../../../src/lib/engines/duckdb/duckDbEngine.js';
import { ResultRetention } from '../../../../src/lib/engines/duckdb/resultRetention.js';
import { ConfigurationError } from '../../../../src/lib/errors.js';
import { planExecution } from '../../../../src/queries/executionPlan.js';
import { call, runToEnd } from '../../../helpers/apiClient.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../../../helpers/testServer.js';

const DAY = 86_400_000;
const day = { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' };
const body = (label: string) => ({
  query: 'principal-activity',
  parameters: { userName: 'bert-jan' },
  ...day,
  label,
});
/** An execution asked of the API. */
const run = async (label: string) =>
  (await runToEnd(api.baseUrl, body(label))).execution.body.executionId as string;
/** A watch's run: started as a watch starts it (the API refuses a watch:… label). */
const watchRun = async () => {
  const planned = planExecution(body('watch:00000000-0000-4000-8000-000000000001'), api.runtime.config);
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  const { plan } = planned;
  const { executionId } = await api.runtime.engine.start({
    statement: plan.statement,
    columns: plan.query.columns,
    window: plan.window,
  });
  for (let i = 0; i < 200; i += 1) {
    const { state } = await api.runtime.engine.get(executionId, { auditor: false });
    if (state === 'SUCCEEDED') return executionId;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the run did not end');
};

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer(await duckDbTestRuntime(SAMPLE_LOGS_DIR));
});
afterAll(async () => {
  await api.close();
  await api.runtime.close?.();
});

describe('result retention', () => {
  it('removes a watch run that delivered nothing after a week, the others after the retention', async () => {
    const kept = await run('INC-1234');
    const undelivered = await watchRun();
    const delivered = await watchRun();
    const engine = api.runtime.engine as DuckDbEngine;
    await engine.retain(delivered);
    const before = (await call(api.baseUrl, 'GET', '/health')).body.results;
    expect(before.files).toBeGreaterThanOrEqual(9);
    const retention = new ResultRetention(engine, 'P30D');

    expect(await retention.sweep(Date.now() + 6 * DAY)).toBe(0);
    expect(await retention.sweep(Date.now() + 8 * DAY)).toBe(1);
    const gone = await call(api.baseUrl, 'GET', `/v1/executions/${undelivered}/results`);
    expect(gone.status).toBe(410);
    expect(gone.body.detail).toMatch(/TRAILHOUND_RESULTS_RETENTION/);
    expect((await call(api.baseUrl, 'GET', `/v1/executions/${undelivered}/csv`)).status).toBe(410);
    expect((await call(api.baseUrl, 'GET', `/v1/executions/${undelivered}/evidence`)).status).toBe(410);
    expect((await call(api.baseUrl, 'GET', `/v1/executions/${undelivered}`)).body).toMatchObject({
      state: 'SUCCEEDED',
      expired: true,
    });
    for (const id of [kept, delivered]) {
      expect((await call(api.baseUrl, 'GET', `/v1/executions/${id}/results`)).status).toBe(200);
    }

    expect(await retention.sweep(Date.now() + 31 * DAY)).toBe(2);
    for (const id of [kept, delivered]) {
      expect((await call(api.baseUrl, 'GET', `/v1/executions/${id}/results`)).status).toBe(410);
    }
    const listed = await call(api.baseUrl, 'GET', '/v1/executions?label=INC-1234');
    expect(listed.body.executions).toEqual([expect.objectContaining({ executionId: kept, expired: true })]);
    // Only the records are left: three files fewer for each.
    const after = (await call(api.baseUrl, 'GET', '/health')).body.results;
    expect(after.files).toBe(before.files - 9);
    expect(after.bytes).toBeLessThan(before.bytes);
    expect(await retention.sweep(Date.now() + 400 * DAY)).toBe(0);
  });

  it('takes a retention of an hour or more', () => {
    expect(loadDuckDbConfig({}).TRAILHOUND_RESULTS_RETENTION).toBe('P30D');
    expect(() => loadDuckDbConfig({ TRAILHOUND_RESULTS_RETENTION: 'PT5M' })).toThrow(ConfigurationError);
    expect(() => loadDuckDbConfig({ TRAILHOUND_RESULTS_RETENTION: '30 days' })).toThrow(ConfigurationError);
  });
});
