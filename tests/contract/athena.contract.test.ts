/** The contract suite, unchanged, against the Athena engine talking to the Athena test double. */
import { afterAll } from 'vitest';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { AthenaDouble, LOG_BUCKET } from '../helpers/athenaDouble.js';
import { mergedLogsDir } from '../helpers/cloudtrailData.js';
import { startTestServer } from '../helpers/testServer.js';
import { type ContractTarget, defineContractSuite } from './contractSuite.js';
import { defineHardeningSuite } from './hardeningSuite.js';

const WORKGROUP = 'trailhound-test';
let double: Promise<AthenaDouble> | undefined;
const getDouble = () => {
  double ??= mergedLogsDir().then(
    (logsDir) => new AthenaDouble({ logsDir, workGroup: WORKGROUP, listPageSize: 7 }),
  );
  return double;
};

afterAll(async () => (await double)?.close());

const athenaTarget: ContractTarget = {
  start: async () => {
    const twin = await getDouble();
    const { athena, s3 } = twin;
    const { accounts, regions } = twin.logLocation();
    // As the template configures it: the 10 GiB cutoff, and where the trail writes.
    const config = loadAthenaConfig({
      TRAILHOUND_ATHENA_WORKGROUP: WORKGROUP,
      TRAILHOUND_SCAN_CUTOFF_BYTES: String(10 * 2 ** 30),
      TRAILHOUND_LOG_BUCKET: LOG_BUCKET,
      TRAILHOUND_LOG_PREFIX: 'AWSLogs/',
      TRAILHOUND_ACCOUNTS: accounts.join(','),
      TRAILHOUND_REGIONS: regions.join(','),
      // The pseudonymized set spreads 39 accounts over 36 regions: 1,404 listings at least.
      TRAILHOUND_ESTIMATE_MAX_CALLS: '5000',
    });
    return startTestServer(await createAthenaRuntime(config, { athena, s3 }));
  },
  download: async (url) => (await getDouble()).download(url),
};

defineContractSuite('Athena (test double)', athenaTarget);
defineHardeningSuite('Athena (test double)', athenaTarget);
