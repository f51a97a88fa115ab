/** Copies of bundled logs in a temporary directory, for tests that add, touch or compact files. */
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATA_DIR, type DataSet } from './cloudtrailData.js';

/** A logs directory holding `subdir` (AWSLogs by default) of a data set, and an empty store. */
export const copyOfLogs = async (
  set: DataSet,
  subdir = 'AWSLogs',
): Promise<{ logsDir: string; storeDir: string }> => {
  const logsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-logs-'));
  await mkdir(path.join(logsDir, subdir), { recursive: true });
  await cp(path.join(DATA_DIR, set, subdir), path.join(logsDir, subdir), { recursive: true });
  const storeDir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
  return { logsDir, storeDir };
};

/** The 19 days of February 2018 the grycap set holds for one account and region, one file each. */
export const GRYCAP_FEBRUARY = {
  account: '974349055189',
  region: 'sa-east-1',
  month: '2018/02',
  dir: 'AWSLogs/974349055189/CloudTrail/sa-east-1/2018/02',
} as const;
