/**
 * Watches on AWS, end to end: each route served as its Lambda function would run it, on the
 * Athena engine (the Athena test double over the bundled sample), the table in moto_server's
 * DynamoDB made as the template makes it, Secrets Manager answering for the PagerDuty routing
 * key, and the runWatches function ticking as its schedule would invoke it. A tick starts what is
 * due and delivers; a run asked of the API is finished by the next tick; nothing is delivered
 * twice; every AWS call each function made is allowed by its role in the packaged template.
 * Skipped, saying so, where moto_server is absent.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWatchesHandler } from '../../src/lambda/runWatches.js';
import { loadAthenaConfig, SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { type AthenaRuntime, createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { withAwsWatches } from '../../src/lib/watches/awsWatches.js';
import { API_ROUTES } from '../../src/routes.js';
import { call } from '../helpers/apiClient.js';
import { AthenaDouble } from '../helpers/athenaDouble.js';
import {
  type AwsCall,
  asFunction,
  DOUBLE_ACCOUNT,
  DOUBLE_REGION,
  recordCalls,
  routesAsFunctions,
} from '../helpers/awsCalls.js';
import { type CallbackReceiver, startCallbackReceiver } from '../helpers/callbackReceiver.js';
import {
  refusedCalls,
  rolesOf,
  TEMPLATE_NAMES,
  WATCHES_TABLE,
  WATCHES_TABLE_ARN,
} from '../helpers/leastPrivilege.js';
import {
  createWatchesTable,
  hasMoto,
  type Moto,
  motoDynamoClient,
  startMoto,
} from '../helpers/motoServer.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

const available = hasMoto();
const SKIP = 'moto_server is not on the PATH (pip install "moto[server]"): skipped';
const SECRETS_PREFIX = 'trailhound/dev/watches/';
const ROUTING_KEY = 'R0UT1NGKEY0FAWS0000000000000000';

/** DynamoDB as IAM sees the document client's commands: each on the table, a transaction's items each. */
const dynamoIam = (name: string, input: Record<string, unknown>): Omit<AwsCall, 'fn'>[] => {
  const single: Record<string, string> = {
    Get: 'GetItem',
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    Query: 'Query',
    BatchGet: 'BatchGetItem',
    BatchWrite: 'BatchWriteItem',
  };
  if (name === 'TransactWrite') {
    return (input.TransactItems as Record<string, unknown>[]).map((item) => ({
      action: `dynamodb:${single[Object.keys(item)[0] as string] ?? 'ConditionCheckItem'}`,
      resource: WATCHES_TABLE_ARN,
    }));
  }
  return [{ action: `dynamodb:${single[name] ?? name}`, resource: WATCHES_TABLE_ARN }];
};
const secretsIam = (name: string, input: Record<string, unknown>): Omit<AwsCall, 'fn'>[] => [
  {
    action: `secretsmanager:${name}`,
    resource: `arn:aws:secretsmanager:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:secret:${String(input.SecretId)}-AbCdEf`,
  },
];

let moto: Moto;
let twin: AthenaDouble;
let documents: DynamoDBDocumentClient;
let receiver: CallbackReceiver;
let api: TestServer;
let tick: () => Promise<void>;

beforeAll(async () => {
  if (!available) return;
  moto = await startMoto();
  receiver = await startCallbackReceiver(202);
  twin = new AthenaDouble({ logsDir: SAMPLE_LOGS_DIR, workGroup: TEMPLATE_NAMES.workGroup });
  const dynamo = motoDynamoClient(moto);
  await createWatchesTable(dynamo, WATCHES_TABLE);
  documents = DynamoDBDocumentClient.from(dynamo);
  recordCalls(documents, twin.calls, dynamoIam);
  const secrets = new SecretsManagerClient({ region: DOUBLE_REGION });
  const notFound = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });
  const known = `${SECRETS_PREFIX}pagerduty-soc`;
  const secretsMock = mockClient(secrets);
  secretsMock
    .on(DescribeSecretCommand)
    .callsFake(async ({ SecretId }) => (SecretId === known ? { Name: known } : Promise.reject(notFound())));
  secretsMock
    .on(GetSecretValueCommand)
    .callsFake(async ({ SecretId }) =>
      SecretId === known ? { SecretString: ROUTING_KEY } : Promise.reject(notFound()),
    );
  recordCalls(secrets, twin.calls, secretsIam);
  const { accounts, regions } = twin.logLocation();
  const config = loadAthenaConfig({
    TRAILHOUND_ATHENA_WORKGROUP: TEMPLATE_NAMES.workGroup,
    TRAILHOUND_ATHENA_DATABASE: TEMPLATE_NAMES.database,
    TRAILHOUND_ACCOUNTS: accounts.join(','),
    TRAILHOUND_REGIONS: regions.join(','),
    // The sample is of 2023: a window limit of ten years lets a run's lookback reach it.
    TRAILHOUND_MAX_WINDOW_DAYS: '3660',
    TRAILHOUND_WATCHES_TABLE: WATCHES_TABLE,
    TRAILHOUND_WATCH_SECRETS_PREFIX: SECRETS_PREFIX,
    TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: receiver.origin,
    // The receiver stands in for PagerDuty's Events API.
    TRAILHOUND_PAGERDUTY_ORIGINS: receiver.origin,
    TRAILHOUND_NOTIFY_SECRET: 'the-aws-watch-test-secret-0123456789abcdef',
    TRAILHOUND_PUBLIC_URL: 'https://abc123.execute-api.us-east-1.amazonaws.com/dev',
  });
  const runtime: AthenaRuntime = withAwsWatches(
    await createAthenaRuntime(config, { athena: twin.athena, s3: twin.s3 }),
    { dynamo: documents, secrets },
  );
  api = await startTestServer(runtime, routesAsFunctions(API_ROUTES));
  const handler = runWatchesHandler(async () => runtime);
  tick = () => asFunction('runWatches', () => handler({}, { getRemainingTimeInMillis: () => 900_000 }));
}, 60_000);
afterAll(async () => {
  await api?.close();
  await receiver?.close();
  await twin?.close();
  moto?.stop();
});

