/**
 * What bounds a start on AWS, through the Lambda handler and the Athena engine on its double:
 * the budget needs an estimate and refuses a start over it; the workgroup's scan cutoff refuses a
 * start the estimate puts over it, and lets one through when the window is too large to estimate,
 * since Athena's own cutoff still stands guard.
 */
import path from 'node:path';
import { StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { afterAll, describe, expect, it } from 'vitest';
import { startExecution } from '../../src/handlers/startExecution.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { httpHandler } from '../../src/lib/http/httpHandler.js';
import { AthenaDouble, LOG_BUCKET } from '../helpers/athenaDouble.js';
import { DATA_DIR, logBytesOfDays } from '../helpers/cloudtrailData.js';
import { lambdaContext, proxyEvent } from '../helpers/proxyEvents.js';

const double = new AthenaDouble({
  logsDir: path.join(DATA_DIR, 'invictus-attack-simulation'),
  workGroup: 'wg',
});
afterAll(() => double.close());

const { accounts, regions } = double.logLocation();
const located = {
  TRAILHOUND_ATHENA_WORKGROUP: 'wg',
  TRAILHOUND_LOG_BUCKET: LOG_BUCKET,
  TRAILHOUND_ACCOUNTS: accounts.join(','),
  TRAILHOUND_REGIONS: regions.join(','),
};
// The invictus day and its day of slack, as the estimate must count it: read from the disk.
const DAY_BYTES = logBytesOfDays('2023/07/10', '2023/07/11');
const DAY = {
  query: 'mentions',
  parameters: { text: 'bert-jan' },
  from: '2023-07-10T00:00:00Z',
  to: '2023-07-11T00:00:00Z',
};

const post = async (env: Record<string, string>, body: Record<string, unknown>) => {
  const runtime = createAthenaRuntime(loadAthenaConfig(env), { athena: double.athena, s3: double.s3 });
  const starts = double.athenaMock.commandCalls(StartQueryExecutionCommand).length;
  const response = await httpHandler(startExecution, () => runtime)(
    proxyEvent({
      httpMethod: 'POST',
      resource: '/v1/executions',
      headers: { 'Content-Type': 'application/json' },
      queryStringParameters: { wait: '10' },
      body: JSON.stringify(body),
    }),
    lambdaContext(),
  );
  return {
    status: response.statusCode,
    body: JSON.parse(response.body),
    started: double.athenaMock.commandCalls(StartQueryExecutionCommand).length - starts,
  };
};

describe('scan limits on a start (Athena)', () => {
  it('refuses a start the estimate puts over the scan cutoff: Athena would bill the cutoff, then cancel', async () => {
    const refused = await post({ ...located, TRAILHOUND_SCAN_CUTOFF_BYTES: String(DAY_BYTES - 1) }, DAY);
    expect(refused).toMatchObject({
      status: 422,
      started: 0,
      body: {
        type: 'urn:trailhound:problem:budget-exceeded',
        scanCutoffBytes: DAY_BYTES - 1,
        estimate: { bytesScanned: DAY_BYTES },
      },
    });
    expect(refused.body.detail).toMatch(/scan cutoff/);
    const runs = await post({ ...located, TRAILHOUND_SCAN_CUTOFF_BYTES: String(DAY_BYTES) }, DAY);
    expect(runs).toMatchObject({ status: 200, started: 1, body: { state: 'SUCCEEDED' } });
    expect(runs.body.statistics).toEqual(
      expect.objectContaining({ bytesScanned: DAY_BYTES, estimatedBytesScanned: DAY_BYTES }),
    );
  });

  it('starts without an estimate when the window is too large to list, the cutoff standing guard', async () => {
    const tooMany = {
      ...located,
      // Two regions, one listing allowed: too many to list.
      TRAILHOUND_REGIONS: [...regions, 'eu-west-1'].join(','),
      TRAILHOUND_SCAN_CUTOFF_BYTES: String(2 ** 30),
      TRAILHOUND_ESTIMATE_MAX_CALLS: '1',
    };
    const runs = await post(tooMany, DAY);
    expect(runs).toMatchObject({ status: 200, started: 1, body: { state: 'SUCCEEDED' } });
    expect(runs.body.statistics.estimatedBytesScanned).toBeUndefined();
    // A budget needs the estimate: without one, nothing starts.
    const budgeted = await post(tooMany, { ...DAY, maxBytesScanned: 2 ** 20 });
    expect(budgeted).toMatchObject({
      status: 422,
      started: 0,
      body: { type: 'urn:trailhound:problem:estimate-unavailable' },
    });
    expect(budgeted.body.detail).toMatch(/TRAILHOUND_ESTIMATE_MAX_CALLS/);
  });

  it('applies the deployment default budget, which a request may lower', async () => {
    const env = { ...located, TRAILHOUND_MAX_BYTES_SCANNED: String(DAY_BYTES - 1) };
    expect(await post(env, DAY)).toMatchObject({
      status: 422,
      started: 0,
      body: { maxBytesScanned: DAY_BYTES - 1 },
    });
    expect(await post(env, { ...DAY, maxBytesScanned: 1000 })).toMatchObject({
      status: 422,
      body: { maxBytesScanned: 1000 },
    });
  });

  it('answers a dry run with the cost at the configured price, and says whether the start would run', async () => {
    const dry = await post(
      {
        ...located,
        TRAILHOUND_SCAN_CUTOFF_BYTES: String(DAY_BYTES - 1),
        TRAILHOUND_PRICE_PER_TB_USD: '6.25',
      },
      { ...DAY, dryRun: true },
    );
    expect(dry).toMatchObject({
      status: 200,
      started: 0,
      body: {
        dryRun: true,
        estimate: { bytesScanned: DAY_BYTES, costUsd: 0.0000625 },
        scanCutoffBytes: DAY_BYTES - 1,
        wouldStart: false,
      },
    });
  });

  it('cannot estimate a deployment that does not say where its logs are: a dry run says so', async () => {
    const dry = await post({ TRAILHOUND_ATHENA_WORKGROUP: 'wg' }, { ...DAY, dryRun: true });
    expect(dry).toMatchObject({ status: 422, started: 0 });
    expect(dry.body.detail).toMatch(/TRAILHOUND_LOG_BUCKET/);
  });
});
