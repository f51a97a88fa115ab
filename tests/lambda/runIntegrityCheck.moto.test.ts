/**
 * Integrity checks on AWS, end to end: POST /v1/integrity-checks and GET /v1/integrity-checks/{id}
 * as their Lambda functions run them on the Athena runtime, the check handed to the
 * runIntegrityCheck function through Lambda's asynchronous invocation (the real client; the
 * invocation faked as Lambda answers it, 202, and the runner's handler run as Lambda would), the
 * trail and the checks' records in S3 buckets of moto_server, CloudTrail's keys from
 * ListPublicKeys (faked page by page). Skipped, saying so, where moto_server is absent.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntegrityCheck } from '../../src/handlers/getIntegrityCheck.js';
import { startIntegrityCheck } from '../../src/handlers/startIntegrityCheck.js';
import { runIntegrityCheckHandler } from '../../src/lambda/runIntegrityCheck.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { type AthenaRuntime, createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { OUT_OF_TIME } from '../../src/lib/integrity/integrityChecks.js';
import { localTrailVerifier } from '../../src/lib/integrity/localTrailVerifier.js';
import { readPublicKeyring } from '../../src/lib/integrity/publicKeys.js';
import { resolveWindow, type TimeWindow } from '../../src/lib/sql/timeWindow.js';
import { LOG_BUCKET, RESULTS_BUCKET } from '../helpers/athenaDouble.js';
import {
  type AwsCall,
  asFunction,
  cloudTrailIam,
  lambdaIam,
  recordCalls,
  s3Iam,
} from '../helpers/awsCalls.js';
import { refusedCalls, rolesOf } from '../helpers/leastPrivilege.js';
import { hasMoto, type Moto, motoS3Client, startMoto } from '../helpers/motoServer.js';
import { callRoute } from '../helpers/routeHarness.js';
import {
  type DigestedTrail,
  digestedTrail,
  fakeListPublicKeys,
  putTrailInBucket,
} from '../helpers/trailDigests.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/aws-doc-examples');
// The test deployment's names, so that the packaged template's roles can judge the calls.
const LOGS = LOG_BUCKET;
const RESULTS = RESULTS_BUCKET;
const RUNNER = 'trailhound-dev-runIntegrityCheck';
const LOG2 =
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/111122223333_CloudTrail_us-east-1_20240305T1015Z_docexamples0002.json.gz';
const BODY = { from: '2024-03-05T00:00:00Z', to: '2024-03-07T00:00:00Z' };
const available = hasMoto();
const SKIP = 'moto_server is not on the PATH (pip install "moto[server]"): skipped';

let moto: Moto;
let s3: S3Client;
let trail: DigestedTrail;
const cloudTrail = new CloudTrailClient({ region: 'us-east-1' });
const lambda = new LambdaClient({ region: 'us-east-1' });
const lambdaMock = mockClient(lambda);
/** What each asynchronous invocation's run came to, as Lambda would have run it. */
let runs: Promise<unknown>[] = [];
/** What the runner's context says is left of its 15 minutes. */
let remainingMs = 900_000;
/** What Lambda answers the next invocation with instead of queueing it. */
let refusal: Error | undefined;

/** Every call the functions made, with what IAM is asked for it. */
const calls: AwsCall[] = [];

const runtimeWith = async (env: Record<string, string> = {}): Promise<AthenaRuntime> =>
  createAthenaRuntime(
    loadAthenaConfig({
      TRAILHOUND_LOG_BUCKET: LOGS,
      TRAILHOUND_RESULTS_BUCKET: RESULTS,
      TRAILHOUND_INTEGRITY_FUNCTION: RUNNER,
      TRAILHOUND_ACCOUNTS: '111122223333',
      TRAILHOUND_REGIONS: 'us-east-1',
      ...env,
    }),
    { s3, lambda, cloudTrailIn: () => cloudTrail },
  );
let runtime: AthenaRuntime;

const start = (query: Record<string, string> = {}, on: AthenaRuntime = runtime) =>
  asFunction('startIntegrityCheck', () => callRoute(startIntegrityCheck, { body: BODY, query }, on));
const get = (checkId: string, query: Record<string, string> = {}) =>
  asFunction('getIntegrityCheck', () => callRoute(getIntegrityCheck, { path: { checkId }, query }, runtime));

