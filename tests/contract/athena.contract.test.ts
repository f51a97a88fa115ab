/**
 * The contract suite, unchanged, against the Athena engine talking to the Athena test double,
 * each route served as its own Lambda function would run it; then every AWS call each function
 * made during the suite, as the double recorded it, checked against that function's role in the
 * packaged template (least privilege, tests/helpers/leastPrivilege.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { API_ROUTES } from '../../src/routes.js';
import { AthenaDouble, LOG_BUCKET } from '../helpers/athenaDouble.js';
import { routesAsFunctions } from '../helpers/awsCalls.js';
import { mergedLogsDir } from '../helpers/cloudtrailData.js';
import { refusedCalls, rolesOf, TEMPLATE_NAMES } from '../helpers/leastPrivilege.js';
import { startTestServer } from '../helpers/testServer.js';
import { type ContractTarget, defineContractSuite } from './contractSuite.js';
import { defineHardeningSuite } from './hardeningSuite.js';

// The packaged template's names, so that its roles can judge the calls.
const WORKGROUP = TEMPLATE_NAMES.workGroup;
let double: Promise<AthenaDouble> | undefined;
const getDouble = () => {
  double ??= mergedLogsDir().then(
    (logsDir) => new AthenaDouble({ logsDir, workGroup: WORKGROUP, listPageSize: 7 }),
  );
  return double;
};

afterAll(async () => (await double)?.close());

const athenaTarget: ContractTarget = {
  evidence: false,
  start: async () => {
    const twin = await getDouble();
    const { athena, s3 } = twin;
    const { accounts, regions } = twin.logLocation();
    // As the template configures it: the 10 GiB cutoff, and where the trail writes.
    const config = loadAthenaConfig({
      TRAILHOUND_ATHENA_WORKGROUP: WORKGROUP,
      TRAILHOUND_ATHENA_DATABASE: TEMPLATE_NAMES.database,
      TRAILHOUND_SCAN_CUTOFF_BYTES: String(10 * 2 ** 30),
      TRAILHOUND_LOG_BUCKET: LOG_BUCKET,
      TRAILHOUND_LOG_PREFIX: 'AWSLogs/',
      TRAILHOUND_ACCOUNTS: accounts.join(','),
      TRAILHOUND_REGIONS: regions.join(','),
      // The pseudonymized set spreads 39 accounts over 36 regions: 1,404 listings at least.
      TRAILHOUND_ESTIMATE_MAX_CALLS: '5000',
    });
    return startTestServer(await createAthenaRuntime(config, { athena, s3 }), routesAsFunctions(API_ROUTES));
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
    ]) {
      expect(functions, fn).toContain(fn);
    }
    // Those that must reach no AWS service made no call.
    for (const fn of ['health', 'listQueries', 'listDetections', 'getOpenApi'])
      expect(functions, fn).not.toContain(fn);
    const distinct = new Set(calls.filter((c) => c.fn).map((c) => JSON.stringify(c))).size;
    expect(distinct).toBeGreaterThan(100);
    expect(await refusedCalls(await rolesOf('default'), calls)).toEqual([]);
    console.log(
      `least privilege: ${distinct} distinct calls of ${functions.size} functions, each allowed by its role`,
    );
  }, 120_000);
});
