/**
 * The runtime of a watch function's container: this container's Athena runtime with watches
 * (kept in DynamoDB). Only the watch functions are handed it, so that only their bundles carry
 * DynamoDB's client and the query catalog a run is planned from.
 */
import type { AthenaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { withAwsWatches } from '../lib/watches/awsWatches.js';
import { containerRuntime } from './containerRuntime.js';
import { perContainer } from './perContainer.js';

export const watchesRuntime: () => Promise<AthenaRuntime> = perContainer(async () =>
  withAwsWatches(await containerRuntime()),
);