beforeAll(async () => {
  if (!available) return;
  moto = await startMoto();
  s3 = motoS3Client(moto);
  recordCalls(s3, calls, s3Iam);
  recordCalls(lambda, calls, lambdaIam);
  await s3.send(new CreateBucketCommand({ Bucket: LOGS }));
  await s3.send(new CreateBucketCommand({ Bucket: RESULTS }));
  trail = await digestedTrail(FIXTURE, { bucket: LOGS });
  await putTrailInBucket(s3, LOGS, trail);
  await fakeListPublicKeys(cloudTrail, trail);
  // Recorded around the fake (which replaces the client's send).
  recordCalls(cloudTrail, calls, cloudTrailIam);
  runtime = await runtimeWith();
  // The runner, on its own runtime as its own function has one.
  const runner = runIntegrityCheckHandler(() => runtimeWith());
  const runAsFunction: typeof runner = (event, context) =>
    asFunction('runIntegrityCheck', () => runner(event, context));
  lambdaMock.on(InvokeCommand).callsFake(async (input) => {
    if (refusal) throw refusal;
    const event = JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'));
    runs.push(
      new Promise((resolve) => setImmediate(resolve)).then(() =>
        runAsFunction(event, { getRemainingTimeInMillis: () => remainingMs }),
      ),
    );
    return { StatusCode: 202 };
  });
}, 60_000);
afterAll(() => moto?.stop());

const settle = async () => {
  const ran = await Promise.all(runs);
  runs = [];
  return ran;
};

