/**
 * Callbacks on AWS: the function that EventBridge calls with Athena's state change events reads
 * the ended execution's statement header and delivers its callback, signed with the key it reads
 * from Secrets Manager; an execution that asked for none is left alone.
 */
import path from 'node:path';
import { GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getExecution } from '../../src/handlers/getExecution.js';
import { startExecution } from '../../src/handlers/startExecution.js';
import { type AthenaStateChange, notifyExecutionHandler } from '../../src/lambda/notifyExecution.js';
import { runIntegrityCheckHandler } from '../../src/lambda/runIntegrityCheck.js';
import { type AthenaConfig, loadAthenaConfig } from '../../src/lib/config.js';
import { type AthenaRuntime, createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { httpHandler } from '../../src/lib/http/httpHandler.js';
import { callbackNotifier } from '../../src/lib/notify/callbackNotifier.js';
import { verifyCallback } from '../../src/lib/notify/callbackSignature.js';
import { notifySecret } from '../../src/lib/notify/notifySecret.js';
import { AthenaDouble, RESULTS_BUCKET } from '../helpers/athenaDouble.js';
import { type AwsCall, asFunction, currentFunction, routesAsFunctions } from '../helpers/awsCalls.js';
import { type CallbackReceiver, startCallbackReceiver } from '../helpers/callbackReceiver.js';
import { DATA_DIR } from '../helpers/cloudtrailData.js';
import { NOTIFY_SECRET_ARN, refusedCalls, rolesOf, TEMPLATE_NAMES } from '../helpers/leastPrivilege.js';
import { lambdaContext, proxyEvent } from '../helpers/proxyEvents.js';
import { fakeListPublicKeys } from '../helpers/trailDigests.js';

const SECRET_ARN = NOTIFY_SECRET_ARN;
const SAMPLE_PUBLIC_KEYS = path.join(DATA_DIR, 'invictus-attack-simulation.public-keys.json');
const SECRET = 'generated-by-secrets-manager-0123456789abcdef';
const secrets = new SecretsManagerClient({ region: 'us-east-1' });
/** The Secrets Manager calls, as IAM sees them (the Athena double records its own). */
const secretCalls: AwsCall[] = [];
mockClient(secrets)
  .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
  .callsFake(async (input) => {
    secretCalls.push({
      fn: currentFunction(),
      action: 'secretsmanager:GetSecretValue',
      resource: input.SecretId,
    });
    return { SecretString: SECRET };
  });

// The packaged template's names, so that its roles can judge the calls (the last test).
const WORKGROUP = TEMPLATE_NAMES.workGroup;
const double = new AthenaDouble({
  logsDir: path.join(DATA_DIR, 'invictus-attack-simulation'),
  workGroup: WORKGROUP,
});
let receiver: CallbackReceiver;
let origin: string;
let runtime: AthenaRuntime;
let config: AthenaConfig;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  origin = receiver.origin;
  config = loadAthenaConfig({
    TRAILHOUND_ATHENA_WORKGROUP: WORKGROUP,
    TRAILHOUND_ATHENA_DATABASE: TEMPLATE_NAMES.database,
    TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: origin,
    TRAILHOUND_NOTIFY_SECRET_ARN: SECRET_ARN,
    TRAILHOUND_PUBLIC_URL: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod',
  });
  runtime = await createAthenaRuntime(config, { athena: double.athena, s3: double.s3 });
});
afterAll(async () => {
  await double.close();
  await receiver.close();
});

const notify = notifyExecutionHandler(
  async () => runtime,
  async (c: AthenaConfig) => callbackNotifier(c, await notifySecret(c, () => secrets)),
);
/** The notify function's handler, its work done as that function. */
const handler = (event: Parameters<typeof notify>[0]) => asFunction('notifyExecution', () => notify(event));
const stateChange = (id: string, state: string) =>
  ({
    source: 'aws.athena',
    'detail-type': 'Athena Query State Change',
    detail: { queryExecutionId: id, currentState: state, workgroupName: WORKGROUP },
  }) as EventBridgeEvent<'Athena Query State Change', AthenaStateChange>;

