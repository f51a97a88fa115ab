/** The contract suite, unchanged, against the Athena engine talking to the Athena test double. */
import { afterAll } from 'vitest';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { AthenaDouble } from '../helpers/athenaDouble.js';
import { mergedLogsDir } from '../helpers/cloudtrailData.js';
import { startTestServer } from '../helpers/testServer.js';
import { type ContractTarget, defineContractSuite } from './contractSuite.js';
import { defineHardeningSuite } from './hardeningSuite.js';

const WORKGROUP = 'trailhound-test';
let double: Promise<AthenaDouble> | undefined;
const getDouble = () => {
  double ??= mergedLogsDir().then((logsDir) => new AthenaDouble({ logsDir, workGroup: WORKGROUP }));
  return double;
};

afterAll(async () => (await double)?.close());

const athenaTarget: ContractTarget = {
  start: async () => {
    const { athena, s3 } = await getDouble();
    const config = loadAthenaConfig({ TRAILHOUND_ATHENA_WORKGROUP: WORKGROUP });
    return startTestServer(await createAthenaRuntime(config, { athena, s3 }));
  },
  download: async (url) => (await getDouble()).download(url),
};

defineContractSuite('Athena (test double)', athenaTarget);
defineHardeningSuite('Athena (test double)', athenaTarget);