const bodiesAt = (pathname: string) =>
  receiver.received
    .filter((r) => r.headers['user-agent']?.startsWith('trailhound'))
    .map((r) => JSON.parse(r.body))
    .filter((b) => (pathname === '/soc' ? b.type === 'watch.findings' : b.event_action === 'trigger'));

describe('watches on AWS (DynamoDB on moto_server, Athena double, the schedule ticking)', () => {
  it('runs due watches on a tick, delivers each finding once, finishes a run the API started on the next tick, and stays within each role', async (context) => {
    if (!available) return context.skip(SKIP);
    const created = await call(api.baseUrl, 'POST', '/v1/watches', {
      query: 'sweep',
      every: 'PT15M',
      lookback: 'P3650D',
      notify: { url: `${receiver.origin}/soc` },
      label: 'soc-sweep',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const paged = await call(api.baseUrl, 'POST', '/v1/watches', {
      query: 'iam-privilege-changes',
      every: 'PT15M',
      lookback: 'P3650D',
      notify: {
        url: `${receiver.origin}/v2/enqueue`,
        format: 'pagerduty',
        routingKeySecret: 'pagerduty-soc',
      },
    });
    expect(paged.status, JSON.stringify(paged.body)).toBe(201);
    const missing = await call(api.baseUrl, 'POST', '/v1/watches', {
      query: 'sweep',
      every: 'PT15M',
      notify: { url: `${receiver.origin}/x`, format: 'pagerduty', routingKeySecret: 'nope' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].detail).toMatch(/no secret nope/);

    await tick();
    const sweep = (await call(api.baseUrl, 'GET', `/v1/watches/${created.body.watchId}`)).body;
    expect(sweep.lastRun).toMatchObject({ trigger: 'schedule', state: 'SUCCEEDED' });
    expect(sweep.lastRun.newFindings).toBeGreaterThan(100);
    expect(sweep.lastRun.delivered).toBe(sweep.lastRun.newFindings);
    const [batch, ...more] = bodiesAt('/soc');
    expect(more).toEqual([]);
    expect(batch.findings).toHaveLength(sweep.lastRun.newFindings);
    expect(batch.links.execution).toBe(
      `https://abc123.execute-api.us-east-1.amazonaws.com/dev/v1/executions/${sweep.lastRun.executionId}`,
    );
    const pd = (await call(api.baseUrl, 'GET', `/v1/watches/${paged.body.watchId}`)).body;
    const events = bodiesAt('/v2/enqueue');
    expect(events).toHaveLength(pd.lastRun.newFindings);
    expect(pd.lastRun.newFindings).toBeGreaterThan(0);
    expect(events.every((e) => e.routing_key === ROUTING_KEY)).toBe(true);

    // Nothing due on the next tick: nothing run, nothing sent.
    receiver.reset();
    await tick();
    expect((await call(api.baseUrl, 'GET', `/v1/watches/${created.body.watchId}`)).body.totals.runs).toBe(1);

    // A run the API starts is finished by the next tick, and delivers nothing already delivered.
    const run = await call(api.baseUrl, 'POST', `/v1/watches/${created.body.watchId}/runs`);
    expect(run.status).toBe(202);
    const running = (await call(api.baseUrl, 'GET', `/v1/watches/${created.body.watchId}`)).body;
    expect(running.running).toMatchObject({ trigger: 'request', executionId: run.body.executionId });
    expect((await call(api.baseUrl, 'POST', `/v1/watches/${created.body.watchId}/runs`)).status).toBe(409);
    await tick();
    const after = (await call(api.baseUrl, 'GET', `/v1/watches/${created.body.watchId}`)).body;
    expect(after.running).toBeUndefined();
    expect(after.lastRun).toMatchObject({
      executionId: run.body.executionId,
      trigger: 'request',
      state: 'SUCCEEDED',
      newFindings: 0,
      delivered: 0,
    });
    expect(receiver.received).toEqual([]);
    expect((await call(api.baseUrl, 'GET', '/v1/watches')).body.watches).toHaveLength(2);

    for (const id of [created.body.watchId, paged.body.watchId]) {
      expect((await call(api.baseUrl, 'DELETE', `/v1/watches/${id}`)).status).toBe(204);
    }
    const keys = await documents.send(
      new QueryCommand({
        TableName: WATCHES_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `delivered#${created.body.watchId}` },
      }),
    );
    expect(keys.Items).toEqual([]);

    const calls = twin.calls.filter((c) => c.fn);
    const functions = new Set(calls.map((c) => c.fn));
    for (const fn of ['createWatch', 'listWatches', 'getWatch', 'deleteWatch', 'runWatch', 'runWatches']) {
      expect(functions, fn).toContain(fn);
    }
    expect(await refusedCalls(await rolesOf('default'), calls)).toEqual([]);
  }, 120_000);
});