const start = async (body: Record<string, unknown>, on: () => AthenaRuntime = () => runtime, wait = '10') => {
  const response = await httpHandler(
    routesAsFunctions([startExecution])[0] as typeof startExecution,
    async () => on(),
  )(
    proxyEvent({
      httpMethod: 'POST',
      resource: '/v1/executions',
      headers: { 'Content-Type': 'application/json' },
      queryStringParameters: { wait },
      body: JSON.stringify({ from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z', ...body }),
    }),
    lambdaContext(),
  );
  return JSON.parse(response.body) as {
    executionId: string;
    state: string;
    statistics: { bytesScanned: number };
  };
};

describe('the notify function on AWS', () => {
  it('delivers the callback an ended execution asked for, signed with the key from Secrets Manager', async () => {
    const started = await start({
      query: 'mentions',
      parameters: { text: 'malicious-iam-user' },
      label: 'INC-77',
      notify: { url: `${origin}/hooks/trailhound` },
    });
    expect(started.state).toBe('SUCCEEDED');
    const outcome = await handler(stateChange(started.executionId, 'SUCCEEDED'));
    expect(outcome).toEqual({ delivered: true, attempts: 1 });
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(
      verifyCallback(SECRET, delivery?.body ?? '', String(delivery?.headers['trailhound-signature'])),
    ).toBe(true);
    expect(delivery?.headers['trailhound-delivery']).toBe(`${started.executionId}:SUCCEEDED`);
    const base = `https://abc123.execute-api.us-east-1.amazonaws.com/prod/v1/executions/${started.executionId}`;
    expect(JSON.parse(delivery?.body ?? '')).toMatchObject({
      type: 'execution.ended',
      executionId: started.executionId,
      label: 'INC-77',
      query: 'mentions',
      state: 'SUCCEEDED',
      bytesScanned: started.statistics.bytesScanned,
      links: { execution: base, results: `${base}/results`, csv: `${base}/csv` },
    });
    // The callback's URL is not shown to callers.
    const view = await httpHandler(getExecution, async () => runtime)(
      proxyEvent({
        httpMethod: 'GET',
        resource: '/v1/executions/{executionId}',
        pathParameters: { executionId: started.executionId },
      }),
      lambdaContext(),
    );
    expect(view.body).not.toContain('/hooks/trailhound');
  });

  it('leaves alone an execution that asked for no callback, and one not of this workgroup', async () => {
    receiver.received.length = 0;
    const started = await start({ query: 'mentions', parameters: { text: 'malicious-iam-user' } });
    expect(await handler(stateChange(started.executionId, 'SUCCEEDED'))).toBeUndefined();
    expect(await handler(stateChange('00000000-0000-4000-8000-000000000000', 'SUCCEEDED'))).toBeUndefined();
    expect(receiver.received).toEqual([]);
  });

  it('refuses to start where origins are listed but nothing signs callbacks', async () => {
    await expect(
      createAthenaRuntime(loadAthenaConfig({ TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: origin }), {
        athena: double.athena,
        s3: double.s3,
      }),
    ).rejects.toThrow(/TRAILHOUND_NOTIFY_SECRET_ARN/);
  });

  it('delivers the callback of an execution that verifies its logs once its check has ended too, and none if it never does', async () => {
    receiver.received.length = 0;
    // The runner is invoked asynchronously: held here until the test lets it run.
    const held: unknown[] = [];
    const lambda = new LambdaClient({ region: 'us-east-1' });
    mockClient(lambda)
      .on(InvokeCommand)
      .callsFake(async (input) => {
        held.push(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8')));
        return { StatusCode: 202 };
      });
    const cloudTrail = new CloudTrailClient({ region: 'us-east-1' });
    await fakeListPublicKeys(cloudTrail, { keysFile: SAMPLE_PUBLIC_KEYS });
    const verifying = await createAthenaRuntime(
      loadAthenaConfig({
        TRAILHOUND_ATHENA_WORKGROUP: WORKGROUP,
        TRAILHOUND_ATHENA_DATABASE: TEMPLATE_NAMES.database,
        TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: origin,
        TRAILHOUND_NOTIFY_SECRET_ARN: SECRET_ARN,
        TRAILHOUND_LOG_BUCKET: double.logBucket,
        TRAILHOUND_RESULTS_BUCKET: RESULTS_BUCKET,
        TRAILHOUND_INTEGRITY_FUNCTION: `${TEMPLATE_NAMES.functionPrefix}-runIntegrityCheck`,
        TRAILHOUND_ACCOUNTS: '123837392027',
        TRAILHOUND_REGIONS: 'us-east-1',
      }),
      { athena: double.athena, s3: double.s3, lambda, cloudTrailIn: () => cloudTrail },
    );
    const notifyVerified = notifyExecutionHandler(
      async () => verifying,
      async (c: AthenaConfig) => callbackNotifier(c, await notifySecret(c, () => secrets)),
    );
    const athenaEnds = async (id: string) => {
      for (let i = 0; i < 3; i++)
        await double.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    };
    const body = {
      query: 'mentions',
      parameters: { text: 'malicious-iam-user' },
      verifyIntegrity: true,
      notify: { url: `${origin}/hooks/verified` },
    };
    // Athena ends; the check has not run: no callback yet, and none once the function's time is up.
    const unchecked = await start(body, () => verifying, '0');
    await athenaEnds(unchecked.executionId);
    expect(
      await notifyVerified(stateChange(unchecked.executionId, 'SUCCEEDED'), {
        getRemainingTimeInMillis: () => 180_000 + 1000,
      }),
    ).toBeUndefined();
    expect(receiver.received).toEqual([]);
    // Athena ends; the check runs a second later: the callback waits for it, then says its verdict.
    const verified = await start(body, () => verifying, '0');
    await athenaEnds(verified.executionId);
    const runner = runIntegrityCheckHandler(async () => verifying);
    const checked = new Promise((resolve) => setTimeout(resolve, 1000)).then(() =>
      runner(held.at(-1), { getRemainingTimeInMillis: () => 900_000 }),
    );
    const outcome = await notifyVerified(stateChange(verified.executionId, 'SUCCEEDED'), {
      getRemainingTimeInMillis: () => 180_000 + 12_000,
    });
    const check = await checked;
    expect(outcome).toEqual({ delivered: true, attempts: 1 });
    const delivered = JSON.parse(receiver.received[0]?.body ?? '{}');
    expect(delivered).toMatchObject({
      executionId: verified.executionId,
      state: 'SUCCEEDED',
      integrity: { checkId: check.checkId, verdict: check.verdict },
    });
  }, 30_000);

  it('makes only calls its role in the packaged template allows (least privilege)', async () => {
    const calls = [...double.calls, ...secretCalls];
    expect(calls.filter((c) => c.fn === 'notifyExecution').map((c) => c.action)).toEqual(
      expect.arrayContaining(['athena:GetQueryExecution', 'secretsmanager:GetSecretValue']),
    );
    // The stack that has callbacks is the one whose notifyOrigins are set.
    expect(await refusedCalls(await rolesOf('organization'), calls)).toEqual([]);
  }, 120_000);
});