describe('integrity checks on AWS (moto_server, the runner invoked asynchronously)', () => {
  it('answers 202, hands the check to the runner by id, and reads back what it found: the trail intact, as the local check finds it', async (context) => {
    if (!available) return context.skip(SKIP);
    lambdaMock.resetHistory();
    const started = await start();
    expect(started.status).toBe(202);
    const { checkId } = started.body;
    expect(started.headers.Location).toBe(`/v1/integrity-checks/${checkId}`);
    const invocations = lambdaMock.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(invocations).toHaveLength(1);
    expect(invocations[0]).toMatchObject({ FunctionName: RUNNER, InvocationType: 'Event' });
    expect(JSON.parse(Buffer.from(invocations[0]?.Payload as Uint8Array).toString('utf8'))).toEqual({
      checkId,
    });
    // Saved before the runner starts: any function reads it RUNNING.
    const before = await get(checkId);
    expect(before.body).toMatchObject({ checkId, state: 'RUNNING', window: BODY });
    expect(await settle()).toEqual([{ checkId, state: 'SUCCEEDED', verdict: 'intact' }]);
    const ended = await get(checkId);
    expect(ended.status).toBe(200);
    const window = (resolveWindow(BODY, 366) as { window: TimeWindow }).window;
    const local = await (
      await localTrailVerifier({
        logsDir: trail.logsDir,
        keyring: await readPublicKeyring(trail.keysFile),
        bucket: LOGS,
      })(window)
    ).run(() => undefined);
    expect(ended.body).toMatchObject({
      state: 'SUCCEEDED',
      verdict: 'intact',
      summary: local.summary,
      problems: [],
    });
    expect(ended.body.summary.logFiles.valid).toBe(4);
    expect(ended.body.progress.filesDone).toBe(ended.body.progress.filesTotal);
    expect(ended.body.progress.filesTotal).toBeGreaterThan(4);
    // Kept in the results bucket, each file's hash with it (for evidence), not in the answer: its
    // end in an object of its own, written once.
    const kept = JSON.parse(
      (await (
        await s3.send(
          new GetObjectCommand({ Bucket: RESULTS, Key: `integrity-checks/${checkId}.ended.json` }),
        )
      ).Body?.transformToString()) as string,
    );
    expect(kept.files).toHaveLength(4);
    expect(ended.body.files).toBeUndefined();
  });

  it('leaves a check that already ended as it is when the runner is invoked again with it', async (context) => {
    if (!available) return context.skip(SKIP);
    const { checkId } = (await start()).body;
    await settle();
    const first = (await get(checkId)).body;
    const again = await runIntegrityCheckHandler(() => runtimeWith())(
      { checkId },
      { getRemainingTimeInMillis: () => 900_000 },
    );
    expect(again).toEqual({ checkId, state: 'SUCCEEDED', verdict: 'intact' });
    expect((await get(checkId)).body).toEqual(first);
  });

  it('refuses an event that is not a check id, touching nothing', async (context) => {
    if (!available) return context.skip(SKIP);
    await expect(
      runIntegrityCheckHandler(() => runtimeWith())(
        { checkId: '../athena/x' },
        { getRemainingTimeInMillis: () => 900_000 },
      ),
    ).rejects.toThrow(/checkId/);
  });

  it('answers 422 past the bound on the bytes a check may hash, before saving or invoking anything', async (context) => {
    if (!available) return context.skip(SKIP);
    lambdaMock.resetHistory();
    const bounded = await runtimeWith({ TRAILHOUND_INTEGRITY_MAX_BYTES: '100' });
    const refused = await start({}, bounded);
    expect(refused.status).toBe(422);
    expect(refused.headers['Content-Type']).toBe('application/problem+json');
    expect(refused.body.detail).toMatch(/bytes/);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('saves a check FAILED, saying why, when the runner cannot be invoked, and answers 503 naming the call', async (context) => {
    if (!available) return context.skip(SKIP);
    refusal = Object.assign(new Error('Function not found: trailhound-dev-runIntegrityCheck'), {
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    const refused = await start().finally(() => {
      refusal = undefined;
    });
    // Unavailable, naming the call that failed and why.
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toMatch(/Invoke trailhound-dev-runIntegrityCheck .*Function not found/);
    expect(refused.headers['Content-Type']).toBe('application/problem+json');
    // The record says so: nobody waits on a check that will never run.
    const records = await Promise.all(
      (
        (await s3.send(new ListObjectsV2Command({ Bucket: RESULTS, Prefix: 'integrity-checks/' })))
          .Contents ?? []
      ).map(async ({ Key }) =>
        JSON.parse(
          (await (
            await s3.send(new GetObjectCommand({ Bucket: RESULTS, Key }))
          ).Body?.transformToString()) as string,
        ),
      ),
    );
    const failed = records.filter((r) => r.state === 'FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0].error.message).toMatch(/could not be started: .*Function not found/);
  });

  it('saves a check that would outlast its function FAILED, saying so, before the time runs out', async (context) => {
    if (!available) return context.skip(SKIP);
    // Less left than the runner keeps back to save: the check is out of time at once.
    remainingMs = 19_000;
    try {
      const { checkId } = (await start()).body;
      expect(await settle()).toEqual([{ checkId, state: 'FAILED' }]);
      const failed = (await get(checkId)).body;
      expect(failed).toMatchObject({ state: 'FAILED', error: { message: OUT_OF_TIME } });
      expect(failed.verdict).toBeUndefined();
    } finally {
      remainingMs = 900_000;
    }
  });

  it('finds a log object rewritten in the bucket: tampered, the file named', async (context) => {
    if (!available) return context.skip(SKIP);
    await s3.send(new PutObjectCommand({ Bucket: LOGS, Key: LOG2, Body: gzipSync('{"Records":[]}') }));
    const { checkId } = (await start()).body;
    await settle();
    const found = (await get(checkId)).body;
    expect(found).toMatchObject({ state: 'SUCCEEDED', verdict: 'tampered' });
    expect(found.problems.map((p: { kind: string; path: string }) => `${p.kind} ${p.path}`)).toEqual([
      `log-modified ${LOG2}`,
    ]);
  });

  it("made only calls each function's role allows, in the packaged template", async (context) => {
    if (!available) return context.skip(SKIP);
    const made = calls.filter((c) => c.fn);
    expect(new Set(made.map((c) => c.fn))).toEqual(
      new Set(['startIntegrityCheck', 'getIntegrityCheck', 'runIntegrityCheck']),
    );
    expect(new Set(made.map((c) => c.action))).toEqual(
      new Set([
        's3:ListBucket',
        's3:GetObject',
        's3:PutObject',
        'lambda:InvokeFunction',
        'cloudtrail:ListPublicKeys',
      ]),
    );
    expect(await refusedCalls(await rolesOf('default'), made)).toEqual([]);
  }, 60_000);
});
