/**
 * The WindowVerifier on AWS: the window's log files as the trail's bucket lists them (their sizes
 * bound the check before it starts), checked against the digests beside them, with CloudTrail's
 * public keys of the window's days and regions from ListPublicKeys.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { S3Client } from '@aws-sdk/client-s3';
import { DAY_MS } from '../clock.js';
import { daysBetween, type TimeWindow } from '../sql/timeWindow.js';
import { cloudTrailKeyring } from './cloudTrailKeyring.js';
import type { WindowVerifier } from './integrityChecks.js';
import { integrityScope } from './integrityScope.js';
import { S3TrailObjects, type TrailLocation } from './s3TrailObjects.js';
import { verifyTrail } from './verifyTrail.js';

const dayStart = (day: string) => Date.parse(`${day.replaceAll('/', '-')}T00:00:00Z`);

export const s3TrailVerifier = (options: {
  s3: S3Client;
  /** CloudTrail in a region: each region's digests verify with that region's keys. */
  cloudTrailIn: (region: string) => CloudTrailClient;
  location: TrailLocation;
  now?: () => number;
}): WindowVerifier => {
  const objects = new S3TrailObjects(options.s3, options.location);
  const now = options.now ?? Date.now;
  return async (window: TimeWindow) => {
    const logFiles = await objects.listLogFiles({
      days: daysBetween(window.firstDay, window.lastDay),
      accounts: window.accounts,
      regions: window.regions,
    });
    return {
      bytes: logFiles.reduce((sum, file) => sum + file.bytes, 0),
      run: async (onProgress) => {
        const scope = integrityScope(window);
        const last = scope.signerDays.at(-1) ?? window.lastDay;
        // The keys CloudTrail signed with over the days whose digests are read.
        const keyring = await cloudTrailKeyring(
          options.cloudTrailIn,
          window.regions ?? options.location.regions,
          {
            from: new Date(dayStart(window.firstDay)),
            to: new Date(Math.min(now(), dayStart(last) + DAY_MS)),
          },
        );
        return verifyTrail({
          objects,
          keyring,
          logFiles,
          ...scope,
          bucket: options.location.bucket,
          onProgress,
        });
      },
    };
  };
};
