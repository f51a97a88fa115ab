/**
 * Per-caller isolation on AWS, end to end through the Lambda handlers: API Gateway's proxy events
 * carry the signing principal (requestContext.identity.userArn); an execution started by one is
 * a 404 for another, on every route, and visible to an auditor.
 */
import path from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { cancelExecution } from '../../src/handlers/cancelExecution.js';
import { getCsv } from '../../src/handlers/getCsv.js';
import { getExecution } from '../../src/handlers/getExecution.js';
import { getResults } from '../../src/handlers/getResults.js';
import { listExecutions } from '../../src/handlers/listExecutions.js';
import { startExecution } from '../../src/handlers/startExecution.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { httpHandler } from '../../src/lib/http/httpHandler.js';
import type { Route } from '../../src/lib/http/route.js';
import { AthenaDouble } from '../helpers/athenaDouble.js';
import { DATA_DIR } from '../helpers/cloudtrailData.js';
import { lambdaContext, proxyEvent } from '../helpers/proxyEvents.js';

const ALICE = 'arn:aws:sts::111122223333:assumed-role/incident-responder/alice';
const BOB = 'arn:aws:sts::111122223333:assumed-role/incident-responder/bob';
const AUDITOR = 'arn:aws:iam::111122223333:user/auditor';

const double = new AthenaDouble({
  logsDir: path.join(DATA_DIR, 'invictus-attack-simulation'),
  workGroup: 'wg',
});
afterAll(() => double.close());
const runtime = createAthenaRuntime(
  loadAthenaConfig({ TRAILHOUND_ATHENA_WORKGROUP: 'wg', TRAILHOUND_AUDITORS: `${AUDITOR}, apiKey:k-audit` }),
  { athena: double.athena, s3: double.s3 },
);
const invoke = (route: Route, principal: string, overrides: Partial<APIGatewayProxyEvent>) => {
  const event = proxyEvent({ httpMethod: route.method, resource: route.resource, ...overrides });
  event.requestContext.identity.userArn = principal;
  return httpHandler(route, () => runtime)(event, lambdaContext());
};

describe('per-caller isolation on the Athena engine', () => {
  it('a second principal gets 404 on every route of an execution it did not start; an auditor sees it', async () => {
    const started = await invoke(startExecution, ALICE, {
      headers: { 'Content-Type': 'application/json' },
      queryStringParameters: { wait: '10' },
      body: JSON.stringify({
        query: 'mentions',
        parameters: { text: 'malicious-iam-user' },
        from: '2023-07-10T00:00:00Z',
        to: '2023-07-11T00:00:00Z',
      }),
    });
    expect(started.statusCode).toBe(200);
    const { executionId, state } = JSON.parse(started.body);
    expect(state).toBe('SUCCEEDED');
    const on = { pathParameters: { executionId } };
    for (const route of [getExecution, getResults, getCsv, cancelExecution] as Route[]) {
      const response = await invoke(route, BOB, on);
      expect(response.statusCode, route.name).toBe(404);
      expect(response.body, route.name).not.toContain('malicious');
    }
    expect((await invoke(getExecution, ALICE, on)).statusCode).toBe(200);
    expect((await invoke(getResults, ALICE, on)).statusCode).toBe(200);
    expect((await invoke(getExecution, AUDITOR, on)).statusCode).toBe(200);
  });

  it('lists an execution of a label to its owner and to auditors only', async () => {
    const label = 'INC-4711';
    const started = await invoke(startExecution, ALICE, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        query: 'mentions',
        parameters: { text: 'malicious-iam-user' },
        from: '2023-07-10T00:00:00Z',
        to: '2023-07-11T00:00:00Z',
        label,
      }),
    });
    const { executionId } = JSON.parse(started.body);
    const listed = async (principal: string) =>
      JSON.parse((await invoke(listExecutions, principal, { queryStringParameters: { label } })).body) as {
        executions: { executionId: string; label: string }[];
      };
    expect((await listed(ALICE)).executions.map((e) => [e.executionId, e.label])).toEqual([
      [executionId, label],
    ]);
    expect((await listed(BOB)).executions).toEqual([]);
    expect((await listed(AUDITOR)).executions.map((e) => e.executionId)).toEqual([executionId]);
  });
});
