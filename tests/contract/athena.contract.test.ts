/**
 * The contract suite, unchanged, against the Athena engine talking to the Athena test double,
 * each route served as its own Lambda function would run it; then every AWS call each function
 * made during the suite, as the double recorded it, checked against that function's role in the
 * packaged template (least privilege, tests/helpers/leastPrivilege.ts).
 */
import { fileURLToPath } from 'node:url';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { runIntegrityCheckHandler } from '../../src/lambda/runIntegrityCheck.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { type AthenaRuntime, createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { API_ROUTES } from '../../src/routes.js';
import { AthenaDouble, RESULTS_BUCKET } from '../helpers/athenaDouble.js';
import {
  asFunction,
  cloudTrailIam,
  DOUBLE_REGION,
  kmsIam,
  lambdaIam,
  recordCalls,
  routesAsFunctions,
} from '../helpers/awsCalls.js';
import { mergedLogsDir } from '../helpers/cloudtrailData.js';
import { kmsDouble } from '../helpers/kmsDouble.js';
import { EVIDENCE_KEY_ARN, refusedCalls, rolesOf, TEMPLATE_NAMES } from '../helpers/leastPrivilege.js';
import { startTestServer } from '../helpers/testServer.js';
import { fakeListPublicKeys } from '../helpers/trailDigests.js';
import { type ContractTarget, defineContractSuite } from './contractSuite.js';
import { defineHardeningSuite } from './hardeningSuite.js';

// The packaged template's names, so that its roles can judge the calls.
const WORKGROUP = TEMPLATE_NAMES.workGroup;
let double: Promise<AthenaDouble> | undefined;
const getDouble = () => {
  double ??= mergedLogsDir().then(
    (logsDir) =>
      new AthenaDouble({ logsDir, workGroup: WORKGROUP, listPageSize: 7, logBucket: SAMPLE_TRAIL_BUCKET }),
  );
  return double;
};

afterAll(async () => (await double)?.close());

/** CloudTrail's public key of the sample's digests (made for it: data/cloudtrail/README.md). */
const SAMPLE_PUBLIC_KEYS = fileURLToPath(
  new URL('../../data/cloudtrail/invictus-attack-simulation.public-keys.json', import.meta.url),
);
/** The sample's digests name the bucket they were made for: the double's trail bucket has its name. */
const SAMPLE_TRAIL_BUCKET = 'trailhound-sample-trail';
const RUNNER = `${TEMPLATE_NAMES.functionPrefix}-runIntegrityCheck`;

/**
 * Lambda and CloudTrail as the integrity checks call them: the runner invoked asynchronously (202,
 * its handler run as its own function), ListPublicKeys answering with the sample's key; KMS as
 * evidence is signed with the template's key (tests/helpers/kmsDouble.ts).
 */
const integrityClients = async (twin: AthenaDouble, runtime: () => Promise<AthenaRuntime>) => {
  const lambda = new LambdaClient({ region: DOUBLE_REGION });
  const runner = runIntegrityCheckHandler(runtime);
  mockClient(lambda)
    .on(InvokeCommand)
    .callsFake(async (input) => {
      const event = JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'));
      setImmediate(() =>
        asFunction('runIntegrityCheck', () => runner(event, { getRemainingTimeInMillis: () => 900_000 })),
      );
      return { StatusCode: 202 };
    });
  const cloudTrail = new CloudTrailClient({ region: DOUBLE_REGION });
  await fakeListPublicKeys(cloudTrail, { keysFile: SAMPLE_PUBLIC_KEYS });
  const kms = kmsDouble(EVIDENCE_KEY_ARN, DOUBLE_REGION).client;
  recordCalls(lambda, twin.calls, lambdaIam);
  recordCalls(cloudTrail, twin.calls, cloudTrailIam);
  recordCalls(kms, twin.calls, kmsIam);
  return { lambda, kms, cloudTrailIn: () => cloudTrail };
};

const athenaTarget: ContractTarget = {
  integrity: true,
  evidence: true,
  start: async () => {
    const twin = await getDouble();
    const { athena, s3 } = twin;
    const { accounts, regions } = twin.logLocation();
    // As the template configures it: the 10 GiB cutoff, and where the trail writes.
    const config = loadAthenaConfig({
      TRAILHOUND_ATHENA_WORKGROUP: WORKGROUP,
      TRAILHOUND_ATHENA_DATABASE: TEMPLATE_NAMES.database,
      TRAILHOUND_SCAN_CUTOFF_BYTES: String(10 * 2 ** 30),
      TRAILHOUND_LOG_BUCKET: SAMPLE_TRAIL_BUCKET,
      TRAILHOUND_LOG_PREFIX: 'AWSLogs/',
      TRAILHOUND_ACCOUNTS: accounts.join(','),
      TRAILHOUND_REGIONS: regions.join(','),
      // The pseudonymized set spreads 39 accounts over 36 regions: 1,404 listings at least.
      TRAILHOUND_ESTIMATE_MAX_CALLS: '5000',
      TRAILHOUND_RESULTS_BUCKET: RESULTS_BUCKET,
      TRAILHOUND_INTEGRITY_FUNCTION: RUNNER,
      TRAILHOUND_EVIDENCE_KMS_KEY: EVIDENCE_KEY_ARN,
    });
    let runtime: AthenaRuntime | undefined;
    const clients = await integrityClients(twin, async () => runtime as AthenaRuntime);
    runtime = await createAthenaRuntime(config, { athena, s3, ...clients });
    return startTestServer(runtime, routesAsFunctions(API_ROUTES));
  },
  download: async (url) => (await getDouble()).download(url),
};

defineContractSuite('Athena (test double)', athenaTarget);
defineHardeningSuite('Athena (test double)', athenaTarget);

describe('Athena (test double): least privilege', () => {
  it("allows every call each function made in the suites above, by that function's role in the packaged template", async () => {
    const calls = (await getDouble()).calls;
    const functions = new Set(calls.map((c) => c.fn));
    // Each route that reaches AWS, and the presigned download getCsv's role signs.
    for (const fn of [
      'startExecution',
      'listExecutions',
      'getExecution',
      'cancelExecution',
      'getResults',
      'getCsv',
      'startIntegrityCheck',
      'getIntegrityCheck',
      'runIntegrityCheck',
      // getEvidencePublicKey is not among them: the routes share one runtime here, whose signer
      // read the public key once, for getEvidence (tests/deploy/leastPrivilege.test.ts checks its role).
      'getEvidence',
    ]) {
      expect(functions, fn).toContain(fn);
    }
    // Those that must reach no AWS service made no call.
    for (const fn of ['health', 'listQueries', 'listDetections', 'getOpenApi'])
      expect(functions, fn).not.toContain(fn);
    const distinct = new Set(calls.filter((c) => c.fn).map((c) => JSON.stringify(c))).size;
    expect(distinct).toBeGreaterThan(100);
    expect(await refusedCalls(await rolesOf('default', SAMPLE_TRAIL_BUCKET), calls)).toEqual([]);
    console.log(
      `least privilege: ${distinct} distinct calls of ${functions.size} functions, each allowed by its role`,
    );
  }, 120_000);
});
